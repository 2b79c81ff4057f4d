"""iCalendar feeds of the published schedule: the whole event, and one attendee's day.

Each session is a VEVENT whose UID names the topic, so a session that moves keeps its UID and a
calendar app updates it in place; SEQUENCE counts the published versions in which the session's
room or slot changed, and LAST-MODIFIED is when that last happened. Times carry the event's time
zone (TZID, with its VTIMEZONE in the feed); rooms are the LOCATION. The day's plenaries and breaks
are in both feeds (everyone's), a break marked as one (CATEGORIES, and free time to a calendar app).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as date_cls
from datetime import datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar
from icalendar import Event as VEvent
from sqlmodel import Session, col, select

from app.domain import attendees, timetable
from app.i18n import _
from app.models import Attendee, Event, FacilitatorClaim, Interest, Placement, ScheduleRun, SlotKind, saved_id
from app.models.util import utcnow

PRODID = "-//Two Feet//Edcamp schedule//EN"


@dataclass
class SessionHistory:
    sequence: int
    changed_at: datetime


def event_zone(event: Event) -> ZoneInfo:
    try:
        return ZoneInfo(event.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def event_day(event: Event) -> date_cls:
    """The event's date; an event without one is taken to be on the day it was created."""
    try:
        return date_cls.fromisoformat(event.date)
    except ValueError:
        return timetable.event_now(event, event.created_at).date()


def _local(event: Event, hhmm: str) -> datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return datetime.combine(event_day(event), time(hours, minutes), tzinfo=event_zone(event))


def session_histories(session: Session, *, event: Event) -> dict[int, SessionHistory]:
    """Per topic: how many published versions moved it, and when the last one did."""
    runs = list(
        session.scalars(
            select(ScheduleRun)
            .where(ScheduleRun.event_id == event.id, col(ScheduleRun.published_at).is_not(None))
            .order_by(col(ScheduleRun.version))
        )
    )
    by_run: dict[int, dict[int, tuple[int, int]]] = {saved_id(run): {} for run in runs}
    if runs:
        for p in session.scalars(select(Placement).where(col(Placement.schedule_run_id).in_(list(by_run)))):
            by_run[p.schedule_run_id][p.topic_id] = (p.room_id, p.slot_id)
    where: dict[int, tuple[int, int] | None] = {}
    histories: dict[int, SessionHistory] = {}
    for run in runs:
        published_at = run.published_at
        assert published_at is not None  # the query takes published versions only
        placed = by_run[saved_id(run)]
        for topic_id in set(where) | set(placed):
            now_at = placed.get(topic_id)
            if topic_id not in histories:
                if now_at is not None:
                    histories[topic_id] = SessionHistory(sequence=0, changed_at=published_at)
            elif now_at != where.get(topic_id):
                history = histories[topic_id]
                history.sequence += 1
                history.changed_at = published_at
            where[topic_id] = now_at
    return histories


def _calendar(event: Event, name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", event_zone(event).key)
    return cal


def _feed(session: Session, *, event: Event, name: str, base_url: str, topic_ids: set[int] | None) -> bytes:
    view = timetable.grid(session, event=event)
    cal = _calendar(event, name)
    if view.run is None:
        return cal.to_ical()
    histories = session_histories(session, event=event)
    stamp = view.run.published_at or utcnow()
    host = base_url.split("://", 1)[-1].split("/", 1)[0] or "twofeet"
    for slot in view.slots:
        for room in view.rooms:
            cell = view.cell(room, slot)
            if cell is None or (topic_ids is not None and cell.topic.id not in topic_ids):
                continue
            history = histories.get(saved_id(cell.topic), SessionHistory(0, stamp))
            item = VEvent()
            item.add("uid", f"topic-{cell.topic.id}.{event.code}@{host}")
            item.add("sequence", history.sequence)
            item.add("dtstamp", stamp)
            item.add("last-modified", history.changed_at)
            item.add("dtstart", _local(event, slot.start))
            item.add("dtend", _local(event, slot.end))
            item.add("summary", cell.topic.title)
            item.add("location", room.name)
            leads = attendees.names_line(cell.facilitators)
            lines = [
                _("Led by {names}.").format(names=leads) if leads else _("Needs a facilitator."),
                cell.topic.description,
            ]
            url = f"{base_url}/e/{event.code}/sessions/{cell.topic.id}/notes"
            lines.append(_("Notes and resources: {url}").format(url=url))
            item.add("description", "\n\n".join(line for line in lines if line))
            item.add("url", url)
            cal.add_component(item)
    for programme in view.programme.values():
        cal.add_component(_programme_event(event, programme, host=host, stamp=stamp))
    cal.add_missing_timezones()
    return cal.to_ical()


def _programme_event(event: Event, item: timetable.ProgrammeItem, *, host: str, stamp: datetime) -> VEvent:
    """A plenary or a break, in everyone's feed: everyone is at a plenary, and a break is marked as one."""
    slot = item.slot
    entry = VEvent()
    entry.add("uid", f"slot-{slot.id}.{event.code}@{host}")
    entry.add("dtstamp", stamp)
    entry.add("dtstart", _local(event, slot.start))
    entry.add("dtend", _local(event, slot.end))
    is_break = item.kind == SlotKind.break_
    entry.add("summary", _("Break: {title}").format(title=item.title) if is_break and slot.title else item.title)
    entry.add("categories", [item.kind.label])
    if is_break:
        entry.add("transp", "TRANSPARENT")  # free time: a calendar app does not count it as busy
    if item.room is not None:
        entry.add("location", item.room.name)
    return entry


def schedule_feed(session: Session, *, event: Event, base_url: str) -> bytes:
    """The event's published schedule as an iCalendar document (no sessions before publishing)."""
    return _feed(session, event=event, name=event.name, base_url=base_url.rstrip("/"), topic_ids=None)


def my_topic_ids(session: Session, *, attendee: Attendee) -> set[int]:
    """The topics an attendee marked or leads."""
    marked = set(session.scalars(select(Interest.topic_id).where(Interest.attendee_id == attendee.id)))
    leads = set(session.scalars(select(FacilitatorClaim.topic_id).where(FacilitatorClaim.attendee_id == attendee.id)))
    return marked | leads


def my_day_feed(session: Session, *, event: Event, attendee: Attendee, base_url: str) -> bytes:
    """One attendee's day: the placed sessions they marked or lead."""
    return _feed(
        session,
        event=event,
        name=_("My day · {event}").format(event=event.name),
        base_url=base_url.rstrip("/"),
        topic_ids=my_topic_ids(session, attendee=attendee),
    )
