"""Slots changed after the event is made: added, retimed, made sessions, a plenary or a break, removed.

Times are checked against every other slot as a new event's are (``eventspec.validate_slots``), so
an overlap is refused naming both slots. ``layout.carry_out`` then makes the change or, when
sessions lose their slot, describes it until the organizer confirms (see ``layout``).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from app.domain import eventspec, layout, rows
from app.domain.errors import Conflict, FieldError, InvalidInput
from app.domain.eventspec import SlotSpec, clock
from app.domain.layout import Outcome, Plan
from app.models import Event, Organizer, Room, SlotKind, Talk, TimeSlot, Topic, saved_id


def check_slot(
    session: Session,
    event: Event,
    *,
    start: str,
    end: str,
    kind: str,
    title: str,
    room_id: int | None,
    slot: TimeSlot | None = None,
) -> SlotSpec:
    """A slot as typed, checked with the event's other slots as a new event's are (times, kind,
    title, room); a refusal names the slot as the console numbers them ("Slot 3: 10:15 AM–11:00 AM
    overlaps Slot 2 (10:00 AM–10:50 AM)"). The room comes back as its id, in ``room``."""
    rooms = {saved_id(r): r.name for r in rows.rooms(session, event)}
    if room_id is not None:
        rows.require(session, Room, room_id, event=event, field="room_id")
    order = rows.slots(session, event)
    specs = [SlotSpec(s.start, s.end, s.kind.value, s.title, rooms.get(s.room_id or 0, "")) for s in order]
    at = next((i for i, s in enumerate(order) if slot is not None and s.id == slot.id), len(order))
    specs[at : at + 1] = [SlotSpec(start, end, kind, title, rooms.get(room_id or 0, ""))]
    try:
        valid = eventspec.validate_slots(specs, rooms=list(rooms.values()))
    except InvalidInput as error:
        raise InvalidInput(errors=[_named(e, at) for e in error.field_errors]) from None
    mine = next(v for v in valid if v.start == eventspec.parse_hhmm(start, field_name="start"))
    by_name = {name: room for room, name in rooms.items()}
    return SlotSpec(mine.start, mine.end, mine.kind, mine.title, str(by_name.get(mine.room, "")))


def _named(error: FieldError, at: int) -> FieldError:
    """``slots[2].start`` -> ``start`` (the field of the form or body), the message naming the slot."""
    head, _, part = error.field.partition(".")
    number = head.removeprefix("slots[").removesuffix("]")
    slot = int(number) + 1 if number.isdigit() else at + 1
    field = {"room": "room_id", "": "start"}.get(part, part)
    return FieldError(field, f"Slot {slot}: {error.message}")


def add_slot(
    session: Session,
    *,
    event: Event,
    start: str,
    end: str,
    kind: str = "sessions",
    title: str = "",
    room_id: int | None = None,
    actor: Organizer,
    confirm: bool = False,
) -> Outcome:
    """A new slot of the day (no session loses anything)."""
    times = check_slot(session, event, start=start, end=end, kind=kind, title=title, room_id=room_id)
    slot_kind, text, place = SlotKind(times.kind), times.title, int(times.room) if times.room else None
    label = f"{times.start}–{times.end}"

    def apply() -> str:
        session.add(
            TimeSlot(
                event_id=saved_id(event), start=times.start, end=times.end, kind=slot_kind, title=text, room_id=place
            )
        )
        return f"added the slot {label}" + (f" ({slot_kind.value}: {text})" if text else f" ({slot_kind.value})")

    plan = Plan(action="add_slot", summary=f"Add the slot {label}", apply=apply)
    return layout.carry_out(session, event=event, actor=actor, plan=plan, confirm=confirm)


def edit_slot(
    session: Session,
    *,
    event: Event,
    slot_id: int,
    start: str,
    end: str,
    kind: str,
    title: str = "",
    room_id: int | None = None,
    actor: Organizer,
    confirm: bool = False,
    now: datetime | None = None,
) -> Outcome:
    """Retime a slot (its sessions go with it) or change its kind, title or room; a slot that is no
    longer for sessions takes its sessions off the draft."""
    slot = layout.require_slot(session, event, slot_id)
    times = check_slot(session, event, start=start, end=end, kind=kind, title=title, room_id=room_id, slot=slot)
    slot_kind, text, place = SlotKind(times.kind), times.title, int(times.room) if times.room else None
    old, label = layout.slot_label(slot), f"{times.start}–{times.end}"
    closing = slot.kind == SlotKind.sessions and slot_kind != SlotKind.sessions
    if closing:
        _not_while_running(session, event, slot, now, doing=f"made a {slot_kind.value}")
    notes = []
    if slot.kind == SlotKind.plenary and slot_kind != SlotKind.plenary:
        _not_on_stage(session, slot, doing=f"made {slot_kind.value}")
        talks = _talks(session, slot)
        notes += (
            [
                f"Its {len(talks)} talk{'s' if len(talks) != 1 else ''} stay in its running order, shown again if it becomes a plenary."
            ]
            if talks
            else []
        )
    held = layout.sessions_in(session, event, lambda p: p.slot_id == slot.id)
    if label != old and held and not closing:
        notes.append(
            f"{_count(held)} in {old} move with it to {clock(times.start)}–{clock(times.end)}; "
            "the board and phones show the new time."
        )

    def apply() -> str:
        slot.start, slot.end, slot.kind, slot.title, slot.room_id = times.start, times.end, slot_kind, text, place
        session.add(slot)
        changed = [f"retimed {old} to {label}"] if label != old else []
        return "; ".join(changed + [f"the slot {label} is {slot_kind.value}" + (f": {text}" if text else "")])

    plan = Plan(
        action="edit_slot",
        summary=f"Slot {old}: {label}, {slot_kind.value}" + (f" ({text})" if text else ""),
        loses=lambda p: closing and p.slot_id == slot.id,
        reason=f"{label} is a {slot_kind.value} now",
        apply=apply,
        hides_published=closing,
        defer=lambda: f"took the sessions at {old} off the draft, to make it a {slot_kind.value} once it is published",
        held_note="the slot stays for sessions until then; change it again after publishing.",
        notes=notes,
        payload={"slot_id": slot.id},
    )
    return layout.carry_out(session, event=event, actor=actor, plan=plan, confirm=confirm)


def remove_slot(
    session: Session,
    *,
    event: Event,
    slot_id: int,
    actor: Organizer,
    confirm: bool = False,
    now: datetime | None = None,
) -> Outcome:
    """Remove a slot; its sessions lose it (and a plenary's talks go with it)."""
    slot = layout.require_slot(session, event, slot_id)
    label = layout.slot_label(slot)
    if len(rows.slots(session, event)) <= 1:
        raise Conflict(f"{label} is the event's only slot: add another before removing it.", field="slot_id")
    _not_while_running(session, event, slot, now, doing="removed")
    _not_on_stage(session, slot, doing="removed")
    talks = _talks(session, slot)
    notes = [f"Its {len(talks)} talk{'s' if len(talks) != 1 else ''} go with it."] if talks else []

    def apply() -> str:
        _forget(session, event, saved_id(slot))
        session.delete(slot)
        return f"removed the slot {label}"

    plan = Plan(
        action="remove_slot",
        summary=f"Remove the slot {label}" + (f" ({slot.title})" if slot.title else ""),
        loses=lambda p: p.slot_id == slot.id,
        reason=f"the slot {label} was removed",
        apply=apply,
        hides_published=True,
        defer=lambda: f"took the sessions at {label} off the draft, to remove the slot once it is published",
        held_note="the slot stays until then; remove it again after publishing.",
        notes=notes,
        payload={"slot_id": slot.id},
    )
    return layout.carry_out(session, event=event, actor=actor, plan=plan, confirm=confirm)


def _not_while_running(session: Session, event: Event, slot: TimeSlot, now: datetime | None, *, doing: str) -> None:
    """People are in the sessions of the slot running now: it cannot go from under them."""
    if layout.running_now(session, event, now) != slot.id:
        return
    _draft, on_board = layout.base_placements(session, event)
    running = [p for p in on_board if p.slot_id == slot.id]
    if running:
        raise Conflict(
            f"The slot {layout.slot_label(slot)} is running now: {_count(len(running))} "
            f"{'are' if len(running) != 1 else 'is'} going on in it, pop-ups included. "
            f"It can be {doing} once it has ended.",
            field="slot_id",
        )


def _talks(session: Session, slot: TimeSlot) -> list[Talk]:
    return list(session.scalars(select(Talk).where(Talk.slot_id == slot.id)))


def _not_on_stage(session: Session, slot: TimeSlot, *, doing: str) -> None:
    """A plenary whose speaker is on stage now keeps its running order until the talk ends."""
    on = next((t for t in _talks(session, slot) if t.started_at is not None and t.ended_at is None), None)
    if on is not None:
        raise Conflict(
            f"{on.speaker} is on stage in {slot.title or layout.slot_label(slot)} now. "
            f"The slot can be {doing} once the plenary has ended.",
            field="slot_id",
        )


def _count(n: int) -> str:
    return f"{n} session{'s' if n != 1 else ''}"


def _forget(session: Session, event: Event, slot_id: int) -> None:
    """No room or topic keeps a removed slot among its unavailable ones (the event file names them)."""
    for row in [*rows.rooms(session, event), *session.scalars(select(Topic).where(col(Topic.event_id) == event.id))]:
        if slot_id in row.unavailable_slots:
            row.unavailable_slots = [s for s in row.unavailable_slots if s != slot_id]
            session.add(row)
