"""Attendees: anonymous, one per device per event, optionally named."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.domain import phases, rows
from app.domain.errors import Conflict, InvalidInput, about
from app.i18n import _, ngettext
from app.models import Attendee, Event, saved_id

NAME_MAX = 60
ATTENDEES_MAX = 20_000


def clean_display_name(raw: str | None) -> str:
    """A display name with whitespace tidied; empty is fine (names are optional)."""
    name = " ".join((raw or "").split())
    if len(name) > NAME_MAX:
        message = _("at most {limit} characters, this has {length}.").format(limit=NAME_MAX, length=len(name))
        raise InvalidInput(about("name", message), field="name")
    return name


def names_line(names: list[str] | tuple[str, ...]) -> str:
    """People as one line, the unnamed counted rather than repeated: "Ms. Rivera and 2 others",
    "Ms. Rivera, Mr. Chen and Dana", "a teacher", "3 teachers" ("" for nobody).

    Every screen that says who leads a session says it through this (topic cards, door views,
    the console, the schedule, print, calendar feeds and the guide)."""
    named = [n for n in names if n]
    unnamed = len(names) - len(named)
    if not named:
        return "" if not unnamed else ngettext("a teacher", "{count} teachers", unnamed).format(count=unnamed)
    if unnamed:
        named.append(ngettext("1 other", "{count} others", unnamed).format(count=unnamed))
    if len(named) == 1:
        return named[0]
    return _("{names} and {last}").format(names=", ".join(named[:-1]), last=named[-1])


def join_event(session: Session, *, event: Event, name: str | None = None, limit: int = ATTENDEES_MAX) -> Attendee:
    """A new attendee for this device; no account, the name may be empty."""
    phases.require_phase(event, "join")
    display_name = clean_display_name(name)
    count = session.scalar(select(func.count()).select_from(Attendee).where(Attendee.event_id == event.id)) or 0
    if count >= limit:
        raise Conflict(
            _("This event already has {count} attendees, the most it allows. Ask an organizer.").format(count=count)
        )
    attendee = Attendee(event_id=saved_id(event), name=display_name)
    session.add(attendee)
    session.commit()
    return attendee


def rename_attendee(session: Session, *, attendee: Attendee, name: str | None) -> Attendee:
    """Change or clear the display name."""
    attendee.name = clean_display_name(name)
    session.add(attendee)
    session.commit()
    return attendee


def get_attendee(session: Session, *, event: Event, attendee_id: int) -> Attendee | None:
    """The attendee of this event with this id, or None."""
    return rows.find(session, Attendee, attendee_id, event=event)


def list_attendees(session: Session, *, event: Event, named_only: bool = True, limit: int = 5000) -> list[Attendee]:
    """The event's attendees by name (the ones with a name, for pickers), then by when they joined."""
    query = select(Attendee).where(Attendee.event_id == event.id)
    if named_only:
        query = query.where(Attendee.name != "")
    return list(session.scalars(query.order_by(col(Attendee.name), col(Attendee.id)).limit(limit)))
