"""Turning browser form fields into the values domain functions take (no rules live here)."""

from __future__ import annotations

from starlette.datastructures import FormData

from app.domain.errors import FieldError, InvalidInput
from app.domain.eventspec import RoomSpec, SlotSpec
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


def optional_numbers(form: FormData, *names: str) -> dict[str, int | None]:
    """Whole numbers from these fields (None where left empty); every field that is not one is
    refused at once."""
    values: dict[str, int | None] = {}
    errors: list[FieldError] = []
    for name in names:
        raw = text(form, name).strip()
        try:
            values[name] = whole_number(raw, field_name=name) if raw else None
        except InvalidInput as error:
            errors.extend(error.field_errors)
    if errors:
        raise InvalidInput(errors=errors)
    return values


def rooms_from_form(form: FormData) -> list[RoomSpec]:
    """Rows of room name / seats / features, as typed: the domain checks them all at once and
    names each by its row (blank rows are left for it to skip)."""
    names, capacities, features = texts(form, "room_name"), texts(form, "room_capacity"), texts(form, "room_features")
    return [
        RoomSpec(
            name=name,
            capacity=capacities[index] if index < len(capacities) else "",
            features=[f for f in (features[index] if index < len(features) else "").replace(",", " ").split() if f],
        )
        for index, name in enumerate(names)
    ]


def slots_from_form(form: FormData) -> list[SlotSpec]:
    starts, ends = texts(form, "slot_start"), texts(form, "slot_end")
    return [SlotSpec(start=start, end=ends[index] if index < len(ends) else "") for index, start in enumerate(starts)]


def checkbox(form: FormData, name: str) -> bool:
    return text(form, name) in {"on", "true", "1", "yes"}
