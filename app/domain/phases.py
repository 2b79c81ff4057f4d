"""Which actions each phase allows, and the refusal that says what is possible instead.

DESIGN.md: "Every action states the phases in which it is allowed; anything else gets a clear
refusal that says why." This table is that statement, for every action of attendees,
facilitators and organizers; the domain functions call ``require_phase`` and the pages ask
``is_allowed`` to show only what can be done. ``tests/domain/test_phases.py`` lists the table.
"""

from __future__ import annotations

from app import i18n
from app.domain.errors import WrongPhase
from app.i18n import _, _l
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
    # Closing the day
    "board_mode": OPEN,  # the board shows the grid, the smackdown or the raffle
    #
    # ... check-in and attendance
    "check_in": frozenset({P.live}),  # the door's QR code or "I'm here", while sessions run
    "count_attendance": EVERY,  # by hand, paper counts, removing a mistaken check-in
    #
    # ... certificates
    "get_certificate": frozenset({P.live, P.closed}),  # an attendee's, from the day's check-ins
    "manage_certificates": EVERY,  # settings, revoking, exports
    #
    # ... the exit survey
    "edit_survey": EVERY,  # the organizer's own questions: add, edit, reorder, remove
    #
    # ... the smackdown
    "join_smackdown": frozenset({P.live}),  # join the queue, change or withdraw one's share
    "run_smackdown": OPEN,  # open the queue, reorder, remove, "Next", back to the queue, skip
    #
    # ... the raffle
    "run_raffle": OPEN,  # prizes, who may win, commit, draw, redraw the absent, reveal the seed
}

ACTION_WORDS = {
    "join": _l("Joining"),
    "propose": _l("Proposing topics"),
    "edit_topic": _l("Editing a topic"),
    "withdraw_topic": _l("Withdrawing a topic"),
    "mark": _l("Marking topics"),
    "unmark": _l("Removing a mark"),
    "claim": _l("Offering to lead a session"),
    "release": _l("Stepping back from leading a session"),
    "set_session_status": _l("Setting a room's status"),
    "start_popup": _l("Starting a pop-up session"),
    "write_notes": _l("Writing notes and resources"),
    "give_feedback": _l("Giving feedback"),
    "moderate": _l("Tidying the wall"),
    "change_settings": _l("Changing the settings"),
    "change_layout": _l("Changing the rooms and slots"),
    "announce": _l("Announcing"),
    "draft_schedule": _l("Changing the draft"),
    "publish_schedule": _l("Publishing the schedule"),
    "change_live_day": _l("Changing the day"),
    "edit_talks": _l("Changing a plenary's talks"),
    "run_plenary": _l("Running a plenary"),
    "copy_event": _l("Making a new event like this one"),
    "board_mode": _l("Changing what the board shows"),
    #
    # ... check-in and attendance
    "check_in": _l("Checking in"),
    "count_attendance": _l("Counting attendance"),
    #
    # ... certificates
    "get_certificate": _l("Getting a PD certificate"),
    "manage_certificates": _l("Managing PD certificates"),
    #
    # ... the exit survey
    "edit_survey": _l("Changing the exit survey"),
    #
    # ... the smackdown
    "join_smackdown": _l("Joining the smackdown"),
    "run_smackdown": _l("Running the smackdown"),
    #
    # ... the raffle
    "run_raffle": _l("Running the raffle"),
}

# Where the general sentence would say less than the one people know (and tests and API clients
# already read), the refusal of an action in a phase.
REFUSALS: dict[tuple[str, Phase | None], object] = {
    ("set_session_status", None): _l("The room's status can be set once the schedule is published."),
    ("start_popup", None): _l("Pop-up sessions start once the schedule is published."),
    ("write_notes", P.closed): _l(
        "The event has closed: its notes and resources stay readable but can no longer be changed."
    ),
    ("write_notes", None): _l("Notes and resources open once the event starts."),
    ("give_feedback", None): _l("Feedback opens once the schedule is published."),
    ("change_layout", P.closed): _l(
        "The event is closed: its rooms and slots stay as the day ended. Reopen it to change them."
    ),
    #
    # ... check-in and attendance
    ("check_in", None): _l("Check-in opens once the schedule is published."),
    ("check_in", P.closed): _l("The event has closed, and check-in with it."),
    #
    # ... certificates
    ("get_certificate", None): _l("PD certificates open once the schedule is published and the day is under way."),
    #
    # ... the smackdown
    ("join_smackdown", P.closed): _l("The event has closed: the smackdown's shares are in the resource guide."),
    ("join_smackdown", None): _l("The smackdown opens once the schedule is published."),
    #
    ("publish_schedule", P.closed): _l("The event is closed. Reopen it (move it to another phase) before publishing."),
}

NOW_POSSIBLE = {
    P.setup: _l("The organizers are still setting up; proposing opens soon."),
    P.proposing: _l("Right now you can propose topics and mark the ones you want."),
    P.voting: _l("Proposing has closed; you can still mark the topics you want."),
    P.scheduled: _l("Marking has closed while the organizers draft the schedule."),
    P.live: _l("The schedule is out: see the board or your day."),
    P.closed: _l("The event has ended; notes and resources stay readable."),
}


def is_allowed(event: Event, action: str) -> bool:
    """Whether ``action`` is allowed in the event's current phase."""
    return event.phase in ALLOWED[action]


def refusal(action: str, phase: Phase) -> str:
    """Why ``action`` is refused in ``phase``, and what is possible instead."""
    exact = REFUSALS.get((action, phase))
    if exact is not None:
        return str(exact)
    general = REFUSALS.get((action, None))
    if general is not None:
        return f"{general} {NOW_POSSIBLE[phase]}"
    # English names the phase as the API writes it ('voting'); another language by its label.
    name = phase.value if i18n.current() == i18n.DEFAULT_LOCALE else phase.label
    return _("{action} is not possible while the event is in the '{phase}' phase. {now}").format(
        action=ACTION_WORDS[action], phase=name, now=NOW_POSSIBLE[phase]
    )


def require_phase(event: Event, action: str) -> None:
    """Refuse ``action`` with a message naming what is possible now, unless the phase allows it."""
    if not is_allowed(event, action):
        raise WrongPhase(refusal(action, event.phase))


def set_phase_allowed(current: Phase, target: Phase) -> bool:
    """Organizers may move freely between phases: mornings rarely go as planned."""
    return current != target
