"""Creating events, their rooms and slots, settings, phases and organizer access."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date as date_cls
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.domain import audit, organizers, phases, rows
from app.domain.changelog import record_change
from app.domain.changes import Change
from app.domain.errors import Conflict, FieldError, InvalidInput, NotFound
from app.domain.passwords import PasswordChecker
from app.domain.timetable import published_run
from app.models import Event, Organizer, Phase, Room, TimeSlot

# Join codes avoid characters that look alike on a poster or a phone: 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
NAME_MAX = 120
ROOM_NAME_MAX = 80
CAPACITY_MAX = 10_000
ROOMS_MAX = 200
SLOTS_MAX = 24
FEATURE_MAX = 30
FEATURES_MAX = 20
VOTE_BUDGET_MAX = 1000

T = TypeVar("T")


@dataclass
class RoomSpec:
    name: str
    capacity: int | str  # a form passes the seats as typed; validate_rooms makes them a number
    features: list[str] = field(default_factory=list)


@dataclass
class SlotSpec:
    start: str
    end: str


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


def parse_hhmm(value: str, *, field_name: str) -> str:
    """``value`` as a valid ``HH:MM`` (24-hour clock), or InvalidInput naming the field."""
    text = (value or "").strip()
    parts = text.split(":")
    if len(parts) == 2 and all(p.isdigit() for p in parts) and len(parts[1]) == 2:
        hours, minutes = int(parts[0]), int(parts[1])
        if 0 <= hours < 24 and 0 <= minutes < 60:
            return f"{hours:02d}:{minutes:02d}"
    if not text:
        raise InvalidInput(f"{field_name}: give the {'end' if field_name.endswith('end') else 'start'} time.",
                           field=field_name)
    raise InvalidInput(f"{field_name}: '{text[:20]}' is not a time such as 9:30 AM.", field=field_name)


def clock(hhmm: str) -> str:
    """``13:05`` as a time input shows it in English: ``1:05 PM``."""
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return f"{(hours % 12) or 12}:{minutes:02d} {'AM' if hours < 12 else 'PM'}"


def clean_features(raw: list[str], *, field_name: str) -> list[str]:
    """Features as lower-case words without duplicates, in the given order."""
    if len(raw) > FEATURES_MAX:
        raise InvalidInput(f"{field_name}: at most {FEATURES_MAX} features per room.", field=field_name)
    result: list[str] = []
    for item in raw:
        feature = " ".join(str(item).strip().lower().split())
        if not feature:
            continue
        if len(feature) > FEATURE_MAX:
            raise InvalidInput(f"{field_name}: '{feature[:40]}' is longer than {FEATURE_MAX} characters.",
                               field=field_name)
        if feature not in result:
            result.append(feature)
    return result


def validate_name(raw: str, *, field_name: str, limit: int) -> str:
    text = " ".join((raw or "").split())
    if not text:
        raise InvalidInput(f"{field_name}: please give a name.", field=field_name)
    if len(text) > limit:
        raise InvalidInput(f"{field_name}: at most {limit} characters, this has {len(text)}.", field=field_name)
    return text


def validate_timezone(raw: str) -> str:
    text = (raw or "").strip() or "UTC"
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"timezone: '{text[:64]}' is not a time zone such as America/Los_Angeles.",
                           field="timezone") from None
    return text


def validate_date(raw: str) -> str:
    text = (raw or "").strip()
    if not text:
        raise InvalidInput("date: please give the day of the event.", field="date")
    try:
        return date_cls.fromisoformat(text).isoformat()
    except ValueError:
        raise InvalidInput(f"date: '{text[:20]}' is not a date such as 2027-03-13.", field="date") from None


class _Collect:
    """Runs checks and keeps every refusal, so a form says all that is wrong with it at once."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def check(self, check: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        try:
            return check(*args, **kwargs)
        except InvalidInput as error:
            self.errors.extend(error.field_errors)
            return None

    def add(self, field_name: str, message: str) -> None:
        self.errors.append(FieldError(field_name, message))

    def raise_any(self) -> None:
        if self.errors:
            raise InvalidInput(errors=self.errors)


def _capacity(raw: int | str, *, field_name: str, room: str) -> int:
    """Seats as typed (a form's text) or given (the API's number)."""
    if isinstance(raw, str):
        text = raw.strip()
        if not text:
            raise InvalidInput(f"{field_name}: how many seats does {room or 'it'} have?", field=field_name)
        raw = int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else -1
    if isinstance(raw, bool) or not isinstance(raw, int) or not (1 <= raw <= CAPACITY_MAX):
        raise InvalidInput(f"{field_name}: seats must be a whole number from 1 to {CAPACITY_MAX}.",
                           field=field_name)
    return raw


def _blank_room(room: RoomSpec) -> bool:
    """A form's empty row (the form offers more rows than most days need)."""
    return not (room.name or "").strip() and isinstance(room.capacity, str) and not room.capacity.strip() \
        and not any(str(f).strip() for f in room.features)


def validate_rooms(rooms: list[RoomSpec]) -> list[RoomSpec]:
    """The rooms, cleaned; every room's every problem at once. Field paths count the rows as given."""
    given = [(index, room) for index, room in enumerate(rooms) if not _blank_room(room)]
    if not given:
        raise InvalidInput("rooms: an event needs at least one room.", field="rooms")
    if len(given) > ROOMS_MAX:
        raise InvalidInput(f"rooms: at most {ROOMS_MAX} rooms.", field="rooms")
    found = _Collect()
    cleaned: list[RoomSpec] = []
    seen: dict[str, int] = {}
    for index, room in given:
        key = f"rooms[{index}]"
        name = found.check(validate_name, room.name, field_name=f"{key}.name", limit=ROOM_NAME_MAX)
        if name is not None and name.lower() in seen:
            found.add(f"{key}.name", f"'{name}' is listed twice (Room {seen[name.lower()] + 1} has that name).")
            name = None
        elif name is not None:
            seen[name.lower()] = index
        capacity = found.check(_capacity, room.capacity, field_name=f"{key}.capacity", room=name or "")
        features = found.check(clean_features, room.features, field_name=f"{key}.features")
        if name is not None and capacity is not None and features is not None:
            cleaned.append(RoomSpec(name=name, capacity=capacity, features=features))
    found.raise_any()
    return cleaned


def validate_slots(slots: list[SlotSpec]) -> list[SlotSpec]:
    """The slots in time order; every slot's every problem at once. Field paths count the rows as given."""
    given = [(index, slot) for index, slot in enumerate(slots)
             if (slot.start or "").strip() or (slot.end or "").strip()]
    if not given:
        raise InvalidInput("slots: an event needs at least one time slot.", field="slots")
    if len(given) > SLOTS_MAX:
        raise InvalidInput(f"slots: at most {SLOTS_MAX} time slots.", field="slots")
    found = _Collect()
    cleaned: list[tuple[int, SlotSpec]] = []
    for index, slot in given:
        start = found.check(parse_hhmm, slot.start, field_name=f"slots[{index}].start")
        end = found.check(parse_hhmm, slot.end, field_name=f"slots[{index}].end")
        if start is None or end is None:
            continue
        if end <= start:
            found.add(f"slots[{index}].end", f"the slot must end after it starts ({clock(start)}).")
            continue
        cleaned.append((index, SlotSpec(start=start, end=end)))
    ordered = sorted(cleaned, key=lambda pair: pair[1].start)
    for (before_index, before), (index, after) in zip(ordered, ordered[1:], strict=False):
        if after.start < before.end:
            found.add(f"slots[{index}].start",
                      f"{clock(after.start)}–{clock(after.end)} overlaps Slot {before_index + 1} "
                      f"({clock(before.start)}–{clock(before.end)}).")
    found.raise_any()
    return [slot for _index, slot in ordered]


#: The most people an organizer may ask a topic to need before it runs.
MIN_INTEREST_MAX = 1000


def validate_vote_budget(vote_budget: int | None) -> None:
    if vote_budget is not None and not (1 <= vote_budget <= VOTE_BUDGET_MAX):
        raise InvalidInput(errors=[FieldError("vote_budget", f"give a number from 1 to {VOTE_BUDGET_MAX}, "
                                                            "or leave it empty for unlimited.")])


def create_event(
    session: Session,
    *,
    name: str,
    date: str,
    timezone: str,
    rooms: list[RoomSpec],
    slots: list[SlotSpec],
    password: str | None = None,
    organizer_name: str = "",
    vote_budget: int | None = None,
    hide_counts: bool = False,
    shuffle_topics: bool = False,
    passwords: PasswordChecker | None = None,
) -> CreatedEvent:
    """Create an event with its rooms, slots and marking rules; returns it with the organizer's
    one-time secret. Everything is checked before anything is written, and every field's problem
    is told at once, so the form is fixed in one go; a refusal leaves nothing behind."""
    found = _Collect()
    checked = (found.check(validate_name, name, field_name="name", limit=NAME_MAX), found.check(validate_date, date),
               found.check(validate_timezone, timezone), found.check(validate_rooms, rooms),
               found.check(validate_slots, slots), found.check(validate_vote_budget, vote_budget),
               found.check(organizers.hash_password, password, passwords) if password else None)
    found.raise_any()
    name, date, timezone, rooms, slots = checked[:5]  # type: ignore[assignment]
    password_hash = checked[6]
    secret = secrets.token_urlsafe(18)
    for _attempt in range(20):
        event = Event(code=new_code(), name=name, date=date, timezone=timezone,
                      organizer_secret_hash=organizers.hash_secret(secret), vote_budget=vote_budget, hide_counts=hide_counts,
                      shuffle_topics=shuffle_topics)
        session.add(event)
        try:
            session.flush()
        except IntegrityError:  # the rare join code that is taken already
            session.rollback()
            continue
        break
    else:  # pragma: no cover - 31^6 codes
        raise RuntimeError("could not find a free join code")
    assert event.id is not None
    for position, room in enumerate(rooms):
        session.add(Room(event_id=event.id, name=room.name, capacity=room.capacity,
                         features=room.features, position=position))
    for position, slot in enumerate(slots):
        session.add(TimeSlot(event_id=event.id, start=slot.start, end=slot.end, position=position))
    organizer = Organizer(event_id=event.id, name=organizer_name.strip()[:60], password_hash=password_hash,
                          password_tag=passwords.tag(event_id=event.id, password=password)
                          if password and passwords is not None else None)
    session.add(organizer)
    session.commit()
    return CreatedEvent(event=event, organizer=organizer, secret=secret)


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
        raise NotFound(f"No event has the join code '{normalize_code(code)[:12]}'. Check the code on the poster.",
                       field="code")
    return event


def require_event_by_id(session: Session, event_id: int) -> Event:
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound(f"Event {event_id} does not exist.")
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
    actor: Organizer | None = None,
) -> Event:
    """Change the marking rules: budget (None for unlimited), hidden counts, shuffled order, the
    facilitators a topic may have and the people a topic needs to run (None keeps either)."""
    phases.require_phase(event, "change_settings")
    found = _Collect()
    found.check(validate_vote_budget, vote_budget)
    if facilitator_limit is not None and not (1 <= facilitator_limit <= 20):
        found.add("facilitator_limit", "give a number from 1 to 20.")
    if min_interest is not None and not (1 <= min_interest <= MIN_INTEREST_MAX):
        found.add("min_interest", f"give a number of people from 1 to {MIN_INTEREST_MAX}.")
    found.raise_any()
    event.vote_budget = vote_budget
    event.hide_counts = hide_counts
    event.shuffle_topics = shuffle_topics
    if facilitator_limit is not None:
        event.facilitator_limit = facilitator_limit
    if min_interest is not None:
        event.min_interest = min_interest
    session.add(event)
    audit.record(session, event=event, actor=actor, action="settings",
                 detail=f"marks per attendee {vote_budget or 'unlimited'}, counts {'hidden' if hide_counts else 'shown'}, "
                        f"{'shuffled' if shuffle_topics else 'shared'} order, up to {event.facilitator_limit} facilitators, "
                        f"a session runs with {event.min_interest} or more people")
    record_change(session, event_id=event.id, kind=Change.settings_changed,  # type: ignore[arg-type]
                  payload={"vote_budget": vote_budget, "hide_counts": hide_counts})
    session.commit()
    return event


def set_phase(session: Session, *, event: Event, phase: Phase | str, actor: Organizer | None = None) -> Event:
    """Move the event to ``phase``. Organizers may go back as well as forward, but "Schedule
    published" needs a published schedule (phones would say the schedule is out), and closing keeps
    the phase it closed from, so that ``reopen_event`` can undo it."""
    try:
        target = Phase(phase)
    except ValueError:
        allowed = ", ".join(p.value for p in Phase)
        raise InvalidInput(f"phase: '{str(phase)[:20]}' is not a phase; use one of {allowed}.",
                           field="phase") from None
    if target == event.phase:
        return event
    if target == Phase.live and published_run(session, event=event) is None:
        raise Conflict("Nothing has been published yet, so the event cannot be in 'Schedule published'. "
                       "Build the schedule and press Publish on the schedule page: that moves the event "
                       "there by itself.", field="phase")
    if target == Phase.closed:
        event.phase_before_close = event.phase
    elif event.phase == Phase.closed:
        event.phase_before_close = None
    _move(session, event, target, actor)
    return event


def _move(session: Session, event: Event, target: Phase, actor: Organizer | None, how: str = "") -> None:
    audit.record(session, event=event, actor=actor, action="phase", detail=f"{event.phase.label} → {target.label}{how}")
    before = event.phase
    event.phase = target
    session.add(event)
    record_change(session, event_id=event.id, kind=Change.phase_changed,  # type: ignore[arg-type]
                  payload={"phase": target.value, "from": before.value})
    session.commit()


def reopen_phase(session: Session, *, event: Event) -> Phase:
    """Where reopening a closed event goes back to: the phase it was closed from (when that is
    still possible), else the published schedule, else the draft."""
    published = published_run(session, event=event) is not None
    before = event.phase_before_close
    if before is not None and before != Phase.closed and (before != Phase.live or published):
        return before
    return Phase.live if published else Phase.scheduled


def reopen_event(session: Session, *, event: Event, actor: Organizer | None = None) -> Event:
    """Undo closing: the event goes back to the phase it was closed from."""
    if event.phase != Phase.closed:
        raise Conflict(f"The event is not closed (it is in '{event.phase.label}'), so there is nothing to reopen.",
                       field="phase")
    target = reopen_phase(session, event=event)
    event.phase_before_close = None
    _move(session, event, target, actor, how=" (reopened)")
    return event


def set_announcement(session: Session, *, event: Event, text: str, actor: Organizer | None = None) -> Event:
    """The line across the bottom of the board; empty clears it."""
    phases.require_phase(event, "announce")
    text = " ".join((text or "").split())
    if len(text) > 280:
        raise InvalidInput("announcement: at most 280 characters.", field="announcement")
    event.announcement = text
    session.add(event)
    audit.record(session, event=event, actor=actor, action="announcement", detail=text or "(cleared)")
    record_change(session, event_id=event.id, kind=Change.announcement, payload={"text": text})  # type: ignore[arg-type]
    session.commit()
    return event


BOARD_THEMES = ("dark", "light")


def set_board_theme(session: Session, *, event: Event, theme: str, actor: Organizer | None = None) -> Event:
    """The board's colours: dark for projectors, light for daylight rooms; the board changes live."""
    phases.require_phase(event, "announce")
    if theme not in BOARD_THEMES:
        raise InvalidInput(errors=[FieldError("board_theme", "choose dark or light.")])
    event.board_theme = theme
    session.add(event)
    audit.record(session, event=event, actor=actor, action="board theme", detail=theme)
    record_change(session, event_id=event.id, kind=Change.board_theme, payload={"theme": theme})  # type: ignore[arg-type]
    session.commit()
    return event


def count_events(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Event)) or 0


def timezone_choices() -> list[str]:
    return sorted(available_timezones())
