"""Rooms changed after the event is made: added, renamed, resized, reordered, closed in a slot, removed.

Each function checks what was typed as a new event's rooms are checked (``eventspec``), then hands
``layout.carry_out`` the plan: what changes, and which sessions lose their room. ``confirm``
False describes a change that has consequences instead of making it (see ``layout``).
"""

from __future__ import annotations

from sqlmodel import Session, select

from app.domain import eventspec, layout, rows
from app.domain.errors import Conflict, FieldError, InvalidInput
from app.domain.eventspec import RoomSpec, ValidRoom
from app.domain.layout import Outcome, Plan
from app.domain.layout_slots import KIND_WORDS
from app.domain.topics import interest_counts
from app.i18n import _
from app.models import Event, Organizer, Placement, Room, Topic, saved_id


def check_room(
    session: Session, event: Event, *, name: str, capacity: int | str, features: list[str], room: Room | None = None
) -> ValidRoom:
    """A room as typed, checked in eventspec's words; a name another room of the event has is refused."""
    try:
        (valid,) = eventspec.validate_rooms([RoomSpec(name=name, capacity=capacity, features=features)])
    except InvalidInput as error:
        raise InvalidInput(
            # The rows' messages are fragments after "Room 1"; beside a field of their own, sentences.
            errors=[FieldError(e.field.removeprefix("rooms[0]."), _sentence(e.message)) for e in error.field_errors]
        ) from None
    for number, other in enumerate(rows.rooms(session, event), start=1):
        if other.id != (room.id if room else None) and other.name.lower() == valid.name.lower():
            raise InvalidInput(
                _("name: '{name}' is already the name of Room {number}.").format(name=valid.name, number=number),
                field="name",
            )
    return valid


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:]


def add_room(
    session: Session,
    *,
    event: Event,
    name: str,
    capacity: int | str,
    features: list[str],
    actor: Organizer,
    confirm: bool = False,
) -> Outcome:
    """A new room, last in the list (no session loses anything)."""
    valid = check_room(session, event, name=name, capacity=capacity, features=features)
    if len(rows.rooms(session, event)) >= eventspec.ROOMS_MAX:
        raise Conflict(_("An event has at most {n} rooms.").format(n=eventspec.ROOMS_MAX), field="name")

    def apply() -> str:
        last = max((r.position for r in rows.rooms(session, event)), default=-1)
        session.add(
            Room(
                event_id=saved_id(event),
                name=valid.name,
                capacity=valid.capacity,
                features=valid.features,
                position=last + 1,
            )
        )
        return _("added the room {name} ({n} seats)").format(name=valid.name, n=valid.capacity)

    plan = Plan(action="add_room", summary=_("Add the room {name}").format(name=valid.name), apply=apply)
    return layout.carry_out(session, event=event, actor=actor, plan=plan, confirm=confirm)


def edit_room(
    session: Session,
    *,
    event: Event,
    room_id: int,
    name: str,
    capacity: int | str,
    features: list[str],
    actor: Organizer,
    confirm: bool = False,
) -> Outcome:
    """Rename, resize or change a room's features; a session with more marks than the new seats loses it."""
    room = layout.require_room(session, event, room_id)
    valid = check_room(session, event, name=name, capacity=capacity, features=features, room=room)
    old = (room.name, room.capacity, list(room.features))
    marks = _marks(session, event) if valid.capacity < room.capacity else {}

    def loses(p: Placement) -> bool:
        return p.room_id == room.id and marks.get(p.topic_id, 0) > valid.capacity

    def apply() -> str:
        room.name, room.capacity, room.features = valid.name, valid.capacity, valid.features
        session.add(room)
        name, seats, features = valid.name, valid.capacity, ", ".join(valid.features) or _("none")
        said = [_("renamed {old} to {new}").format(old=old[0], new=name)] if old[0] != name else []
        said += (
            [_("{name} has {n} seats (was {was})").format(name=name, n=seats, was=old[1])] if old[1] != seats else []
        )
        said += (
            [_("{name}'s features: {features}").format(name=name, features=features)]
            if old[2] != valid.features
            else []
        )
        return "; ".join(said) or _("{name} is unchanged").format(name=name)

    plan = Plan(
        action="edit_room",
        summary=_("{old}: {name}, {n} seats, features {features}").format(
            old=room.name, name=valid.name, n=valid.capacity, features=", ".join(valid.features) or _("none")
        ),
        loses=loses,
        reason=_("more people marked it than {name}'s {n} seats").format(name=valid.name, n=valid.capacity),
        apply=apply,
        payload={"room_id": room.id},
    )
    return layout.carry_out(session, event=event, actor=actor, plan=plan, confirm=confirm)


def _marks(session: Session, event: Event) -> dict[int, int]:
    """People who marked each topic (marks here plus those counted on paper)."""
    counts = interest_counts(session, event=event)
    return {
        saved_id(t): counts.get(saved_id(t), 0) + t.paper_marks
        for t in session.scalars(select(Topic).where(Topic.event_id == event.id))
    }


def move_room(
    session: Session, *, event: Event, room_id: int, direction: str, actor: Organizer, confirm: bool = False
) -> Outcome:
    """One place up or down the list every screen shows rooms in."""
    room = layout.require_room(session, event, room_id)
    if direction not in ("up", "down"):
        raise InvalidInput(_("direction: choose up or down."), field="direction")
    order = rows.rooms(session, event)
    at = next(i for i, r in enumerate(order) if r.id == room.id)
    to = at - 1 if direction == "up" else at + 1
    if not 0 <= to < len(order):
        already = _("{name} is already first.") if to < 0 else _("{name} is already last.")
        raise Conflict(already.format(name=room.name), field="room_id")

    def apply() -> str:
        order[at], order[to] = order[to], order[at]
        for position, r in enumerate(order):
            r.position = position
            session.add(r)
        moved = (
            _("moved {name} up (now Room {number})")
            if direction == "up"
            else _("moved {name} down (now Room {number})")
        )
        return moved.format(name=room.name, number=to + 1)

    summary = (_("Move {name} up") if direction == "up" else _("Move {name} down")).format(name=room.name)
    plan = Plan(action="move_room", summary=summary, apply=apply, payload={"room_id": room.id})
    return layout.carry_out(session, event=event, actor=actor, plan=plan, confirm=confirm)


def set_room_available(
    session: Session,
    *,
    event: Event,
    room_id: int,
    slot_id: int,
    available: bool,
    actor: Organizer,
    confirm: bool = False,
) -> Outcome:
    """Close a room in one slot (its session there loses the room), or open it again."""
    room = layout.require_room(session, event, room_id)
    slot = layout.require_slot(session, event, slot_id)
    when = layout.slot_label(slot)

    def loses(p: Placement) -> bool:
        return not available and p.room_id == room.id and p.slot_id == slot.id

    def apply() -> str:
        closed = set(room.unavailable_slots)
        room.unavailable_slots = sorted(closed - {saved_id(slot)} if available else closed | {saved_id(slot)})
        session.add(room)
        done = _("opened {name} at {when}") if available else _("closed {name} at {when}")
        return done.format(name=room.name, when=when)

    plan = Plan(
        action="room_available" if available else "room_unavailable",
        summary=(_("Open {name} at {when}") if available else _("Close {name} at {when}")).format(
            name=room.name, when=when
        ),
        loses=loses,
        reason=_("{name} is closed at {when}").format(name=room.name, when=when),
        apply=apply,
        payload={"room_id": room.id, "slot_id": slot.id},
    )
    return layout.carry_out(session, event=event, actor=actor, plan=plan, confirm=confirm)


def remove_room(session: Session, *, event: Event, room_id: int, actor: Organizer, confirm: bool = False) -> Outcome:
    """Remove a room; its sessions lose it. One that published sessions use closes until the next publish."""
    room = layout.require_room(session, event, room_id)
    if len(rows.rooms(session, event)) <= 1:
        raise Conflict(
            _("{name} is the event's only room: add another before removing it.").format(name=room.name),
            field="room_id",
        )

    hosted = [s for s in rows.slots(session, event) if s.room_id == room.id]
    notes = [
        _("{slot} ({kind}) will have no room: choose another.").format(
            slot=s.title or layout.slot_label(s), kind=KIND_WORDS[s.kind]
        )
        for s in hosted
    ]

    def apply() -> str:
        session.delete(room)
        return _("removed the room {name}").format(name=room.name)

    def defer() -> str:
        room.unavailable_slots = [saved_id(s) for s in rows.slots(session, event)]
        session.add(room)
        return _("closed {name} in every slot, to remove it once the draft is published").format(name=room.name)

    plan = Plan(
        action="remove_room",
        summary=_("Remove the room {name}").format(name=room.name),
        loses=lambda p: p.room_id == room.id,
        reason=_("{name} was removed").format(name=room.name),
        apply=apply,
        hides_published=True,
        defer=defer,
        held_note=_("{name} closes in every slot now, and you remove it after publishing.").format(name=room.name),
        notes=notes,
        payload={"room_id": room.id},
    )
    return layout.carry_out(session, event=event, actor=actor, plan=plan, confirm=confirm)
