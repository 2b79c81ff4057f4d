"""What the organizer's console leads with: the phase as steps, the one next action, and a
checklist of the things the day needs now (it follows the phase)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from app.domain import attendees, audit, events, moderation, organizers, talks, topics
from app.domain.timetable import published_run
from app.i18n import _, ngettext, pgettext
from app.models import Event, Phase, Talk, TimeSlot

P = Phase


@dataclass(frozen=True)
class Step:
    """One phase on the stepper."""

    phase: Phase
    state: str  # "done", "current" or "todo"

    @property
    def name(self) -> str:
        """The step's short name (the heading says the phase's full label)."""
        return step_names()[self.phase]


def step_names() -> dict[Phase, str]:
    """The stepper's short names, in the request's language (a phase's, told apart from a room's "Closed")."""
    return {
        P.setup: pgettext("phase", "Setup"),
        P.proposing: pgettext("phase", "Proposing"),
        P.voting: pgettext("phase", "Marking"),
        P.scheduled: pgettext("phase", "Drafting"),
        P.live: pgettext("phase", "Published"),
        P.closed: pgettext("phase", "Closed"),
    }


@dataclass(frozen=True)
class NextAction:
    """The console's primary button. ``phase`` is where it moves the event; None when the step is
    done elsewhere: ``place`` names the page ("schedule") or the action ("reopen")."""

    label: str
    hint: str
    phase: Phase | None = None
    place: str = ""


@dataclass(frozen=True)
class Task:
    """A line of the checklist. ``done`` is None when only the organizer knows (they tick it);
    ``link`` names where it is done: a page ("board", "doors", "poster", "schedule", "saved_link"),
    a console section ("#topics") or the next action ("next")."""

    key: str
    text: str
    hint: str
    link: str
    done: bool | None = None
    slot_id: int | None = None  # the plenary a "plenary" link runs


@dataclass(frozen=True)
class ConsoleView:
    steps: list[Step]
    next_action: NextAction
    checklist: list[Task]
    published: bool
    reopen_to: Phase | None


ORDER = list(Phase)
#: Plenary slots in the order of the day, each with its running order (``talks.plenaries``).
Plenaries = Sequence[tuple[TimeSlot, list[Talk]]]


def _next_action(event: Event, *, reopen_to: Phase | None) -> NextAction:
    phase = event.phase
    if phase == P.setup:
        return NextAction(
            _("Open proposing"), _("Attendees can propose topics and mark the ones they want."), P.proposing
        )
    if phase == P.proposing:
        return NextAction(
            _("Stop new topics, keep marking"), _("Proposing closes; attendees can still mark topics."), P.voting
        )
    if phase == P.voting:
        return NextAction(
            _("Close marking and draft the schedule"),
            _("Marks are final; then build the schedule on the schedule page."),
            P.scheduled,
        )
    if phase == P.scheduled:
        return NextAction(
            _("Build and publish the schedule"),
            _("Build, adjust and publish on the schedule page: publishing puts it on every phone."),
            place="schedule",
        )
    if phase == P.live:
        return NextAction(
            _("Adjust the schedule"),
            _("A room closes, a facilitator leaves: change it on the schedule page."),
            place="schedule",
        )
    label = reopen_to.label if reopen_to else ""
    return NextAction(
        _("Reopen the event"), _("Undo closing: the event goes back to '{phase}'.").format(phase=label), place="reopen"
    )


def _checklist(
    event: Event,
    *,
    link_pending: bool,
    topics: int,
    duplicates: int,
    leaderless: int,
    published: bool,
    plenaries: Plenaries,
) -> list[Task]:
    """The organizer's to-do list for the event's phase, in the order of the day."""
    return (
        _getting_ready(event, link_pending=link_pending, published=published)
        + _programme_tasks(event, plenaries)
        + _wall_tasks(event, topics=topics, duplicates=duplicates, leaderless=leaderless)
        + _schedule_and_after(event, published=published)
    )


def _programme_tasks(event: Event, plenaries: Plenaries) -> list[Task]:
    """Each plenary with talks, to run from a phone on the day; done once its last talk has ended."""
    if event.phase == P.closed:
        return []
    return [
        Task(
            f"plenary-{slot.id}",
            _("Run {title} at {time}").format(title=slot.title or _("the plenary"), time=slot.start),
            ngettext(
                "{n} talk: from a phone at the back of the hall, 'Next talk' puts each speaker on the board "
                "with the time left.",
                "{n} talks: from a phone at the back of the hall, 'Next talk' puts each speaker on the board "
                "with the time left.",
                len(order),
            ).format(n=len(order)),
            "plenary",
            done=all(talk.ended_at is not None for talk in order),
            slot_id=slot.id,
        )
        for slot, order in plenaries
        if order
    ]


def _getting_ready(event: Event, *, link_pending: bool, published: bool) -> list[Task]:
    """The way back in, opening the wall, and what goes on the projector, the doors and the tables."""
    phase, at = event.phase, ORDER.index(event.phase)
    tasks = [
        Task(
            "link",
            _("Save your organizer link"),
            _("It is the only way back in unless you set a password."),
            "saved_link",
            done=not link_pending,
        )
    ]
    if at <= ORDER.index(P.proposing):
        tasks.append(
            Task(
                "open",
                _("Open proposing"),
                _("When people arrive: they propose and mark from their phones."),
                "next",
                done=phase != P.setup,
            )
        )
    if phase != P.closed:
        tasks.append(
            Task(
                "board",
                _("Put the board on the projector"),
                _("Open the board on the projector laptop: the join code and QR code are on it."),
                "board",
            )
        )
    if at <= ORDER.index(P.voting):
        tasks.append(
            Task(
                "poster", _("Print a join poster"), _("A big QR code and the code, for the doors and tables."), "poster"
            )
        )
    if phase != P.closed:
        tasks.append(
            Task(
                "doors",
                _("Print door signs"),
                _("One per room: what runs there, and its check-in code.")
                if published
                else _("One per room; print them again once the schedule is out."),
                "doors",
            )
        )
    return tasks


def _wall_tasks(event: Event, *, topics: int, duplicates: int, leaderless: int) -> list[Task]:
    """While the wall is open: tidy it, find leads, and close it when it is time."""
    phase = event.phase
    tasks = []
    if phase in (P.proposing, P.voting):
        tasks.append(
            Task(
                "duplicates",
                _("Merge likely duplicates"),
                ngettext("{n} pair looks alike.", "{n} pairs look alike.", duplicates).format(n=duplicates)
                if duplicates
                else _("None spotted so far."),
                "#topics",
                done=duplicates == 0 and topics > 0,
            )
        )
        tasks.append(
            Task(
                "leads",
                _("Find a facilitator for every topic"),
                ngettext("{n} topic needs one.", "{n} topics need one.", leaderless).format(n=leaderless)
                if leaderless
                else _("Every topic has one."),
                "#people",
                done=topics > 0 and leaderless == 0,
            )
        )
    if phase == P.proposing:
        tasks.append(
            Task("stop", _("Stop new topics when the wall is full"), _("Marking goes on."), "next", done=False)
        )
    if phase == P.voting:
        tasks.append(Task("close-marking", _("Close marking"), _("Then build the schedule."), "next", done=False))
    return tasks


def _schedule_and_after(event: Event, *, published: bool) -> list[Task]:
    """Publishing the schedule, and what is left once the day has closed."""
    phase = event.phase
    tasks = []
    if phase in (P.scheduled, P.live):
        tasks.append(
            Task(
                "publish",
                _("Publish the schedule"),
                _("It goes to the board and every phone at once."),
                "schedule",
                done=published,
            )
        )
    if phase == P.closed:
        tasks.append(
            Task("guide", _("Share the resource guide"), _("Notes and resources from every session."), "guide")
        )
        tasks.append(
            Task("feedback", _("Read the feedback"), _("What people said about the sessions and the day."), "feedback")
        )
    return tasks


def console_view(
    session: Session,
    *,
    event: Event,
    link_pending: bool,
    topics: int,
    duplicates: int,
    leaderless: int,
    plenaries: Plenaries = (),
) -> ConsoleView:
    """The stepper, the next action and the checklist for the event's phase now."""
    published = published_run(session, event=event) is not None
    reopen_to = events.reopen_phase(session, event=event) if event.phase == P.closed else None
    at = ORDER.index(event.phase)
    steps = [Step(phase, "current" if i == at else "done" if i < at else "todo") for i, phase in enumerate(ORDER)]
    return ConsoleView(
        steps=steps,
        next_action=_next_action(event, reopen_to=reopen_to),
        checklist=_checklist(
            event,
            link_pending=link_pending,
            topics=topics,
            duplicates=duplicates,
            leaderless=leaderless,
            published=published,
            plenaries=plenaries,
        ),
        published=published,
        reopen_to=reopen_to,
    )


def console_page(session: Session, *, event: Event, link_pending: bool, undo: str = "") -> dict[str, object]:
    """Everything the organizer's console shows, read in one place: the wall as organizers see it,
    the stepper and checklist, likely duplicates, what is off the wall (and the merge ``undo``
    names, if it can still be undone), the team, the attendees and the audit log."""
    wall = topics.wall(session, event=event, viewer=None, sort="wanted", organizer=True)
    duplicates = moderation.likely_duplicates(session, event=event)
    off_wall = moderation.hidden_topics(session, event=event)
    plenaries = talks.plenaries(session, event=event)
    view = console_view(
        session,
        event=event,
        link_pending=link_pending,
        topics=len(wall.topics),
        duplicates=len(duplicates),
        leaderless=sum(1 for v in wall.topics if v.needs_facilitator),
        plenaries=plenaries,
    )
    return {
        "rooms": events.list_rooms(session, event),
        "slots": events.list_slots(session, event),
        "wall": wall,
        "view": view,
        "duplicates": duplicates,
        "off_wall": off_wall,
        "undo_merge": next((t for t in off_wall if undo and str(t.id) == undo and t.merge_undo), None),
        "organizers": organizers.list_organizers(session, event=event),
        "attendees": attendees.list_attendees(session, event=event),
        "audit": audit.entries(session, event=event, limit=100),
        # The names the log writes for an organizer without one and for a refused sign-in, in the reader's words.
        "log_names": {"Organizer": _("Organizer"), "Sign-in": _("Sign-in")},
        "plenaries": plenaries,
    }
