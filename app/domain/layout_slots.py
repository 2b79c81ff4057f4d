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
from app.i18n import _, _l, ngettext
from app.models import Event, Organizer, Room, SlotKind, Talk, TimeSlot, Topic, saved_id

#: A slot's kind inside a sentence ("made a plenary"); English writes the kind's value.
KIND_WORDS = {SlotKind.sessions: _l("sessions"), SlotKind.plenary: _l("plenary"), SlotKind.break_: _l("break")}


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
    head, _dot, part = error.field.partition(".")
    number = head.removeprefix("slots[").removesuffix("]")
    slot = int(number) + 1 if number.isdigit() else at + 1
    field = {"room": "room_id", "": "start"}.get(part, part)
    return FieldError(field, _("Slot {number}: {problem}").format(number=slot, problem=error.message))


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
        kind_word = KIND_WORDS[slot_kind]
        if text:
            return _("added the slot {slot} ({kind}: {title})").format(slot=label, kind=kind_word, title=text)
        return _("added the slot {slot} ({kind})").format(slot=label, kind=kind_word)

    plan = Plan(action="add_slot", summary=_("Add the slot {slot}").format(slot=label), apply=apply)
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
    old, label, kind_word = layout.slot_label(slot), f"{times.start}–{times.end}", KIND_WORDS[slot_kind]
    closing = slot.kind == SlotKind.sessions and slot_kind != SlotKind.sessions
    if closing:
        _not_while_running(session, event, slot, now, made=str(kind_word))
    if slot.kind == SlotKind.plenary and slot_kind != SlotKind.plenary:
        _not_on_stage(session, slot, made=str(kind_word))
    notes = _edit_notes(session, event, slot, slot_kind, moved_to=None if closing or label == old else times)

    def apply() -> str:
        slot.start, slot.end, slot.kind, slot.title, slot.room_id = times.start, times.end, slot_kind, text, place
        session.add(slot)
        changed = [_("retimed {old} to {new}").format(old=old, new=label)] if label != old else []
        if text:
            now_is = _("the slot {slot} is {kind}: {title}").format(slot=label, kind=kind_word, title=text)
        else:
            now_is = _("the slot {slot} is {kind}").format(slot=label, kind=kind_word)
        return "; ".join([*changed, now_is])

    plan = Plan(
        action="edit_slot",
        summary=_("Slot {old}: {new}, {kind}").format(old=old, new=label, kind=kind_word)
        + (f" ({text})" if text else ""),
        loses=lambda p: closing and p.slot_id == slot.id,
        reason=_("{slot} is a {kind} now").format(slot=label, kind=kind_word),
        apply=apply,
        hides_published=closing,
        defer=lambda: _("took the sessions at {slot} off the draft, to make it a {kind} once it is published").format(
            slot=old, kind=kind_word
        ),
        held_note=_("the slot stays for sessions until then; change it again after publishing."),
        notes=notes,
        payload={"slot_id": slot.id},
    )
    return layout.carry_out(session, event=event, actor=actor, plan=plan, confirm=confirm)


def _edit_notes(
    session: Session, event: Event, slot: TimeSlot, kind: SlotKind, *, moved_to: SlotSpec | None
) -> list[str]:
    """What an edit does besides: a plenary's talks kept aside, sessions that move with a retimed slot."""
    notes = []
    talks = _talks(session, slot) if slot.kind == SlotKind.plenary and kind != SlotKind.plenary else []
    if talks:
        notes.append(
            ngettext(
                "Its {n} talk stays in its running order, shown again if it becomes a plenary.",
                "Its {n} talks stay in its running order, shown again if it becomes a plenary.",
                len(talks),
            ).format(n=len(talks))
        )
    held = layout.sessions_in(session, event, lambda p: p.slot_id == slot.id) if moved_to else 0
    if moved_to and held:
        notes.append(
            ngettext(
                "{n} session in {old} moves with it to {new}; the board and phones show the new time.",
                "{n} sessions in {old} move with it to {new}; the board and phones show the new time.",
                held,
            ).format(n=held, old=layout.slot_label(slot), new=f"{clock(moved_to.start)}–{clock(moved_to.end)}")
        )
    return notes


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
        raise Conflict(
            _("{slot} is the event's only slot: add another before removing it.").format(slot=label), field="slot_id"
        )
    _not_while_running(session, event, slot, now)
    _not_on_stage(session, slot)
    talks = _talks(session, slot)
    count = len(talks)
    notes = (
        [ngettext("Its {n} talk goes with it.", "Its {n} talks go with it.", count).format(n=count)] if talks else []
    )

    def apply() -> str:
        _forget(session, event, saved_id(slot))
        session.delete(slot)
        return _("removed the slot {slot}").format(slot=label)

    plan = Plan(
        action="remove_slot",
        summary=_("Remove the slot {slot}").format(slot=label) + (f" ({slot.title})" if slot.title else ""),
        loses=lambda p: p.slot_id == slot.id,
        reason=_("the slot {slot} was removed").format(slot=label),
        apply=apply,
        hides_published=True,
        defer=lambda: _("took the sessions at {slot} off the draft, to remove the slot once it is published").format(
            slot=label
        ),
        held_note=_("the slot stays until then; remove it again after publishing."),
        notes=notes,
        payload={"slot_id": slot.id},
    )
    return layout.carry_out(session, event=event, actor=actor, plan=plan, confirm=confirm)


def _not_while_running(session: Session, event: Event, slot: TimeSlot, now: datetime | None, *, made: str = "") -> None:
    """People are in the sessions of the slot running now: it cannot go from under them (be removed,
    or ``made`` a plenary or a break)."""
    if layout.running_now(session, event, now) != slot.id:
        return
    _draft, on_board = layout.base_placements(session, event)
    running = [p for p in on_board if p.slot_id == slot.id]
    if running:
        n, label = len(running), layout.slot_label(slot)
        if made:
            message = ngettext(
                "The slot {slot} is running now: {n} session is going on in it, pop-ups included. "
                "It can be made a {kind} once it has ended.",
                "The slot {slot} is running now: {n} sessions are going on in it, pop-ups included. "
                "It can be made a {kind} once it has ended.",
                n,
            )
        else:
            message = ngettext(
                "The slot {slot} is running now: {n} session is going on in it, pop-ups included. "
                "It can be removed once it has ended.",
                "The slot {slot} is running now: {n} sessions are going on in it, pop-ups included. "
                "It can be removed once it has ended.",
                n,
            )
        raise Conflict(message.format(slot=label, n=n, kind=made), field="slot_id")


def _talks(session: Session, slot: TimeSlot) -> list[Talk]:
    return list(session.scalars(select(Talk).where(Talk.slot_id == slot.id)))


def _not_on_stage(session: Session, slot: TimeSlot, *, made: str = "") -> None:
    """A plenary whose speaker is on stage now keeps its running order until the talk ends."""
    on = next((t for t in _talks(session, slot) if t.started_at is not None and t.ended_at is None), None)
    if on is not None:
        message = (
            _("{speaker} is on stage in {slot} now. The slot can be made {kind} once the plenary has ended.")
            if made
            else _("{speaker} is on stage in {slot} now. The slot can be removed once the plenary has ended.")
        )
        raise Conflict(
            message.format(speaker=on.speaker, slot=slot.title or layout.slot_label(slot), kind=made), field="slot_id"
        )


def _forget(session: Session, event: Event, slot_id: int) -> None:
    """No room or topic keeps a removed slot among its unavailable ones (the event file names them)."""
    for row in [*rows.rooms(session, event), *session.scalars(select(Topic).where(col(Topic.event_id) == event.id))]:
        if slot_id in row.unavailable_slots:
            row.unavailable_slots = [s for s in row.unavailable_slots if s != slot_id]
            session.add(row)
