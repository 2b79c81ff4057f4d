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


class TopicStatus(str, enum.Enum):
    """Whether a topic is on the wall."""

    open = "open"
    hidden = "hidden"
    merged = "merged"
    withdrawn = "withdrawn"
