"""Enumerations shared by every layer (a leaf module: imports nothing of the app)."""

from __future__ import annotations

import enum


class Phase(str, enum.Enum):
    """The phases of an event day, in order."""

    setup = "setup"
    proposing = "proposing"
    voting = "voting"
    scheduled = "scheduled"
    live = "live"
    closed = "closed"

    @property
    def label(self) -> str:
        return PHASE_LABELS[self]


PHASE_LABELS = {
    Phase.setup: "Setting up",
    Phase.proposing: "Proposing and marking",
    Phase.voting: "Marking only",
    Phase.scheduled: "Schedule being drafted",
    Phase.live: "Schedule published",
    Phase.closed: "Closed",
}


class SlotKind(str, enum.Enum):
    """What happens in a time slot: breakout sessions (the scheduler fills them), a plenary, a break."""

    sessions = "sessions"
    plenary = "plenary"  # everyone in one room: a keynote, EdTalks, the opening, the closing share-out
    break_ = "break"  # lunch, passing time

    @property
    def label(self) -> str:
        return SLOT_KIND_LABELS[self]


SLOT_KIND_LABELS = {SlotKind.sessions: "Sessions", SlotKind.plenary: "Plenary", SlotKind.break_: "Break"}


class TopicStatus(str, enum.Enum):
    """Whether a topic is on the wall."""

    open = "open"
    hidden = "hidden"
    merged = "merged"
    withdrawn = "withdrawn"


class SessionStatus(str, enum.Enum):
    """What a session's facilitator (or an organizer) says about its room during the slot."""

    scheduled = "scheduled"
    full = "full"
    room_for_more = "room_for_more"
    ended_early = "ended_early"

    @property
    def label(self) -> str:
        return SESSION_STATUS_LABELS[self]


SESSION_STATUS_LABELS = {
    SessionStatus.scheduled: "",
    SessionStatus.full: "Full",
    SessionStatus.room_for_more: "Room for more",
    SessionStatus.ended_early: "Ended early",
}
