"""Rooms and slots that change until the day and during it, each change's consequences shown first.

A change (a room added, renamed, resized, moved up, closed in a slot, removed; a slot added,
retimed, made a plenary or a break, removed) is checked in eventspec's words, then planned: which
sessions of the schedule it takes a room or a slot from. A change without consequences is made at
once. One with consequences is only described (``Outcome.done`` is False: the sessions, their
facilitators, how many people marked them) until the organizer confirms; then the sessions that
lose their place leave the draft for its unplaced list, so the organizer places them again.

The published schedule never changes here: like the day's other changes (``midday``), this works
on the draft and the board changes when the organizer publishes it. A room or slot that published
sessions still use is therefore not removed (or made a plenary or break) at once: its sessions
leave the draft, a room is closed in every slot so no rebuild puts them back, and the change
itself is done after the draft is published, when nothing published uses it any more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from app.domain import audit, drafting, moves, phases, rows
from app.domain.changelog import record_change
from app.domain.changes import Change
from app.domain.timetable import current_and_next, published_run
from app.domain.topics import interest_counts
from app.i18n import _, ngettext
from app.models import Event, Organizer, Placement, Room, ScheduleRun, TimeSlot, Topic, saved_id


@dataclass(frozen=True)
class Affected:
    """A session that loses its room or slot."""

    topic_id: int
    title: str
    where: str  # "Library, 10:00–10:50"
    facilitators: list[str]
    marks: int
    published: bool  # on the published schedule (it stays there until the draft is published)


@dataclass
class Outcome:
    """A change described (``done`` False: it waits for the organizer's yes) or made."""

    done: bool
    summary: str  # the change in words: "Remove the room Library"
    affected: list[Affected] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    message: str = ""  # what was done

    @property
    def needs_confirm(self) -> bool:
        return not self.done and bool(self.affected or self.notes)


@dataclass
class Plan:
    """One change, ready to be described or made (built by ``rooms``' and ``slots``' functions)."""

    action: str  # the audit log's action
    summary: str
    loses: Callable[[Placement], bool] = lambda _p: False  # the sessions that lose their place
    reason: str = ""  # the unplaced list's reason for them
    apply: Callable[[], str] = lambda: ""  # makes the change; returns the audit line
    # Removes the room or slot (or takes it from the sessions slots): published sessions in it hold
    # the change back; ``defer`` then does what can be done now and returns the audit line.
    hides_published: bool = False
    defer: Callable[[], str] | None = None
    held_note: str = ""  # what happens meanwhile, said in the preview
    notes: list[str] = field(default_factory=list)
    payload: dict[str, Any] = field(default_factory=dict)


def base_placements(session: Session, event: Event) -> tuple[list[Placement], list[Placement]]:
    """The sessions a change looks at: the draft's (or, without a draft, the published ones that a
    new draft copies) and the published ones."""
    published = published_run(session, event=event)
    draft = drafting.current_draft(session, event=event)
    on_board = drafting.placements_of(session, published) if published else []
    return (drafting.placements_of(session, draft) if draft else on_board), on_board


def carry_out(session: Session, *, event: Event, actor: Organizer, plan: Plan, confirm: bool) -> Outcome:
    """Describe ``plan``'s consequences, or (none, or confirmed) make the change; one transaction."""
    phases.require_phase(event, "change_layout")
    draft_rows, on_board = base_placements(session, event)
    in_draft = [p for p in draft_rows if plan.loses(p)]
    on_board_hit = [p for p in on_board if plan.loses(p)]
    held = plan.hides_published and bool(on_board_hit)
    notes = list(plan.notes)
    if held:
        notes.append(
            _("The published schedule stays as it is until you publish the draft: {then}").format(then=plan.held_note)
        )
    outcome = Outcome(
        done=False, summary=plan.summary, affected=describe(session, event, in_draft, on_board_hit), notes=notes
    )
    if outcome.needs_confirm and not confirm:
        return outcome
    draft = None
    if in_draft:
        draft = drafting.ensure_draft(session, event=event, commit=False)
        _unplace(session, draft, plan.loses, plan.reason)
    line = (plan.defer() if plan.defer else "") if held else plan.apply()
    session.flush()
    if draft is not None:
        moves.restat(session, event, draft)
    if in_draft:
        n = len(in_draft)
        line += "; " + ngettext(
            "{n} session to the draft's unplaced list", "{n} sessions to the draft's unplaced list", n
        ).format(n=n)
    audit.record(session, event=event, actor=actor, action=plan.action, detail=line)
    record_change(session, event_id=saved_id(event), kind=Change.layout_changed, payload=plan.payload)
    session.commit()
    outcome.done, outcome.message = True, line[:1].upper() + line[1:] + "."
    return outcome


def _unplace(session: Session, draft: ScheduleRun, loses: Callable[[Placement], bool], reason: str) -> None:
    """The draft's sessions that lose their place go to its unplaced list (a pin to that place goes)."""
    left = dict(draft.stats.get("left_out") or {})
    for placement in drafting.placements_of(session, draft):
        if not loses(placement):
            continue
        topic = session.get(Topic, placement.topic_id)
        if placement.pinned and topic is not None:
            topic.pinned_room_id = topic.pinned_slot_id = None
            session.add(topic)
        left[str(placement.topic_id)] = reason
        session.delete(placement)
    draft.stats = {**draft.stats, "left_out": left}
    session.add(draft)
    session.flush()


def describe(session: Session, event: Event, in_draft: list[Placement], on_board: list[Placement]) -> list[Affected]:
    """The sessions that lose their place, with who leads them and how many marked them."""
    published = {(p.topic_id, p.room_id, p.slot_id) for p in on_board}
    seen: dict[int, Placement] = {p.topic_id: p for p in on_board}
    seen.update({p.topic_id: p for p in in_draft})
    if not seen:
        return []
    rooms = {r.id: r.name for r in rows.rooms(session, event)}
    slots = {s.id: slot_label(s) for s in rows.slots(session, event)}
    leads = rows.facilitators(session, topic_ids=list(seen))
    marks = interest_counts(session, event=event, topic_ids=list(seen))
    found = []
    for topic_id, p in sorted(seen.items()):
        topic = session.get(Topic, topic_id)
        if topic is None:
            continue
        found.append(
            Affected(
                topic_id=topic_id,
                title=topic.title,
                where=f"{rooms.get(p.room_id, _('a room'))}, {slots.get(p.slot_id, _('a slot'))}",
                facilitators=[name or _("someone unnamed") for _id, name in leads.get(topic_id, [])],
                marks=marks.get(topic_id, 0) + topic.paper_marks,
                published=(p.topic_id, p.room_id, p.slot_id) in published,
            )
        )
    return found


def slot_label(slot: TimeSlot) -> str:
    return f"{slot.start}–{slot.end}"


def sessions_in(session: Session, event: Event, keep: Callable[[Placement], bool]) -> int:
    """How many sessions (draft or published) ``keep`` picks, each topic once."""
    draft_rows, on_board = base_placements(session, event)
    return len({p.topic_id for p in draft_rows + on_board if keep(p)})


def running_now(session: Session, event: Event, now: datetime | None) -> int | None:
    """The id of the slot running now on the event's day, if any."""
    running, _next = current_and_next(event, rows.slots(session, event), now)
    return running


def require_room(session: Session, event: Event, room_id: int) -> Room:
    return rows.require(session, Room, room_id, event=event, field="room_id")


def require_slot(session: Session, event: Event, slot_id: int) -> TimeSlot:
    return rows.require(session, TimeSlot, slot_id, event=event, field="slot_id")
