"""Errors the rules of the day raise; routes turn them into pages or problem details.

The tree (each class sets the HTTP status the web layer uses):

    DomainError                 400
    ├── InvalidInput            422  a field's value is refused; ``field`` names it
    ├── NotFound                404
    ├── NotAllowed              403  the person may not do this (not the author, not an organizer)
    ├── NotAuthenticated        401  nobody is logged in (no attendee cookie, no organizer login)
    ├── WrongPhase              409  the event's phase does not allow this now
    ├── BudgetExhausted         409  the attendee has used every mark the event allows
    ├── Conflict                409  the change clashes with the current state
    └── TooBusy                 429  too many attempts, or the server's share is in use; ``retry_after`` says when

A form can be wrong in several places at once: ``InvalidInput(errors=[FieldError(...), ...])``
carries them all, so a person sees every field to fix in one go. ``plain_messages()`` words each
one for the page beside its field ("Room 1: seats must be ..."); the API keeps the field paths.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


class DomainError(Exception):
    """Base class: ``message`` is a complete sentence a person can act on."""

    status_code = 400
    code = "error"
    title = "The request was refused"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def field_errors(self) -> list[FieldError]:
        """Each refused field with its message (without the field's name), in the form's order."""
        if self.field is None:
            return []
        return [FieldError(self.field, _without_field(self.message, self.field))]


@dataclass(frozen=True)
class FieldError:
    """One refused field: ``field`` is its path (``rooms[0].capacity``), ``message`` says what is wrong
    in a person's words, without naming the field ("seats must be a whole number from 1 to 10000")."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class InvalidInput(DomainError):
    status_code = 422
    code = "invalid"
    title = "A value was refused"

    def __init__(self, message: str = "", *, field: str | None = None, errors: list[FieldError] | None = None) -> None:
        self.errors = list(errors or [])
        if self.errors and not message:
            message = " ".join(
                f"{error}." if not str(error).endswith((".", "?")) else str(error) for error in self.errors
            )
        super().__init__(message, field=field or (self.errors[0].field if self.errors else None))

    @property
    def field_errors(self) -> list[FieldError]:
        return self.errors or super().field_errors


class NotFound(DomainError):
    status_code = 404
    code = "not_found"
    title = "Not found"


class NotAllowed(DomainError):
    status_code = 403
    code = "not_allowed"
    title = "Not allowed"


class NotAuthenticated(DomainError):
    status_code = 401
    code = "not_authenticated"
    title = "Not signed in"


class WrongPhase(DomainError):
    status_code = 409
    code = "wrong_phase"
    title = "Not possible in this phase"


class BudgetExhausted(DomainError):
    status_code = 409
    code = "budget_exhausted"
    title = "No marks left"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"
    title = "Conflict"


class TooBusy(DomainError):
    status_code = 429
    code = "too_many_requests"
    title = "Too many requests"

    def __init__(self, message: str, *, retry_after: int, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.retry_after = retry_after


ID_MAX = 2**31 - 1


def known_id(value: int) -> bool:
    """Whether ``value`` could be a row id at all; larger numbers overflow the database's integers."""
    return isinstance(value, int) and 0 < value <= ID_MAX


def _without_field(message: str, field: str) -> str:
    """ "vote_budget: at most 1000." -> "at most 1000." (messages name their field for API clients)."""
    prefix = f"{field}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


# What a person calls each field the domain checks; rooms[i] and slots[i] are "Room i+1", "Slot i+1".
FIELD_LABELS = {
    "name": "Name",
    "date": "Date",
    "timezone": "Time zone",
    "password": "Password",
    "rooms": "Rooms",
    "slots": "Time slots",
    "vote_budget": "Marks per attendee",
    "facilitator_limit": "Facilitators per topic",
    "min_interest": "People a session needs",
    "title": "Title",
    "description": "Description",
    "tags": "Tags",
    "paper_marks": "Marks on the card",
    "reason": "Reason",
    "announcement": "Announcement",
    "merge_id": "Merge",
    "keep_id": "Merge",
    "topic_id": "Topic",
    "attendee_id": "Attendee",
    "phase": "Phase",
    "code": "Event code",
}
_ROW = re.compile(r"^(rooms|slots)\[(\d+)\](?:\.(\w+))?$")
_PART_WORDS = {"name": "name", "capacity": "seats", "features": "features", "start": "start", "end": "end"}


def field_label(field: str) -> str:
    """``rooms[0].capacity`` -> "Room 1", ``vote_budget`` -> "Marks per attendee"."""
    row = _ROW.match(field)
    if row:
        return f"{'Room' if row.group(1) == 'rooms' else 'Slot'} {int(row.group(2)) + 1}"
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())


def plain_messages(error: DomainError | None) -> dict[str, str]:
    """Field path -> "Label: what is wrong", for each field ``error`` refuses (one mapping for every form)."""
    if error is None:
        return {}
    plain: dict[str, str] = {}
    for item in error.field_errors:
        # A message that is a whole sentence already says what it is about; a fragment gets its label.
        whole = item.message[:1].isupper()
        plain.setdefault(
            item.field, item.message if whole else f"{field_label(item.field)}: {item.message.rstrip('.')}"
        )
    return plain
