"""The per-event ordered log that drives live updates, and app-wide key/value settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.util import utcnow


class BoardEvent(SQLModel, table=True):
    """One change a screen shows, numbered per event, written with the change itself."""

    __tablename__ = "board_event"
    __table_args__ = (UniqueConstraint("event_id", "sequence"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    sequence: int
    kind: str = Field(max_length=40)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_at: datetime = Field(default_factory=utcnow)


class InstanceSetting(SQLModel, table=True):
    """Values the install keeps for itself, such as a generated secret key."""

    __tablename__ = "instance_setting"

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=512)
