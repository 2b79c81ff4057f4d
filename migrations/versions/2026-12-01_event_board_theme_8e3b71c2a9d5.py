"""the organizer's choice of board theme

Revision ID: 8e3b71c2a9d5
Revises: 4b9e2f61c8a3
Create Date: 2026-12-01 21:30:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op


revision: str = '8e3b71c2a9d5'
down_revision: str | None = '4b9e2f61c8a3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('board_theme', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False,
                                      server_default='dark'))


def downgrade() -> None:
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('board_theme')
