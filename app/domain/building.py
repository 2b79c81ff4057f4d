"""Building a schedule: the event as the scheduler sees it, and the steps of one build.

``build_instance`` turns the database into the scheduler's ``Instance`` (ids with a letter in
front: ``t42``, ``r3``, ``s1``, ``a17``), for a build, for judging a draft and for the event file.
A build (``app/jobs.py`` runs it on its own thread, the solver in a worker process) goes:
``plan_build`` reads everything it needs and ends the transaction, the solver thinks, then
``build_failure`` says in the organizer's words why there is no draft, or ``save_build`` stores it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.domain import drafting, events, midday, organizers, stepfree
from app.domain.errors import Conflict, InvalidInput
from app.i18n import _
from app.models import (
    Attendee,
    ClashPair,
    Event,
    FacilitatorClaim,
    Interest,
    Organizer,
    Room,
    ScheduleRun,
    SlotKind,
    Topic,
    TopicStatus,
    saved_id,
)
from app.scheduler import Instance, Solution, Status
from app.scheduler import Placement as Cell
from app.scheduler.instance import Attendee as AttendeeIn
from app.scheduler.instance import EventInfo, Pin
from app.scheduler.instance import Interest as InterestIn
from app.scheduler.instance import Room as RoomIn
from app.scheduler.instance import Slot as SlotIn
from app.scheduler.instance import Topic as TopicIn
from app.scheduler.solve import suggested_seconds

# --- the event as the scheduler sees it ---------------------------------------------------------


def build_instance(session: Session, event: Event, *, paper_people: bool = True) -> Instance:
    """The event as the scheduler sees it: open topics, their marks, leads and constraints.

    Marks counted on the paper wall have no attendee behind them; with ``paper_people`` each
    becomes an attendee of its own (``p{topic}-{n}``) who wants that one topic, so the scheduler
    weighs them like any mark. The event file leaves them out and carries ``paper_marks`` instead.
    """
    rooms = events.list_rooms(session, event)
    slots = events.list_slots(session, event)
    slot_key = {saved_id(s): f"s{s.id}" for s in slots}
    room_key = {saved_id(r): f"r{r.id}" for r in rooms}
    topic_rows = list(
        session.scalars(
            select(Topic).where(Topic.event_id == event.id, Topic.status == TopicStatus.open).order_by(col(Topic.id))
        )
    )
    open_ids = {saved_id(t) for t in topic_rows}
    people = list(session.scalars(select(Attendee).where(Attendee.event_id == event.id).order_by(col(Attendee.id))))
    paper = (
        [(f"p{t.id}-{n}", f"t{t.id}") for t in topic_rows for n in range(1, t.paper_marks + 1)] if paper_people else []
    )
    leads = _leads(session, event)
    return Instance(
        event=EventInfo(
            name=event.name,
            date=event.date,
            timezone=event.timezone,
            min_interest=event.min_interest,
            languages=event_languages(event),
        ),
        rooms=tuple(_room_in(r, room_key=room_key, slot_key=slot_key) for r in rooms),
        slots=tuple(
            SlotIn(
                id=slot_key[saved_id(s)],
                start=s.start,
                end=s.end,
                kind=s.kind.value,
                title=s.title,
                room=room_key.get(s.room_id) if s.room_id is not None else None,
            )
            for s in slots
        ),
        attendees=tuple(AttendeeIn(id=f"a{p.id}", name=p.name) for p in people)
        + tuple(AttendeeIn(id=person, name="") for person, _topic in paper),
        topics=tuple(_topic_in(t, leads=leads, room_key=room_key, slot_key=slot_key) for t in topic_rows),
        interests=tuple(_interests(session, event, open_ids=open_ids))
        + tuple(InterestIn(attendee=person, topic=topic) for person, topic in paper),
        avoid_clash=tuple(_clashes(session, event, open_ids=open_ids)),
    )


def _leads(session: Session, event: Event) -> dict[int, list[str]]:
    """Per topic, the attendees who offered to lead it, in the order they offered."""
    leads: dict[int, list[str]] = {}
    for claim in session.scalars(
        select(FacilitatorClaim).where(FacilitatorClaim.event_id == event.id).order_by(col(FacilitatorClaim.id))
    ):
        leads.setdefault(claim.topic_id, []).append(f"a{claim.attendee_id}")
    return leads


def _interests(session: Session, event: Event, *, open_ids: set[int]) -> list[InterestIn]:
    return [
        InterestIn(attendee=f"a{i.attendee_id}", topic=f"t{i.topic_id}", weight=i.weight)
        for i in session.scalars(select(Interest).where(Interest.event_id == event.id).order_by(col(Interest.id)))
        if i.topic_id in open_ids
    ]


def _clashes(session: Session, event: Event, *, open_ids: set[int]) -> list[tuple[str, str]]:
    return [
        (f"t{c.topic_a_id}", f"t{c.topic_b_id}")
        for c in session.scalars(select(ClashPair).where(ClashPair.event_id == event.id).order_by(col(ClashPair.id)))
        if c.topic_a_id in open_ids and c.topic_b_id in open_ids
    ]


def _topic_in(
    topic: Topic, *, leads: dict[int, list[str]], room_key: dict[int, str], slot_key: dict[int, str]
) -> TopicIn:
    room = None if topic.pinned_room_id is None else room_key.get(topic.pinned_room_id)
    slot = None if topic.pinned_slot_id is None else slot_key.get(topic.pinned_slot_id)
    pin = Pin(room=room, slot=slot) if room is not None or slot is not None else None
    return TopicIn(
        id=f"t{topic.id}",
        title=topic.title,
        description=topic.description,
        facilitators=tuple(leads.get(saved_id(topic), [])),
        unavailable_slots=frozenset(slot_key[s] for s in topic.unavailable_slots if s in slot_key),
        needs=frozenset(topic.needs),
        pinned=pin,
        language=topic.language,
    )


def _room_in(room: Room, *, room_key: dict[int, str], slot_key: dict[int, str]) -> RoomIn:
    return RoomIn(
        id=room_key[saved_id(room)],
        name=room.name,
        capacity=room.capacity,
        features=frozenset(room.features),
        unavailable_slots=frozenset(slot_key[s] for s in room.unavailable_slots if s in slot_key),
    )


def suggested_build_seconds(session: Session, event: Event, *, most: float) -> int:
    """The time worth spending on this event's schedule by the clock (its size decides), at most ``most``."""
    open_topics = (
        session.scalar(
            select(func.count()).select_from(Topic).where(Topic.event_id == event.id, Topic.status == TopicStatus.open)
        )
        or 0
    )
    sessions = [s for s in events.list_slots(session, event) if s.kind == SlotKind.sessions]
    return max(1, int(suggested_seconds(open_topics, len(sessions), most=most)))


# --- one build ----------------------------------------------------------------------------------


def check_build(session: Session, *, event: Event, keep_before_slot: int | None) -> None:
    """Refuse a build that cannot start, before it is queued: an unknown keep-before slot, keeping
    earlier slots with nothing published, or a day with no sessions slot (nowhere to place topics)."""
    midday.slot_for_keep_before(session, event=event, slot_id=keep_before_slot)
    if keep_before_slot is not None and drafting.published_run(session, event=event) is None:
        raise InvalidInput(_("keep_before: keeping earlier slots needs a published schedule."), field="keep_before")
    if not any(slot.kind == SlotKind.sessions for slot in events.list_slots(session, event)):
        raise Conflict(
            _(
                "This day has only plenaries and breaks, so there is nowhere to place sessions. "
                "Make at least one slot a Sessions slot, then build the schedule."
            ),
            field="slots",
        )


@dataclass
class BuildPlan:
    """What a build reads before the solver starts."""

    event: Event
    actor: Organizer  # the draft is saved in their name
    instance: Instance
    keep_before: str | None  # a re-solve keeps the published cells before this slot
    previous: list[Cell] | None  # the published schedule, which a re-solve moves as little as it can
    note: str  # the draft's note


def plan_build(session: Session, *, event_id: int, organizer_id: int | None, keep_before_slot: int | None) -> BuildPlan:
    """Read what a build needs, then end the transaction: none is held open while the solver thinks."""
    event = events.require_event_by_id(session, event_id)
    # The organizer who asked, or (gone since, or a build from the command line) the event's own.
    actor = (session.get(Organizer, organizer_id) if organizer_id else None) or organizers.require_first_organizer(
        session, event
    )
    keep_before = midday.slot_for_keep_before(session, event=event, slot_id=keep_before_slot)
    previous = midday.previous_cells(session, event=event) if keep_before else None
    instance = _with_step_free(session, event, build_instance(session, event), keep_before, previous)
    session.rollback()
    note = f"re-solved keeping the slots before {keep_before_slot}" if keep_before else ""
    return BuildPlan(event=event, actor=actor, instance=instance, keep_before=keep_before, previous=previous, note=note)


def _with_step_free(
    session: Session, event: Event, instance: Instance, keep_before: str | None, previous: list[Cell] | None
) -> Instance:
    """The build's instance: sessions that people who need a step-free room marked or lead need one
    where a step-free room can be kept for them (:mod:`app.domain.stepfree`); a re-solve leaves the
    slots it keeps, and the sessions in them, as they are."""
    wanted = {f"t{topic_id}": people for topic_id, people in stepfree.step_free_wanted(session, event=event).items()}
    frozen = instance.slot_ids[: instance.slot_ids.index(keep_before)] if keep_before else ()
    kept = [cell.topic for cell in previous or [] if cell.slot in frozen]
    return stepfree.with_step_free(instance, wanted, frozen_slots=frozen, frozen_topics=kept)


def build_failure(session: Session, plan: BuildPlan, solution: Solution) -> str | None:
    """Why ``solution`` makes no draft, in the organizer's words; None when it makes one."""
    if solution.status == Status.INFEASIBLE:
        names = drafting.display_names(session, plan.event)
        return _("These rules cannot all hold: {rules}").format(
            rules="; ".join(drafting.humanize(c, names) for c in solution.conflicts)
        )
    if solution.stats is None:
        return _("No schedule was found in the time allowed. Try a longer build.")
    return None


def save_build(session: Session, plan: BuildPlan, solution: Solution) -> ScheduleRun:
    """Store what the solver found as the event's new draft."""
    return drafting.save_solution(
        session, event=plan.event, instance=plan.instance, solution=solution, actor=plan.actor, note=plan.note
    )


def event_languages(event: Event) -> tuple[str, ...]:
    """The event's languages as the event file writes them: the main one first, the other if bilingual."""
    main = event.language if event.language in ("en", "es") else "en"
    return (main, "es" if main == "en" else "en") if event.bilingual else (main,)
