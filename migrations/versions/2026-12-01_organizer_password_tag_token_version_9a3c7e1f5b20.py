"""organizer sign-in: a keyed password tag (one hash per login) and a token version (revocation)

Revision ID: 9a3c7e1f5b20
Revises: 5c0e7d3a91b2
Create Date: 2026-12-01 21:40:00

Existing organizers keep a NULL tag: their password is checked the old way until their next
successful sign-in, which stores the tag (the password is needed to compute it).
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op


revision: str = '9a3c7e1f5b20'
down_revision: str | None = '5c0e7d3a91b2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('organizer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('password_tag', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True))
        batch_op.add_column(sa.Column('token_version', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index(batch_op.f('ix_organizer_password_tag'), ['password_tag'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('organizer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organizer_password_tag'))
        batch_op.drop_column('token_version')
        batch_op.drop_column('password_tag')
