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

from babel.support import LazyProxy

from app.i18n import _, _l


class DomainError(Exception):
    """Base class: ``message`` is a complete sentence a person can act on."""

    status_code = 400
    code = "error"
    #: Worded in the reader's language when read (``str(error.title)``).
    title: LazyProxy = _l("The request was refused")

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
    title = _l("A value was refused")

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
    title = _l("Not found")


class NotAllowed(DomainError):
    status_code = 403
    code = "not_allowed"
    title = _l("Not allowed")


class NotAuthenticated(DomainError):
    status_code = 401
    code = "not_authenticated"
    title = _l("Not signed in")


class WrongPhase(DomainError):
    status_code = 409
    code = "wrong_phase"
    title = _l("Not possible in this phase")


class BudgetExhausted(DomainError):
    status_code = 409
    code = "budget_exhausted"
    title = _l("No marks left")


class Conflict(DomainError):
    status_code = 409
    code = "conflict"
    title = _l("Conflict")


class TooBusy(DomainError):
    status_code = 429
    code = "too_many_requests"
    title = _l("Too many requests")

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


def about(field: str, message: str) -> str:
    """A refusal's message as the API words it: the field's path, then what is wrong (translated).

    ``InvalidInput(about("vote_budget", _("at most 1000.")), field="vote_budget")``: the path is the
    same in every language; the person reads ``plain_messages`` (the field's label, not its path)."""
    return f"{field}: {message}"


# What a person calls each field the domain checks; rooms[i] and slots[i] are "Room i+1", "Slot i+1".
FIELD_LABELS = {
    "name": _l("Name"),
    "date": _l("Date"),
    "timezone": _l("Time zone"),
    "password": _l("Password"),
    "rooms": _l("Rooms"),
    "slots": _l("Time slots"),
    "vote_budget": _l("Marks per attendee"),
    "facilitator_limit": _l("Facilitators per topic"),
    "min_interest": _l("People a session needs"),
    "title": _l("Title"),
    "description": _l("Description"),
    "tags": _l("Tags"),
    "paper_marks": _l("Marks on the card"),
    "reason": _l("Reason"),
    "announcement": _l("Announcement"),
    "merge_id": _l("Merge"),
    "keep_id": _l("Merge"),
    "topic_id": _l("Topic"),
    "attendee_id": _l("Attendee"),
    # the raffle
    "prize_id": _l("Prize"),
    "prizes": _l("Prizes"),
    "sponsor": _l("Sponsor"),
    "win_id": _l("Winner"),
    "needs_checkin": _l("Who may win"),
    "draw": _l("The draw"),
    "tickets": _l("Tickets"),
    "phase": _l("Phase"),
    "code": _l("Event code"),
}
_ROW = re.compile(r"^(rooms|slots)\[(\d+)\](?:\.(\w+))?$")


def field_label(field: str) -> str:
    """``rooms[0].capacity`` -> "Room 1", ``vote_budget`` -> "Marks per attendee" (in the reader's language)."""
    row = _ROW.match(field)
    if row:
        number = int(row.group(2)) + 1
        return room_label(number) if row.group(1) == "rooms" else slot_label(number)
    label = FIELD_LABELS.get(field)
    return str(label) if label is not None else field.replace("_", " ").capitalize()


def room_label(number: int) -> str:
    """The ``number``-th room of a form ("Room 2"), as refusals name a row."""
    return _("Room {number}").format(number=number)


def slot_label(number: int) -> str:
    """The ``number``-th slot of a form ("Slot 2"), as refusals name a row."""
    return _("Slot {number}").format(number=number)


def plain_messages(error: DomainError | None) -> dict[str, str]:
    """Field path -> "Label: what is wrong", for each field ``error`` refuses (one mapping for every form)."""
    if error is None:
        return {}
    plain: dict[str, str] = {}
    for item in error.field_errors:
        # A message that is a whole sentence already says what it is about; a fragment gets its label.
        whole = item.message[:1].isupper()
        fragment = item.message.rstrip(".")
        plain.setdefault(
            item.field,
            item.message if whole else _("{label}: {problem}").format(label=field_label(item.field), problem=fragment),
        )
    return plain
