"""languages and access needs

An event's main language and whether it is bilingual; a topic's language and the interpreters an
organizer says will be there; an attendee's private access needs (a step-free room, interpretation).
Existing rows read as English, not bilingual, no needs.

Revision ID: f7025b5f3b2d
Revises: 81cc77e2e39a
Create Date: 2026-12-07 21:47:03.479679
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op


revision: str = 'f7025b5f3b2d'
down_revision: str | None = '81cc77e2e39a'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('attendee', schema=None) as batch_op:
        batch_op.add_column(sa.Column('needs_step_free', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('interpretation', sqlmodel.sql.sqltypes.AutoString(length=5), server_default='', nullable=False))

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=5), server_default='en', nullable=False))
        batch_op.add_column(sa.Column('bilingual', sa.Boolean(), server_default='0', nullable=False))

    with op.batch_alter_table('topic', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=5), server_default='en', nullable=False))
        batch_op.add_column(sa.Column('interpreters', sa.JSON(), server_default='[]', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('topic', schema=None) as batch_op:
        batch_op.drop_column('interpreters')
        batch_op.drop_column('language')

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('bilingual')
        batch_op.drop_column('language')

    with op.batch_alter_table('attendee', schema=None) as batch_op:
        batch_op.drop_column('interpretation')
        batch_op.drop_column('needs_step_free')

