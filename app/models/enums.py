"""Enumerations shared by every layer (a leaf module: imports nothing of the app but ``app.i18n``).

The labels are lazy (``_l``): read in each request's language, as ``phase.label`` etc.
"""

from __future__ import annotations

import enum

# The one import from outside models (allowed by tests/architecture/test_layers.py): labels are
# words a person reads, and app.i18n itself imports nothing of the app.
from app.i18n import _l


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
        return str(PHASE_LABELS[self])


PHASE_LABELS = {
    Phase.setup: _l("Setting up"),
    Phase.proposing: _l("Proposing and marking"),
    Phase.voting: _l("Marking only"),
    Phase.scheduled: _l("Schedule being drafted"),
    Phase.live: _l("Schedule published"),
    Phase.closed: _l("Closed"),
}


class SlotKind(str, enum.Enum):
    """What happens in a time slot: breakout sessions (the scheduler fills them), a plenary, a break."""

    sessions = "sessions"
    plenary = "plenary"  # everyone in one room: a keynote, EdTalks, the opening, the closing share-out
    break_ = "break"  # lunch, passing time

    @property
    def label(self) -> str:
        return str(SLOT_KIND_LABELS[self])


SLOT_KIND_LABELS = {SlotKind.sessions: _l("Sessions"), SlotKind.plenary: _l("Plenary"), SlotKind.break_: _l("Break")}


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
        return str(SESSION_STATUS_LABELS[self])


SESSION_STATUS_LABELS = {
    SessionStatus.scheduled: "",  # nothing to say: no badge
    SessionStatus.full: _l("Full"),
    SessionStatus.room_for_more: _l("Room for more"),
    SessionStatus.ended_early: _l("Ended early"),
}
