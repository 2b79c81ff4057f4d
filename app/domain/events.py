"""Creating events, their rooms and slots, settings, phases and organizer access."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app import i18n
from app.domain import audit, eventspec, languages, organizers, phases, rows
from app.domain.changelog import record_change
from app.domain.changes import Change
from app.domain.errors import Conflict, FieldError, InvalidInput, NotFound, about
from app.domain.passwords import PasswordChecker
from app.domain.timetable import published_run
from app.i18n import _
from app.models import Event, Organizer, Phase, Room, TimeSlot, saved_id

# Join codes avoid characters that look alike on a poster or a phone: 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


@dataclass
class CreatedEvent:
    event: Event
    organizer: Organizer
    secret: str  # shown once, in the organizer's link


def normalize_code(raw: str) -> str:
    """A join code as typed (any case, spaces or dashes) in its canonical form."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


#: The most people an organizer may ask a topic to need before it runs.
MIN_INTEREST_MAX = 1000


def create_event(
    session: Session,
    *,
    name: str,
    date: str,
    timezone: str,
    rooms: list[eventspec.RoomSpec],
    slots: list[eventspec.SlotSpec],
    password: str | None = None,
    organizer_name: str = "",
    vote_budget: int | None = None,
    hide_counts: bool = False,
    shuffle_topics: bool = False,
    language: str = "en",
    bilingual: bool = False,
    passwords: PasswordChecker | None = None,
    commit: bool = True,  # False: the caller adds more in this transaction and commits (series.py)
) -> CreatedEvent:
    """Create an event with its rooms, slots, marking rules and languages, and the organizer's one-time secret.
    Everything is checked before anything is written, every field's problem told at once; a refusal leaves nothing."""
    found = eventspec.Collect()
    clean_name = found.check(eventspec.validate_name, name, field_name="name", limit=eventspec.NAME_MAX)
    clean_date = found.check(eventspec.validate_date, date)
    clean_timezone = found.check(eventspec.validate_timezone, timezone)
    clean_rooms = found.check(eventspec.validate_rooms, rooms)
    room_names = [room.name for room in clean_rooms] if clean_rooms is not None else None
    clean_slots = found.check(eventspec.validate_slots, slots, rooms=room_names)
    found.check(eventspec.validate_vote_budget, vote_budget)
    clean_language = found.check(languages.validate_event_language, language)
    password_hash = found.check(organizers.hash_password, password, passwords) if password else None
    found.raise_any()
    # Past raise_any every check returned its value: a check gives None only when it refused.
    assert clean_name is not None and clean_date is not None and clean_timezone is not None
    assert clean_rooms is not None and clean_slots is not None
    secret = secrets.token_urlsafe(18)
    event = _add_with_free_code(
        session,
        name=clean_name,
        date=clean_date,
        timezone=clean_timezone,
        organizer_secret_hash=organizers.hash_secret(secret),
        vote_budget=vote_budget,
        hide_counts=hide_counts,
        shuffle_topics=shuffle_topics,
        language=clean_language,
        bilingual=bilingual,
    )
    assert event.id is not None
    _add_rooms_and_slots(session, event, clean_rooms, clean_slots)
    organizer = Organizer(
        event_id=event.id,
        name=organizer_name.strip()[:60],
        password_hash=password_hash,
        password_tag=passwords.tag(event_id=event.id, password=password)
        if password and passwords is not None
        else None,
    )
    session.add(organizer)
    session.commit() if commit else session.flush()
    return CreatedEvent(event=event, organizer=organizer, secret=secret)


def _add_rooms_and_slots(
    session: Session, event: Event, rooms: list[eventspec.ValidRoom], slots: list[eventspec.SlotSpec]
) -> None:
    """A new event's checked rooms, then its slots (a plenary's or break's room by the name it was given)."""
    room_rows = [
        Room(
            event_id=saved_id(event), name=room.name, capacity=room.capacity, features=room.features, position=position
        )
        for position, room in enumerate(rooms)
    ]
    session.add_all(room_rows)
    session.flush()
    room_id = {room.name: room.id for room in room_rows}
    for position, slot in enumerate(slots):
        session.add(
            TimeSlot(
                event_id=saved_id(event),
                start=slot.start,
                end=slot.end,
                position=position,
                kind=eventspec.slot_kind(slot.kind, field_name="kind"),
                title=slot.title,
                room_id=room_id.get(slot.room),
            )
        )


def _add_with_free_code(session: Session, **fields: Any) -> Event:
    """Add a new event under a join code nobody has, drawing again on the rare clash."""
    for _attempt in range(20):
        event = Event(code=new_code(), **fields)
        session.add(event)
        try:
            session.flush()
        except IntegrityError:  # the rare join code that is taken already
            session.rollback()
            continue
        return event
    raise RuntimeError("could not find a free join code")  # pragma: no cover - 31^6 codes


def ping(session: Session) -> None:
    """Touch the database, so a health check fails when it cannot be reached."""
    session.execute(select(1))


_BY_CODE = select(Event).where(Event.code == bindparam("code"))  # built once: every request runs it


def get_event(session: Session, code: str) -> Event | None:
    """The event with this join code (any case), or None."""
    return session.scalars(_BY_CODE, {"code": normalize_code(code)}).first()


def require_event(session: Session, code: str) -> Event:
    """The event with this join code, or NotFound that says what to check."""
    event = get_event(session, code)
    if event is None:
        raise NotFound(
            _("No event has the join code '{code}'. Check the code on the poster.").format(
                code=normalize_code(code)[:12]
            ),
            field="code",
        )
    return event


def require_event_by_id(session: Session, event_id: int) -> Event:
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound(_("Event {id} does not exist.").format(id=event_id))
    return event


list_rooms = rows.rooms
list_slots = rows.slots


def update_settings(
    session: Session,
    *,
    event: Event,
    vote_budget: int | None,
    hide_counts: bool,
    shuffle_topics: bool,
    facilitator_limit: int | None = None,
    min_interest: int | None = None,
    actor: Organizer,
) -> Event:
    """Change the marking rules: budget (None for unlimited), hidden counts, shuffled order, the
    facilitators a topic may have and the people a topic needs to run (None keeps either)."""
    phases.require_phase(event, "change_settings")
    found = eventspec.Collect()
    found.check(eventspec.validate_vote_budget, vote_budget)
    if facilitator_limit is not None and not (1 <= facilitator_limit <= 20):
        found.add("facilitator_limit", _("give a number from 1 to 20."))
    if min_interest is not None and not (1 <= min_interest <= MIN_INTEREST_MAX):
        found.add("min_interest", _("give a number of people from 1 to {limit}.").format(limit=MIN_INTEREST_MAX))
    found.raise_any()
    event.vote_budget = vote_budget
    event.hide_counts = hide_counts
    event.shuffle_topics = shuffle_topics
    if facilitator_limit is not None:
        event.facilitator_limit = facilitator_limit
    if min_interest is not None:
        event.min_interest = min_interest
    session.add(event)
    audit.record(
        session,
        event=event,
        actor=actor,
        action="settings",
        detail=f"marks per attendee {vote_budget or 'unlimited'}, counts {'hidden' if hide_counts else 'shown'}, "
        f"{'shuffled' if shuffle_topics else 'shared'} order, up to {event.facilitator_limit} facilitators, "
        f"a session runs with {event.min_interest} or more people",
    )
    record_change(
        session,
        event_id=saved_id(event),
        kind=Change.settings_changed,
        payload={"vote_budget": vote_budget, "hide_counts": hide_counts},
    )
    session.commit()
    return event


def set_phase(session: Session, *, event: Event, phase: Phase | str, actor: Organizer) -> Event:
    """Move the event to ``phase``. Organizers may go back as well as forward, but "Schedule
    published" needs a published schedule (phones would say the schedule is out), and closing keeps
    the phase it closed from, so that ``reopen_event`` can undo it."""
    try:
        target = Phase(phase)
    except ValueError:
        allowed = ", ".join(p.value for p in Phase)
        message = _("'{phase}' is not a phase; use one of {allowed}.").format(phase=str(phase)[:20], allowed=allowed)
        raise InvalidInput(about("phase", message), field="phase") from None
    if target == event.phase:
        return event
    if target == Phase.live and published_run(session, event=event) is None:
        raise Conflict(
            _(
                "Nothing has been published yet, so the event cannot be in 'Schedule published'. "
                "Build the schedule and press Publish on the schedule page: that moves the event "
                "there by itself."
            ),
            field="phase",
        )
    if target == Phase.closed:
        event.phase_before_close = event.phase
    elif event.phase == Phase.closed:
        event.phase_before_close = None
    _move(session, event, target, actor)
    return event


def _move(session: Session, event: Event, target: Phase, actor: Organizer, how: str = "") -> None:
    with i18n.using("en"):  # the audit log is written once, in the source language
        detail = f"{event.phase.label} → {target.label}{how}"
    audit.record(session, event=event, actor=actor, action="phase", detail=detail)
    before = event.phase
    event.phase = target
    session.add(event)
    record_change(
        session,
        event_id=saved_id(event),
        kind=Change.phase_changed,
        payload={"phase": target.value, "from": before.value},
    )
    session.commit()


def reopen_phase(session: Session, *, event: Event) -> Phase:
    """Where reopening a closed event goes back to: the phase it was closed from (when that is
    still possible), else the published schedule, else the draft."""
    published = published_run(session, event=event) is not None
    before = event.phase_before_close
    if before is not None and before != Phase.closed and (before != Phase.live or published):
        return before
    return Phase.live if published else Phase.scheduled


def reopen_event(session: Session, *, event: Event, actor: Organizer) -> Event:
    """Undo closing: the event goes back to the phase it was closed from."""
    if event.phase != Phase.closed:
        raise Conflict(
            _("The event is not closed (it is in '{phase}'), so there is nothing to reopen.").format(
                phase=event.phase.label
            ),
            field="phase",
        )
    target = reopen_phase(session, event=event)
    event.phase_before_close = None
    _move(session, event, target, actor, how=" (reopened)")
    return event


def set_announcement(session: Session, *, event: Event, text: str, actor: Organizer) -> Event:
    """The line across the bottom of the board; empty clears it."""
    phases.require_phase(event, "announce")
    text = " ".join((text or "").split())
    if len(text) > 280:
        raise InvalidInput(about("announcement", _("at most 280 characters.")), field="announcement")
    event.announcement = text
    session.add(event)
    audit.record(session, event=event, actor=actor, action="announcement", detail=text or "(cleared)")
    record_change(session, event_id=saved_id(event), kind=Change.announcement, payload={"text": text})
    session.commit()
    return event


BOARD_THEMES = ("dark", "light")


def set_board_theme(session: Session, *, event: Event, theme: str, actor: Organizer) -> Event:
    """The board's colours: dark for projectors, light for daylight rooms; the board changes live."""
    phases.require_phase(event, "announce")
    if theme not in BOARD_THEMES:
        raise InvalidInput(errors=[FieldError("board_theme", _("choose dark or light."))])
    event.board_theme = theme
    session.add(event)
    audit.record(session, event=event, actor=actor, action="board theme", detail=theme)
    record_change(session, event_id=saved_id(event), kind=Change.board_theme, payload={"theme": theme})
    session.commit()
    return event


def count_events(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Event)) or 0
