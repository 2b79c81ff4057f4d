"""Builders for the after-session tests: a published event, and requests as a given person."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.domain import events, marking
from app.domain.events import CreatedEvent
from app.models import Attendee, Room, TimeSlot, Topic
from app.security import CSRF_COOKIE
from tests.factories import make_attendee, make_event, make_topic, publish_cells


@dataclass
class LiveEvent:
    created: CreatedEvent
    rooms: list[Room]
    slots: list[TimeSlot]
    people: list[Attendee]
    topics: list[Topic]

    @property
    def event(self):  # type: ignore[no-untyped-def]
        return self.created.event

    @property
    def code(self) -> str:
        return self.created.event.code


def live_event(
    session: Session,
    *,
    titles: tuple[str, ...] = ("Math talks", "Project-based science", "Read-alouds"),
    publish: bool = True,
) -> LiveEvent:
    """An event (2 rooms, 2 slots, Los Angeles time) with named people, topics and marks, published."""
    created = make_event(session, rooms=2, slots=2)
    event = created.event
    people = [make_attendee(session, event, name) for name in ("Ms. Rivera", "Mr. Chen", "")]
    topics = [
        make_topic(session, event, people[i % 3], title=title, facilitate=i == 0) for i, title in enumerate(titles)
    ]
    marking.mark_topic(session, event=event, attendee=people[1], topic=topics[0])
    marking.mark_topic(session, event=event, attendee=people[2], topic=topics[0])
    marking.mark_topic(session, event=event, attendee=people[1], topic=topics[1])
    rooms, slots = events.list_rooms(session, event), events.list_slots(session, event)
    if publish:
        publish_cells(
            session,
            created,
            [
                (topics[0].id, rooms[0].id, slots[0].id),
                (topics[1].id, rooms[1].id, slots[0].id),  # type: ignore[list-item]
                (topics[2].id, rooms[0].id, slots[1].id),
            ],
        )  # type: ignore[list-item]
    return LiveEvent(created=created, rooms=rooms, slots=slots, people=people, topics=topics)


def as_attendee(app: FastAPI, attendee: Attendee) -> dict[str, str]:
    token = app.state.signer.attendee_token(event_id=attendee.event_id, attendee_id=attendee.id)
    return {"Authorization": f"Bearer {token}"}


def as_organizer(app: FastAPI, created: CreatedEvent) -> dict[str, str]:
    token = app.state.signer.organizer_token(event_id=created.event.id, organizer_id=created.organizer.id)
    return {"Authorization": f"Bearer {token}"}


def csrf(client: TestClient) -> str:
    client.get("/")
    token = client.cookies.get(CSRF_COOKIE)
    assert token
    return token
