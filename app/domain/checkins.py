"""Check-in per session: who is in which session now, by the door's QR code, "I'm here" or by hand.

The rule of two feet: checking into another session of the same slot ends the open check-in
(``left_at``) and starts a new one, so both times are kept; checking in again where one already is
changes nothing. A check-in is for the slot running now in the event's time zone, or for the next
one when it starts within ``EARLY`` (people arrive before the start). Times are stored in UTC; an
organizer's hand check-in counts the whole slot (``at`` is the slot's start, ``left_at`` None),
which is how the certificates count hours (each row clipped to its slot).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from datetime import date as date_cls

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from app.domain import audit, phases, rows
from app.domain.changelog import record_change
from app.domain.changes import Change
from app.domain.errors import Conflict, InvalidInput, NotFound, about
from app.domain.timetable import current_and_next, event_now, in_room, published_run
from app.i18n import _
from app.models import Attendee, Event, Organizer, Placement, Room, ScheduleRun, SlotKind, TimeSlot, Topic, saved_id
from app.models.closing import CheckIn, PaperCount
from app.models.util import utcnow

EARLY = timedelta(minutes=10)  # check-in opens this long before a slot starts
PAPER_MAX = 10000
SOURCES = ("door", "tap")


def as_utc(moment: datetime) -> datetime:
    """A stored time as an aware UTC datetime (SQLite gives back naive ones)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _day(event: Event, now: datetime | None) -> date_cls:
    try:
        return date_cls.fromisoformat(event.date) if event.date else event_now(event, now).date()
    except ValueError:
        return event_now(event, now).date()


def slot_bounds(event: Event, slot: TimeSlot, now: datetime | None = None) -> tuple[datetime, datetime]:
    """The slot's start and end on the event's day, as UTC datetimes."""
    zone = event_now(event, now).tzinfo
    day = _day(event, now)

    def at(hhmm: str) -> datetime:
        return datetime.combine(day, time.fromisoformat(hhmm), tzinfo=zone).astimezone(UTC)

    start, end = at(slot.start), at(slot.end)
    return start, max(start, end)


def opens_at(slot: TimeSlot) -> str:
    """When check-in opens for ``slot``, as ``HH:MM`` in the event's time zone."""
    start = datetime.combine(date_cls(2000, 1, 1), time.fromisoformat(slot.start)) - EARLY
    return start.strftime("%H:%M")


def open_slots(event: Event, slots: list[TimeSlot], now: datetime | None = None) -> list[TimeSlot]:
    """The slots one can check into now, preferred first: the next one if it starts within
    ``EARLY`` (whoever walks in now is there for it), then the one running now."""
    current_id, next_id = current_and_next(event, slots, now)
    by_id = {s.id: s for s in slots}
    found: list[TimeSlot] = []
    upcoming = by_id.get(next_id) if next_id else None
    if upcoming is not None:
        start, _end = slot_bounds(event, upcoming, now)
        if start - (now or utcnow()) <= EARLY:
            found.append(upcoming)
    if current_id and current_id in by_id:
        found.append(by_id[current_id])
    return found


@dataclass
class Target:
    """What one checks into: a placed session (``topic``) or a plenary (``topic`` None) in a slot."""

    slot: TimeSlot
    topic: Topic | None
    room: Room | None

    @property
    def title(self) -> str:
        return self.topic.title if self.topic is not None else (self.slot.title or self.slot.kind.label)


def _placement(session: Session, run: ScheduleRun, slot: TimeSlot, **where: int) -> Placement | None:
    query = select(Placement).where(Placement.schedule_run_id == run.id, Placement.slot_id == slot.id)
    for name, value in where.items():
        query = query.where(getattr(Placement, name) == value)
    return session.scalars(query).first()


def _in_slot(session: Session, run: ScheduleRun, slot: TimeSlot, room: Room) -> Target | None:
    """What runs in ``room`` during ``slot``, if anything one can check into."""
    if slot.kind == SlotKind.plenary:
        return Target(slot, None, room) if slot.room_id in (None, room.id) else None
    if slot.kind != SlotKind.sessions:
        return None
    placement = _placement(session, run, slot, room_id=saved_id(room))
    topic = session.get(Topic, placement.topic_id) if placement is not None else None
    return Target(slot, topic, room) if topic is not None else None


def find_target(
    session: Session,
    *,
    event: Event,
    room_id: int | None = None,
    topic_id: int | None = None,
    now: datetime | None = None,
) -> Target:
    """What one checks into now, by the room one stands in or the session one taps; refused, naming
    the field, when nothing runs there now (nor starts within ``EARLY``)."""
    run = published_run(session, event=event)
    if run is None:
        raise Conflict(_("Check-in opens once the schedule is published."))
    candidates = open_slots(event, rows.slots(session, event), now)
    if topic_id is not None:
        topic = rows.require(session, Topic, topic_id, event=event, field="topic_id")
        for slot in candidates:
            placement = _placement(session, run, slot, topic_id=saved_id(topic))
            if placement is not None:
                return Target(slot, topic, session.get(Room, placement.room_id))
        raise Conflict(
            about("topic_id", _("{title} is not running now; check in when it starts.").format(title=topic.title)),
            field="topic_id",
        )
    if room_id is None:
        raise InvalidInput(about("room_id", _("say which room you are in (or which session).")), field="room_id")
    room = rows.require(session, Room, room_id, event=event, field="room_id")
    for slot in candidates:
        found = _in_slot(session, run, slot, room)
        if found is not None:
            return found
    raise Conflict(
        about(
            "room_id",
            _("nothing runs {where} now, so there is nothing to check into.").format(where=in_room(room.name)),
        ),
        field="room_id",
    )


def _lock(session: Session, attendee_id: int) -> None:
    """Serialise one attendee's check-ins (a double tap must not leave two open rows)."""
    session.execute(
        update(Attendee).where(col(Attendee.id) == attendee_id).values(lock_version=Attendee.lock_version + 1)
    )


def _open_rows(session: Session, *, attendee_id: int, slot_id: int) -> list[CheckIn]:
    return list(
        session.scalars(
            select(CheckIn)
            .where(CheckIn.attendee_id == attendee_id, CheckIn.slot_id == slot_id, col(CheckIn.left_at).is_(None))
            .order_by(col(CheckIn.at).desc(), col(CheckIn.id).desc())
        )
    )


def _changed(session: Session, event: Event, slot_id: int, topic_id: int | None) -> None:
    record_change(
        session, event_id=saved_id(event), kind=Change.checked_in, payload={"slot_id": slot_id, "topic_id": topic_id}
    )


def check_in(
    session: Session,
    *,
    event: Event,
    attendee: Attendee,
    room_id: int | None = None,
    topic_id: int | None = None,
    source: str = "door",
    now: datetime | None = None,
) -> CheckIn:
    """Check ``attendee`` into what runs now in ``room_id`` (the door's QR code) or into ``topic_id``
    ("I'm here"); a move within the slot closes the open check-in; again where one is: unchanged."""
    phases.require_phase(event, "check_in")
    if source not in SOURCES:
        raise InvalidInput(about("source", _("use door or tap.")), field="source")
    target = find_target(session, event=event, room_id=room_id, topic_id=topic_id, now=now)
    slot_id = saved_id(target.slot)
    new_topic = target.topic.id if target.topic is not None else None
    attendee_id = saved_id(attendee)
    _lock(session, attendee_id)
    moment = now or utcnow()
    already = _open_rows(session, attendee_id=attendee_id, slot_id=slot_id)
    if already and already[0].topic_id == new_topic:
        session.rollback()
        return already[0]
    for row in already:
        row.left_at = max(moment, as_utc(row.at))
        session.add(row)
    row = CheckIn(
        event_id=saved_id(event),
        attendee_id=attendee_id,
        slot_id=slot_id,
        topic_id=new_topic,
        room_id=target.room.id if target.room is not None else None,
        source=source,
        at=moment,
    )
    session.add(row)
    _changed(session, event, slot_id, new_topic)
    session.commit()
    return row


def where_now(session: Session, *, event: Event, attendee: Attendee, now: datetime | None = None) -> CheckIn | None:
    """The attendee's open check-in of the slot one can check into now (None: not checked in)."""
    for slot in open_slots(event, rows.slots(session, event), now):
        found = _open_rows(session, attendee_id=saved_id(attendee), slot_id=saved_id(slot))
        if found:
            return found[0]
    return None


def undo_check_in(session: Session, *, event: Event, attendee: Attendee, now: datetime | None = None) -> CheckIn | None:
    """ "Undo / not here": forget the open check-in of now; a move it made is undone too (the
    session one left is open again). Returns the removed row, or None when there was none."""
    phases.require_phase(event, "check_in")
    row = where_now(session, event=event, attendee=attendee, now=now)
    if row is None:
        return None
    _lock(session, saved_id(attendee))
    left = session.scalars(
        select(CheckIn).where(
            CheckIn.attendee_id == attendee.id, CheckIn.slot_id == row.slot_id, CheckIn.left_at == row.at
        )
    ).first()
    if left is not None:
        left.left_at = None
        session.add(left)
    session.delete(row)
    _changed(session, event, row.slot_id, row.topic_id)
    session.commit()
    return row


def _hand_target(session: Session, event: Event, slot_id: int, topic_id: int | None) -> tuple[TimeSlot, int | None]:
    slot = rows.require(session, TimeSlot, slot_id, event=event, field="slot_id")
    if slot.kind == SlotKind.plenary:
        if topic_id is not None:
            raise InvalidInput(
                about("topic_id", _("a plenary has no sessions: leave the session empty.")), field="topic_id"
            )
        return slot, None
    if slot.kind != SlotKind.sessions:
        raise InvalidInput(
            about("slot_id", _("nobody checks into a break: choose a sessions slot or a plenary.")), field="slot_id"
        )
    run = published_run(session, event=event)
    placed = None
    if run is not None and topic_id is not None:
        placed = _placement(session, run, slot, topic_id=topic_id)
    if placed is None:
        raise InvalidInput(about("topic_id", _("choose a session that runs in this slot.")), field="topic_id")
    return slot, topic_id


def check_in_by_hand(
    session: Session, *, event: Event, attendee_id: int, slot_id: int, topic_id: int | None, actor: Organizer
) -> CheckIn:
    """An organizer marks someone present for a whole slot in a session (or the plenary)."""
    phases.require_phase(event, "count_attendance")
    attendee = rows.require(session, Attendee, attendee_id, event=event, field="attendee_id")
    slot, topic = _hand_target(session, event, slot_id, topic_id)
    start, end = slot_bounds(event, slot)
    _lock(session, saved_id(attendee))
    for row in _open_rows(session, attendee_id=saved_id(attendee), slot_id=saved_id(slot)):
        if row.topic_id == topic and row.source == "organizer":
            session.rollback()
            return row
        row.left_at = min(max(utcnow(), as_utc(row.at)), end)  # the door's record is kept, ended
        session.add(row)
    room_id = None
    run = published_run(session, event=event)
    if topic is not None and run is not None:
        placement = _placement(session, run, slot, topic_id=topic)
        room_id = placement.room_id if placement is not None else None
    elif topic is None:
        room_id = slot.room_id
    row = CheckIn(
        event_id=saved_id(event),
        attendee_id=saved_id(attendee),
        slot_id=saved_id(slot),
        topic_id=topic,
        room_id=room_id,
        source="organizer",
        at=start,
    )
    session.add(row)
    audit.record(
        session, event=event, actor=actor, action="check_in_by_hand", detail=f"{attendee.id}@{slot.id}/{topic}"
    )
    _changed(session, event, saved_id(slot), topic)
    session.commit()
    return row


def remove_check_in(session: Session, *, event: Event, check_in_id: int, actor: Organizer) -> None:
    """An organizer removes a check-in (a mistake, by hand or at a door)."""
    phases.require_phase(event, "count_attendance")
    row = rows.require(
        session,
        CheckIn,
        check_in_id,
        event=event,
        field="check_in_id",
        message=_("Check-in {id} is not part of this event."),
    )
    session.delete(row)
    audit.record(
        session,
        event=event,
        actor=actor,
        action="remove_check_in",
        detail=f"{row.attendee_id}@{row.slot_id}/{row.topic_id}",
    )
    _changed(session, event, row.slot_id, row.topic_id)
    session.commit()


def set_paper_count(
    session: Session, *, event: Event, slot_id: int, topic_id: int | None, count: int, actor: Organizer
) -> PaperCount:
    """The paper fallback: the head count an organizer typed for a session (or plenary) in a slot."""
    phases.require_phase(event, "count_attendance")
    if not isinstance(count, int) or not 0 <= count <= PAPER_MAX:
        raise InvalidInput(about("count", _("a head count from 0 to {max}.").format(max=PAPER_MAX)), field="count")
    slot, topic = _hand_target(session, event, slot_id, topic_id)
    row = session.scalars(
        select(PaperCount).where(
            PaperCount.event_id == event.id,
            PaperCount.slot_id == slot.id,
            (col(PaperCount.topic_id).is_(None) if topic is None else PaperCount.topic_id == topic),
        )
    ).first()
    row = row or PaperCount(event_id=saved_id(event), slot_id=saved_id(slot), topic_id=topic)
    row.count, row.updated_at = count, utcnow()
    session.add(row)
    audit.record(session, event=event, actor=actor, action="paper_count", detail=f"{slot.id}/{topic}={count}")
    _changed(session, event, saved_id(slot), topic)
    session.commit()
    return row


def headcounts(session: Session, *, event: Event, slot_id: int) -> dict[int | None, int]:
    """How many are checked in now per session (topic id; None: the plenary) of one slot."""
    found = session.execute(
        select(CheckIn.topic_id, func.count(func.distinct(CheckIn.attendee_id)))
        .where(CheckIn.event_id == event.id, CheckIn.slot_id == slot_id, col(CheckIn.left_at).is_(None))
        .group_by(col(CheckIn.topic_id))
    )
    return {topic: int(count) for topic, count in found}


def describe(session: Session, *, check_in: CheckIn) -> Target:
    """What a check-in is into: its slot, its session (None: the plenary) and its room."""
    slot = session.get(TimeSlot, check_in.slot_id)
    if slot is None:  # the row cascades with its slot; kept for the type checker
        raise NotFound(_("Slot {id} is not one of this event's slots.").format(id=check_in.slot_id), field="slot_id")
    topic = session.get(Topic, check_in.topic_id) if check_in.topic_id else None
    room = session.get(Room, check_in.room_id) if check_in.room_id else None
    return Target(slot, topic, room)
