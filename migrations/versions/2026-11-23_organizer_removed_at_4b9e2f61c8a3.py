"""removed co-organizers keep their row

Revision ID: 4b9e2f61c8a3
Revises: dfc14f64d7a4
Create Date: 2026-11-23 12:40:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op


revision: str = '4b9e2f61c8a3'
down_revision: str | None = 'dfc14f64d7a4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('organizer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('removed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('organizer', schema=None) as batch_op:
        batch_op.drop_column('removed_at')
