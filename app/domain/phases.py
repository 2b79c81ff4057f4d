"""Which actions each phase allows, and the refusal that says what is possible instead."""

from __future__ import annotations

from app.domain.errors import WrongPhase
from app.models import Event, Phase

P = Phase

# Every attendee action names the phases in which it is allowed.
ALLOWED: dict[str, frozenset[Phase]] = {
    "join": frozenset(Phase) - {P.closed},
    "propose": frozenset({P.proposing}),
    "edit_topic": frozenset({P.proposing, P.voting}),
    "withdraw_topic": frozenset({P.proposing, P.voting}),
    "mark": frozenset({P.proposing, P.voting}),
    "unmark": frozenset({P.proposing, P.voting}),
    "claim": frozenset({P.proposing, P.voting, P.scheduled}),
    "release": frozenset({P.proposing, P.voting, P.scheduled}),
}

ACTION_WORDS = {
    "join": "Joining",
    "propose": "Proposing topics",
    "edit_topic": "Editing a topic",
    "withdraw_topic": "Withdrawing a topic",
    "mark": "Marking topics",
    "unmark": "Removing a mark",
    "claim": "Offering to lead a session",
    "release": "Stepping back from leading a session",
}

NOW_POSSIBLE = {
    P.setup: "The organizers are still setting up; proposing opens soon.",
    P.proposing: "Right now you can propose topics and mark the ones you want.",
    P.voting: "Proposing has closed; you can still mark the topics you want.",
    P.scheduled: "Marking has closed while the organizers draft the schedule.",
    P.live: "The schedule is out: see the board or your day.",
    P.closed: "The event has ended; notes and resources stay readable.",
}


def is_allowed(event: Event, action: str) -> bool:
    """Whether ``action`` is allowed in the event's current phase."""
    return event.phase in ALLOWED[action]


def require_phase(event: Event, action: str) -> None:
    """Refuse ``action`` with a message naming what is possible now, unless the phase allows it."""
    if not is_allowed(event, action):
        raise WrongPhase(
            f"{ACTION_WORDS[action]} is not possible while the event is in the "
            f"'{event.phase.value}' phase. {NOW_POSSIBLE[event.phase]}"
        )


def set_phase_allowed(current: Phase, target: Phase) -> bool:
    """Organizers may move freely between phases: mornings rarely go as planned."""
    return current != target
