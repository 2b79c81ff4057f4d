"""From the topic wall to a draft schedule: versions, hand moves and their consequences.

A draft is the newest ``ScheduleRun`` without ``published_at`` whose version is above every
published one (``publishing`` stamps it; ``midday`` holds the changes of the day that call for a
re-solve). The scheduler's own scoring module judges every version, so the figures on the
console are the ones the benchmark reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from app.domain import access, audit, events, rows, solver_words, stepfree
from app.domain.timetable import published_run
from app.i18n import _
from app.models import (
    Attendee,
    Event,
    FacilitatorClaim,
    Organizer,
    Placement,
    Room,
    ScheduleRun,
    TimeSlot,
    Topic,
    saved_id,
)
from app.scheduler import Instance, Solution, Stats, score, violations
from app.scheduler import Placement as Cell
from app.scheduler.score import headcounts

# --- versions ---------------------------------------------------------------------------------


def current_draft(session: Session, *, event: Event) -> ScheduleRun | None:
    """The draft being worked on, if any: unpublished and newer than every published version."""
    newest = session.scalars(
        select(ScheduleRun).where(ScheduleRun.event_id == event.id).order_by(col(ScheduleRun.version).desc())
    ).first()
    return newest if newest is not None and newest.published_at is None else None


def versions(session: Session, *, event: Event) -> list[ScheduleRun]:
    return list(
        session.scalars(
            select(ScheduleRun).where(ScheduleRun.event_id == event.id).order_by(col(ScheduleRun.version).desc())
        )
    )


def _next_version(session: Session, event: Event) -> int:
    return (session.scalar(select(func.max(ScheduleRun.version)).where(ScheduleRun.event_id == event.id)) or 0) + 1


def placements_of(session: Session, run: ScheduleRun) -> list[Placement]:
    return list(
        session.scalars(select(Placement).where(Placement.schedule_run_id == run.id).order_by(col(Placement.id)))
    )


def _new_draft(
    session: Session, event: Event, rows: list[tuple[int, int, int, bool]], stats: dict[str, Any]
) -> ScheduleRun:
    """Replace any draft with a new one holding ``(topic_id, room_id, slot_id, pinned)`` rows."""
    # Lock the event row first (a no-op write), so two drafts made at once take turns for a number.
    session.execute(update(Event).where(col(Event.id) == event.id).values(code=Event.code))
    version = _next_version(session, event)  # before the old draft goes: numbers are never reused
    old = current_draft(session, event=event)
    if old is not None:
        session.execute(delete(Placement).where(col(Placement.schedule_run_id) == old.id))
        session.delete(old)
        session.flush()
    run = ScheduleRun(event_id=saved_id(event), version=version, stats=stats)
    session.add(run)
    session.flush()
    run_id = saved_id(run)
    session.add_all(
        Placement(schedule_run_id=run_id, topic_id=t, room_id=r, slot_id=s, pinned=pin) for t, r, s, pin in rows
    )
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
    rows = (
        [(p.topic_id, p.room_id, p.slot_id, p.pinned) for p in placements_of(session, published)] if published else []
    )
    run = _new_draft(session, event, rows, dict(published.stats) if published else {})
    if commit:
        session.commit()
    return run


# --- the scheduler's view of a version --------------------------------------------------------


def _key(prefix: str, value: str) -> int:
    return int(value[len(prefix) :])


def cells_of(placements: list[Placement]) -> list[Cell]:
    return [Cell(topic=f"t{p.topic_id}", room=f"r{p.room_id}", slot=f"s{p.slot_id}") for p in placements]


def display_names(session: Session, event: Event) -> dict[str, str]:
    """The scheduler's ids (t12, r3, s5, a7) mapped to what organizers call them."""
    names = {f"r{r.id}": r.name for r in events.list_rooms(session, event)}
    names.update({f"s{s.id}": f"{s.start}–{s.end}" for s in events.list_slots(session, event)})
    names.update({f"t{t.id}": t.title for t in session.scalars(select(Topic).where(Topic.event_id == event.id))})
    names.update(
        {
            f"a{a.id}": a.name or _("attendee {id}").format(id=a.id)
            for a in session.scalars(
                select(Attendee)
                .join(FacilitatorClaim, col(FacilitatorClaim.attendee_id) == Attendee.id)
                .where(Attendee.event_id == event.id)
            )
        }
    )
    return names


def humanize(message: str, names: dict[str, str]) -> str:
    """A scheduler message with ids like 't12' or 'r3' replaced by titles and room names."""
    text = re.sub(r"^\[[a-z-]+\]\s*", "", message)
    return re.sub(r"'([trsa]\d+)'", lambda m: f"“{names.get(m.group(1), m.group(1))}”", text)


def judge(
    session: Session,
    event: Event,
    placements: list[Placement],
    instance: Instance | None = None,
    *,
    proven_bound: int | None = None,
    solve_seconds: float = 0.0,
) -> dict[str, Any]:
    """The format's stats for a version, as stored on the run."""
    instance = instance or _instance(session, event)
    open_ids = {t.id for t in instance.topics}
    cells = [c for c in cells_of(placements) if c.topic in open_ids]
    stats = score(instance, cells, proven_bound=proven_bound, solve_seconds=solve_seconds)
    return {
        "attendance": stats.attendance,
        "upper_bound": stats.upper_bound,
        "proven_bound": stats.proven_bound,
        "sessions_run": stats.sessions_run,
        "viable_left_out": stats.viable_left_out,
        "overflow": stats.overflow,
        "clashes": stats.clashes,
        "solve_seconds": round(stats.solve_seconds, 3),
    }


def _instance(session: Session, event: Event) -> Instance:
    from app.domain.building import build_instance  # noqa: PLC0415 - building imports this module (a build saves its draft)

    return build_instance(session, event)


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


def save_solution(
    session: Session, *, event: Event, instance: Instance, solution: Solution, actor: Organizer, note: str = ""
) -> ScheduleRun:
    """Store what the scheduler found as the new draft, with its stats and left-out reasons."""
    stats: Stats | None = solution.stats
    left_out = {str(_key("t", u.topic)): u.reason for u in solution.unscheduled}
    rows = [(_key("t", c.topic), _key("r", c.room), _key("s", c.slot), False) for c in solution.placements]
    pinned = {f"t{t.id}" for t in instance.topics if t.pinned is not None}
    rows = [(t, r, s, f"t{t}" in pinned) for t, r, s, _pin in rows]
    summary: dict[str, Any] = {
        "attendance": stats.attendance if stats else 0,
        "upper_bound": stats.upper_bound if stats else 0,
        "proven_bound": stats.proven_bound if stats else None,
        "overflow": stats.overflow if stats else 0,
        "sessions_run": stats.sessions_run if stats else 0,
        "viable_left_out": stats.viable_left_out if stats else 0,
        "clashes": stats.clashes if stats else 0,
        "solve_seconds": round(stats.solve_seconds, 3) if stats else 0,
        "status": solution.status.value,
        "left_out": left_out,
        "moved": solution.moved,
        "note": note,
    }
    run = _new_draft(session, event, rows, summary)
    audit.record(
        session,
        event=event,
        actor=actor,
        action="build",
        detail=f"built draft v{run.version}: attendance {summary['attendance']} of {summary['upper_bound']}"
        + (f", {solution.moved} moved" if solution.moved is not None else ""),
    )
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
    access_counts: dict[int, access.SessionNeeds] = field(default_factory=dict)  # topic id -> counts, never who
    access_warnings: list[str] = field(default_factory=list)  # step-free rooms the grid could not keep

    def cell(self, room: Room, slot: TimeSlot) -> DraftCell | None:
        return self.cells.get((saved_id(room), saved_id(slot)))

    @property
    def is_draft(self) -> bool:
        return self.run is not None and self.run.published_at is None


def schedule_view(session: Session, *, event: Event, run: ScheduleRun | None = None) -> ScheduleView:
    """The draft if there is one, else the published version, judged against today's wall."""
    run = run or current_draft(session, event=event) or published_run(session, event=event)
    rooms, slots = events.list_rooms(session, event), events.list_slots(session, event)
    view = ScheduleView(run=run, published=published_run(session, event=event), rooms=rooms, slots=slots)
    instance = _instance(session, event)
    topic_rows = {t.id: t for t in session.scalars(select(Topic).where(Topic.event_id == event.id))}
    placements = placements_of(session, run) if run else []
    # "" is unnamed: attendees.names_line counts them
    leads = {
        topic_id: [name or "" for _id, name in people]
        for topic_id, people in rows.facilitators(session, event=event).items()
    }
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
            placement=p,
            topic=topic,
            facilitators=leads.get(p.topic_id, []),
            headcount=round(float(heads.get(f"t{topic.id}", 0)), 1),
            capacity=room.capacity,
            missing=sorted(needs.get(f"t{topic.id}", frozenset()) - set(room.features)),
        )
    _left_out_and_problems(session, event, view, instance, placements, cells, topic_rows)
    view.access_counts = access.needs_by_topic(session, event=event)
    view.access_warnings = stepfree.access_warnings(
        wanted={t: n.step_free for t, n in view.access_counts.items()},
        placements=[p for p in placements if f"t{p.topic_id}" in open_ids],
        topics=topic_rows,
        rooms=rooms,
        slots=slots,
    )
    view.stats = judge(
        session, event, placements, instance, proven_bound=(run.stats.get("proven_bound") if run else None)
    )
    if run is not None and run.published_at is None and view.published is not None:
        view.changes = moves_between(session, view.published, run)
    return view


def _left_out_and_problems(
    session: Session,
    event: Event,
    view: ScheduleView,
    instance: Instance,
    placements: list[Placement],
    cells: list[Cell],
    topic_rows: dict[int | None, Topic],
) -> None:
    """The topics left out, each with why, and the rules the version breaks, in the reader's words."""
    placed = {p.topic_id for p in placements}
    reasons: dict[str, str] = (view.run.stats.get("left_out") or {}) if view.run else {}
    names = display_names(session, event)
    for t in instance.topics:
        topic_id = _key("t", t.id)
        if topic_id not in placed:
            why = reasons.get(str(topic_id))
            view.left_out.append(
                (topic_rows[topic_id], solver_words.reason(why, names) if why else _("not placed yet"))
            )
    open_ids = {t.id for t in instance.topics}
    view.problems = [solver_words.violation(m, names) for m in violations(instance, cells)]
    view.problems += [
        _("“{title}” is on the schedule but no longer on the wall ({status}).").format(
            title=topic_rows[p.topic_id].title, status=topic_rows[p.topic_id].status.value
        )
        for p in placements
        if p.topic_id in topic_rows and f"t{p.topic_id}" not in open_ids
    ]


def moves_between(session: Session, old: ScheduleRun, new: ScheduleRun) -> list[str]:
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
            lines.append(_("“{title}” cancelled").format(title=titles.get(topic_id)))
        elif b is None:
            lines.append(
                _("“{title}” added: {room} {time}").format(
                    title=titles.get(topic_id), room=rooms.get(a.room_id), time=slots.get(a.slot_id)
                )
            )
        elif (a.room_id, a.slot_id) != (b.room_id, b.slot_id):
            lines.append(
                _("“{title}” now {room} {time}").format(
                    title=titles.get(topic_id), room=rooms.get(a.room_id), time=slots.get(a.slot_id)
                )
            )
    return lines
