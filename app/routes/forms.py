"""Turning browser form fields into the values domain functions take (no rules live here)."""

from __future__ import annotations

from starlette.datastructures import FormData

from app.domain.errors import InvalidInput
from app.domain.events import RoomSpec, SlotSpec
from app.domain.text import clean_text


def text(form: FormData, name: str) -> str:
    """A field as text: a control character in it is refused naming the field (app.domain.text)."""
    value = form.get(name)
    return clean_text(value, field=name) if isinstance(value, str) else ""


def texts(form: FormData, name: str) -> list[str]:
    return [clean_text(v, field=name) if isinstance(v, str) else "" for v in form.getlist(name)]


# Ids and counts fit a database integer; anything longer is not a number a person typed.
_DIGITS_MAX = 9


def whole_number(raw: str, *, field_name: str) -> int:
    """A whole number of at most nine ASCII digits (an optional minus sign allowed), or InvalidInput."""
    value = raw.strip()
    digits = value[1:] if value.startswith("-") else value
    if not digits or len(digits) > _DIGITS_MAX or not (digits.isascii() and digits.isdigit()):
        raise InvalidInput(f"{field_name}: '{value[:20]}' is not a whole number.", field=field_name)
    return int(value)


def rooms_from_form(form: FormData) -> list[RoomSpec]:
    """Rows of room name / seats / features; fully blank rows are skipped."""
    names, capacities, features = texts(form, "room_name"), texts(form, "room_capacity"), texts(form, "room_features")
    rooms = []
    for index, name in enumerate(names):
        capacity = capacities[index] if index < len(capacities) else ""
        feature_text = features[index] if index < len(features) else ""
        if not (name.strip() or capacity.strip() or feature_text.strip()):
            continue
        position = len(rooms)
        if not capacity.strip():
            raise InvalidInput(f"rooms[{position}].capacity: how many seats does '{name.strip()[:40]}' have?",
                               field=f"rooms[{position}].capacity")
        rooms.append(RoomSpec(
            name=name,
            capacity=whole_number(capacity, field_name=f"rooms[{position}].capacity"),
            features=[f for f in feature_text.replace(",", " ").split() if f],
        ))
    return rooms


def slots_from_form(form: FormData) -> list[SlotSpec]:
    starts, ends = texts(form, "slot_start"), texts(form, "slot_end")
    slots = []
    for index, start in enumerate(starts):
        end = ends[index] if index < len(ends) else ""
        if not (start.strip() or end.strip()):
            continue
        slots.append(SlotSpec(start=start, end=end))
    return slots


def checkbox(form: FormData, name: str) -> bool:
    return text(form, name) in {"on", "true", "1", "yes"}
