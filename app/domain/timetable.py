"""The published schedule as screens show it: publishing, the grid, the door view, the rule of two feet.

A minimal part of the schedule workflow, enough for the live board: the organizer console (drafts,
the solver, moves, undo) builds on the same ``ScheduleRun``/``Placement`` tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as date_cls
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session, col, select

from app.domain import phases, rows, topics
from app.domain.changelog import record_change
from app.domain.changes import Change
from app.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound, about
from app.i18n import _
from app.models import (
    Attendee,
    Event,
    FacilitatorClaim,
    Placement,
    Room,
    ScheduleRun,
    SessionStatus,
    SlotKind,
    TimeSlot,
    Topic,
    saved_id,
)
from app.models.util import utcnow


@dataclass
class CellView:
    """One session on the grid."""

    placement: Placement
    topic: Topic
    facilitators: list[str]

    @property
    def status(self) -> SessionStatus:
        return self.placement.status


def in_room(name: str) -> str:
    """Where, in words: "in the Auditorium", "in Room 12" (a one-word name without a number gets "the")."""
    plain = len(name.split()) == 1 and not any(ch.isdigit() for ch in name) and name.lower() != "the"
    return _("in the {room}").format(room=name) if plain else _("in {room}").format(room=name)


@dataclass
class ProgrammeItem:
    """A plenary or a break as every screen shows it: its slot, its title and its room, if any."""

    slot: TimeSlot
    room: Room | None

    @property
    def kind(self) -> SlotKind:
        return self.slot.kind

    @property
    def title(self) -> str:
        """The slot's title, or its kind ("Break") when it has none."""
        return self.slot.title or self.slot.kind.label

    @property
    def where(self) -> str:
        return in_room(self.room.name) if self.room is not None else ""

    @property
    def line(self) -> str:
        """ "Opening keynote in the Auditorium", "Lunch in the cafeteria", "Break" (a title that names
        its room already is not told the room twice)."""
        named = self.room is not None and self.room.name.lower() in self.title.lower()
        return (
            _("{title} {where}").format(title=self.title, where=self.where) if self.where and not named else self.title
        )


def programme_items(rooms: list[Room], slots: list[TimeSlot]) -> dict[int, ProgrammeItem]:
    """The day's plenaries and breaks by slot id."""
    by_id = {saved_id(room): room for room in rooms}
    return {
        saved_id(slot): ProgrammeItem(slot=slot, room=by_id.get(slot.room_id) if slot.room_id else None)
        for slot in slots
        if slot.kind != SlotKind.sessions
    }


@dataclass
class GridView:
    """The published schedule: rooms as columns, slots as rows, and where the day is now.

    Plenaries and breaks are in ``slots`` in their time order; ``item(slot)`` says what one is
    (None for a sessions slot), and no session is ever placed in one."""

    run: ScheduleRun | None
    rooms: list[Room]
    slots: list[TimeSlot]
    cells: dict[tuple[int, int], CellView] = field(default_factory=dict)  # (room_id, slot_id)
    current_slot_id: int | None = None
    next_slot_id: int | None = None
    programme: dict[int, ProgrammeItem] = field(default_factory=dict)  # slot_id -> a plenary or a break

    @property
    def published(self) -> bool:
        return self.run is not None

    def cell(self, room: Room, slot: TimeSlot) -> CellView | None:
        return self.cells.get((saved_id(room), saved_id(slot)))

    def item(self, slot: TimeSlot) -> ProgrammeItem | None:
        """The plenary or break in ``slot``; None for a sessions slot."""
        return self.programme.get(saved_id(slot))

    @property
    def session_slots(self) -> list[TimeSlot]:
        return [slot for slot in self.slots if slot.kind == SlotKind.sessions]


@dataclass
class DoorView:
    """What a tablet at one room's door shows: the session now and the next one."""

    room: Room
    grid: GridView
    now: CellView | None
    next: CellView | None
    now_slot: TimeSlot | None
    next_slot: TimeSlot | None

    @property
    def now_item(self) -> ProgrammeItem | None:
        """The plenary or break on now, if one is."""
        return self.grid.item(self.now_slot) if self.now_slot else None

    @property
    def next_item(self) -> ProgrammeItem | None:
        """The plenary or break that comes next, if one does."""
        return self.grid.item(self.next_slot) if self.next_slot else None


def event_now(event: Event, now: datetime | None = None) -> datetime:
    """The current wall-clock time in the event's time zone."""
    try:
        zone = ZoneInfo(event.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return (now or utcnow()).astimezone(zone)


def current_and_next(event: Event, slots: list[TimeSlot], now: datetime | None = None) -> tuple[int | None, int | None]:
    """The slot running now and the one after it, by the event's clock (``HH:MM`` in its time zone)."""
    local = event_now(event, now)
    if event.date:
        try:
            day = date_cls.fromisoformat(event.date)
        except ValueError:
            day = local.date()
        if local.date() < day:
            return None, slots[0].id if slots else None
        if local.date() > day:
            return None, None
    hhmm = local.strftime("%H:%M")
    ordered = sorted(slots, key=lambda s: s.start)
    current = next((s for s in ordered if s.start <= hhmm < s.end), None)
    upcoming = next((s for s in ordered if s.start > hhmm), None)
    return (current.id if current else None), (upcoming.id if upcoming else None)


def published_run(session: Session, *, event: Event) -> ScheduleRun | None:
    """The newest published schedule version, or None before the first publish."""
    return session.scalars(
        select(ScheduleRun)
        .where(ScheduleRun.event_id == event.id, col(ScheduleRun.published_at).is_not(None))
        .order_by(col(ScheduleRun.version).desc())
    ).first()


def _rooms_and_slots(session: Session, event: Event) -> tuple[list[Room], list[TimeSlot]]:
    return rows.rooms(session, event), rows.slots(session, event)


def grid(session: Session, *, event: Event, now: datetime | None = None) -> GridView:
    """The published grid with the current and next slot; empty cells before the first publish."""
    rooms, slots = _rooms_and_slots(session, event)
    run = published_run(session, event=event)
    view = GridView(run=run, rooms=rooms, slots=slots, programme=programme_items(rooms, slots))
    view.current_slot_id, view.next_slot_id = current_and_next(event, slots, now)
    if run is None:
        return view
    placements = list(session.scalars(select(Placement).where(Placement.schedule_run_id == run.id)))
    topic_ids = [p.topic_id for p in placements]
    by_id = {t.id: t for t in session.scalars(select(Topic).where(col(Topic.id).in_(topic_ids)))}
    leads = {
        topic_id: [name for _, name in people]
        for topic_id, people in rows.facilitators(session, topic_ids=topic_ids).items()
    }
    for p in placements:
        topic = by_id.get(p.topic_id)
        if topic is not None:
            view.cells[(p.room_id, p.slot_id)] = CellView(
                placement=p, topic=topic, facilitators=leads.get(p.topic_id, [])
            )
    return view


def door(session: Session, *, event: Event, room_id: int, now: datetime | None = None) -> DoorView:
    """Now and next in one room."""
    room = rows.require(session, Room, room_id, event=event, field="room_id")
    view = grid(session, event=event, now=now)
    slots = {s.id: s for s in view.slots}
    now_slot = slots.get(view.current_slot_id) if view.current_slot_id else None
    next_slot = slots.get(view.next_slot_id) if view.next_slot_id else None
    return DoorView(
        room=room,
        grid=view,
        now_slot=now_slot,
        next_slot=next_slot,
        now=view.cell(room, now_slot) if now_slot else None,
        next=view.cell(room, next_slot) if next_slot else None,
    )


def require_placement(session: Session, *, event: Event, placement_id: int) -> Placement:
    """A session of the event's published schedule, or NotFound."""
    run = published_run(session, event=event)
    placement = session.get(Placement, placement_id)
    if run is None or placement is None or placement.schedule_run_id != run.id:
        raise NotFound(
            _("Session {id} is not on the published schedule.").format(id=placement_id), field="placement_id"
        )
    return placement


def can_set_status(session: Session, *, placement: Placement, attendee: Attendee | None, organizer: bool) -> bool:
    """Facilitators of the session (and organizers) say whether the room is full."""
    if organizer:
        return True
    if attendee is None:
        return False
    return (
        session.scalars(
            select(FacilitatorClaim.id).where(
                FacilitatorClaim.topic_id == placement.topic_id, FacilitatorClaim.attendee_id == attendee.id
            )
        ).first()
        is not None
    )


def set_session_status(
    session: Session,
    *,
    event: Event,
    placement: Placement,
    status: SessionStatus | str,
    attendee: Attendee | None,
    organizer: bool = False,
) -> Placement:
    """ "Full", "room for more" or "ended early": shown at once on the board, the door and the phones."""
    phases.require_phase(event, "set_session_status")
    try:
        value = SessionStatus(status)
    except ValueError:
        allowed = ", ".join(s.value for s in SessionStatus)
        raise InvalidInput(
            about("status", _("use one of {allowed}.").format(allowed=allowed)), field="status"
        ) from None
    if not can_set_status(session, placement=placement, attendee=attendee, organizer=organizer):
        raise NotAllowed(_("Only this session's facilitators or an organizer can say how the room is."))
    placement.status = value
    placement.status_at = utcnow()
    session.add(placement)
    record_change(
        session,
        event_id=saved_id(event),
        kind=Change.session_status,
        payload={"placement_id": placement.id, "status": value.value},
    )
    session.commit()
    return placement


def start_popup(
    session: Session, *, event: Event, attendee: Attendee, room_id: int, title: str, now: datetime | None = None
) -> Placement:
    """An attendee starts a session in a room left free in the current slot; the attendee leads it."""
    phases.require_phase(event, "start_popup")
    view = grid(session, event=event, now=now)
    if view.run is None or view.current_slot_id is None:
        raise Conflict(_("No slot is running right now, so there is no room to pop up in."))
    if view.current_slot_id in view.programme:
        item = view.programme[view.current_slot_id]
        raise Conflict(
            _("{what} is on now ({kind}): a pop-up session starts in a sessions slot.").format(
                what=item.line, kind=item.kind.label.lower()
            )
        )
    room = next((r for r in view.rooms if r.id == room_id), None)
    if room is None:
        raise NotFound(_("Room {id} is not one of this event's rooms.").format(id=room_id), field="room_id")
    if (room_id, view.current_slot_id) in view.cells or view.current_slot_id in room.unavailable_slots:
        raise Conflict(_("{room} is not free in this slot. Pick a room marked free.").format(room=room.name))
    topic = Topic(event_id=saved_id(event), author_id=attendee.id, title=topics.clean_title(title))
    session.add(topic)
    session.flush()
    session.add(FacilitatorClaim(event_id=saved_id(event), attendee_id=saved_id(attendee), topic_id=saved_id(topic)))
    placement = Placement(
        schedule_run_id=saved_id(view.run),
        topic_id=saved_id(topic),
        room_id=room_id,
        slot_id=view.current_slot_id,
        is_popup=True,
    )
    session.add(placement)
    session.flush()
    record_change(
        session,
        event_id=saved_id(event),
        kind=Change.popup_started,
        payload={"placement_id": placement.id, "topic_id": topic.id},
    )
    session.commit()
    return placement


def sessions_of(view: GridView, topic_id: int) -> list[tuple[TimeSlot, Room, CellView]]:
    """Where and when a topic runs on the published grid, in time order (empty before publishing)."""
    return [
        (slot, room, cell)
        for slot in view.slots
        for room in view.rooms
        if (cell := view.cell(room, slot)) is not None and cell.topic.id == topic_id
    ]


def free_rooms_now(view: GridView) -> list[Room]:
    """Rooms with nothing in the current slot (candidates for a pop-up session)."""
    if view.current_slot_id is None or view.run is None or view.current_slot_id in view.programme:
        return []
    return [
        r
        for r in view.rooms
        if (r.id, view.current_slot_id) not in view.cells and view.current_slot_id not in r.unavailable_slots
    ]
