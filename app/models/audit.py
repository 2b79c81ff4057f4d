"""What organizers did, per event, for the console's audit log."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.util import utcnow


class AuditEntry(SQLModel, table=True):
    """One organizer action: who, what, and a line a person can read."""

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    organizer_id: int | None = Field(default=None, foreign_key="organizer.id", ondelete="SET NULL")
    organizer_name: str = Field(default="", max_length=60)
    action: str = Field(max_length=40)
    detail: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, index=True)
