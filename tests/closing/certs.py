"""A published day with check-ins, for the certificate tests (check-in rows are written directly)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from app.domain import events, rows
from app.domain.certificates import PdSettings, update_certificate_settings
from app.domain.events import CreatedEvent
from app.models import Attendee, CheckIn, Phase, TimeSlot, Topic
from tests.factories import make_attendee, make_event, make_plenary, make_topic, publish_cells

# make_event's day: 2027-03-13 in Los Angeles (UTC-8), slots 09:00-09:50, 10:00-10:50, 11:00-11:50.
DAY_UTC = datetime(2027, 3, 13, 17, 0, tzinfo=UTC)  # 09:00 local


def local(hhmm: str) -> datetime:
    hours, minutes = (int(x) for x in hhmm.split(":"))
    return DAY_UTC + timedelta(hours=hours - 9, minutes=minutes)


@dataclass
class Day:
    created: CreatedEvent
    slots: list[TimeSlot]
    topics: list[Topic]

    @property
    def event(self):  # type: ignore[no-untyped-def]
        return self.created.event


def published_day(session: Session, *, survey: bool = False) -> Day:
    """Edcamp Test, live: a keynote (plenary) at 09:00, two sessions at 10:00 and 11:00; certificates on."""
    created = make_event(session, rooms=2, slots=3)
    event = created.event
    a, b, c = (make_topic(session, event, None, title) for title in ("Sketchnotes", "Robotics", "Podcasts"))
    slots = rows.slots(session, event)
    rooms = rows.rooms(session, event)
    cells = [(a.id, rooms[0].id, slots[1].id), (b.id, rooms[1].id, slots[1].id), (c.id, rooms[0].id, slots[2].id)]
    make_plenary(session, event, slot=0, title="Opening keynote")
    publish_cells(session, created, cells)  # type: ignore[arg-type]
    if event.phase != Phase.live:
        events.set_phase(session, event=event, phase=Phase.live, actor=created.organizer)
    settings = PdSettings(True, "Lincoln Middle School", "Sunnyvale District", "María López", "Director", 15, survey)
    update_certificate_settings(session, event=event, settings=settings, actor=created.organizer)
    return Day(created, rows.slots(session, event), [a, b, c])


def check_in(
    session: Session,
    day: Day,
    attendee: Attendee,
    slot: int,
    at: str,
    *,
    topic: int | None = None,
    left: str | None = None,
) -> None:
    session.add(
        CheckIn(
            event_id=day.event.id,
            attendee_id=attendee.id,  # type: ignore[arg-type]
            slot_id=day.slots[slot].id,  # type: ignore[arg-type]
            topic_id=day.topics[topic].id if topic is not None else None,
            source="door",
            at=local(at),
            left_at=local(left) if left else None,
        )
    )
    session.commit()


def attendee_with_day(session: Session, day: Day, name: str = "Ana") -> Attendee:
    """Present at the keynote (50 min) and at Sketchnotes then Robotics in the 10:00 slot (50 min)."""
    attendee = make_attendee(session, day.event, name)
    check_in(session, day, attendee, 0, "09:00")
    check_in(session, day, attendee, 1, "10:00", topic=0, left="10:20")
    check_in(session, day, attendee, 1, "10:20", topic=1)
    return attendee
