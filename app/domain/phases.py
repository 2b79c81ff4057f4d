"""Which actions each phase allows, and the refusal that says what is possible instead.

DESIGN.md: "Every action states the phases in which it is allowed; anything else gets a clear
refusal that says why." This table is that statement, for every action of attendees,
facilitators and organizers; the domain functions call ``require_phase`` and the pages ask
``is_allowed`` to show only what can be done. ``tests/domain/test_phases.py`` lists the table.
"""

from __future__ import annotations

from app.domain.errors import WrongPhase
from app.models import Event, Phase

P = Phase
EVERY = frozenset(Phase)
OPEN = EVERY - {P.closed}
MARKING = frozenset({P.proposing, P.voting})

# Every action names the phases in which it is allowed.
ALLOWED: dict[str, frozenset[Phase]] = {
    # Attendees
    "join": OPEN,
    "propose": frozenset({P.proposing}),
    "edit_topic": MARKING,
    "withdraw_topic": MARKING,
    "mark": MARKING,
    "unmark": MARKING,
    # Facilitators
    "claim": frozenset({P.proposing, P.voting, P.scheduled}),
    "release": frozenset({P.proposing, P.voting, P.scheduled}),
    "set_session_status": frozenset({P.live}),
    "start_popup": frozenset({P.live}),
    # Everyone in a session, then and after
    "write_notes": frozenset({P.proposing, P.voting, P.scheduled, P.live}),
    "give_feedback": frozenset({P.live, P.closed}),
    # Organizers: mornings rarely go as planned, so most of their work is possible in any phase.
    "moderate": EVERY,  # edit, hide, restore, merge, paper marks
    "change_settings": EVERY,
    "change_layout": OPEN,  # rooms and slots: add, rename, resize, reorder, close, retime, remove
    "announce": EVERY,
    "draft_schedule": EVERY,  # build, move, place, pin, unschedule
    "publish_schedule": OPEN,
    "change_live_day": EVERY,  # close a room, a facilitator leaves, cancel a session
    "edit_talks": EVERY,  # a plenary's running order: add, edit, remove, reorder talks
    "run_plenary": OPEN,  # "next talk" on the day (an opening keynote can come before the schedule)
    "copy_event": EVERY,  # a new event like this one: last year's day, closed, is the usual start
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
    "set_session_status": "Setting a room's status",
    "start_popup": "Starting a pop-up session",
    "write_notes": "Writing notes and resources",
    "give_feedback": "Giving feedback",
    "moderate": "Tidying the wall",
    "change_settings": "Changing the settings",
    "change_layout": "Changing the rooms and slots",
    "announce": "Announcing",
    "draft_schedule": "Changing the draft",
    "publish_schedule": "Publishing the schedule",
    "change_live_day": "Changing the day",
    "edit_talks": "Changing a plenary's talks",
    "run_plenary": "Running a plenary",
    "copy_event": "Making a new event like this one",
}

# Where the general sentence would say less than the one people know (and tests and API clients
# already read), the refusal of an action in a phase.
REFUSALS: dict[tuple[str, Phase | None], str] = {
    ("set_session_status", None): "The room's status can be set once the schedule is published.",
    ("start_popup", None): "Pop-up sessions start once the schedule is published.",
    (
        "write_notes",
        P.closed,
    ): "The event has closed: its notes and resources stay readable but can no longer be changed.",
    ("write_notes", None): "Notes and resources open once the event starts.",
    ("give_feedback", None): "Feedback opens once the schedule is published.",
    (
        "change_layout",
        P.closed,
    ): "The event is closed: its rooms and slots stay as the day ended. Reopen it to change them.",
    ("publish_schedule", P.closed): "The event is closed. Reopen it (move it to another phase) before publishing.",
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


def refusal(action: str, phase: Phase) -> str:
    """Why ``action`` is refused in ``phase``, and what is possible instead."""
    exact = REFUSALS.get((action, phase))
    if exact is not None:
        return exact
    general = REFUSALS.get((action, None))
    if general is not None:
        return f"{general} {NOW_POSSIBLE[phase]}"
    return (
        f"{ACTION_WORDS[action]} is not possible while the event is in the '{phase.value}' phase. {NOW_POSSIBLE[phase]}"
    )


def require_phase(event: Event, action: str) -> None:
    """Refuse ``action`` with a message naming what is possible now, unless the phase allows it."""
    if not is_allowed(event, action):
        raise WrongPhase(refusal(action, event.phase))


def set_phase_allowed(current: Phase, target: Phase) -> bool:
    """Organizers may move freely between phases: mornings rarely go as planned."""
    return current != target
