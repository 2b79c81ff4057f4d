"""Starting from an earlier event: "a new event like this one", for organizers who run a series.

Last year's day is this year's plan: the same rooms, the same shape of day (slots with their kinds,
titles and rooms), the same running order of talks to fill in again, the same marking rules. What
happened on the day belongs to that day: people, topics, marks, claims, notes, feedback, schedules,
announcements and the audit log stay behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from app.domain import audit, closingfile, eventfile, events, eventspec, phases, rows, talks
from app.domain.errors import NotAllowed
from app.domain.eventspec import RoomSpec, SlotSpec
from app.i18n import _
from app.models import Event, Organizer, Room, SlotKind, Talk, TimeSlot, saved_id


def copy_event(session: Session, *, source: Event, actor: Organizer, date: str, name: str = "") -> events.CreatedEvent:
    """A new event like ``source`` on ``date``, named ``name`` (empty: the same name): its rooms
    (names, seats, features, unavailable slots), slots (times, kinds, titles, rooms), each plenary's
    talks (speaker, title, minutes, bio), marking rules and languages, the place, the certificate and
    raffle settings and the exit survey's own questions (not the prizes), in the setup phase under a new code and
    organizer link. ``actor``, an organizer of ``source``, becomes its organizer as event creation
    makes one. Checked as event creation checks a new event; a refusal leaves nothing behind."""
    if actor.event_id != source.id or actor.removed_at is not None:
        raise NotAllowed(_("Only an organizer of this event can make a new event like it."))
    phases.require_phase(source, "copy_event")
    old_rooms, old_slots = rows.rooms(session, source), rows.slots(session, source)
    created = events.create_event(
        session,
        name=name.strip() or source.name,
        date=date,
        timezone=source.timezone,
        rooms=[RoomSpec(room.name, room.capacity, list(room.features)) for room in old_rooms],
        slots=[_same_slot(slot, old_rooms) for slot in old_slots],
        organizer_name=actor.name,
        vote_budget=source.vote_budget,
        hide_counts=source.hide_counts,
        shuffle_topics=source.shuffle_topics,
        language=source.language,
        bilingual=source.bilingual,
        commit=False,
    )
    event = created.event
    event.facilitator_limit = source.facilitator_limit
    event.min_interest = source.min_interest
    event.board_theme = source.board_theme
    session.add(event)
    room_ids = _same_rooms(session, event, old_rooms)
    slot_ids = _same_slots(session, event, old_slots)
    for room in old_rooms:
        copy = rows.require(session, Room, room_ids[saved_id(room)], event=event, field="rooms")
        copy.unavailable_slots = sorted(slot_ids[s] for s in room.unavailable_slots if s in slot_ids)
        session.add(copy)
    _copy_talks(session, source=source, event=event, slot_ids=slot_ids)
    closingfile.copy_closing(session, source=source, event=event)
    audit.record(
        session,
        event=source,
        actor=actor,
        action="new_event_like_this",
        detail=f"made a new event like this one: “{event.name}” on {event.date} (code {event.code})",
    )
    session.commit()
    return created


def _same_rooms(session: Session, event: Event, old_rooms: list[Room]) -> dict[int, int]:
    """Each old room's id → its copy's (room names are unique in an event, whatever their case)."""
    by_name = {room.name.lower(): saved_id(room) for room in rows.rooms(session, event)}
    return {saved_id(room): by_name[room.name.lower()] for room in old_rooms}


def _same_slot(slot: TimeSlot, rooms: list[Room]) -> SlotSpec:
    """``slot`` as event creation takes it: times, kind, and for a plenary or a break its title and
    its room by name (a sessions slot has neither, whatever an older row kept)."""
    if slot.kind == SlotKind.sessions:
        return SlotSpec(slot.start, slot.end)
    room = next((room.name for room in rooms if room.id == slot.room_id), "")
    return SlotSpec(slot.start, slot.end, kind=slot.kind.value, title=slot.title, room=room)


def _same_slots(session: Session, event: Event, old_slots: list[TimeSlot]) -> dict[int, int]:
    """Each old slot's id → its copy's, found by its times (slots never overlap: each start is its own)."""
    by_time = {(slot.start, slot.end): saved_id(slot) for slot in rows.slots(session, event)}
    return {saved_id(old): by_time[(old.start, old.end)] for old in old_slots}


def _copy_talks(session: Session, *, source: Event, event: Event, slot_ids: dict[int, int]) -> None:
    """The running order of every plenary, as planned: who speaks, on what, for how long; never
    when a talk was started or ended on the earlier day."""
    for slot_id, running in talks.talks_by_slot(session, event=source).items():
        for talk in running:
            session.add(
                Talk(
                    event_id=saved_id(event),
                    slot_id=slot_ids[slot_id],
                    position=talk.position,
                    speaker=talk.speaker,
                    title=talk.title,
                    minutes=talk.minutes,
                    bio=talk.bio,
                )
            )


# --- the same from an event file: ``twofeet import --setup-only`` ---------------------------------

#: What an event file may hold of the day itself (its key, and what a person calls one and many),
#: which a set-up-only import leaves out.
DAY_KEYS = {
    "attendees": ("attendee", "attendees"),
    "topics": ("topic", "topics"),
    "interests": ("mark", "marks"),
    "avoid_clash": ("pair of topics kept apart", "pairs of topics kept apart"),
    "placements": ("placement", "placements"),
    "notes": ("session's notes", "sessions' notes"),
    "resources": ("resource", "resources"),
}


@dataclass
class ImportedSetup:
    imported: eventfile.ImportedEvent
    left_out: dict[str, int]  # what the file held of the day (in words), and how many of each


def on_date(document: object, date: str) -> object:
    """``document`` with its event's date changed to ``date``, checked as event creation checks it."""
    day = eventspec.validate_date(date)
    if not isinstance(document, dict):
        return document  # the import refuses it, and says why
    given = document.get("event")
    return {**document, "event": {**(given if isinstance(given, dict) else {}), "date": day}}


def import_setup(session: Session, document: object, *, date: str | None = None) -> ImportedSetup:
    """A new event from the set-up of an event file: the event's settings, rooms, slots with their
    kinds and each plenary's talks, on ``date`` if given. The file's attendees, topics, marks,
    placements, notes and resources are left out, and counted, so the person can be told."""
    if date is not None:
        document = on_date(document, date)
    if not isinstance(document, dict):
        return ImportedSetup(eventfile.import_event(session, document), {})
    setup: dict[str, Any] = {key: value for key, value in document.items() if key not in DAY_KEYS}
    left_out = {
        words[len(document[key]) != 1]: len(document[key])
        for key, words in DAY_KEYS.items()
        if isinstance(document.get(key), list | dict) and document[key]
    }
    return ImportedSetup(eventfile.import_event(session, setup), left_out)
