"""An event day, its rooms and its time slots."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.enums import Phase, SlotKind
from app.models.util import enum_column, utcnow


class Event(SQLModel, table=True):
    """One unconference day. ``code`` is the short join code printed on posters."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=12, unique=True, index=True)
    name: str = Field(max_length=120)
    date: str = Field(default="", max_length=10)
    timezone: str = Field(default="UTC", max_length=64)
    phase: Phase = Field(default=Phase.setup, sa_type=enum_column(Phase))
    # None: unlimited marks per attendee.
    vote_budget: int | None = Field(default=None)
    hide_counts: bool = Field(default=False)
    shuffle_topics: bool = Field(default=False)
    # Co-facilitators a topic may have.
    facilitator_limit: int = Field(default=3)
    # People (marks plus facilitators) a topic needs to be viable: a viable topic runs whenever a
    # suitable room is free.
    min_interest: int = Field(default=2)
    # sha256 of the secret in the organizer's link; never the secret itself.
    organizer_secret_hash: str = Field(max_length=64)
    announcement: str = Field(default="", max_length=280)
    # The projector board's colours: "dark" (projectors) or "light" (daylight rooms); ?theme= overrides.
    board_theme: str = Field(default="dark", max_length=8)
    # The event's main language ("en", "es"): what a phone whose browser asks for neither gets.
    language: str = Field(default="en", max_length=5, sa_column_kwargs={"server_default": "en"})
    # A bilingual event's projector and printed pages show their own words in both languages.
    bilingual: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    # PD certificates: who issues them, who signs, and what counts. A slot counts its length when
    # the attendee was checked in for at least ``pd_min_minutes`` of it.
    pd_enabled: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    # Where the day is held ("Roosevelt High School, Fresno"), printed on certificates.
    place: str = Field(default="", max_length=120, sa_column_kwargs={"server_default": ""})
    pd_issuer: str = Field(default="", max_length=120, sa_column_kwargs={"server_default": ""})
    pd_signer: str = Field(default="", max_length=80, sa_column_kwargs={"server_default": ""})
    pd_signer_title: str = Field(default="", max_length=80, sa_column_kwargs={"server_default": ""})
    pd_min_minutes: int = Field(default=15, sa_column_kwargs={"server_default": "15"})
    pd_needs_survey: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    # Phones may join the smackdown queue.
    smackdown_open: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    # Who may win the raffle: checked in to at least one session, and/or finished the exit survey.
    raffle_needs_checkin: bool = Field(default=True, sa_column_kwargs={"server_default": "1"})
    raffle_needs_survey: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    # What the board's main area shows instead of the grid: "" (the grid, or a talk on stage),
    # "smackdown" (who is up, the countdown, who is next) or "raffle" (the draw).
    board_mode: str = Field(default="", max_length=12, sa_column_kwargs={"server_default": ""})
    # The phase the event was in when it was closed, so that closing can be undone.
    phase_before_close: Phase | None = Field(default=None, sa_type=enum_column(Phase))
    # The sequence number of the newest BoardEvent; bumped in the same transaction as the change.
    board_sequence: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow)


class Room(SQLModel, table=True):
    """A room that can hold one session per slot."""

    __table_args__ = (UniqueConstraint("event_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=80)
    capacity: int
    features: list[str] = Field(default_factory=list, sa_type=JSON)
    # TimeSlot ids in which the room cannot be used (the cafeteria at lunch).
    unavailable_slots: list[int] = Field(default_factory=list, sa_type=JSON)
    position: int = Field(default=0)


SLOT_TITLE_MAX = 120


class TimeSlot(SQLModel, table=True):
    """A slot of the day; ``start`` and ``end`` are ``HH:MM`` in the event's time zone.

    Only ``sessions`` slots hold topics. A plenary or a break has a title ("Opening keynote",
    "Lunch in the cafeteria") and may name its room.
    """

    __tablename__ = "time_slot"

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    start: str = Field(max_length=5)
    end: str = Field(max_length=5)
    position: int = Field(default=0)
    kind: SlotKind = Field(default=SlotKind.sessions, sa_type=enum_column(SlotKind))
    title: str = Field(default="", max_length=SLOT_TITLE_MAX)
    room_id: int | None = Field(default=None, foreign_key="room.id", ondelete="SET NULL")


TALK_SPEAKER_MAX = 80
TALK_TITLE_MAX = 160
TALK_BIO_MAX = 280
TALK_MINUTES_MAX = 240


class Talk(SQLModel, table=True):
    """One talk in a plenary's running order (an EdTalk, a keynote), in ``position`` order."""

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    slot_id: int = Field(foreign_key="time_slot.id", index=True, ondelete="CASCADE")
    position: int = Field(default=0)
    speaker: str = Field(max_length=TALK_SPEAKER_MAX)
    title: str = Field(default="", max_length=TALK_TITLE_MAX)
    minutes: int = Field(default=15)
    bio: str = Field(default="", max_length=TALK_BIO_MAX)
    # When the organizer put it on the board ("next talk") and when it gave way to the next one or
    # to the grid: the talk on the board is the event's one started and not ended.
    started_at: datetime | None = Field(default=None)
    ended_at: datetime | None = Field(default=None)
