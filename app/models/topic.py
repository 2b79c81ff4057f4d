"""Topics proposed for the wall, the marks on them and who will lead them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.enums import TopicStatus
from app.models.util import enum_column, utcnow

TITLE_MAX = 120
DESCRIPTION_MAX = 1000
TAG_MAX = 30
TAGS_MAX = 5


class Topic(SQLModel, table=True):
    """A proposed session."""

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    author_id: int | None = Field(default=None, foreign_key="attendee.id", ondelete="SET NULL")
    title: str = Field(max_length=TITLE_MAX)
    description: str = Field(default="", max_length=DESCRIPTION_MAX)
    tags: list[str] = Field(default_factory=list, sa_type=JSON)
    status: TopicStatus = Field(default=TopicStatus.open, sa_type=enum_column(TopicStatus))
    merged_into_id: int | None = Field(default=None, foreign_key="topic.id", ondelete="SET NULL")
    status_reason: str = Field(default="", max_length=280)
    # While merged: what the merge moved (marks, offers to lead, paper marks, tags), so it can be undone.
    merge_undo: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    # Marks counted by hand on the paper wall, typed in by an organizer (added to the count).
    paper_marks: int = Field(default=0)
    # Scheduling constraints carried by the event file.
    unavailable_slots: list[int] = Field(default_factory=list, sa_type=JSON)
    needs: list[str] = Field(default_factory=list, sa_type=JSON)
    # The language the session is held in: "en", "es" or "both" (the proposer's, unless they said).
    language: str = Field(default="en", max_length=5, sa_column_kwargs={"server_default": "en"})
    # Interpreters an organizer says will be there ("es", "asl"); the session page shows it.
    interpreters: list[str] = Field(default_factory=list, sa_type=JSON, sa_column_kwargs={"server_default": "[]"})
    pinned_room_id: int | None = Field(default=None, foreign_key="room.id", ondelete="SET NULL")
    pinned_slot_id: int | None = Field(default=None, foreign_key="time_slot.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Interest(SQLModel, table=True):
    """An attendee's mark on a topic: one per attendee and topic, always."""

    __table_args__ = (UniqueConstraint("attendee_id", "topic_id"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    attendee_id: int = Field(foreign_key="attendee.id", index=True, ondelete="CASCADE")
    topic_id: int = Field(foreign_key="topic.id", index=True, ondelete="CASCADE")
    weight: float = Field(default=1.0)
    created_at: datetime = Field(default_factory=utcnow)


class FacilitatorClaim(SQLModel, table=True):
    """An attendee who will lead a topic."""

    __tablename__ = "facilitator_claim"
    __table_args__ = (UniqueConstraint("attendee_id", "topic_id"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    attendee_id: int = Field(foreign_key="attendee.id", index=True, ondelete="CASCADE")
    topic_id: int = Field(foreign_key="topic.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)


class ClashPair(SQLModel, table=True):
    """Two topics that must not share a slot (the event file's ``avoid_clash``)."""

    __tablename__ = "clash_pair"
    __table_args__ = (UniqueConstraint("topic_a_id", "topic_b_id"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    topic_a_id: int = Field(foreign_key="topic.id", ondelete="CASCADE")
    topic_b_id: int = Field(foreign_key="topic.id", ondelete="CASCADE")
