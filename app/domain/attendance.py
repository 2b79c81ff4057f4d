"""Who was where, as the organizer reads it: per slot, per session (and plenary), the people
checked in, the paper count and the seats; and the headcounts doors and session pages show."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.domain import phases, rows
from app.domain.checkins import Target, as_utc, find_target, headcounts, where_now
from app.domain.errors import DomainError, InvalidInput, about
from app.domain.timetable import event_now, grid, in_room
from app.i18n import _
from app.models import Attendee, Event, Room, SlotKind, TimeSlot, Topic, saved_id
from app.models.closing import CheckIn, PaperCount


def attendee_name(attendee_id: int, name: str) -> str:
    """How the organizer's pages name someone: their name, or "Attendee #12" without one."""
    return name or _("Attendee #{id}").format(id=attendee_id)


@dataclass
class Present:
    """One check-in, as the organizer's list shows it."""

    check_in: CheckIn
    name: str

    @property
    def at(self) -> datetime:
        return as_utc(self.check_in.at)

    @property
    def left_at(self) -> datetime | None:
        return as_utc(self.check_in.left_at) if self.check_in.left_at else None


@dataclass
class SessionAttendance:
    """One session (``topic`` None: the plenary) in one slot."""

    slot: TimeSlot
    topic: Topic | None
    room: Room | None
    people: list[Present] = field(default_factory=list)
    paper: int | None = None

    @property
    def title(self) -> str:
        return self.topic.title if self.topic is not None else (self.slot.title or self.slot.kind.label)

    @property
    def topic_id(self) -> int | None:
        return self.topic.id if self.topic is not None else None

    @property
    def seats(self) -> int | None:
        return self.room.capacity if self.room is not None else None

    @property
    def checked_in(self) -> int:
        """Different people who checked in here during the slot (those who left included)."""
        return len({p.check_in.attendee_id for p in self.people})

    @property
    def here(self) -> int:
        """Checked in here and not moved on."""
        return len({p.check_in.attendee_id for p in self.people if p.check_in.left_at is None})


@dataclass
class SlotAttendance:
    slot: TimeSlot
    sessions: list[SessionAttendance]

    @property
    def checked_in(self) -> int:
        """Different people checked in anywhere in the slot."""
        return len({p.check_in.attendee_id for s in self.sessions for p in s.people})

    @property
    def paper(self) -> int:
        return sum(s.paper or 0 for s in self.sessions)


@dataclass
class AttendanceView:
    slots: list[SlotAttendance]
    people: int  # different people checked in at least once today
    attendees: list[tuple[int, str]]  # everyone who joined, for checking in by hand

    @property
    def any(self) -> bool:
        return self.people > 0 or any(s.paper for s in self.slots)


def attendance(session: Session, *, event: Event) -> AttendanceView:
    """Per slot, per session (and plenary): who checked in, the paper count and the seats."""
    view = grid(session, event=event)
    by_room = {saved_id(r): r for r in view.rooms}
    found = list(session.scalars(select(CheckIn).where(CheckIn.event_id == event.id).order_by(col(CheckIn.at))))
    names = dict(session.execute(select(Attendee.id, Attendee.name).where(Attendee.event_id == event.id)).all())
    papers = {
        (p.slot_id, p.topic_id): p.count
        for p in session.scalars(select(PaperCount).where(PaperCount.event_id == event.id))
    }
    checked: dict[tuple[int, int | None], list[Present]] = defaultdict(list)
    for row in found:
        checked[(row.slot_id, row.topic_id)].append(
            Present(row, attendee_name(row.attendee_id, names.get(row.attendee_id, "")))
        )
    slots: list[SlotAttendance] = []
    for slot in view.slots:
        sessions: list[SessionAttendance] = []
        if slot.kind == SlotKind.plenary:
            sessions.append(SessionAttendance(slot, None, by_room.get(slot.room_id) if slot.room_id else None))
        elif slot.kind == SlotKind.sessions:
            for room in view.rooms:
                cell = view.cell(room, slot)
                if cell is not None:
                    sessions.append(SessionAttendance(slot, cell.topic, room))
        for one in sessions:
            key = (saved_id(slot), one.topic_id)
            one.people, one.paper = checked.get(key, []), papers.get(key)
        if sessions:
            slots.append(SlotAttendance(slot, sessions))
    everyone = sorted(
        ((i, attendee_choice(i, n)) for i, n in names.items()), key=lambda p: (not names[p[0]], p[1].lower(), p[0])
    )
    return AttendanceView(slots=slots, people=len({r.attendee_id for r in found}), attendees=everyone)


@dataclass
class HereView:
    """A phone's check-in as its pages show it: where, since when (local ``HH:MM``), how many."""

    check_in: CheckIn
    title: str
    room: Room | None
    since: str
    headcount: int
    seats: int | None

    @property
    def where(self) -> str:
        """ "in the Library" (empty for a plenary held nowhere in particular)."""
        return in_room(self.room.name) if self.room is not None else ""


def here_view(session: Session, *, event: Event, attendee: Attendee, now: datetime | None = None) -> HereView | None:
    """The attendee's open check-in of now, with its session's title, room and headcount."""
    row = where_now(session, event=event, attendee=attendee, now=now)
    if row is None:
        return None
    slot = session.get(TimeSlot, row.slot_id)
    topic = session.get(Topic, row.topic_id) if row.topic_id else None
    room = session.get(Room, row.room_id) if row.room_id else None
    title = topic.title if topic is not None else (slot.title or slot.kind.label if slot else "")
    count = headcounts(session, event=event, slot_id=row.slot_id).get(row.topic_id, 0)
    since = event_now(event, as_utc(row.at)).strftime("%H:%M")
    return HereView(row, title, room, since, count, room.capacity if room else None)


@dataclass
class HereCount:
    """What one checks into now (at a door, or for a session), and how many are checked in there:
    the larger of the phones checked in and an organizer's paper count, as the board shows it."""

    target: Target
    checked_in: int
    paper: int | None
    mine: bool = False  # the phone asking is checked in there

    @property
    def here(self) -> int:
        return max(self.checked_in, self.paper or 0)

    @property
    def seats(self) -> int | None:
        return self.target.room.capacity if self.target.room is not None else None


def here_count(
    session: Session,
    *,
    event: Event,
    topic_id: int | None = None,
    room_id: int | None = None,
    attendee: Attendee | None = None,
    now: datetime | None = None,
) -> HereCount | None:
    """What one can check into now in a room (or whether a session runs now), with its headcount;
    None when check-in is closed or nothing runs there now (nor starts within ten minutes)."""
    if not phases.is_allowed(event, "check_in"):
        return None
    try:
        target = find_target(session, event=event, room_id=room_id, topic_id=topic_id, now=now)
    except DomainError:
        return None
    slot_id = saved_id(target.slot)
    topic = target.topic.id if target.topic is not None else None
    paper = session.scalars(
        select(PaperCount.count).where(
            PaperCount.event_id == event.id,
            PaperCount.slot_id == slot_id,
            col(PaperCount.topic_id).is_(None) if topic is None else PaperCount.topic_id == topic,
        )
    ).first()
    mine = False
    if attendee is not None:
        row = where_now(session, event=event, attendee=attendee, now=now)
        mine = row is not None and (row.slot_id, row.topic_id) == (slot_id, topic)
    count = headcounts(session, event=event, slot_id=slot_id).get(topic, 0)
    return HereCount(target=target, checked_in=count, paper=paper, mine=mine)


def find_attendee(session: Session, *, event: Event, typed: str) -> Attendee:
    """The attendee an organizer typed: "Ana (#12)", "#12" or "Attendee #12" as the list offers
    them, or a name that only one person has."""
    text = typed.strip()
    number = re.search(r"#(\d{1,9})\)?$", text)
    found: list[Attendee] = []
    if number:
        one = rows.find(session, Attendee, int(number.group(1)), event=event)
        found = [one] if one is not None else []
    elif text:
        found = list(
            session.scalars(
                select(Attendee).where(Attendee.event_id == event.id, func.lower(Attendee.name) == text.lower())
            )
        )
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        message = _("several people are called {name}: choose one from the list (it adds their number).")
        raise InvalidInput(about("attendee", message.format(name=text)), field="attendee")
    if not text:
        raise InvalidInput(about("attendee", _("type a name, or choose one from the list.")), field="attendee")
    raise InvalidInput(about("attendee", _("nobody called {name} has joined.").format(name=text)), field="attendee")


def attendee_choice(attendee_id: int, name: str) -> str:
    """How the hand check-in list offers someone: "Ana (#12)", or "Attendee #12" without a name."""
    return _("{name} (#{id})").format(name=name, id=attendee_id) if name else attendee_name(attendee_id, name)
