"""The organizer's hand on the draft: a move previewed with its consequences, then made; a left-out
topic placed; a session taken off or pinned."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from app.domain import audit, drafting, phases, rows, solver_words, topics
from app.domain.building import build_instance
from app.domain.errors import Conflict, NotFound, known_id
from app.i18n import _
from app.models import Event, Organizer, Placement, Room, ScheduleRun, TimeSlot, Topic, saved_id
from app.scheduler import Placement as Cell
from app.scheduler import score, violations
from app.scheduler.score import headcounts


@dataclass
class Consequences:
    """What a move would do, shown before it is made."""

    allowed: bool
    problems: list[str]
    attendance_before: int
    attendance_after: int
    headcount: float
    capacity: int
    swapped_with: str | None = None

    @property
    def attendance_change(self) -> int:
        return self.attendance_after - self.attendance_before


def _draft_placement(
    session: Session, event: Event, placement_id: int, *, create: bool = True
) -> tuple[ScheduleRun, Placement]:
    draft = (
        drafting.ensure_draft(session, event=event, commit=False)
        if create
        else drafting.current_draft(session, event=event)
    )
    if draft is None:
        raise NotFound(_("There is no draft to change; start one from the published version."), field="placement_id")
    placement = session.get(Placement, placement_id) if known_id(placement_id) else None
    if placement is None or placement.schedule_run_id != draft.id:
        raise NotFound(_("Session {id} is not on the draft schedule.").format(id=placement_id), field="placement_id")
    return draft, placement


def _cell_ids(session: Session, event: Event, room_id: int, slot_id: int) -> tuple[Room, TimeSlot]:
    return (
        rows.require(session, Room, room_id, event=event, field="room_id"),
        rows.require_sessions_slot(session, slot_id, event=event, field="slot_id"),
    )


def _consequences(
    session: Session,
    event: Event,
    before: list[Placement],
    after: list[tuple[int, int, int]],
    moved_topic: int,
    room: Room,
) -> Consequences:
    instance = build_instance(session, event)
    open_ids = {t.id for t in instance.topics}
    old = [c for c in drafting.cells_of(before) if c.topic in open_ids]
    new = [c for c in (Cell(f"t{t}", f"r{r}", f"s{s}") for t, r, s in after) if c.topic in open_ids]
    names = drafting.display_names(session, event)
    existing = {solver_words.violation(m, names) for m in violations(instance, old)}
    problems = [solver_words.violation(m, names) for m in violations(instance, new)]
    fresh = [p for p in problems if p not in existing]
    heads = headcounts(instance, {c.topic: c.slot for c in new})
    return Consequences(
        allowed=not fresh,
        problems=fresh,
        attendance_before=score(instance, old).attendance,
        attendance_after=score(instance, new).attendance,
        headcount=round(float(heads.get(f"t{moved_topic}", 0)), 1),
        capacity=room.capacity,
    )


def preview_move(session: Session, *, event: Event, placement_id: int, room_id: int, slot_id: int) -> Consequences:
    """What moving a session to (room, slot) would do; a session already there swaps places."""
    draft, placement = _draft_placement(session, event, placement_id, create=False)
    room, _slot = _cell_ids(session, event, room_id, slot_id)
    before = drafting.placements_of(session, draft)
    other = next((p for p in before if p.room_id == room_id and p.slot_id == slot_id and p.id != placement.id), None)
    after = []
    for p in before:
        if p.id == placement.id:
            after.append((p.topic_id, room_id, slot_id))
        elif other is not None and p.id == other.id:
            after.append((p.topic_id, placement.room_id, placement.slot_id))
        else:
            after.append((p.topic_id, p.room_id, p.slot_id))
    result = _consequences(session, event, before, after, placement.topic_id, room)
    if other is not None:
        other_topic = session.get(Topic, other.topic_id)
        assert other_topic is not None  # placement.topic_id is a foreign key (ON DELETE CASCADE)
        result.swapped_with = other_topic.title
    return result


def move(
    session: Session, *, event: Event, placement_id: int, room_id: int, slot_id: int, actor: Organizer
) -> Consequences:
    """Move a session (swapping with one already there); refused with the reason if it breaks a rule."""
    phases.require_phase(event, "draft_schedule")
    result = preview_move(session, event=event, placement_id=placement_id, room_id=room_id, slot_id=slot_id)
    if not result.allowed:
        raise Conflict(_("That move is refused: {why}").format(why=" ".join(result.problems)))
    draft, placement = _draft_placement(session, event, placement_id)
    other = session.scalars(
        select(Placement).where(
            Placement.schedule_run_id == draft.id,
            Placement.room_id == room_id,
            Placement.slot_id == slot_id,
            Placement.id != placement.id,
        )
    ).first()
    old_room, old_slot = placement.room_id, placement.slot_id
    swapped = None
    if other is not None:  # one cell, one session: take the other out while the first moves in
        swapped = (other.topic_id, other.pinned)
        session.delete(other)
        session.flush()
    placement.room_id, placement.slot_id = room_id, slot_id
    session.add(placement)
    session.flush()
    if swapped is not None:
        session.add(
            Placement(
                schedule_run_id=saved_id(draft),
                topic_id=swapped[0],
                room_id=old_room,
                slot_id=old_slot,
                pinned=swapped[1],
            )
        )
    restat(session, event, draft)
    topic = session.get(Topic, placement.topic_id)
    room, slot = _cell_ids(session, event, room_id, slot_id)
    audit.record(
        session,
        event=event,
        actor=actor,
        action="move",
        detail=f"moved “{topic.title if topic else placement.topic_id}” to {room.name} {slot.start}"
        + (f", swapping with “{result.swapped_with}”" if result.swapped_with else ""),
    )
    session.commit()
    return result


def restat(session: Session, event: Event, draft: ScheduleRun) -> None:
    """The draft's figures again after a hand edit (a move here, a room or slot changed in ``layout``)."""
    session.flush()
    stats = dict(draft.stats or {})
    stats.update(drafting.judge(session, event, drafting.placements_of(session, draft), proven_bound=None))
    stats["proven_bound"] = None  # a hand-edited draft is no longer what the solver proved
    stats["edited"] = True  # and a bound proven later for the solver's version is not for this one
    draft.stats = stats
    session.add(draft)


def place(session: Session, *, event: Event, topic_id: int, room_id: int, slot_id: int, actor: Organizer) -> Placement:
    """Put a left-out topic into a free cell of the draft."""
    phases.require_phase(event, "draft_schedule")
    topic = topics.require_topic(session, event=event, topic_id=topic_id)
    room, slot = _cell_ids(session, event, room_id, slot_id)
    draft = drafting.ensure_draft(session, event=event, commit=False)
    before = drafting.placements_of(session, draft)
    if any(p.topic_id == topic_id for p in before):
        raise Conflict(_("“{title}” is already on the schedule; move it instead.").format(title=topic.title))
    if any(p.room_id == room_id and p.slot_id == slot_id for p in before):
        raise Conflict(
            _("{room} already has a session at {time}. Pick a free cell.").format(room=room.name, time=slot.start)
        )
    after = [(p.topic_id, p.room_id, p.slot_id) for p in before] + [(topic_id, room_id, slot_id)]
    result = _consequences(session, event, before, after, topic_id, room)
    if not result.allowed:
        raise Conflict(_("That placement is refused: {why}").format(why=" ".join(result.problems)))
    placement = Placement(schedule_run_id=saved_id(draft), topic_id=topic_id, room_id=room_id, slot_id=slot_id)
    session.add(placement)
    left = dict(draft.stats.get("left_out") or {})
    left.pop(str(topic_id), None)
    draft.stats = {**draft.stats, "left_out": left}
    restat(session, event, draft)
    audit.record(
        session, event=event, actor=actor, action="place", detail=f"placed “{topic.title}” in {room.name} {slot.start}"
    )
    session.commit()
    return placement


def unschedule(session: Session, *, event: Event, placement_id: int, actor: Organizer) -> Topic:
    """Take a session off the draft; it joins the left-out list."""
    phases.require_phase(event, "draft_schedule")
    draft, placement = _draft_placement(session, event, placement_id)
    topic = session.get(Topic, placement.topic_id)
    assert topic is not None  # placement.topic_id is a foreign key (ON DELETE CASCADE)
    if placement.pinned:  # a pin to a cell it no longer holds could never be met
        topic.pinned_room_id = topic.pinned_slot_id = None
        session.add(topic)
    session.delete(placement)
    left = dict(draft.stats.get("left_out") or {})
    left[str(placement.topic_id)] = _("taken off the schedule by an organizer")
    draft.stats = {**draft.stats, "left_out": left}
    restat(session, event, draft)
    audit.record(session, event=event, actor=actor, action="unschedule", detail=f"took “{topic.title}” off the draft")
    session.commit()
    return topic


def toggle_pin(session: Session, *, event: Event, placement_id: int, actor: Organizer) -> Placement:
    """Pin a session to its room and slot (the next build keeps it there), or unpin it."""
    phases.require_phase(event, "draft_schedule")
    _draft, placement = _draft_placement(session, event, placement_id)
    placement.pinned = not placement.pinned
    topic = session.get(Topic, placement.topic_id)
    if topic is not None:
        topic.pinned_room_id = placement.room_id if placement.pinned else None
        topic.pinned_slot_id = placement.slot_id if placement.pinned else None
        session.add(topic)
    session.add(placement)
    audit.record(
        session,
        event=event,
        actor=actor,
        action="pin",
        detail=f"{'pinned' if placement.pinned else 'unpinned'} “{topic.title if topic else placement.topic_id}”",
    )
    session.commit()
    return placement
