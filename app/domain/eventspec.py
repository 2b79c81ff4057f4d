"""An event's parts as people type them: its name, date, time zone, rooms and slots, checked.

Every check names the field it refuses (``rooms[2].capacity``) in words a person can act on;
``events.create_event`` and the console's forms collect them all, so a form is fixed in one go.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date as date_cls
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from app import i18n
from app.domain.errors import FieldError, InvalidInput, about, room_label, slot_label
from app.i18n import _
from app.models import SlotKind
from app.models.event import SLOT_TITLE_MAX

T = TypeVar("T")

NAME_MAX = 120
ROOM_NAME_MAX = 80
CAPACITY_MAX = 10_000
ROOMS_MAX = 200
SLOTS_MAX = 24
FEATURE_MAX = 30
FEATURES_MAX = 20
VOTE_BUDGET_MAX = 1000


class Collect:
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


@dataclass
class RoomSpec:
    name: str
    capacity: int | str  # a form passes the seats as typed; validate_rooms makes them a number
    features: list[str] = field(default_factory=list)


@dataclass
class ValidRoom:
    """A room as ``validate_rooms`` returns it: name tidied, seats a number, features cleaned."""

    name: str
    capacity: int
    features: list[str]


@dataclass
class SlotSpec:
    """A slot as typed: its times, its kind (``sessions``, ``plenary``, ``break``), and for a plenary
    or a break a title and the name of its room (empty: none). ``validate_slots`` returns the kind
    as a ``SlotKind`` and the room under the name the event gives it."""

    start: str
    end: str
    kind: str = SlotKind.sessions.value
    title: str = ""
    room: str = ""


def parse_hhmm(value: str, *, field_name: str) -> str:
    """``value`` as a valid ``HH:MM`` (24-hour clock), or InvalidInput naming the field."""
    text = (value or "").strip()
    parts = text.split(":")
    if len(parts) == 2 and all(p.isdigit() for p in parts) and len(parts[1]) == 2:
        hours, minutes = int(parts[0]), int(parts[1])
        if 0 <= hours < 24 and 0 <= minutes < 60:
            return f"{hours:02d}:{minutes:02d}"
    if not text:
        message = _("give the end time.") if field_name.endswith("end") else _("give the start time.")
        raise InvalidInput(about(field_name, message), field=field_name)
    message = _("'{text}' is not a time such as {example}.").format(text=text[:20], example=clock("09:30"))
    raise InvalidInput(about(field_name, message), field=field_name)


def clock(hhmm: str) -> str:
    """``13:05`` as a time input shows it: ``1:05 PM`` in English, ``13:05`` in Spanish (24-hour)."""
    if i18n.current() != "en":
        return hhmm
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return f"{(hours % 12) or 12}:{minutes:02d} {'AM' if hours < 12 else 'PM'}"


#: The feature of a room reachable without steps; sessions that people who need one marked go there.
STEP_FREE = "step_free"
_STEP_FREE_SPELLINGS = frozenset({"step_free", "step-free", "stepfree"})


def feature_words(typed: str, *, step_free: bool = False) -> list[str]:
    """A room's features as typed in a form (words, commas between or not), with ``step_free`` added
    when its box is ticked; "step-free" typed is the same feature."""
    words = [STEP_FREE if f.lower() in _STEP_FREE_SPELLINGS else f for f in typed.replace(",", " ").split()]
    return words + [STEP_FREE] if step_free and STEP_FREE not in words else words


def clean_features(raw: list[str], *, field_name: str) -> list[str]:
    """Features as lower-case words without duplicates, in the given order."""
    if len(raw) > FEATURES_MAX:
        message = _("at most {limit} features per room.").format(limit=FEATURES_MAX)
        raise InvalidInput(about(field_name, message), field=field_name)
    result: list[str] = []
    for item in raw:
        feature = " ".join(str(item).strip().lower().split())
        if not feature:
            continue
        if len(feature) > FEATURE_MAX:
            message = _("'{feature}' is longer than {limit} characters.").format(
                feature=feature[:40], limit=FEATURE_MAX
            )
            raise InvalidInput(about(field_name, message), field=field_name)
        if feature not in result:
            result.append(feature)
    return result


def validate_name(raw: str, *, field_name: str, limit: int) -> str:
    text = " ".join((raw or "").split())
    if not text:
        raise InvalidInput(about(field_name, _("please give a name.")), field=field_name)
    if len(text) > limit:
        message = _("at most {limit} characters, this has {length}.").format(limit=limit, length=len(text))
        raise InvalidInput(about(field_name, message), field=field_name)
    return text


def validate_timezone(raw: str) -> str:
    text = (raw or "").strip() or "UTC"
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        message = _("'{text}' is not a time zone such as America/Los_Angeles.").format(text=text[:64])
        raise InvalidInput(about("timezone", message), field="timezone") from None
    return text


def validate_date(raw: str) -> str:
    text = (raw or "").strip()
    if not text:
        raise InvalidInput(about("date", _("please give the day of the event.")), field="date")
    try:
        return date_cls.fromisoformat(text).isoformat()
    except ValueError:
        message = _("'{text}' is not a date such as 2027-03-13.").format(text=text[:20])
        raise InvalidInput(about("date", message), field="date") from None


def _capacity(raw: int | str, *, field_name: str, room: str) -> int:
    """Seats as typed (a form's text) or given (the API's number)."""
    if isinstance(raw, str):
        text = raw.strip()
        if not text:
            message = (
                _("how many seats does {room} have?").format(room=room) if room else _("how many seats does it have?")
            )
            raise InvalidInput(about(field_name, message), field=field_name)
        raw = int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else -1
    if isinstance(raw, bool) or not isinstance(raw, int) or not (1 <= raw <= CAPACITY_MAX):
        message = _("seats must be a whole number from 1 to {limit}.").format(limit=CAPACITY_MAX)
        raise InvalidInput(about(field_name, message), field=field_name)
    return raw


def _blank_room(room: RoomSpec) -> bool:
    """A form's empty row (the form offers more rows than most days need)."""
    return (
        not (room.name or "").strip()
        and isinstance(room.capacity, str)
        and not room.capacity.strip()
        and not any(str(f).strip() for f in room.features)
    )


def validate_rooms(rooms: list[RoomSpec]) -> list[ValidRoom]:
    """The rooms, cleaned; every room's every problem at once. Field paths count the rows as given."""
    given = [(index, room) for index, room in enumerate(rooms) if not _blank_room(room)]
    if not given:
        raise InvalidInput(about("rooms", _("an event needs at least one room.")), field="rooms")
    if len(given) > ROOMS_MAX:
        raise InvalidInput(about("rooms", _("at most {limit} rooms.").format(limit=ROOMS_MAX)), field="rooms")
    found = Collect()
    cleaned: list[ValidRoom] = []
    seen: dict[str, int] = {}
    for index, room in given:
        key = f"rooms[{index}]"
        name = found.check(validate_name, room.name, field_name=f"{key}.name", limit=ROOM_NAME_MAX)
        if name is not None and name.lower() in seen:
            twice = _("'{name}' is listed twice ({room} has that name).")
            found.add(f"{key}.name", twice.format(name=name, room=room_label(seen[name.lower()] + 1)))
            name = None
        elif name is not None:
            seen[name.lower()] = index
        capacity = found.check(_capacity, room.capacity, field_name=f"{key}.capacity", room=name or "")
        features = found.check(clean_features, room.features, field_name=f"{key}.features")
        if name is not None and capacity is not None and features is not None:
            cleaned.append(ValidRoom(name=name, capacity=capacity, features=features))
    found.raise_any()
    return cleaned


def _blank_slot(slot: SlotSpec) -> bool:
    """A form's empty row: no times, no title, no room, and the kind left at sessions."""
    typed = (slot.start, slot.end, slot.title, slot.room)
    return not any((text or "").strip() for text in typed) and (slot.kind or "").strip() in ("", SlotKind.sessions)


def slot_kind(raw: str, *, field_name: str) -> SlotKind:
    """``raw`` as a slot kind (empty: sessions), or InvalidInput naming the field."""
    text = (raw or "").strip().lower() or SlotKind.sessions.value
    try:
        return SlotKind(text)
    except ValueError:
        kinds = ", ".join(kind.value for kind in SlotKind)
        message = _("'{text}' is not a kind of slot; use one of {kinds}.").format(text=text[:20], kinds=kinds)
        raise InvalidInput(about(field_name, message), field=field_name) from None


def _slot_what(slot: SlotSpec, kind: SlotKind, key: str, rooms: Sequence[str] | None) -> tuple[str, str]:
    """A slot's title and room (its name as the event spells it), checked against its kind."""
    title = " ".join((slot.title or "").split())
    room = " ".join((slot.room or "").split())
    if kind == SlotKind.sessions:
        if title:
            message = _(
                "a sessions slot holds the day's sessions and has no title; "
                "choose Plenary or Break for a keynote or lunch, or clear the title."
            )
            raise InvalidInput(about(f"{key}.title", message), field=f"{key}.title")
        if room:
            message = _("a sessions slot uses every room; choose Plenary or Break to name one room.")
            raise InvalidInput(about(f"{key}.room", message), field=f"{key}.room")
        return "", ""
    if kind == SlotKind.plenary and not title:
        message = _("a plenary needs a title, such as Opening keynote.")
        raise InvalidInput(about(f"{key}.title", message), field=f"{key}.title")
    if len(title) > SLOT_TITLE_MAX:
        message = _("at most {limit} characters, this has {length}.").format(limit=SLOT_TITLE_MAX, length=len(title))
        raise InvalidInput(about(f"{key}.title", message), field=f"{key}.title")
    if room and rooms is not None:
        known = {name.lower(): name for name in rooms}
        if room.lower() not in known:
            message = _("'{room}' is not one of the event's rooms.").format(room=room[:80])
            raise InvalidInput(about(f"{key}.room", message), field=f"{key}.room")
        room = known[room.lower()]
    return title, room


def _valid_slot(found: Collect, index: int, slot: SlotSpec, rooms: Sequence[str] | None) -> SlotSpec | None:
    """One slot checked on its own (times, kind, title, room); None when any part was refused."""
    key = f"slots[{index}]"
    start = found.check(parse_hhmm, slot.start, field_name=f"{key}.start")
    end = found.check(parse_hhmm, slot.end, field_name=f"{key}.end")
    kind = found.check(slot_kind, slot.kind, field_name=f"{key}.kind")
    what = found.check(_slot_what, slot, kind, key, rooms) if kind is not None else None
    if start is None or end is None:
        return None
    if end <= start:
        found.add(f"{key}.end", _("the slot must end after it starts ({start}).").format(start=clock(start)))
        return None
    if kind is None or what is None:
        return None
    return SlotSpec(start=start, end=end, kind=kind, title=what[0], room=what[1])


def validate_slots(slots: list[SlotSpec], *, rooms: Sequence[str] | None = None) -> list[SlotSpec]:
    """The slots in time order; every slot's every problem at once. Field paths count the rows as given.

    A plenary needs a title; a plenary or a break may name one of ``rooms`` (the event's room
    names; None leaves the room unchecked, when the rooms themselves were refused). A day of
    plenaries only is allowed: building a schedule says there is nowhere to put sessions."""
    given = [(index, slot) for index, slot in enumerate(slots) if not _blank_slot(slot)]
    if not given:
        raise InvalidInput(about("slots", _("an event needs at least one time slot.")), field="slots")
    if len(given) > SLOTS_MAX:
        raise InvalidInput(about("slots", _("at most {limit} time slots.").format(limit=SLOTS_MAX)), field="slots")
    found = Collect()
    cleaned: list[tuple[int, SlotSpec]] = []
    for index, slot in given:
        valid = _valid_slot(found, index, slot, rooms)
        if valid is not None:
            cleaned.append((index, valid))
    ordered = sorted(cleaned, key=lambda pair: pair[1].start)
    for (before_index, before), (index, after) in zip(ordered, ordered[1:], strict=False):
        if after.start < before.end:
            overlap = _("{start}–{end} overlaps {slot} ({other_start}–{other_end}).").format(
                start=clock(after.start),
                end=clock(after.end),
                slot=slot_label(before_index + 1),
                other_start=clock(before.start),
                other_end=clock(before.end),
            )
            found.add(f"slots[{index}].start", overlap)
    found.raise_any()
    return [slot for _index, slot in ordered]


def validate_vote_budget(vote_budget: int | None) -> None:
    if vote_budget is not None and not (1 <= vote_budget <= VOTE_BUDGET_MAX):
        raise InvalidInput(
            errors=[
                FieldError(
                    "vote_budget",
                    _("give a number from 1 to {limit}, or leave it empty for unlimited.").format(
                        limit=VOTE_BUDGET_MAX
                    ),
                )
            ]
        )


def timezone_choices() -> list[str]:
    return sorted(available_timezones())
