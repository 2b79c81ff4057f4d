"""the people a topic needs to run (marks plus facilitators)

Revision ID: b41d7e2c9a16
Revises: 9a3c7e1f5b20
Create Date: 2026-12-06 23:10:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'b41d7e2c9a16'
down_revision: str | None = '9a3c7e1f5b20'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('min_interest', sa.Integer(), nullable=False, server_default='2'))


def downgrade() -> None:
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('min_interest')
