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
"""

from __future__ import annotations


class DomainError(Exception):
    """Base class: ``message`` is a complete sentence a person can act on."""

    status_code = 400
    code = "error"
    title = "The request was refused"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    status_code = 422
    code = "invalid"
    title = "A value was refused"


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
