"""Changes in the middle of the day that call for a re-solve: a room closes, a facilitator leaves,
a session is called off; and what a re-solve keeps of the published schedule.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import Session, col, select

from app.domain import audit, events, moderation, phases, rows
from app.domain.changelog import record_change
from app.domain.changes import Change
from app.domain.drafting import cells_of, placements_of
from app.domain.errors import InvalidInput
from app.domain.timetable import published_run
from app.i18n import _
from app.models import Attendee, Event, FacilitatorClaim, Organizer, Room, TimeSlot, Topic, saved_id
from app.scheduler import Placement as Cell


def close_room_from(session: Session, *, event: Event, room_id: int, slot_id: int, actor: Organizer) -> Room:
    """A room cannot be used from ``slot_id`` on (the gym is needed after lunch)."""
    phases.require_phase(event, "change_live_day")
    room = rows.require(session, Room, room_id, event=event, field="room_id")
    slot = rows.require_sessions_slot(session, slot_id, event=event, field="slot_id")
    slots = events.list_slots(session, event)
    start = next(i for i, s in enumerate(slots) if s.id == slot.id)
    room.unavailable_slots = sorted(set(room.unavailable_slots) | {saved_id(s) for s in slots[start:]})
    session.add(room)
    audit.record(session, event=event, actor=actor, action="close_room", detail=f"closed {room.name} from {slot.start}")
    # The board and the doors show the room closed at once, not at the next change of anything else.
    record_change(
        session, event_id=saved_id(event), kind=Change.layout_changed, payload={"room_id": room.id, "slot_id": slot.id}
    )
    session.commit()
    return room


def facilitator_leaves(session: Session, *, event: Event, attendee_id: int, actor: Organizer) -> list[Topic]:
    """Someone who was to lead sessions has gone: they lead nothing from now on."""
    phases.require_phase(event, "change_live_day")
    person = rows.require(session, Attendee, attendee_id, event=event, field="attendee_id")
    led = list(
        session.scalars(
            select(Topic)
            .join(FacilitatorClaim, col(FacilitatorClaim.topic_id) == Topic.id)
            .where(FacilitatorClaim.attendee_id == person.id)
        )
    )
    session.execute(delete(FacilitatorClaim).where(col(FacilitatorClaim.attendee_id) == person.id))
    for topic in led:  # one change per topic, so every screen updates that topic's facilitator line
        record_change(
            session, event_id=saved_id(event), kind=Change.facilitators_changed, payload={"topic_id": topic.id}
        )
    audit.record(
        session,
        event=event,
        actor=actor,
        action="facilitator_left",
        detail=f"{person.name or f'attendee {person.id}'} left; no longer leads "
        + (", ".join(f"“{t.title}”" for t in led) or "anything"),
    )
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
    slot = rows.find(session, TimeSlot, slot_id, event=event)
    if slot is None:
        raise InvalidInput(
            _("keep_before: slot {slot} is not one of this event's slots.").format(slot=slot_id), field="keep_before"
        )
    return f"s{slot.id}"


def previous_cells(session: Session, *, event: Event) -> list[Cell] | None:
    """The published schedule in the scheduler's terms, for a re-solve that moves as little as it can."""
    published = published_run(session, event=event)
    return cells_of(placements_of(session, published)) if published else None
