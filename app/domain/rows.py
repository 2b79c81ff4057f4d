"""Rows that belong to one event, looked up the same way everywhere.

A row id comes from a URL, a form or an API body: it may be garbage, too large for the database's
integers, or another event's. ``find`` answers None for all of those, ``require`` refuses them
with a NotFound naming the field, ``rooms``/``slots`` list an event's rooms and slots in the
one order every screen shows them, and ``facilitators`` names who leads each topic.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar

from babel.support import LazyProxy
from sqlmodel import Session, col, select

from app.domain.errors import Conflict, NotFound, known_id
from app.i18n import _, _l
from app.models import Attendee, Event, FacilitatorClaim, Organizer, Resource, Room, SlotKind, TimeSlot, Topic


class _EventRow(Protocol):
    event_id: int


R = TypeVar("R", bound=_EventRow)

# How a missing row is named to the person who asked for it (``{id}``: the id they gave).
MISSING: dict[type, LazyProxy] = {
    Room: _l("Room {id} is not one of this event's rooms."),
    TimeSlot: _l("Slot {id} is not one of this event's slots."),
    Topic: _l("Topic {id} is not part of this event."),
    Attendee: _l("Attendee {id} is not part of this event."),
    Organizer: _l("Organizer {id} does not run this event."),
    Resource: _l("Resource {id} is not one of this event's resources."),
}


def find(session: Session, model: type[R], row_id: int | None, *, event: Event) -> R | None:
    """The ``model`` row ``row_id`` if it exists and belongs to ``event``; None otherwise."""
    row = session.get(model, row_id) if row_id is not None and known_id(row_id) else None
    if row is None or row.event_id != event.id:
        return None
    return row


def require(
    session: Session, model: type[R], row_id: int, *, event: Event, field: str, message: str | None = None
) -> R:
    """Like ``find``, but a missing row is refused with NotFound naming ``field``."""
    row = find(session, model, row_id, event=event)
    if row is None:
        raise NotFound(str(message or MISSING[model]).format(id=row_id), field=field)
    return row


def require_sessions_slot(session: Session, slot_id: int, *, event: Event, field: str = "slot_id") -> TimeSlot:
    """Like ``require`` for a slot, and refused with Conflict naming ``field`` when the slot is a
    plenary or a break: sessions go only in sessions slots."""
    slot = require(session, TimeSlot, slot_id, event=event, field=field)
    if slot.kind != SlotKind.sessions:
        if slot.title:
            message = _(
                "The {start} slot ({title}) is a {kind}, not a sessions slot; sessions go only in sessions slots."
            ).format(start=slot.start, title=slot.title, kind=slot.kind.label.lower())
        else:
            message = _(
                "The {start} slot is a {kind}, not a sessions slot; sessions go only in sessions slots."
            ).format(start=slot.start, kind=slot.kind.label.lower())
        raise Conflict(message, field=field)
    return slot


def rooms(session: Session, event: Event) -> list[Room]:
    """The event's rooms, in the organizer's order."""
    return list(
        session.scalars(select(Room).where(Room.event_id == event.id).order_by(col(Room.position), col(Room.id)))
    )


def slots(session: Session, event: Event) -> list[TimeSlot]:
    """The event's slots, in the order of the day."""
    return list(
        session.scalars(
            select(TimeSlot)
            .where(TimeSlot.event_id == event.id)
            .order_by(col(TimeSlot.start), col(TimeSlot.position), col(TimeSlot.id))
        )
    )


def facilitators(
    session: Session, *, event: Event | None = None, topic_ids: Iterable[int] | None = None
) -> dict[int, list[tuple[int, str]]]:
    """Each topic's facilitators as (attendee id, name), in the order they offered.

    For the topics ``topic_ids``, or every topic of ``event``."""
    query = (
        # The claim's attendee_id, not Attendee.id: the same value (the join), typed as never None.
        select(FacilitatorClaim.topic_id, FacilitatorClaim.attendee_id, Attendee.name)
        .join(Attendee, col(Attendee.id) == FacilitatorClaim.attendee_id)
        .order_by(col(FacilitatorClaim.id))
    )
    if topic_ids is not None:
        query = query.where(col(FacilitatorClaim.topic_id).in_(list(topic_ids)))
    elif event is not None:
        query = query.where(FacilitatorClaim.event_id == event.id)
    else:
        raise ValueError("facilitators: give an event or topic ids")
    leads: dict[int, list[tuple[int, str]]] = {}
    for topic_id, attendee_id, name in session.execute(query):
        leads.setdefault(topic_id, []).append((attendee_id, name))
    return leads
