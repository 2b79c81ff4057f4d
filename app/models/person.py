"""Attendees (anonymous, one per device per event) and organizers."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.util import utcnow


class Attendee(SQLModel, table=True):
    """A phone at an event; identified by a signed cookie, optionally named."""

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    name: str = Field(default="", max_length=60)
    # Access needs, said privately: only organizers see them, and only as counts per session.
    needs_step_free: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    # Interpretation asked for: "" (none), "es" (Spanish), "asl" (American Sign Language).
    interpretation: str = Field(default="", max_length=5, sa_column_kwargs={"server_default": ""})
    # Bumped to take a row lock before checking the marks left (see domain.marking).
    lock_version: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow)


class Organizer(SQLModel, table=True):
    """Someone who runs the event; logs in with the secret link or a password."""

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    name: str = Field(default="", max_length=60)
    password_hash: str | None = Field(default=None, max_length=200)
    # A few hex digits of an HMAC of the password under the install's secret: a sign-in checks only
    # the argon2 hashes whose tag matches (about one), not every organizer's. NULL: set before the
    # tag existed, checked the old way until the next sign-in stores it (app/domain/passwords.py).
    password_tag: str | None = Field(default=None, max_length=8, index=True)
    # In every signed token of this organizer; bumping it revokes every cookie and API token made
    # before (a new organizer link, removal, signing out).
    token_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # A co-organizer's own sign-in link (only its hash); the first organizer uses the event's link.
    secret_hash: str | None = Field(default=None, max_length=64, index=True)
    # A removed co-organizer keeps their row (and id), so a signed token naming that id can never
    # come to mean someone invited later.
    removed_at: datetime | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow)
