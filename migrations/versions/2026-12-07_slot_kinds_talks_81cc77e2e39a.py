"""slot kinds (sessions, plenary, break), plenary talks and their feedback

Existing slots read as session slots (server default), as older event files do.

Revision ID: 81cc77e2e39a
Revises: b41d7e2c9a16
Create Date: 2026-12-07 18:56:37.138046
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op


revision: str = '81cc77e2e39a'
down_revision: str | None = 'b41d7e2c9a16'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('talk',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('speaker', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('bio', sqlmodel.sql.sqltypes.AutoString(length=280), nullable=False),
    sa.Column('started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('ended_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_talk_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['time_slot.id'], name=op.f('fk_talk_slot_id_time_slot'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talk'))
    )
    with op.batch_alter_table('talk', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_talk_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_talk_slot_id'), ['slot_id'], unique=False)

    op.create_table('talk_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('talk_id', sa.Integer(), nullable=False),
    sa.Column('attendee_id', sa.Integer(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('will_try', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['attendee_id'], ['attendee.id'], name=op.f('fk_talk_feedback_attendee_id_attendee'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_talk_feedback_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['talk_id'], ['talk.id'], name=op.f('fk_talk_feedback_talk_id_talk'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talk_feedback')),
    sa.UniqueConstraint('attendee_id', 'talk_id', name=op.f('uq_talk_feedback_attendee_id_talk_id'))
    )
    with op.batch_alter_table('talk_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_talk_feedback_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_talk_feedback_talk_id'), ['talk_id'], unique=False)

    with op.batch_alter_table('time_slot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.Enum('sessions', 'plenary', 'break', name='slotkind', native_enum=False, length=16), nullable=False, server_default='sessions'))
        batch_op.add_column(sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('room_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_time_slot_room_id_room'), 'room', ['room_id'], ['id'], ondelete='SET NULL')



def downgrade() -> None:
    with op.batch_alter_table('time_slot', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_time_slot_room_id_room'), type_='foreignkey')
        batch_op.drop_column('room_id')
        batch_op.drop_column('title')
        batch_op.drop_column('kind')

    with op.batch_alter_table('talk_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_talk_feedback_talk_id'))
        batch_op.drop_index(batch_op.f('ix_talk_feedback_event_id'))

    op.drop_table('talk_feedback')
    with op.batch_alter_table('talk', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_talk_slot_id'))
        batch_op.drop_index(batch_op.f('ix_talk_event_id'))

    op.drop_table('talk')
