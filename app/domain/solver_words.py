"""The scheduler's findings in the organizer's words and language, worded where they are shown.

The scheduler also runs in worker processes and from the command line, so it writes in English with
its own ids in quotes ('t12', 'r3', 's5', 'a7'): a rule a schedule breaks starts with its code
("[room-double-booked] room 'r3' holds 't1' and 't4' in slot 's5'"), and a left-out topic's reason is
one of a few sentences (``app/scheduler/reasons.py``), kept in the draft's stats. Here each known
sentence is matched, its values taken out (ids become titles, room names and times, as
``drafting.humanize`` does) and worded again in the request's language. A sentence not known here
(one an organizer's change wrote, already in words) is shown as it is, its ids named.
"""

from __future__ import annotations

import re
from functools import cache

from babel.support import LazyProxy

from app import i18n
from app.i18n import _, _l

#: A violation: its code, then the sentence (the code is the scheduler's, never shown).
VIOLATIONS = [
    _l("topic {topic} is placed {n} times"),
    _l("room {room} is unavailable in slot {slot} but holds {topic}"),
    _l("topic {topic} is placed in slot {slot}, which it cannot use"),
    _l("topic {topic} needs {feature}, which room {room} lacks"),
    _l("topic {topic} is placed in slot {slot}, a {kind}"),
    _l("room {room} holds {topics} in slot {slot}"),
    _l("pinned topic {topic} is not scheduled"),
    _l("topic {topic} is pinned to room {room} but placed in {other}"),
    _l("topic {topic} is pinned to slot {slot} but placed in {other}"),
    _l("facilitator {person} runs {topics} in slot {slot}"),
    _l("topics {a} and {b} must not share a slot but both are in {slot}"),
]

#: Why a topic was left out (``app/scheduler/reasons.py``), each English form on its own.
REASONS = [
    _l("it is unavailable in every remaining slot"),
    _l("no room has {features}"),
    _l("no suitable room is free in any slot it can use"),
    _l("nobody marked it and nobody facilitates it"),
    _l("every free room-slot is ruled out: {cells}"),
    _l("only {people} person wants it (marks and facilitators), fewer than the {need} a session needs at this event"),
    _l("only {people} people want it (marks and facilitators), fewer than the {need} a session needs at this event"),
    _l("all {cells} room-slots are taken, and it has fewer marks ({marks}) than every scheduled topic"),
    _l(
        "all {cells} room-slots are taken, and the topics scheduled instead give at least as many people a session "
        "they marked in a slot that would otherwise have none (it has {marks} mark)"
    ),
    _l(
        "all {cells} room-slots are taken, and the topics scheduled instead give at least as many people a session "
        "they marked in a slot that would otherwise have none (it has {marks} marks)"
    ),
]

#: Why one free room-slot cannot take the topic (the parts of "every free room-slot is ruled out").
BLOCKS = [
    _l("the topic is unavailable then"),
    _l("facilitator {people} runs another session then"),
    _l("it must not share the slot with {topics} (avoid_clash)"),
    _l("no free room there has {features}"),
]

KINDS = {"plenary": _l("plenary"), "break": _l("break"), "sessions": _l("sessions")}
_CODE = re.compile(r"^\[[a-z-]+\]\s*")
_ID = re.compile(r"'([trsa]\d+)'")
_FIELD = re.compile(r"\\\{(\w+)\\\}")


def humanize(text: str, names: dict[str, str]) -> str:
    """The scheduler's ids in quotes ('t12') replaced by what organizers call them (“Maker space”)."""
    return _ID.sub(lambda m: f"“{names.get(m.group(1), m.group(1))}”", text)


def _english(message: LazyProxy) -> str:
    with i18n.using("en"):
        return str(message)


@cache
def _patterns(kind: str) -> list[tuple[re.Pattern[str], str]]:
    """Each message's English as a pattern (its placeholders stand for anything), and the message."""
    messages = {"violations": VIOLATIONS, "reasons": REASONS, "blocks": BLOCKS}[kind]
    found = []
    for message in messages:
        english = _english(message)
        pattern = _FIELD.sub(lambda m: f"(?P<{m.group(1)}>.+?)", re.escape(english))
        found.append((re.compile(f"^{pattern}$"), english))
    return found


def _match(kind: str, text: str) -> tuple[str, dict[str, str]] | None:
    for pattern, english in _patterns(kind):
        if found := pattern.match(text):
            return english, found.groupdict()
    return None


def _listed(text: str, names: dict[str, str], separator: str = " and ") -> str:
    """A list the scheduler joined ("'t1' and 't4'", "projector and accessible"), named and re-joined."""
    items = [humanize(item, names) for item in text.split(separator)]
    if len(items) == 1:
        return items[0]
    return _("{first} and {last}").format(first=", ".join(items[:-1]), last=items[-1])


def _values(values: dict[str, str], names: dict[str, str]) -> dict[str, str]:
    worded = {}
    for key, value in values.items():
        if key in ("topics", "features"):
            worded[key] = _listed(value, names)
        elif key == "kind":
            worded[key] = str(KINDS.get(value, value))
        elif key == "cells":
            worded[key] = _cells(value, names) if not value.isdigit() else value
        else:
            worded[key] = humanize(value, names)
    return worded


def _cells(text: str, names: dict[str, str]) -> str:
    """'r1', 'r2' in 's3': why, why; 'r1' in 's4': why — each why worded again."""
    out = []
    for cell in text.split("; "):
        where, _colon, whys = cell.partition(": ")
        rooms, _in, slot = where.rpartition(" in ")
        parts = re.findall(
            r"(the topic is unavailable then|facilitator .+? runs another session then|"
            r"it must not share the slot with .+? \(avoid_clash\)|no free room there has .+?)(?:, (?=[a-z])|$)",
            whys,
        )
        worded = [_word("blocks", part, names) for part in parts] or [humanize(whys, names)]
        place = _("{rooms} in {slot}").format(rooms=humanize(rooms, names), slot=humanize(slot, names))
        out.append(f"{place}: " + ", ".join(worded))
    return "; ".join(out)


def _word(kind: str, text: str, names: dict[str, str]) -> str:
    known = _match(kind, text)
    if known is None:
        return humanize(text, names)
    english, values = known
    return _(english).format(**_values(values, names))


def violation(message: str, names: dict[str, str]) -> str:
    """A rule a schedule breaks, in the request's language."""
    return _word("violations", _CODE.sub("", message), names)


def reason(message: str, names: dict[str, str]) -> str:
    """Why a topic was left out, in the request's language."""
    return _word("reasons", message, names)
