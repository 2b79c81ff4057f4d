"""From the topic wall to a published schedule: drafts, hand moves and their consequences,
publishing and undoing it, and the mid-day changes that call for a re-solve.

A draft is the newest ``ScheduleRun`` without ``published_at`` whose version is above every
published one. Publishing stamps the draft; undoing a publish takes the stamp off the newest
published version, so the one before it is back on the board. The scheduler's own scoring module
judges every version, so the figures on the console are the ones the benchmark reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlmodel import Session

from app.domain import audit, events, moderation, phases
from app.domain.board import record_change
from app.domain.changes import Change
from app.domain.errors import Conflict, InvalidInput, NotFound, known_id
from app.domain.eventfile import build_instance
from app.domain.schedule import current_and_next, published_run
from app.models import (
    Attendee,
    Event,
    FacilitatorClaim,
    Organizer,
    Phase,
    Placement,
    Room,
    ScheduleRun,
    SessionStatus,
    TimeSlot,
    Topic,
    TopicStatus,
)
from app.models.util import utcnow
from app.scheduler import Instance, Solution, Stats, score, violations
from app.scheduler import Placement as Cell
from app.scheduler.score import headcounts

# --- versions ---------------------------------------------------------------------------------

def current_draft(session: Session, *, event: Event) -> ScheduleRun | None:
    """The draft being worked on, if any: unpublished and newer than every published version."""
    newest = session.scalars(
        select(ScheduleRun).where(ScheduleRun.event_id == event.id).order_by(ScheduleRun.version.desc())  # type: ignore[attr-defined]
    ).first()
    return newest if newest is not None and newest.published_at is None else None


def versions(session: Session, *, event: Event) -> list[ScheduleRun]:
    return list(session.scalars(
        select(ScheduleRun).where(ScheduleRun.event_id == event.id).order_by(ScheduleRun.version.desc())  # type: ignore[attr-defined]
    ))


def _next_version(session: Session, event: Event) -> int:
    return (session.scalar(select(func.max(ScheduleRun.version)).where(ScheduleRun.event_id == event.id)) or 0) + 1


def placements_of(session: Session, run: ScheduleRun) -> list[Placement]:
    return list(session.scalars(select(Placement).where(Placement.schedule_run_id == run.id).order_by(Placement.id)))


def _new_draft(session: Session, event: Event, rows: list[tuple[int, int, int, bool]], stats: dict[str, Any]) -> ScheduleRun:
    """Replace any draft with a new one holding ``(topic_id, room_id, slot_id, pinned)`` rows."""
    # Lock the event row first (a no-op write), so two drafts made at once take turns for a number.
    session.execute(update(Event).where(Event.id == event.id).values(code=Event.code))  # type: ignore[arg-type]
    version = _next_version(session, event)  # before the old draft goes: numbers are never reused
    old = current_draft(session, event=event)
    if old is not None:
        session.execute(delete(Placement).where(Placement.schedule_run_id == old.id))  # type: ignore[arg-type]
        session.delete(old)
        session.flush()
    run = ScheduleRun(event_id=event.id, version=version, stats=stats)  # type: ignore[arg-type]
    session.add(run)
    session.flush()
    session.add_all(Placement(schedule_run_id=run.id, topic_id=t, room_id=r, slot_id=s, pinned=pin)  # type: ignore[arg-type]
                    for t, r, s, pin in rows)
    session.flush()
    return run


def ensure_draft(session: Session, *, event: Event, commit: bool = True) -> ScheduleRun:
    """The draft, or a new one copied from the published schedule (or empty) to edit by hand.

    With ``commit=False`` a new draft is only flushed: the edit that needed it commits both, and a
    refused edit rolls both back, so a refusal never leaves a new draft version behind."""
    draft = current_draft(session, event=event)
    if draft is not None:
        return draft
    published = published_run(session, event=event)
    rows = [(p.topic_id, p.room_id, p.slot_id, p.pinned) for p in placements_of(session, published)] if published else []
    run = _new_draft(session, event, rows, dict(published.stats) if published else {})
    if commit:
        session.commit()
    return run


# --- the scheduler's view of a version --------------------------------------------------------

def _key(prefix: str, value: str) -> int:
    return int(value[len(prefix):])


def cells_of(placements: list[Placement]) -> list[Cell]:
    return [Cell(topic=f"t{p.topic_id}", room=f"r{p.room_id}", slot=f"s{p.slot_id}") for p in placements]


def display_names(session: Session, event: Event) -> dict[str, str]:
    """The scheduler's ids (t12, r3, s5, a7) mapped to what organizers call them."""
    names = {f"r{r.id}": r.name for r in events.list_rooms(session, event)}
    names.update({f"s{s.id}": f"{s.start}–{s.end}" for s in events.list_slots(session, event)})
    names.update({f"t{t.id}": t.title for t in session.scalars(select(Topic).where(Topic.event_id == event.id))})
    names.update({f"a{a.id}": a.name or f"attendee {a.id}" for a in session.scalars(
        select(Attendee).join(FacilitatorClaim, FacilitatorClaim.attendee_id == Attendee.id)
        .where(Attendee.event_id == event.id))})
    return names


def humanize(message: str, names: dict[str, str]) -> str:
    """A scheduler message with ids like 't12' or 'r3' replaced by titles and room names."""
    text = re.sub(r"^\[[a-z-]+\]\s*", "", message)
    return re.sub(r"'([trsa]\d+)'", lambda m: f"“{names.get(m.group(1), m.group(1))}”", text)


def judge(session: Session, event: Event, placements: list[Placement], instance: Instance | None = None,
          *, proven_bound: int | None = None, solve_seconds: float = 0.0) -> dict[str, Any]:
    """The format's stats for a version, as stored on the run."""
    instance = instance or build_instance(session, event)
    open_ids = {t.id for t in instance.topics}
    cells = [c for c in cells_of(placements) if c.topic in open_ids]
    stats = score(instance, cells, proven_bound=proven_bound, solve_seconds=solve_seconds)
    return {"attendance": stats.attendance, "upper_bound": stats.upper_bound, "proven_bound": stats.proven_bound,
            "sessions_run": stats.sessions_run, "viable_left_out": stats.viable_left_out,
            "overflow": stats.overflow, "clashes": stats.clashes, "solve_seconds": round(stats.solve_seconds, 3)}


def gap_percent(attendance: int, bound: int | None) -> float | None:
    """How far a schedule can at most be from the best possible, in % of the proven bound
    (0.0 when it is proven best); None without a bound."""
    if not bound:
        return None
    return round(100 * max(0, bound - attendance) / bound, 1)


def record_bound(session: Session, *, run_id: int, bound: int) -> None:
    """A better proven bound on the attendance of a version's event, found after it was saved.

    Kept only if lower than the one stored (every bound proven for the same instance is valid), and
    only on a draft still as the solver left it: not once it is edited by hand or published."""
    run = session.scalars(select(ScheduleRun).where(ScheduleRun.id == run_id).with_for_update()).first()
    if run is None or run.published_at is not None or (run.stats or {}).get("edited"):
        return
    stats = dict(run.stats or {})
    if stats.get("proven_bound") is not None and stats["proven_bound"] <= bound:
        return
    stats["proven_bound"] = bound
    run.stats = stats  # a new dict, so the JSON column is written
    session.add(run)
    session.commit()


def save_solution(session: Session, *, event: Event, instance: Instance, solution: Solution,
                  actor: Organizer | None, note: str = "") -> ScheduleRun:
    """Store what the scheduler found as the new draft, with its stats and left-out reasons."""
    stats: Stats | None = solution.stats
    left_out = {str(_key("t", u.topic)): u.reason for u in solution.unscheduled}
    rows = [(_key("t", c.topic), _key("r", c.room), _key("s", c.slot), False) for c in solution.placements]
    pinned = {f"t{t.id}" for t in instance.topics if t.pinned is not None}
    rows = [(t, r, s, f"t{t}" in pinned) for t, r, s, _ in rows]
    summary: dict[str, Any] = {
        "attendance": stats.attendance if stats else 0, "upper_bound": stats.upper_bound if stats else 0,
        "proven_bound": stats.proven_bound if stats else None, "overflow": stats.overflow if stats else 0,
        "sessions_run": stats.sessions_run if stats else 0, "viable_left_out": stats.viable_left_out if stats else 0,
        "clashes": stats.clashes if stats else 0, "solve_seconds": round(stats.solve_seconds, 3) if stats else 0,
        "status": solution.status.value, "left_out": left_out, "moved": solution.moved, "note": note,
    }
    run = _new_draft(session, event, rows, summary)
    audit.record(session, event=event, actor=actor, action="build",
                 detail=f"built draft v{run.version}: attendance {summary['attendance']} of {summary['upper_bound']}"
                        + (f", {solution.moved} moved" if solution.moved is not None else ""))
    session.commit()
    return run


# --- the draft on the grid ----------------------------------------------------------------------

@dataclass
class DraftCell:
    placement: Placement
    topic: Topic
    facilitators: list[str]
    headcount: float
    capacity: int
    missing: list[str]

    @property
    def over(self) -> bool:
        return self.headcount > self.capacity


@dataclass
class ScheduleView:
    """A version on the grid with everything the organizer needs to judge it."""

    run: ScheduleRun | None
    published: ScheduleRun | None
    rooms: list[Room]
    slots: list[TimeSlot]
    cells: dict[tuple[int, int], DraftCell] = field(default_factory=dict)
    left_out: list[tuple[Topic, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)  # a draft against the published version

    def cell(self, room: Room, slot: TimeSlot) -> DraftCell | None:
        return self.cells.get((room.id, slot.id))  # type: ignore[arg-type]

    @property
    def is_draft(self) -> bool:
        return self.run is not None and self.run.published_at is None


def schedule_view(session: Session, *, event: Event, run: ScheduleRun | None = None) -> ScheduleView:
    """The draft if there is one, else the published version, judged against today's wall."""
    run = run or current_draft(session, event=event) or published_run(session, event=event)
    rooms, slots = events.list_rooms(session, event), events.list_slots(session, event)
    view = ScheduleView(run=run, published=published_run(session, event=event), rooms=rooms, slots=slots)
    instance = build_instance(session, event)
    topic_rows = {t.id: t for t in session.scalars(select(Topic).where(Topic.event_id == event.id))}
    placements = placements_of(session, run) if run else []
    leads: dict[int, list[str]] = {}
    for topic_id, name in session.execute(
        select(FacilitatorClaim.topic_id, Attendee.name).join(Attendee, Attendee.id == FacilitatorClaim.attendee_id)
        .where(FacilitatorClaim.event_id == event.id).order_by(FacilitatorClaim.id)
    ):
        leads.setdefault(topic_id, []).append(name or "")  # "" is unnamed: attendees.names_line counts them
    open_ids = {t.id for t in instance.topics}
    cells = [c for c in cells_of(placements) if c.topic in open_ids]
    heads = headcounts(instance, {c.topic: c.slot for c in cells})
    needs = {t.id: t.needs for t in instance.topics}
    room_by_id = {r.id: r for r in rooms}
    for p in placements:
        topic = topic_rows.get(p.topic_id)
        room = room_by_id.get(p.room_id)
        if topic is None or room is None:
            continue
        view.cells[(p.room_id, p.slot_id)] = DraftCell(
            placement=p, topic=topic, facilitators=leads.get(topic.id, []),  # type: ignore[arg-type]
            headcount=round(float(heads.get(f"t{topic.id}", 0)), 1), capacity=room.capacity,
            missing=sorted(needs.get(f"t{topic.id}", frozenset()) - set(room.features)),
        )
    placed = {p.topic_id for p in placements}
    reasons: dict[str, str] = (run.stats.get("left_out") or {}) if run else {}
    for t in instance.topics:
        topic_id = _key("t", t.id)
        if topic_id not in placed:
            view.left_out.append((topic_rows[topic_id], reasons.get(str(topic_id), "not placed yet")))
    names = display_names(session, event)
    view.problems = [humanize(m, names) for m in violations(instance, cells)]
    view.problems += [f"“{topic_rows[p.topic_id].title}” is on the schedule but no longer on the wall "
                      f"({topic_rows[p.topic_id].status.value})."
                      for p in placements if p.topic_id in topic_rows and f"t{p.topic_id}" not in open_ids]
    view.stats = judge(session, event, placements, instance,
                       proven_bound=(run.stats.get("proven_bound") if run else None))
    if run is not None and run.published_at is None and view.published is not None:
        view.changes = _moves(session, view.published, run)
    return view


# --- moves by hand ------------------------------------------------------------------------------

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


def _draft_placement(session: Session, event: Event, placement_id: int, *,
                     create: bool = True) -> tuple[ScheduleRun, Placement]:
    draft = ensure_draft(session, event=event, commit=False) if create else current_draft(session, event=event)
    if draft is None:
        raise NotFound("There is no draft to change; start one from the published version.", field="placement_id")
    placement = session.get(Placement, placement_id) if known_id(placement_id) else None
    if placement is None or placement.schedule_run_id != draft.id:
        raise NotFound(f"Session {placement_id} is not on the draft schedule.", field="placement_id")
    return draft, placement


def _cell_ids(session: Session, event: Event, room_id: int, slot_id: int) -> tuple[Room, TimeSlot]:
    room = session.get(Room, room_id) if known_id(room_id) else None
    slot = session.get(TimeSlot, slot_id) if known_id(slot_id) else None
    if room is None or room.event_id != event.id:
        raise NotFound(f"Room {room_id} is not one of this event's rooms.", field="room_id")
    if slot is None or slot.event_id != event.id:
        raise NotFound(f"Slot {slot_id} is not one of this event's slots.", field="slot_id")
    return room, slot


def _consequences(session: Session, event: Event, before: list[Placement], after: list[tuple[int, int, int]],
                  moved_topic: int, room: Room) -> Consequences:
    instance = build_instance(session, event)
    open_ids = {t.id for t in instance.topics}
    old = [c for c in cells_of(before) if c.topic in open_ids]
    new = [c for c in (Cell(f"t{t}", f"r{r}", f"s{s}") for t, r, s in after) if c.topic in open_ids]
    names = display_names(session, event)
    existing = {humanize(m, names) for m in violations(instance, old)}
    problems = [humanize(m, names) for m in violations(instance, new)]
    fresh = [p for p in problems if p not in existing]
    heads = headcounts(instance, {c.topic: c.slot for c in new})
    return Consequences(allowed=not fresh, problems=fresh,
                        attendance_before=score(instance, old).attendance,
                        attendance_after=score(instance, new).attendance,
                        headcount=round(float(heads.get(f"t{moved_topic}", 0)), 1), capacity=room.capacity)


def preview_move(session: Session, *, event: Event, placement_id: int, room_id: int, slot_id: int) -> Consequences:
    """What moving a session to (room, slot) would do; a session already there swaps places."""
    draft, placement = _draft_placement(session, event, placement_id, create=False)
    room, _slot = _cell_ids(session, event, room_id, slot_id)
    before = placements_of(session, draft)
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
        result.swapped_with = session.get(Topic, other.topic_id).title  # type: ignore[union-attr]
    return result


def move(session: Session, *, event: Event, placement_id: int, room_id: int, slot_id: int,
         actor: Organizer) -> Consequences:
    """Move a session (swapping with one already there); refused with the reason if it breaks a rule."""
    phases.require_phase(event, "draft_schedule")
    result = preview_move(session, event=event, placement_id=placement_id, room_id=room_id, slot_id=slot_id)
    if not result.allowed:
        raise Conflict("That move is refused: " + " ".join(result.problems))
    draft, placement = _draft_placement(session, event, placement_id)
    other = session.scalars(select(Placement).where(
        Placement.schedule_run_id == draft.id, Placement.room_id == room_id, Placement.slot_id == slot_id,
        Placement.id != placement.id)).first()
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
        session.add(Placement(schedule_run_id=draft.id, topic_id=swapped[0], room_id=old_room,  # type: ignore[arg-type]
                              slot_id=old_slot, pinned=swapped[1]))
    _restat(session, event, draft)
    topic = session.get(Topic, placement.topic_id)
    room, slot = _cell_ids(session, event, room_id, slot_id)
    audit.record(session, event=event, actor=actor, action="move",
                 detail=f"moved “{topic.title if topic else placement.topic_id}” to {room.name} {slot.start}"
                        + (f", swapping with “{result.swapped_with}”" if result.swapped_with else ""))
    session.commit()
    return result


def _restat(session: Session, event: Event, draft: ScheduleRun) -> None:
    session.flush()
    stats = dict(draft.stats or {})
    stats.update(judge(session, event, placements_of(session, draft), proven_bound=None))
    stats["proven_bound"] = None  # a hand-edited draft is no longer what the solver proved
    stats["edited"] = True  # and a bound proven later for the solver's version is not for this one
    draft.stats = stats
    session.add(draft)


def place(session: Session, *, event: Event, topic_id: int, room_id: int, slot_id: int, actor: Organizer) -> Placement:
    """Put a left-out topic into a free cell of the draft."""
    phases.require_phase(event, "draft_schedule")
    topic = session.get(Topic, topic_id) if known_id(topic_id) else None
    if topic is None or topic.event_id != event.id or topic.status != TopicStatus.open:
        raise NotFound(f"Topic {topic_id} is not on this event's wall.", field="topic_id")
    room, slot = _cell_ids(session, event, room_id, slot_id)
    draft = ensure_draft(session, event=event, commit=False)
    before = placements_of(session, draft)
    if any(p.topic_id == topic_id for p in before):
        raise Conflict(f"“{topic.title}” is already on the schedule; move it instead.")
    if any(p.room_id == room_id and p.slot_id == slot_id for p in before):
        raise Conflict(f"{room.name} already has a session at {slot.start}. Pick a free cell.")
    after = [(p.topic_id, p.room_id, p.slot_id) for p in before] + [(topic_id, room_id, slot_id)]
    result = _consequences(session, event, before, after, topic_id, room)
    if not result.allowed:
        raise Conflict("That placement is refused: " + " ".join(result.problems))
    placement = Placement(schedule_run_id=draft.id, topic_id=topic_id, room_id=room_id, slot_id=slot_id)  # type: ignore[arg-type]
    session.add(placement)
    left = dict(draft.stats.get("left_out") or {})
    left.pop(str(topic_id), None)
    draft.stats = {**draft.stats, "left_out": left}
    _restat(session, event, draft)
    audit.record(session, event=event, actor=actor, action="place",
                 detail=f"placed “{topic.title}” in {room.name} {slot.start}")
    session.commit()
    return placement


def unschedule(session: Session, *, event: Event, placement_id: int, actor: Organizer) -> Topic:
    """Take a session off the draft; it joins the left-out list."""
    phases.require_phase(event, "draft_schedule")
    draft, placement = _draft_placement(session, event, placement_id)
    topic = session.get(Topic, placement.topic_id)
    if topic is not None and placement.pinned:  # a pin to a cell it no longer holds could never be met
        topic.pinned_room_id = topic.pinned_slot_id = None
        session.add(topic)
    session.delete(placement)
    left = dict(draft.stats.get("left_out") or {})
    left[str(placement.topic_id)] = "taken off the schedule by an organizer"
    draft.stats = {**draft.stats, "left_out": left}
    _restat(session, event, draft)
    audit.record(session, event=event, actor=actor, action="unschedule",
                 detail=f"took “{topic.title if topic else placement.topic_id}” off the draft")
    session.commit()
    return topic  # type: ignore[return-value]


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
    audit.record(session, event=event, actor=actor, action="pin",
                 detail=f"{'pinned' if placement.pinned else 'unpinned'} “{topic.title if topic else placement.topic_id}”")
    session.commit()
    return placement


# --- publishing ---------------------------------------------------------------------------------

def publish(session: Session, *, event: Event, actor: Organizer, announcement: str | None = None,
            now: datetime | None = None) -> ScheduleRun:
    """The draft goes to the board and every phone at once; refused while it breaks a rule.

    ``now`` (default: the clock) decides which slot is running, for pop-ups carried over.
    """
    phases.require_phase(event, "publish_schedule")
    draft = current_draft(session, event=event)
    if draft is None:
        raise Conflict("There is no draft to publish. Build a schedule first.")
    previous = published_run(session, event=event)
    if previous is not None:
        _carry_the_day(session, event=event, old=previous, new=draft, now=now)
    view = schedule_view(session, event=event, run=draft)
    if view.problems or not view.cells:
        session.rollback()  # what the day carried over is applied only with the publish
        if view.problems:
            raise Conflict("The draft cannot be published yet: " + " ".join(view.problems))
        raise Conflict("The draft is empty. Build a schedule or place sessions first.")
    moved = _moves(session, previous, draft) if previous else []
    draft.published_at = utcnow()
    # What the board said and the phase before, so undoing this publish can put them back.
    draft.stats = {**draft.stats, **view.stats, "moves": moved, "before": {
        "announcement": event.announcement, "phase": event.phase.value}}
    session.add(draft)
    event.phase = Phase.live
    if announcement is not None:
        event.announcement = " ".join(announcement.split())[:280]
    elif moved:
        event.announcement = ("Schedule changed: " + "; ".join(moved))[:280]
    session.add(event)
    record_change(session, event_id=event.id, kind=Change.schedule_published,  # type: ignore[arg-type]
                  payload={"schedule_run_id": draft.id, "version": draft.version})
    audit.record(session, event=event, actor=actor, action="publish",
                 detail=f"published v{draft.version}" + (f" ({len(moved)} changes)" if previous else ""))
    session.commit()
    return draft


def _carry_the_day(session: Session, *, event: Event, old: ScheduleRun, new: ScheduleRun,
                   now: datetime | None) -> None:
    """What happened under the published version stays when a new one replaces it mid-day.

    A session left where it was keeps its "full / room for more / ended early" and stays marked a
    pop-up if it was one (a draft copies only topic, room, slot and pin). A pop-up started after
    the draft was made is added to it, unless it was cancelled or its room has since been closed.
    A pop-up running now whose room the draft gives to another session refuses the publish, naming
    both, rather than vanish from the board while people sit in it; one that is over (an earlier
    slot, or ended early) gives way. A pop-up the organizer took out of a draft made after it
    started stays out: that was a decision. Everything is checked before anything changes.
    """
    rows = placements_of(session, new)
    by_topic = {p.topic_id: p for p in rows}
    by_cell = {(p.room_id, p.slot_id): p for p in rows}
    rooms = {r.id: r for r in events.list_rooms(session, event)}
    running, _next = current_and_next(event, events.list_slots(session, event), now)
    kept: list[tuple[Placement, Placement]] = []
    added: list[Placement] = []
    for before in placements_of(session, old):
        same = by_topic.get(before.topic_id)
        if same is not None and (same.room_id, same.slot_id) == (before.room_id, before.slot_id):
            kept.append((same, before))
            continue
        if not before.is_popup or same is not None:
            continue
        topic = session.get(Topic, before.topic_id)
        room = rooms.get(before.room_id)
        if (topic is None or topic.status != TopicStatus.open or topic.created_at < new.created_at
                or room is None or before.slot_id in room.unavailable_slots):
            continue
        taken = by_cell.get((before.room_id, before.slot_id))
        if taken is not None:
            if before.slot_id != running or before.status == SessionStatus.ended_early:
                continue
            other = session.get(Topic, taken.topic_id)
            raise Conflict(
                f"The pop-up session “{topic.title}” is running in {room.name} now, and this draft puts "
                f"“{other.title if other else 'another session'}” there. Move that session to another room, or "
                "mark the pop-up ended early, then publish.", field="room_id")
        added.append(before)
        by_cell[(before.room_id, before.slot_id)] = before
    for same, before in kept:
        same.is_popup = same.is_popup or before.is_popup
        if same.status == SessionStatus.scheduled:
            same.status, same.status_at = before.status, before.status_at
        session.add(same)
    for before in added:
        session.add(Placement(schedule_run_id=new.id, topic_id=before.topic_id, room_id=before.room_id,  # type: ignore[arg-type]
                              slot_id=before.slot_id, is_popup=True, status=before.status, status_at=before.status_at))
    session.flush()


def _moves(session: Session, old: ScheduleRun, new: ScheduleRun) -> list[str]:
    """What changed between two versions, in lines for the board's announcement."""
    before = {p.topic_id: p for p in placements_of(session, old)}
    after = {p.topic_id: p for p in placements_of(session, new)}
    rooms = {r.id: r.name for r in session.scalars(select(Room).where(Room.event_id == old.event_id))}
    slots = {s.id: s.start for s in session.scalars(select(TimeSlot).where(TimeSlot.event_id == old.event_id))}
    titles = {t.id: t.title for t in session.scalars(select(Topic).where(Topic.event_id == old.event_id))}
    lines = []
    for topic_id in sorted(set(before) | set(after)):
        b, a = before.get(topic_id), after.get(topic_id)
        if a is None:
            lines.append(f"“{titles.get(topic_id)}” cancelled")
        elif b is None:
            lines.append(f"“{titles.get(topic_id)}” added: {rooms.get(a.room_id)} {slots.get(a.slot_id)}")
        elif (a.room_id, a.slot_id) != (b.room_id, b.slot_id):
            lines.append(f"“{titles.get(topic_id)}” now {rooms.get(a.room_id)} {slots.get(a.slot_id)}")
    return lines


def undo_publish(session: Session, *, event: Event, actor: Organizer, version: int | None = None) -> ScheduleRun | None:
    """Take back the last publish: the version before it is on the board again (or none), with the
    announcement and phase from before. ``version`` names the publish being undone, so a second
    click (or a colleague's undo a moment earlier) is refused rather than undoing one more.
    The withdrawn version is kept; it becomes the draft unless a newer draft exists."""
    latest = published_run(session, event=event)
    if latest is None:
        raise Conflict("Nothing has been published yet, so there is nothing to undo.")
    if version is not None and latest.version != version:
        raise Conflict(f"Version {version} is no longer the published one (version {latest.version} is); "
                       "reload the page to see what is live.")
    latest.published_at = None
    session.add(latest)
    session.flush()
    now_live = published_run(session, event=event)
    before = latest.stats.get("before") or {}
    event.announcement = str(before.get("announcement", event.announcement))
    previous_phase = before.get("phase")
    if now_live is None:
        event.phase = Phase(previous_phase) if previous_phase in {p.value for p in Phase} and previous_phase != "live" \
            else Phase.scheduled
    session.add(event)
    record_change(session, event_id=event.id, kind=Change.schedule_published,  # type: ignore[arg-type]
                  payload={"schedule_run_id": now_live.id if now_live else None,
                           "version": now_live.version if now_live else None, "undone": latest.version})
    audit.record(session, event=event, actor=actor, action="unpublish",
                 detail=f"took back v{latest.version}" + (f"; v{now_live.version} is live again" if now_live else ""))
    session.commit()
    return now_live


# --- mid-day changes ----------------------------------------------------------------------------

def close_room_from(session: Session, *, event: Event, room_id: int, slot_id: int, actor: Organizer) -> Room:
    """A room cannot be used from ``slot_id`` on (the gym is needed after lunch)."""
    phases.require_phase(event, "change_live_day")
    room, slot = _cell_ids(session, event, room_id, slot_id)
    slots = events.list_slots(session, event)
    start = next(i for i, s in enumerate(slots) if s.id == slot.id)
    room.unavailable_slots = sorted(set(room.unavailable_slots) | {s.id for s in slots[start:]})  # type: ignore[misc]
    session.add(room)
    audit.record(session, event=event, actor=actor, action="close_room", detail=f"closed {room.name} from {slot.start}")
    session.commit()
    return room


def facilitator_leaves(session: Session, *, event: Event, attendee_id: int, actor: Organizer) -> list[Topic]:
    """Someone who was to lead sessions has gone: they lead nothing from now on."""
    phases.require_phase(event, "change_live_day")
    person = session.get(Attendee, attendee_id) if known_id(attendee_id) else None
    if person is None or person.event_id != event.id:
        raise NotFound(f"Attendee {attendee_id} is not part of this event.", field="attendee_id")
    led = list(session.scalars(select(Topic).join(FacilitatorClaim, FacilitatorClaim.topic_id == Topic.id)
                               .where(FacilitatorClaim.attendee_id == person.id)))
    session.execute(delete(FacilitatorClaim).where(FacilitatorClaim.attendee_id == person.id))  # type: ignore[arg-type]
    for topic in led:  # one change per topic, so every screen updates that topic's facilitator line
        record_change(session, event_id=event.id, kind=Change.facilitators_changed, payload={"topic_id": topic.id})  # type: ignore[arg-type]
    audit.record(session, event=event, actor=actor, action="facilitator_left",
                 detail=f"{person.name or f'attendee {person.id}'} left; no longer leads "
                        + (", ".join(f"“{t.title}”" for t in led) or "anything"))
    session.commit()
    return led


def cancel_session(session: Session, *, event: Event, topic_id: int, reason: str, actor: Organizer) -> Topic:
    """Call a session off: it leaves the wall (with the reason), so a re-solve fills its place."""
    phases.require_phase(event, "change_live_day")
    return moderation.hide_topic(session, event=event, topic_id=topic_id, reason=reason or "cancelled", actor=actor)


def slot_for_keep_before(session: Session, *, event: Event, slot_id: int | None) -> str | None:
    """The scheduler's id for the first slot that may change, checked against the event."""
    if slot_id is None:
        return None
    slot = session.get(TimeSlot, slot_id) if known_id(slot_id) else None
    if slot is None or slot.event_id != event.id:
        raise InvalidInput(f"keep_before: slot {slot_id} is not one of this event's slots.", field="keep_before")
    return f"s{slot.id}"


def previous_cells(session: Session, *, event: Event) -> list[Cell] | None:
    """The published schedule in the scheduler's terms, for a re-solve that moves as little as it can."""
    published = published_run(session, event=event)
    return cells_of(placements_of(session, published)) if published else None
