"""The event file (``twofeet.event/1``): building it from the database, and importing one.

Ids in an exported file are the database ids with a letter in front (``r3``, ``s1``, ``a17``,
``t42``). Extras that the format does not define ride along under keys the format ignores:
topic ``tags``, the event's marking ``settings``, and the sessions' ``notes`` and ``resources``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from app.domain import events, eventspec, notefile, organizers
from app.domain.building import build_instance
from app.domain.errors import InvalidInput
from app.domain.text import check_document, strip_bidi
from app.models import Attendee, ClashPair, Event, FacilitatorClaim, Interest, Organizer, Phase, Room, TimeSlot, Topic
from app.models.topic import DESCRIPTION_MAX, TITLE_MAX
from app.scheduler import eventfile as fileformat
from app.scheduler.instance import Pin


@dataclass
class ImportedEvent:
    created: events.CreatedEvent
    topics: int
    attendees: int
    interests: int


def export_event(session: Session, event: Event) -> dict[str, Any]:
    """The event as a ``twofeet.event/1`` document, with tags and settings as extras."""
    document = fileformat.event_to_document(build_instance(session, event, paper_people=False))
    rows = {f"t{t.id}": t for t in session.scalars(select(Topic).where(Topic.event_id == event.id))}
    for topic in document["topics"]:
        topic["tags"] = rows[topic["id"]].tags
        if rows[topic["id"]].paper_marks:
            topic["paper_marks"] = rows[topic["id"]].paper_marks
    document["settings"] = {
        "vote_budget": event.vote_budget,
        "hide_counts": event.hide_counts,
        "shuffle_topics": event.shuffle_topics,
        "facilitator_limit": event.facilitator_limit,
    }
    # Optional extras: the sessions' notes (with their history) and resources, when there are any.
    document.update(
        notefile.export_extras(session, event=event, topic_keys={int(t["id"][1:]): t["id"] for t in document["topics"]})
    )
    return document


def _check_text(value: str, *, key: str, ident: str, limit: int, required: bool) -> str:
    text = " ".join(value.split()) if required else value.strip()
    if required and not text:
        raise InvalidInput(f"{key}: '{ident}' needs a non-empty value.", field=key)
    if len(text) > limit:
        raise InvalidInput(f"{key}: '{ident}' is longer than {limit} characters.", field=key)
    return text


def import_event(session: Session, document: object) -> ImportedEvent:
    """Create a new event from a ``twofeet.event/1`` document; all of it, or nothing on a refusal."""
    check_document(document)  # no control character (PostgreSQL cannot store a NUL), no absurd nesting
    try:
        instance = fileformat.parse_event(document)
    except fileformat.EventFileError as error:
        raise InvalidInput(str(error), field=error.key) from None
    raw: dict[str, Any] = document if isinstance(document, dict) else {}
    info = instance.event
    name = " ".join(info.name.split())[: eventspec.NAME_MAX] or "Imported event"
    date = eventspec.validate_date(info.date) if info.date else ""
    try:
        timezone = eventspec.validate_timezone(info.timezone)
    except InvalidInput:
        raise InvalidInput(
            f"event.timezone: '{info.timezone[:64]}' is not a time zone such as America/Los_Angeles.",
            field="event.timezone",
        ) from None
    if info.min_interest > events.MIN_INTEREST_MAX:
        raise InvalidInput(
            f"event.min_interest: at most {events.MIN_INTEREST_MAX} people, got {info.min_interest}.",
            field="event.min_interest",
        )
    seen_rooms: set[str] = set()
    for index, room in enumerate(instance.rooms):
        key = f"rooms[{index}]"
        _check_text(
            room.name or room.id, key=f"{key}.name", ident=room.id, limit=eventspec.ROOM_NAME_MAX, required=True
        )
        if (room.name or room.id).lower() in seen_rooms:
            raise InvalidInput(f"{key}.name: room '{room.id}' has the same name as another room.", field=f"{key}.name")
        seen_rooms.add((room.name or room.id).lower())
        if room.capacity > eventspec.CAPACITY_MAX:
            raise InvalidInput(
                f"{key}.capacity: room '{room.id}' has more than {eventspec.CAPACITY_MAX} seats.",
                field=f"{key}.capacity",
            )
    for index, topic in enumerate(instance.topics):
        _check_text(topic.title, key=f"topics[{index}].title", ident=topic.id, limit=TITLE_MAX, required=True)
        _check_text(
            topic.description, key=f"topics[{index}].description", ident=topic.id, limit=DESCRIPTION_MAX, required=False
        )
    for index, attendee in enumerate(instance.attendees):
        _check_text(attendee.name, key=f"attendees[{index}].name", ident=attendee.id, limit=60, required=False)
    eventspec.validate_slots([eventspec.SlotSpec(s.start, s.end) for s in instance.slots])
    raw_topics = raw.get("topics") if isinstance(raw.get("topics"), list) else []
    raw_tags: dict[str, list[str]] = {}
    raw_paper: dict[str, int] = {}
    for index, item in enumerate(raw_topics):  # type: ignore[union-attr, arg-type]
        if isinstance(item, dict) and isinstance(item.get("tags"), list):
            raw_tags[str(item.get("id"))] = [str(t) for t in item["tags"]][:5]
        if isinstance(item, dict) and "paper_marks" in item:
            value = item["paper_marks"]
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10_000:
                raise InvalidInput(
                    f"topics[{index}].paper_marks: topic '{item.get('id')}' needs a whole number from 0 to 10000.",
                    field=f"topics[{index}].paper_marks",
                )
            raw_paper[str(item.get("id"))] = value
    settings = raw.get("settings") if isinstance(raw.get("settings"), dict) else {}
    extras = notefile.parse_extras(raw, topic_ids={t.id for t in instance.topics})

    secret = secrets.token_urlsafe(18)
    event = Event(
        code=events.new_code(),
        name=name,
        date=date,
        timezone=timezone,
        phase=Phase.setup,
        organizer_secret_hash=organizers.hash_secret(secret),
        min_interest=info.min_interest,
    )
    budget = settings.get("vote_budget")  # type: ignore[union-attr]
    if isinstance(budget, int) and not isinstance(budget, bool) and 1 <= budget <= 1000:
        event.vote_budget = budget
    event.hide_counts = settings.get("hide_counts") is True  # type: ignore[union-attr]
    event.shuffle_topics = settings.get("shuffle_topics") is True  # type: ignore[union-attr]
    limit = settings.get("facilitator_limit")  # type: ignore[union-attr]
    if isinstance(limit, int) and not isinstance(limit, bool) and 1 <= limit <= 20:
        event.facilitator_limit = limit
    while events.get_event(session, event.code) is not None:  # pragma: no cover - 31^6 codes
        event.code = events.new_code()
    session.add(event)
    session.flush()
    slot_rows = {
        s.id: TimeSlot(event_id=event.id, start=s.start, end=s.end, position=i)  # type: ignore[arg-type]
        for i, s in enumerate(instance.slots)
    }
    session.add_all(slot_rows.values())
    session.flush()
    slot_pk = {key: row.id for key, row in slot_rows.items()}
    room_rows = {
        r.id: Room(
            event_id=event.id,
            name=" ".join((r.name or r.id).split()),
            capacity=r.capacity,  # type: ignore[arg-type]
            features=sorted(r.features),
            unavailable_slots=sorted(slot_pk[s] for s in r.unavailable_slots),  # type: ignore[misc]
            position=i,
        )
        for i, r in enumerate(instance.rooms)
    }
    session.add_all(room_rows.values())
    people = {a.id: Attendee(event_id=event.id, name=" ".join(a.name.split())) for a in instance.attendees}  # type: ignore[arg-type]
    session.add_all(people.values())
    session.flush()
    topic_rows: dict[str, Topic] = {}
    for t in instance.topics:
        pin = t.pinned or Pin()
        topic_rows[t.id] = Topic(
            event_id=event.id,
            title=strip_bidi(" ".join(t.title.split())),
            description=t.description.strip(),  # type: ignore[arg-type]
            tags=raw_tags.get(t.id, []),
            paper_marks=raw_paper.get(t.id, 0),
            unavailable_slots=sorted(slot_pk[s] for s in t.unavailable_slots),  # type: ignore[misc]
            needs=sorted(t.needs),
            pinned_room_id=room_rows[pin.room].id if pin.room else None,
            pinned_slot_id=slot_pk[pin.slot] if pin.slot else None,
        )
    session.add_all(topic_rows.values())
    session.flush()
    for t in instance.topics:
        for person in dict.fromkeys(t.facilitators):
            session.add(
                FacilitatorClaim(
                    event_id=event.id,
                    attendee_id=people[person].id,  # type: ignore[arg-type]
                    topic_id=topic_rows[t.id].id,
                )
            )
    marks: dict[tuple[str, str], float] = {}
    for interest in instance.interests:
        marks[(interest.attendee, interest.topic)] = interest.weight  # one mark per attendee and topic
    for (person, topic_id), weight in marks.items():
        session.add(
            Interest(
                event_id=event.id,
                attendee_id=people[person].id,  # type: ignore[arg-type]
                topic_id=topic_rows[topic_id].id,
                weight=weight,
            )
        )
    for a, b in dict.fromkeys(tuple(sorted(pair)) for pair in instance.avoid_clash):
        session.add(ClashPair(event_id=event.id, topic_a_id=topic_rows[a].id, topic_b_id=topic_rows[b].id))  # type: ignore[arg-type]
    notefile.restore_extras(session, event=event, extras=extras, topic_pk={k: row.id for k, row in topic_rows.items()})  # type: ignore[misc]
    organizer = Organizer(event_id=event.id)  # type: ignore[arg-type]
    session.add(organizer)
    session.commit()
    return ImportedEvent(
        created=events.CreatedEvent(event=event, organizer=organizer, secret=secret),
        topics=len(topic_rows),
        attendees=len(people),
        interests=len(marks),
    )
