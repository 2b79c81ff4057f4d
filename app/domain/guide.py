"""What attendees take home and what goes on paper: the resource guide, the printable board, door signs."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from app.domain import smackdown, talks, timetable, topics
from app.domain.notes import list_resources
from app.i18n import pgettext
from app.models import (
    Event,
    NoteRevision,
    Resource,
    Room,
    SessionNote,
    SlotKind,
    SmackdownShare,
    Talk,
    TimeSlot,
    Topic,
    TopicStatus,
    saved_id,
)


@dataclass
class GuideEntry:
    """One session in the guide: where and when, who led it, its notes and resources."""

    topic: Topic
    room: Room | None
    slot: TimeSlot | None
    facilitators: list[str]
    notes: str
    notes_by: list[str]
    resources: list[Resource]

    @property
    def is_empty(self) -> bool:
        return not self.notes and not self.resources


@dataclass
class GuideSlot:
    slot: TimeSlot
    entries: list[GuideEntry]
    talks: list[Talk] = field(default_factory=list)  # a plenary's talks, in their running order
    room: Room | None = None  # a plenary's room


@dataclass
class GuideView:
    """Every session's notes and resources, slot by slot and room by room."""

    event: Event
    published: bool
    slots: list[GuideSlot] = field(default_factory=list)
    unscheduled: list[GuideEntry] = field(default_factory=list)  # topics with notes or resources, not placed
    # The smackdown's shares (those that came up: done, or up now), in the order they were given.
    smackdown: list[SmackdownShare] = field(default_factory=list)

    @property
    def entries(self) -> list[GuideEntry]:
        return [e for s in self.slots for e in s.entries] + self.unscheduled


def guide(session: Session, *, event: Event) -> GuideView:
    """The resource guide: the published grid's sessions in order, then anything else with notes or links."""
    view = timetable.grid(session, event=event)
    notes = {n.topic_id: n for n in session.scalars(select(SessionNote).where(SessionNote.event_id == event.id))}
    authors: dict[int, list[str]] = {}
    if notes:
        by_note = {n.id: n.topic_id for n in notes.values()}
        for note_id, name in session.execute(
            select(NoteRevision.note_id, NoteRevision.author_name)
            .where(col(NoteRevision.note_id).in_(list(by_note)))
            .order_by(col(NoteRevision.number))
        ):
            names = authors.setdefault(by_note[note_id], [])
            label = name or pgettext("someone unnamed", "a teacher")
            if label not in names:
                names.append(label)
    resources: dict[int, list[Resource]] = {}
    for resource in list_resources(session, event=event):
        resources.setdefault(resource.topic_id, []).append(resource)

    def entry(topic: Topic, room: Room | None, slot: TimeSlot | None, leads: list[str]) -> GuideEntry:
        topic_id = saved_id(topic)
        note = notes.get(topic_id)
        return GuideEntry(
            topic=topic,
            room=room,
            slot=slot,
            facilitators=leads,
            notes=note.text if note else "",
            notes_by=authors.get(topic_id, []),
            resources=resources.get(topic_id, []),
        )

    result = GuideView(event=event, published=view.published, smackdown=smackdown.shared(session, event=event))
    placed: set[int] = set()
    running = talks.talks_by_slot(session, event=event)
    rooms = {saved_id(r): r for r in view.rooms}
    for slot in view.slots:
        given = running.get(saved_id(slot), []) if slot.kind == SlotKind.plenary else []
        entries = []
        for room in view.rooms:
            cell = view.cell(room, slot)
            if cell is not None:
                placed.add(saved_id(cell.topic))
                entries.append(entry(cell.topic, room, slot, cell.facilitators))
        if entries or given:
            hall = rooms.get(slot.room_id) if given and slot.room_id else None
            result.slots.append(GuideSlot(slot=slot, entries=entries, talks=given, room=hall))
    others = (set(notes) | set(resources)) - placed
    if others:
        rows = list(
            session.scalars(
                select(Topic).where(col(Topic.id).in_(others), Topic.status == TopicStatus.open).order_by(col(Topic.id))
            )
        )
        views = {v.topic.id: v for v in topics.topic_views(session, event=event, viewer=None, topics=rows)}
        result.unscheduled = [entry(t, None, None, views[t.id].facilitators) for t in rows]
    return result


@dataclass
class DoorSign:
    """One room's sign: its sessions through the day, and the whole day in order (``day``: each slot
    with the room's session in it or the plenary or break everyone goes to)."""

    room: Room
    sessions: list[timetable.CellView]
    slots: dict[int, TimeSlot]
    day: list[tuple[TimeSlot, timetable.CellView | None, timetable.ProgrammeItem | None]] = field(default_factory=list)


def door_signs(session: Session, *, event: Event) -> list[DoorSign]:
    """One sign per room, listing the room's sessions and the day's plenaries and breaks in slot order."""
    view = timetable.grid(session, event=event)
    slots = {saved_id(s): s for s in view.slots}
    signs = []
    for room in view.rooms:
        day = [(s, view.cell(room, s), view.item(s)) for s in view.slots]
        day = [(s, cell, item) for s, cell, item in day if cell is not None or item is not None]
        cells = [cell for _s, cell, _item in day if cell is not None]
        signs.append(DoorSign(room=room, sessions=cells, slots=slots, day=day))
    return signs


def session_place(session: Session, *, event: Event, topic: Topic) -> tuple[Room, TimeSlot] | None:
    """Where and when a topic takes place on the published schedule, if it does."""
    view = timetable.grid(session, event=event)
    for (room_id, slot_id), cell in view.cells.items():
        if cell.topic.id == topic.id:
            room = next(r for r in view.rooms if r.id == room_id)
            slot = next(s for s in view.slots if s.id == slot_id)
            return room, slot
    return None
