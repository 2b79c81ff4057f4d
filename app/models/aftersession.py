"""What a session leaves behind: shared notes (with every revision kept), resources, and feedback."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.util import utcnow

NOTE_MAX = 20_000
AUTHOR_NAME_MAX = 60
RESOURCE_URL_MAX = 500
RESOURCE_LINE_MAX = 200
FEEDBACK_TEXT_MAX = 1000


class SessionNote(SQLModel, table=True):
    """The current text of a session's shared notes; ``revision`` counts the saved versions."""

    __tablename__ = "session_note"
    __table_args__ = (UniqueConstraint("topic_id"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    topic_id: int = Field(foreign_key="topic.id", ondelete="CASCADE")
    text: str = Field(default="", sa_type=Text)
    revision: int = Field(default=0)
    updated_at: datetime = Field(default_factory=utcnow)


class NoteRevision(SQLModel, table=True):
    """One saved version of a session's notes, attributed to the display name it was saved under."""

    __tablename__ = "note_revision"
    __table_args__ = (UniqueConstraint("note_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    note_id: int = Field(foreign_key="session_note.id", index=True, ondelete="CASCADE")
    number: int
    text: str = Field(default="", sa_type=Text)
    author_id: int | None = Field(default=None, foreign_key="attendee.id", ondelete="SET NULL")
    # The name shown at the time of the edit ("" for someone who gave none).
    author_name: str = Field(default="", max_length=AUTHOR_NAME_MAX)
    created_at: datetime = Field(default_factory=utcnow)


class Resource(SQLModel, table=True):
    """A link shared in a session, with a line about it."""

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    topic_id: int = Field(foreign_key="topic.id", index=True, ondelete="CASCADE")
    url: str = Field(max_length=RESOURCE_URL_MAX)
    line: str = Field(default="", max_length=RESOURCE_LINE_MAX)
    added_by_id: int | None = Field(default=None, foreign_key="attendee.id", ondelete="SET NULL")
    added_by_name: str = Field(default="", max_length=AUTHOR_NAME_MAX)
    created_at: datetime = Field(default_factory=utcnow)


class SessionFeedback(SQLModel, table=True):
    """An attendee's rating of one session and what they will try; one per attendee and session."""

    __tablename__ = "session_feedback"
    __table_args__ = (UniqueConstraint("attendee_id", "topic_id"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    topic_id: int = Field(foreign_key="topic.id", index=True, ondelete="CASCADE")
    attendee_id: int = Field(foreign_key="attendee.id", ondelete="CASCADE")
    rating: int
    will_try: str = Field(default="", max_length=FEEDBACK_TEXT_MAX)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class TalkFeedback(SQLModel, table=True):
    """An attendee's rating of one plenary talk and what they will try; one per attendee and talk."""

    __tablename__ = "talk_feedback"
    __table_args__ = (UniqueConstraint("attendee_id", "talk_id"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    talk_id: int = Field(foreign_key="talk.id", index=True, ondelete="CASCADE")
    attendee_id: int = Field(foreign_key="attendee.id", ondelete="CASCADE")
    rating: int
    will_try: str = Field(default="", max_length=FEEDBACK_TEXT_MAX)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class EventFeedback(SQLModel, table=True):
    """The exit survey: one response per attendee (the day's value and what they will try, then the
    standard statements and the organizer's own questions)."""

    __tablename__ = "event_feedback"
    __table_args__ = (UniqueConstraint("attendee_id"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    attendee_id: int = Field(foreign_key="attendee.id", ondelete="CASCADE")
    rating: int
    will_try: str = Field(default="", max_length=FEEDBACK_TEXT_MAX)
    # "I will change my practice" and "I connected with teachers from other schools", 1-5 (agree).
    practice: int | None = Field(default=None)
    connected: int | None = Field(default=None)
    keep: str = Field(default="", max_length=FEEDBACK_TEXT_MAX, sa_column_kwargs={"server_default": ""})
    change: str = Field(default="", max_length=FEEDBACK_TEXT_MAX, sa_column_kwargs={"server_default": ""})
    # The organizer's own questions: {str(question id): 1-5, a choice's text, or text}.
    answers: dict[str, Any] = Field(default_factory=dict, sa_type=JSON, sa_column_kwargs={"server_default": "{}"})
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
