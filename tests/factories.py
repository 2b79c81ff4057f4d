"""Plain builders for tests: no hidden side effects beyond what their names say."""

from __future__ import annotations

from sqlmodel import Session

from app.domain import attendees, drafting, events, moves, organizers, publishing, rows, topics
from app.domain.events import CreatedEvent
from app.domain.eventspec import RoomSpec, SlotSpec
from app.models import Attendee, Event, Phase, ScheduleRun, SlotKind, TimeSlot, Topic


def make_event(
    session: Session,
    *,
    rooms: int = 2,
    slots: int = 2,
    phase: Phase = Phase.proposing,
    password: str | None = None,
    name: str = "Edcamp Test",
) -> CreatedEvent:
    created = events.create_event(
        session,
        name=name,
        date="2027-03-13",
        timezone="America/Los_Angeles",
        rooms=[RoomSpec(f"Room {i + 1}", 20 + 10 * i, ["projector"] if i == 0 else []) for i in range(rooms)],
        slots=[SlotSpec(f"{9 + i:02d}:00", f"{9 + i:02d}:50") for i in range(slots)],
        password=password,
    )
    if phase != Phase.setup:
        events.set_phase(
            session, event=created.event, phase=phase, actor=organizers.require_first_organizer(session, created.event)
        )
    return created


def make_attendee(session: Session, event: Event, name: str = "") -> Attendee:
    return attendees.join_event(session, event=event, name=name)


def make_topic(
    session: Session, event: Event, author: Attendee | None, title: str = "Math talks", **kwargs: object
) -> Topic:
    return topics.propose_topic(session, event=event, author=author, title=title, **kwargs)  # type: ignore[arg-type]


EVENT_BODY = {
    "name": "Edcamp API",
    "date": "2027-03-13",
    "timezone": "America/Los_Angeles",
    "rooms": [{"name": "Library", "capacity": 60, "features": ["projector"]}, {"name": "Room 2", "capacity": 25}],
    "slots": [{"start": "09:30", "end": "10:20"}, {"start": "10:30", "end": "11:20"}],
}


def publish_cells(session: Session, created: CreatedEvent, cells: list[tuple[int, int, int]]) -> ScheduleRun:
    """Publish exactly these ``(topic_id, room_id, slot_id)`` sessions the way organizers do:
    through the console's draft (emptied, then placed cell by cell) and its publish."""
    event, organizer = created.event, created.organizer
    draft = drafting.ensure_draft(session, event=event)
    for placement in drafting.placements_of(session, draft):
        moves.unschedule(session, event=event, placement_id=placement.id, actor=organizer)  # type: ignore[arg-type]
    for topic_id, room_id, slot_id in cells:
        moves.place(session, event=event, topic_id=topic_id, room_id=room_id, slot_id=slot_id, actor=organizer)
    return publishing.publish(session, event=event, actor=organizer)


def make_plenary(session: Session, event: Event, *, slot: int = 0, title: str = "EdTalks") -> TimeSlot:
    """Make the event's ``slot``-th slot (in the order of the day) a plenary, as the slot-kind
    editor will: kind and title set on the row."""
    row = rows.slots(session, event)[slot]
    row.kind, row.title = SlotKind.plenary, title
    session.add(row)
    session.commit()
    return row
