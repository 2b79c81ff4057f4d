"""Closing the day: who was where (check-ins), PD certificates, the exit survey's own questions,
the smackdown queue and the raffle.

Everything here is per event and deleted with it. Names shown on a certificate, a smackdown share
or a raffle win are copied when given, so they stay what the person chose at the time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.util import utcnow

CHECKIN_SOURCES = ("door", "tap", "organizer")
SURVEY_KINDS = ("scale", "choice", "text")
SMACKDOWN_STATES = ("queued", "up", "done", "removed")

CERT_NAME_MAX = 80
CERT_CODE_MAX = 16
ISSUER_MAX = 120
SIGNER_MAX = 80
QUESTION_MAX = 200
SHARE_TITLE_MAX = 120
SHARE_URL_MAX = 500
SHARE_WHY_MAX = 200
PRIZE_MAX = 120


class CheckIn(SQLModel, table=True):
    """An attendee present in a session (``topic_id``) or a plenary (``topic_id`` None) in a slot.

    The rule of two feet: checking into another session of the same slot ends this one
    (``left_at``) and starts a new row, so both times are kept. ``source`` says how: the door's QR
    code, "I'm here" on the session page, or an organizer by hand.
    """

    __tablename__ = "check_in"
    __table_args__ = (
        Index("ix_check_in_event_id_slot_id", "event_id", "slot_id"),
        Index("ix_check_in_attendee_id_slot_id", "attendee_id", "slot_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE")
    attendee_id: int = Field(foreign_key="attendee.id", ondelete="CASCADE")
    slot_id: int = Field(foreign_key="time_slot.id", ondelete="CASCADE")
    topic_id: int | None = Field(default=None, foreign_key="topic.id", ondelete="CASCADE")
    room_id: int | None = Field(default=None, foreign_key="room.id", ondelete="SET NULL")
    source: str = Field(default="door", max_length=12)
    at: datetime = Field(default_factory=utcnow)
    left_at: datetime | None = Field(default=None)


class PaperCount(SQLModel, table=True):
    """The paper fallback: a head count an organizer typed for a session (or a plenary) in a slot."""

    __tablename__ = "paper_count"
    __table_args__ = (Index("ix_paper_count_event_id_slot_id", "event_id", "slot_id"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE")
    slot_id: int = Field(foreign_key="time_slot.id", ondelete="CASCADE")
    topic_id: int | None = Field(default=None, foreign_key="topic.id", ondelete="CASCADE")
    count: int = Field(default=0)
    updated_at: datetime = Field(default_factory=utcnow)


class Certificate(SQLModel, table=True):
    """A PD-hours certificate as issued: the name printed, the minutes and what they came from.

    ``code`` is the short verification code printed on it (and in its QR code); the public page
    for it confirms name, hours and event while ``revoked_at`` is unset, and nothing else.
    """

    __table_args__ = (UniqueConstraint("attendee_id"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    attendee_id: int | None = Field(default=None, foreign_key="attendee.id", ondelete="SET NULL")
    code: str = Field(max_length=CERT_CODE_MAX, unique=True, index=True)
    name: str = Field(max_length=CERT_NAME_MAX)
    minutes: int = Field(default=0)
    # What was counted, in order: [{"start", "end", "title", "kind", "minutes"}, ...].
    items: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    issued_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = Field(default=None)
    revoked_reason: str = Field(default="", max_length=200)


class SurveyQuestion(SQLModel, table=True):
    """One of the organizer's own exit-survey questions: a 1-5 scale, one choice of several, or text.

    The answers are in ``EventFeedback.answers`` under the question's id.
    """

    __tablename__ = "survey_question"

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    position: int = Field(default=0)
    kind: str = Field(default="scale", max_length=8)
    prompt: str = Field(max_length=QUESTION_MAX)
    choices: list[str] = Field(default_factory=list, sa_type=JSON)
    required: bool = Field(default=False)


class SmackdownShare(SQLModel, table=True):
    """One resource in the smackdown queue: who shares it (if named), the link and why, and its turn.

    ``state``: queued, up (on the board, its two minutes from ``started_at``), done, removed.
    """

    __tablename__ = "smackdown_share"

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    attendee_id: int | None = Field(default=None, foreign_key="attendee.id", ondelete="SET NULL")
    name: str = Field(default="", max_length=60)
    title: str = Field(max_length=SHARE_TITLE_MAX)
    url: str = Field(default="", max_length=SHARE_URL_MAX)
    why: str = Field(default="", max_length=SHARE_WHY_MAX)
    position: int = Field(default=0)
    state: str = Field(default="queued", max_length=10)
    started_at: datetime | None = Field(default=None)
    ended_at: datetime | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow)


class Prize(SQLModel, table=True):
    """A raffle prize, in drawing order, with the sponsor who gave it (never given any contact)."""

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    position: int = Field(default=0)
    name: str = Field(max_length=PRIZE_MAX)
    sponsor: str = Field(default="", max_length=PRIZE_MAX)


class RaffleDraw(SQLModel, table=True):
    """A committed raffle: the tickets frozen and the seed's hash shown before any winner is drawn.

    ``seed`` is kept from the start but shown only once ``revealed_at`` is set; anyone can then
    check ``sha256(seed) == seed_hash`` and recompute every pick from the seed and ``tickets``.
    """

    __tablename__ = "raffle_draw"

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    seed: str = Field(max_length=64)
    seed_hash: str = Field(max_length=64)
    # The eligible attendees' ticket numbers, in order, as frozen at the commit.
    tickets: list[int] = Field(default_factory=list, sa_type=JSON)
    # Who could win: {"checked_in": bool, "survey": bool}.
    rule: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    committed_at: datetime = Field(default_factory=utcnow)
    revealed_at: datetime | None = Field(default=None)


class RaffleWin(SQLModel, table=True):
    """The ``pick``-th draw of a raffle: which ticket won which prize, and whether they were absent."""

    __tablename__ = "raffle_win"
    __table_args__ = (UniqueConstraint("draw_id", "pick"),)

    id: int | None = Field(default=None, primary_key=True)
    draw_id: int = Field(foreign_key="raffle_draw.id", index=True, ondelete="CASCADE")
    prize_id: int = Field(foreign_key="prize.id", ondelete="CASCADE")
    pick: int
    ticket: int
    attendee_id: int | None = Field(default=None, foreign_key="attendee.id", ondelete="SET NULL")
    absent: bool = Field(default=False)
    drawn_at: datetime = Field(default_factory=utcnow)
