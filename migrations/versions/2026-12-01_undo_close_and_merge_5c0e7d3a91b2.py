"""closing an event and merging topics can be undone

Revision ID: 5c0e7d3a91b2
Revises: 8e3b71c2a9d5
Create Date: 2026-12-01 21:30:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '5c0e7d3a91b2'
down_revision: str | None = '8e3b71c2a9d5'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PHASES = ('setup', 'proposing', 'voting', 'scheduled', 'live', 'closed')


def upgrade() -> None:
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phase_before_close', sa.Enum(*PHASES, name='phase', native_enum=False,
                                                                    length=16), nullable=True))
    with op.batch_alter_table('topic', schema=None) as batch_op:
        batch_op.add_column(sa.Column('merge_undo', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('topic', schema=None) as batch_op:
        batch_op.drop_column('merge_undo')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('phase_before_close')
