"""A day to check into, for the check-in tests: today in a zone where it is about noon now.

Slots (local time): 09:00-10:00 sessions (Reading in the Library), 10:00-14:00 sessions running now
(Math talks in the Library, Robotics in the Gym; the Hall is free), 14:00-15:00 the closing plenary
in the Hall, 15:00-15:30 a break. ``at("10:05")`` is that local time of the day, in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from sqlmodel import Session

from app.domain import events, eventspec, organizers
from app.domain.events import CreatedEvent
from app.models import Attendee, Event, Phase, Room, SlotKind, TimeSlot, Topic
from tests.clock import midday_zone
from tests.factories import make_attendee, make_topic, publish_cells


@dataclass
class Day:
    created: CreatedEvent
    rooms: dict[str, Room]
    slots: list[TimeSlot]  # early, now, plenary, break
    topics: dict[str, Topic]
    lead: Attendee

    @property
    def event(self) -> Event:
        return self.created.event

    @property
    def code(self) -> str:
        return self.created.event.code

    def at(self, hhmm: str) -> datetime:
        zone = ZoneInfo(self.event.timezone)
        local = datetime.combine(datetime.fromisoformat(self.event.date).date(), time.fromisoformat(hhmm), tzinfo=zone)
        return local.astimezone(UTC)


def checkin_day(session: Session) -> Day:
    zone, local = midday_zone()
    created = events.create_event(
        session,
        name="Edcamp Check-in",
        date=local.date().isoformat(),
        timezone=zone,
        rooms=[
            eventspec.RoomSpec("Library", 30, []),
            eventspec.RoomSpec("Gym", 60, []),
            eventspec.RoomSpec("Hall", 200, []),
        ],
        slots=[
            eventspec.SlotSpec("09:00", "10:00"),
            eventspec.SlotSpec("10:00", "14:00"),
            eventspec.SlotSpec("14:00", "15:00", kind="plenary", title="Closing smackdown", room="Hall"),
            eventspec.SlotSpec("15:00", "15:30", kind="break", title="Coffee"),
        ],
    )
    event = created.event
    events.set_phase(
        session, event=event, phase=Phase.proposing, actor=organizers.require_first_organizer(session, event)
    )
    lead = make_attendee(session, event, name="Ms. Rivera")
    other = make_attendee(session, event, name="Mr. Okafor")
    topics = {
        "Reading": make_topic(session, event, other, title="Reading", facilitate=True),
        "Math talks": make_topic(session, event, lead, title="Math talks", facilitate=True),
        "Robotics": make_topic(session, event, other, title="Robotics", facilitate=True),
    }
    rooms = {r.name: r for r in events.list_rooms(session, event)}
    slots = events.list_slots(session, event)
    assert [s.kind for s in slots] == [SlotKind.sessions, SlotKind.sessions, SlotKind.plenary, SlotKind.break_]
    cells = [
        (topics["Reading"].id, rooms["Library"].id, slots[0].id),
        (topics["Math talks"].id, rooms["Library"].id, slots[1].id),
        (topics["Robotics"].id, rooms["Gym"].id, slots[1].id),
    ]
    publish_cells(session, created, cells)  # type: ignore[arg-type]
    return Day(created=created, rooms=rooms, slots=slots, topics=topics, lead=lead)
