"""The one rule for every user-written string: no control characters, no bidi overrides.

A NUL cannot be stored by PostgreSQL at all (SQLite keeps it), and the other control characters
have no business in a title or a name; refusing them everywhere keeps both databases alike and an
export always importable. Newline, carriage return (browsers send textarea lines as CRLF) and tab
are text. Bidi overrides and isolates (U+202A–U+202E, U+2066–U+2069) can make a title read
backwards ("exe.txt" shown as "txt.exe"), so they are dropped rather than refused: a person who
pasted one did not mean it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from app.domain.errors import InvalidInput, about
from app.i18n import _

# C0 controls except tab, newline and carriage return; DEL; C1 controls; lone surrogates (not
# encodable as UTF-8, so no database can store them).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# The same rule as a JSON Schema pattern (ECMA-262), for the API's schema.
TEXT_PATTERN = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$"
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
DOCUMENT_DEPTH_MAX = 32


def control_character(value: str) -> str | None:
    """The first refused character in ``value`` as ``U+XXXX``, or None when there is none."""
    found = _CONTROL.search(value)
    return f"U+{ord(found.group()):04X}" if found else None


def clean_text(value: str, *, field: str) -> str:
    """``value`` without bidi overrides; InvalidInput naming ``field`` if it holds a control character."""
    bad = control_character(value)
    if bad is not None:
        message = _("contains a control character ({character}); remove it and try again.").format(character=bad)
        raise InvalidInput(about(field, message), field=field)
    return strip_bidi(value)


def strip_bidi(value: str) -> str:
    return _BIDI.sub("", value)


def _walk(document: Any) -> Iterator[tuple[str, Any, int]]:
    """Every value of a JSON document with its path and depth, without recursion."""
    stack: list[tuple[str, Any, int]] = [("", document, 0)]
    while stack:
        path, value, depth = stack.pop()
        yield path, value, depth
        if isinstance(value, dict):
            stack.extend((f"{path}.{key}" if path else str(key), item, depth + 1) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((f"{path}[{index}]", item, depth + 1) for index, item in enumerate(value))


def check_document(document: Any) -> None:
    """Refuse a JSON document nested deeper than any real file, or holding a control character."""
    for path, value, depth in _walk(document):
        if depth > DOCUMENT_DEPTH_MAX:
            message = _("nested more than {depth} levels deep; this is not an event file.").format(
                depth=DOCUMENT_DEPTH_MAX
            )
            raise InvalidInput(about(path or "document", message), field=path or None)
        keys = list(value) if isinstance(value, dict) else []
        for text in [value] if isinstance(value, str) else [k for k in keys if isinstance(k, str)]:
            bad = control_character(text)
            if bad is not None:
                message = _("contains a control character ({character}).").format(character=bad)
                raise InvalidInput(about(path or "document", message), field=path or None)
