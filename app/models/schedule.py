"""Schedules as versions (a draft, then every published one) and the sessions placed in them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.enums import SessionStatus
from app.models.util import enum_column, utcnow


class ScheduleRun(SQLModel, table=True):
    """One version of an event's schedule; published when ``published_at`` is set."""

    __tablename__ = "schedule_run"
    __table_args__ = (UniqueConstraint("event_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    version: int
    # What the scheduler was given and what it reported (left empty for hand-made schedules).
    inputs_hash: str = Field(default="", max_length=64)
    stats: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_at: datetime = Field(default_factory=utcnow)
    published_at: datetime | None = Field(default=None)


class Placement(SQLModel, table=True):
    """A session: a topic in a room during a slot, within one schedule version."""

    __table_args__ = (UniqueConstraint("schedule_run_id", "room_id", "slot_id"),)

    id: int | None = Field(default=None, primary_key=True)
    schedule_run_id: int = Field(foreign_key="schedule_run.id", index=True, ondelete="CASCADE")
    topic_id: int = Field(foreign_key="topic.id", index=True, ondelete="CASCADE")
    room_id: int = Field(foreign_key="room.id", ondelete="CASCADE")
    slot_id: int = Field(foreign_key="time_slot.id", ondelete="CASCADE")
    pinned: bool = Field(default=False)
    # Started on the day by an attendee in a room left free ("pop-up session").
    is_popup: bool = Field(default=False)
    # The rule of two feet: what the facilitator or an organizer says about the room right now.
    status: SessionStatus = Field(default=SessionStatus.scheduled, sa_type=enum_column(SessionStatus))
    status_at: datetime | None = Field(default=None)
