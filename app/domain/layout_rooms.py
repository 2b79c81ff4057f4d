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
from app.domain.topics import interest_counts
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
            raise InvalidInput(f"name: '{valid.name}' is already the name of Room {number}.", field="name")
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
        raise Conflict(f"An event has at most {eventspec.ROOMS_MAX} rooms.", field="name")

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
        return f"added the room {valid.name} ({valid.capacity} seats)"

    plan = Plan(action="add_room", summary=f"Add the room {valid.name}", apply=apply)
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
        said = [f"renamed {old[0]} to {valid.name}"] if old[0] != valid.name else []
        said += [f"{valid.name} has {valid.capacity} seats (was {old[1]})"] if old[1] != valid.capacity else []
        said += [f"{valid.name}'s features: {', '.join(valid.features) or 'none'}"] if old[2] != valid.features else []
        return "; ".join(said) or f"{valid.name} is unchanged"

    plan = Plan(
        action="edit_room",
        summary=f"{room.name}: {valid.name}, {valid.capacity} seats, features {', '.join(valid.features) or 'none'}",
        loses=loses,
        reason=f"more people marked it than {valid.name}'s {valid.capacity} seats",
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
        raise InvalidInput("direction: choose up or down.", field="direction")
    order = rows.rooms(session, event)
    at = next(i for i, r in enumerate(order) if r.id == room.id)
    to = at - 1 if direction == "up" else at + 1
    if not 0 <= to < len(order):
        raise Conflict(f"{room.name} is already {'first' if to < 0 else 'last'}.", field="room_id")

    def apply() -> str:
        order[at], order[to] = order[to], order[at]
        for position, r in enumerate(order):
            r.position = position
            session.add(r)
        return f"moved {room.name} {direction} (now Room {to + 1})"

    plan = Plan(action="move_room", summary=f"Move {room.name} {direction}", apply=apply, payload={"room_id": room.id})
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
        return f"{'opened' if available else 'closed'} {room.name} at {when}"

    plan = Plan(
        action="room_available" if available else "room_unavailable",
        summary=f"{'Open' if available else 'Close'} {room.name} at {when}",
        loses=loses,
        reason=f"{room.name} is closed at {when}",
        apply=apply,
        payload={"room_id": room.id, "slot_id": slot.id},
    )
    return layout.carry_out(session, event=event, actor=actor, plan=plan, confirm=confirm)


def remove_room(session: Session, *, event: Event, room_id: int, actor: Organizer, confirm: bool = False) -> Outcome:
    """Remove a room; its sessions lose it. One that published sessions use closes until the next publish."""
    room = layout.require_room(session, event, room_id)
    if len(rows.rooms(session, event)) <= 1:
        raise Conflict(f"{room.name} is the event's only room: add another before removing it.", field="room_id")

    hosted = [s for s in rows.slots(session, event) if s.room_id == room.id]
    notes = [f"{s.title or layout.slot_label(s)} ({s.kind.value}) will have no room: choose another." for s in hosted]

    def apply() -> str:
        session.delete(room)
        return f"removed the room {room.name}"

    def defer() -> str:
        room.unavailable_slots = [saved_id(s) for s in rows.slots(session, event)]
        session.add(room)
        return f"closed {room.name} in every slot, to remove it once the draft is published"

    plan = Plan(
        action="remove_room",
        summary=f"Remove the room {room.name}",
        loses=lambda p: p.room_id == room.id,
        reason=f"{room.name} was removed",
        apply=apply,
        hides_published=True,
        defer=defer,
        held_note=f"{room.name} closes in every slot now, and you remove it after publishing.",
        notes=notes,
        payload={"room_id": room.id},
    )
    return layout.carry_out(session, event=event, actor=actor, plan=plan, confirm=confirm)
