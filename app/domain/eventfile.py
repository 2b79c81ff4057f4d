"""The event file (``twofeet.event/1``): building it from the database, and importing one.

Ids in an exported file are the database ids with a letter in front (``r3``, ``s1``, ``a17``,
``t42``). Extras that the format does not define ride along under keys the format ignores:
topic ``tags``, the event's marking ``settings``, the sessions' ``notes`` and ``resources``, and
each plenary's ``talks`` under its slot (``talkfile``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from app.domain import closingfile, events, eventspec, notefile, organizers, talkfile
from app.domain.building import build_instance
from app.domain.errors import InvalidInput, about
from app.domain.text import check_document, strip_bidi
from app.i18n import _
from app.models import (
    Attendee,
    ClashPair,
    Event,
    FacilitatorClaim,
    Interest,
    Organizer,
    Phase,
    Room,
    SlotKind,
    TimeSlot,
    Topic,
    saved_id,
)
from app.models.topic import DESCRIPTION_MAX, TITLE_MAX
from app.scheduler import eventfile as fileformat
from app.scheduler.instance import EventInfo, Instance, Pin


@dataclass
class ImportedEvent:
    created: events.CreatedEvent
    topics: int
    attendees: int
    interests: int
    talks: int = 0


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
        "board_theme": event.board_theme,
    }
    talkfile.export_talks(session, event=event, document=document)  # each plenary's under its slot
    document["closing"] = closingfile.export_closing(session, event=event)  # place, certificates, survey, prizes
    # Optional extras: the sessions' notes (with their history) and resources, when there are any.
    document.update(
        notefile.export_extras(session, event=event, topic_keys={int(t["id"][1:]): t["id"] for t in document["topics"]})
    )
    return document


def _check_text(value: str, *, key: str, ident: str, limit: int, required: bool) -> str:
    text = " ".join(value.split()) if required else value.strip()
    if required and not text:
        raise InvalidInput(about(key, _("'{id}' needs a non-empty value.").format(id=ident)), field=key)
    if len(text) > limit:
        message = _("'{id}' is longer than {limit} characters.").format(id=ident, limit=limit)
        raise InvalidInput(about(key, message), field=key)
    return text


def import_event(session: Session, document: object) -> ImportedEvent:
    """Create a new event from a ``twofeet.event/1`` document; all of it, or nothing on a refusal."""
    check_document(document)  # no control character (PostgreSQL cannot store a NUL), no absurd nesting
    try:
        instance = fileformat.parse_event(document)
    except fileformat.EventFileError as error:
        raise InvalidInput(str(error), field=error.key) from None
    raw: dict[str, Any] = document if isinstance(document, dict) else {}
    # Everything is checked before anything is written.
    fields = _event_fields(instance.event)
    _check_names(instance)
    tags, paper = _topic_extras(raw)
    extras = notefile.parse_extras(raw, topic_ids={t.id for t in instance.topics})
    planned = talkfile.parse_talks(raw)

    secret = secrets.token_urlsafe(18)
    event = Event(
        code=events.new_code(), phase=Phase.setup, organizer_secret_hash=organizers.hash_secret(secret), **fields
    )
    _apply_settings(event, raw.get("settings"))
    closingfile.apply_settings(event, raw.get("closing"))
    while events.get_event(session, event.code) is not None:  # pragma: no cover - 31^6 codes
        event.code = events.new_code()
    session.add(event)
    session.flush()
    topic_rows, people = _add_rows(session, event, instance, tags=tags, paper=paper)
    marks = _add_links(session, event, instance, topic_rows=topic_rows, people=people)
    notefile.restore_extras(
        session, event=event, extras=extras, topic_pk={k: saved_id(row) for k, row in topic_rows.items()}
    )
    talks = talkfile.add_talks(session, event=event, planned=planned)
    closingfile.add_items(session, event=event, raw=raw.get("closing"))
    organizer = Organizer(event_id=saved_id(event))
    session.add(organizer)
    session.commit()
    return ImportedEvent(
        created=events.CreatedEvent(event=event, organizer=organizer, secret=secret),
        topics=len(topic_rows),
        attendees=len(people),
        interests=marks,
        talks=talks,
    )


def _event_fields(info: EventInfo) -> dict[str, Any]:
    """The file's ``event``, checked as the new-event form checks it."""
    date = eventspec.validate_date(info.date) if info.date else ""
    try:
        timezone = eventspec.validate_timezone(info.timezone)
    except InvalidInput:
        message = _("'{text}' is not a time zone such as America/Los_Angeles.").format(text=info.timezone[:64])
        raise InvalidInput(about("event.timezone", message), field="event.timezone") from None
    if info.min_interest > events.MIN_INTEREST_MAX:
        message = _("at most {limit} people, got {count}.").format(
            limit=events.MIN_INTEREST_MAX, count=info.min_interest
        )
        raise InvalidInput(about("event.min_interest", message), field="event.min_interest")
    name = " ".join(info.name.split())[: eventspec.NAME_MAX] or _("Imported event")
    return {
        "name": name,
        "date": date,
        "timezone": timezone,
        "min_interest": info.min_interest,
        "language": info.languages[0],
        "bilingual": len(info.languages) > 1,
    }


def _check_names(instance: Instance) -> None:
    """Rooms, topics and people named within the app's limits (rooms apart), and slots that do not overlap."""
    seen_rooms: set[str] = set()
    for index, room in enumerate(instance.rooms):
        key = f"rooms[{index}]"
        _check_text(
            room.name or room.id, key=f"{key}.name", ident=room.id, limit=eventspec.ROOM_NAME_MAX, required=True
        )
        if (room.name or room.id).lower() in seen_rooms:
            message = _("room '{id}' has the same name as another room.").format(id=room.id)
            raise InvalidInput(about(f"{key}.name", message), field=f"{key}.name")
        seen_rooms.add((room.name or room.id).lower())
        if room.capacity > eventspec.CAPACITY_MAX:
            message = _("room '{id}' has more than {limit} seats.").format(id=room.id, limit=eventspec.CAPACITY_MAX)
            raise InvalidInput(about(f"{key}.capacity", message), field=f"{key}.capacity")
    for index, topic in enumerate(instance.topics):
        _check_text(topic.title, key=f"topics[{index}].title", ident=topic.id, limit=TITLE_MAX, required=True)
        _check_text(
            topic.description, key=f"topics[{index}].description", ident=topic.id, limit=DESCRIPTION_MAX, required=False
        )
    for index, attendee in enumerate(instance.attendees):
        _check_text(attendee.name, key=f"attendees[{index}].name", ident=attendee.id, limit=60, required=False)
    room_name = {room.id: " ".join((room.name or room.id).split()) for room in instance.rooms}
    eventspec.validate_slots(
        [
            eventspec.SlotSpec(s.start, s.end, kind=s.kind, title=s.title, room=room_name[s.room] if s.room else "")
            for s in instance.slots
        ],
        rooms=list(room_name.values()),
    )


def _topic_extras(raw: dict[str, Any]) -> tuple[dict[str, list[str]], dict[str, int]]:
    """The topics' ``tags`` and ``paper_marks`` (extras the format ignores), by topic id."""
    listed = raw.get("topics")
    raw_topics = listed if isinstance(listed, list) else []
    tags: dict[str, list[str]] = {}
    paper: dict[str, int] = {}
    for index, item in enumerate(raw_topics):
        if isinstance(item, dict) and isinstance(item.get("tags"), list):
            tags[str(item.get("id"))] = [str(t) for t in item["tags"]][:5]
        if isinstance(item, dict) and "paper_marks" in item:
            value = item["paper_marks"]
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10_000:
                key = f"topics[{index}].paper_marks"
                message = _("topic '{id}' needs a whole number from 0 to 10000.").format(id=item.get("id"))
                raise InvalidInput(about(key, message), field=key)
            paper[str(item.get("id"))] = value
    return tags, paper


def _apply_settings(event: Event, settings: object) -> None:
    """The marking ``settings`` extra: values out of range are left at their defaults."""
    if not isinstance(settings, dict):
        settings = {}
    budget = settings.get("vote_budget")
    if isinstance(budget, int) and not isinstance(budget, bool) and 1 <= budget <= 1000:
        event.vote_budget = budget
    event.hide_counts = settings.get("hide_counts") is True
    event.shuffle_topics = settings.get("shuffle_topics") is True
    limit = settings.get("facilitator_limit")
    if isinstance(limit, int) and not isinstance(limit, bool) and 1 <= limit <= 20:
        event.facilitator_limit = limit
    if settings.get("board_theme") in events.BOARD_THEMES:
        event.board_theme = settings["board_theme"]


def _add_rows(
    session: Session, event: Event, instance: Instance, *, tags: dict[str, list[str]], paper: dict[str, int]
) -> tuple[dict[str, Topic], dict[str, Attendee]]:
    """The event's slots, rooms, people and topics; returns the topics and people by file id."""
    slot_rows = {
        s.id: TimeSlot(
            event_id=saved_id(event),
            start=s.start,
            end=s.end,
            position=i,
            kind=SlotKind(s.kind),
            title=" ".join(s.title.split()),
        )
        for i, s in enumerate(instance.slots)
    }
    session.add_all(slot_rows.values())
    session.flush()
    slot_pk = {key: saved_id(row) for key, row in slot_rows.items()}
    room_rows = {
        r.id: Room(
            event_id=saved_id(event),
            name=" ".join((r.name or r.id).split()),
            capacity=r.capacity,
            features=sorted(r.features),
            unavailable_slots=sorted(slot_pk[s] for s in r.unavailable_slots),
            position=i,
        )
        for i, r in enumerate(instance.rooms)
    }
    session.add_all(room_rows.values())
    session.flush()
    for s in instance.slots:  # a plenary's or break's room, now that the rooms have ids
        if s.room is not None:
            slot_rows[s.id].room_id = room_rows[s.room].id
    people = {a.id: Attendee(event_id=saved_id(event), name=" ".join(a.name.split())) for a in instance.attendees}
    session.add_all(people.values())
    session.flush()
    topic_rows: dict[str, Topic] = {}
    for t in instance.topics:
        pin = t.pinned or Pin()
        topic_rows[t.id] = Topic(
            event_id=saved_id(event),
            title=strip_bidi(" ".join(t.title.split())),
            description=t.description.strip(),
            tags=tags.get(t.id, []),
            paper_marks=paper.get(t.id, 0),
            unavailable_slots=sorted(slot_pk[s] for s in t.unavailable_slots),
            needs=sorted(t.needs),
            language=t.language,
            pinned_room_id=room_rows[pin.room].id if pin.room else None,
            pinned_slot_id=slot_pk[pin.slot] if pin.slot else None,
        )
    session.add_all(topic_rows.values())
    session.flush()
    return topic_rows, people


def _add_links(
    session: Session, event: Event, instance: Instance, *, topic_rows: dict[str, Topic], people: dict[str, Attendee]
) -> int:
    """Who leads what, who marked what, and the pairs kept apart; returns the number of marks."""
    for t in instance.topics:
        for person in dict.fromkeys(t.facilitators):
            session.add(
                FacilitatorClaim(
                    event_id=saved_id(event), attendee_id=saved_id(people[person]), topic_id=saved_id(topic_rows[t.id])
                )
            )
    marks: dict[tuple[str, str], float] = {}
    for interest in instance.interests:
        marks[(interest.attendee, interest.topic)] = interest.weight  # one mark per attendee and topic
    for (person, topic_id), weight in marks.items():
        session.add(
            Interest(
                event_id=saved_id(event),
                attendee_id=saved_id(people[person]),
                topic_id=saved_id(topic_rows[topic_id]),
                weight=weight,
            )
        )
    for a, b in dict.fromkeys(tuple(sorted(pair)) for pair in instance.avoid_clash):
        session.add(
            ClashPair(event_id=saved_id(event), topic_a_id=saved_id(topic_rows[a]), topic_b_id=saved_id(topic_rows[b]))
        )
    return len(marks)
