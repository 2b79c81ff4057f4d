"""The words of a refusal made before any route runs, in the request's language.

FastAPI and pydantic refuse a request in English ("Field required", "Input should be a valid
integer"); the error's ``type`` and ``ctx`` say what went wrong, so the common ones are worded here
in the person's language, and any other keeps pydantic's own text. The status phrases of plain HTTP
errors (404, 405...) are here too; their ``code`` stays the English phrase, the same in every language.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from app import i18n
from app.i18n import _, _l, ngettext

#: The standard phrase of each plain HTTP error a person may meet, translated (English: as it is).
STATUS_TITLES = {
    "Bad Request": _l("Bad Request"),
    "Unauthorized": _l("Unauthorized"),
    "Forbidden": _l("Forbidden"),
    "Not Found": _l("Not Found"),
    "Method Not Allowed": _l("Method Not Allowed"),
    "Not Acceptable": _l("Not Acceptable"),
    "Conflict": _l("Conflict"),
    "Request Entity Too Large": _l("Request Entity Too Large"),
    "Content Too Large": _l("Content Too Large"),
    "Unsupported Media Type": _l("Unsupported Media Type"),
    "Unprocessable Entity": _l("Unprocessable Entity"),
    "Unprocessable Content": _l("Unprocessable Content"),
    "Too Many Requests": _l("Too Many Requests"),
    "Internal Server Error": _l("Internal Server Error"),
    "Service Unavailable": _l("Service Unavailable"),
}

# What Python's JSON reader says is wrong with a body (``json_invalid``'s ctx error), translated.
_JSON_ERRORS = {
    "Expecting value": _l("a value was expected"),
    "Expecting property name enclosed in double quotes": _l("a name in double quotes was expected"),
    "Expecting ',' delimiter": _l("a comma was expected"),
    "Expecting ':' delimiter": _l("a colon was expected"),
    "Unterminated string starting at": _l("a text is not closed"),
    "Extra data": _l("there is more after the end"),
    "Invalid control character at": _l("a text holds a control character"),
    "EOF while parsing a value": _l("it ends before the value"),
}


# The API's own value errors (app/routes/schemas.py), which pydantic reports as "Value error, ...".
_VALUE_ERRORS = {
    "contains a control character; only text, newlines and tabs are accepted": _l(
        "contains a control character; only text, newlines and tabs are accepted"
    )
}


def field_path(location: tuple[int | str, ...]) -> str:
    """pydantic's location of a refused value as the API and the pages name a field: ``rooms[1].capacity``."""
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def status_code_name(status: int) -> str:
    """The problem's ``code`` for a plain HTTP error (``not_found``), the same in every language."""
    return HTTPStatus(status).phrase.lower().replace(" ", "_")


def status_title(status: int) -> str:
    """A plain HTTP error's title in the request's language."""
    phrase = HTTPStatus(status).phrase
    title = STATUS_TITLES.get(phrase)
    return str(title) if title is not None else phrase


def malformed_json(error: dict[str, Any]) -> str:
    """The detail of a body that is not JSON at all, saying where it breaks when pydantic knows."""
    where = error.get("loc", ())
    reason = str(error.get("ctx", {}).get("error", ""))
    known = next((words for english, words in _JSON_ERRORS.items() if reason.startswith(english)), None)
    said = str(known) if known is not None else reason or _("it cannot be read")
    if where and isinstance(where[-1], int):
        return _("The request body is not valid JSON near character {position}: {reason}.").format(
            position=where[-1], reason=said
        )
    return _("The request body is not valid JSON: {reason}.").format(reason=said)


def validation_message(error: dict[str, Any]) -> str:
    """One of pydantic's refusals in the request's language (pydantic's own text when not a common one).

    English keeps pydantic's own words ("Field required"), as the API always said them."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    fallback = str(error.get("msg", "invalid"))
    if i18n.current() == i18n.DEFAULT_LOCALE:
        return fallback
    wording = _wording(kind, ctx)
    try:
        return wording() if wording is not None else fallback
    except (KeyError, TypeError, ValueError):  # a ctx without the value we word: pydantic says it
        return fallback


def _wording(kind: str, ctx: dict[str, Any]) -> Callable[[], str] | None:
    """How to word an error of type ``kind`` (None: one we leave to pydantic)."""
    words: dict[str, Callable[[], str]] = {
        "missing": lambda: _("this is required"),
        # The forms' own (app/routes/forms.py): a number as typed, a control character.
        "whole_number": lambda: _("'{value}' is not a whole number").format(value=ctx["value"]),
        "control_character": lambda: _("contains a control character ({character}); remove it and try again").format(
            character=ctx["bad"]
        ),
        "int_parsing": lambda: _("give a whole number"),
        "int_type": lambda: _("give a whole number"),
        "int_from_float": lambda: _("give a whole number, without decimals"),
        "float_parsing": lambda: _("give a number"),
        "float_type": lambda: _("give a number"),
        "bool_parsing": lambda: _("give true or false"),
        "bool_type": lambda: _("give true or false"),
        "string_type": lambda: _("give a text"),
        "list_type": lambda: _("give a list"),
        "dict_type": lambda: _("give an object"),
        "model_type": lambda: _("give an object"),
        "model_attributes_type": lambda: _("give an object"),
        "date_parsing": lambda: _("give a date such as 2027-03-13"),
        "date_from_datetime_parsing": lambda: _("give a date such as 2027-03-13"),
        "date_type": lambda: _("give a date such as 2027-03-13"),
        "extra_forbidden": lambda: _("this field is not known here"),
        "greater_than_equal": lambda: _("give a number of at least {limit}").format(limit=ctx["ge"]),
        "greater_than": lambda: _("give a number greater than {limit}").format(limit=ctx["gt"]),
        "less_than_equal": lambda: _("give a number of at most {limit}").format(limit=ctx["le"]),
        "less_than": lambda: _("give a number less than {limit}").format(limit=ctx["lt"]),
        "string_too_long": lambda: ngettext(
            "at most {count} character", "at most {count} characters", int(ctx["max_length"])
        ).format(count=ctx["max_length"]),
        "string_too_short": lambda: ngettext(
            "at least {count} character", "at least {count} characters", int(ctx["min_length"])
        ).format(count=ctx["min_length"]),
        "too_long": lambda: ngettext("at most {count} item", "at most {count} items", int(ctx["max_length"])).format(
            count=ctx["max_length"]
        ),
        "too_short": lambda: ngettext("at least {count} item", "at least {count} items", int(ctx["min_length"])).format(
            count=ctx["min_length"]
        ),
        "value_error": lambda: str(_VALUE_ERRORS[str(ctx["error"])]),
        "enum": lambda: _("give one of {choices}").format(choices=_choices(ctx["expected"])),
        "literal_error": lambda: _("give one of {choices}").format(choices=_choices(ctx["expected"])),
    }
    return words.get(kind)


def _choices(expected: str) -> str:
    """pydantic's "'a', 'b' or 'c'" with the last "or" in the request's language."""
    head, sep, last = str(expected).rpartition(" or ")
    return _("{choices} or {last}").format(choices=head, last=last) if sep else str(expected)
