"""Reading and writing the ``twofeet.event/1`` document.

:func:`parse_event` turns parsed JSON into an :class:`~app.scheduler.instance.Instance`
or raises :class:`EventFileError` naming the offending key and id; it never lets a
``KeyError`` or ``TypeError`` escape. :func:`event_to_document` is its inverse.

Room ``features`` and topic ``needs`` are free words, matched exactly. One has a meaning in the
app: ``step_free``, a room reachable without steps. A file's ``needs`` are the organizers' own;
when the app builds a schedule it also gives ``step_free`` to the needs of sessions marked or led by
someone who said they need a step-free room, where a step-free room can be kept for them
(``app/domain/stepfree.py``). Who needs what is private: no file carries it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from app.scheduler.checks import Problem, pin_problems, reference_problems
from app.scheduler.instance import (
    DEFAULT_MIN_INTEREST,
    LANGUAGES,
    SESSIONS,
    SLOT_KINDS,
    Attendee,
    EventInfo,
    Instance,
    Interest,
    Pin,
    Room,
    Slot,
    Topic,
)

__all__ = ["EVENT_FORMAT", "EventFileError", "event_to_document", "parse_event"]

EVENT_FORMAT = "twofeet.event/1"

T = TypeVar("T")


class EventFileError(ValueError):
    """A document that does not follow its format.

    Attributes
    ----------
    key : str
        Where the problem is, as a path into the document (``"topics[3].facilitators"``).
    id : str or None
        The offending id, or ``None`` when there is none to name.
    message : str
        What is wrong, for a person.

    Examples
    --------
    >>> err = EventFileError("topics[2].facilitators", "unknown attendee 'a99'", id="a99")
    >>> str(err)
    "topics[2].facilitators: unknown attendee 'a99'"
    """

    def __init__(self, key: str, message: str, *, id: str | None = None) -> None:  # noqa: A002 - the spec's name
        super().__init__(f"{key}: {message}")
        self.key = key
        self.id = id
        self.message = message

    @classmethod
    def from_problem(cls, problem: Problem) -> EventFileError:
        """Wrap a :class:`~app.scheduler.checks.Problem`."""
        return cls(problem.key, problem.message, id=problem.id)


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return repr(value)


class _Reader:
    """Typed access to one JSON object with errors that name the key and the id."""

    def __init__(self, value: object, key: str, ident: str | None = None) -> None:
        if not isinstance(value, dict):
            raise EventFileError(key, f"expected an object, got {_describe(value)}", id=ident)
        self.value: dict[str, Any] = value
        self.key = key
        self.ident = ident

    def fail(self, name: str, message: str) -> EventFileError:
        return EventFileError(f"{self.key}.{name}" if self.key else name, message, id=self.ident)

    def _get(self, name: str, default: object, required: bool) -> object:
        if name not in self.value:
            if required:
                raise self.fail(name, "missing" + (f" for {self.ident!r}" if self.ident else ""))
            return default
        return self.value[name]

    def string(self, name: str, default: str = "", *, required: bool = False) -> str:
        value = self._get(name, default, required)
        if not isinstance(value, str):
            raise self.fail(name, f"expected a string{self._whose()}, got {_describe(value)}")
        return value

    def ident_field(self) -> str:
        value = self._get("id", None, True)
        if not isinstance(value, str) or not value:
            raise self.fail("id", f"an id must be a non-empty string, got {_describe(value)}")
        self.ident = value
        return value

    def strings(self, name: str) -> list[str]:
        value = self._get(name, [], False)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(name, f"expected a list of strings{self._whose()}, got {_describe(value)}")
        for item in value:
            if not isinstance(item, str) or not item:
                raise self.fail(name, f"expected non-empty strings{self._whose()}, got {_describe(item)}")
        return value

    def objects(self, name: str, parse: Callable[[object, str], T], *, required: bool = False) -> list[T]:
        value = self._get(name, [], required)
        if not isinstance(value, list):
            raise self.fail(name, f"expected a list, got {_describe(value)}")
        return [parse(item, f"{name}[{i}]") for i, item in enumerate(value)]

    def _whose(self) -> str:
        return f" for {self.ident!r}" if self.ident else ""


def _room(value: object, key: str) -> Room:
    r = _Reader(value, key)
    ident = r.ident_field()
    capacity = r._get("capacity", None, True)
    if not isinstance(capacity, int) or isinstance(capacity, bool) or capacity <= 0:
        raise r.fail(
            "capacity", f"room {ident!r} must have a positive whole number of seats, got {_describe(capacity)}"
        )
    return Room(
        id=ident,
        name=r.string("name"),
        capacity=capacity,
        features=frozenset(r.strings("features")),
        unavailable_slots=frozenset(r.strings("unavailable_slots")),
    )


def _slot(value: object, key: str) -> Slot:
    r = _Reader(value, key)
    ident = r.ident_field()
    kind = r.string("kind", SESSIONS)
    if kind not in SLOT_KINDS:
        raise r.fail("kind", f"slot {ident!r} has kind {kind!r}; use one of {', '.join(SLOT_KINDS)}")
    room = r._get("room", None, False)
    if room is not None and (not isinstance(room, str) or not room):
        raise r.fail("room", f"expected a room id or null for {ident!r}, got {_describe(room)}")
    return Slot(
        id=ident,
        start=r.string("start", required=True),
        end=r.string("end", required=True),
        kind=kind,
        title=r.string("title"),
        room=room,
    )


def _slot_document(slot: Slot) -> dict[str, Any]:
    """A slot as the file writes it: a plenary's or break's kind, title and room; a sessions slot as
    before kinds (the format's default), so older readers and kept fingerprints see the same file."""
    out: dict[str, Any] = {"id": slot.id, "start": slot.start, "end": slot.end}
    if slot.kind != SESSIONS:
        out["kind"] = slot.kind
    if slot.title:
        out["title"] = slot.title
    if slot.room is not None:
        out["room"] = slot.room
    return out


def _attendee(value: object, key: str) -> Attendee:
    r = _Reader(value, key)
    return Attendee(id=r.ident_field(), name=r.string("name"))


def _pin(value: object, key: str, ident: str) -> Pin | None:
    if value is None:
        return None
    r = _Reader(value, key, ident)

    def part(name: str) -> str | None:
        found = r._get(name, None, False)
        if found is None or (isinstance(found, str) and found):
            return found
        raise r.fail(name, f"expected a {name} id or null for {ident!r}, got {_describe(found)}")

    return Pin(room=part("room"), slot=part("slot"))


def _topic(value: object, key: str, main_language: str = "en") -> Topic:
    r = _Reader(value, key)
    ident = r.ident_field()
    return Topic(
        id=ident,
        title=r.string("title", required=True),
        description=r.string("description"),
        facilitators=tuple(r.strings("facilitators")),
        unavailable_slots=frozenset(r.strings("unavailable_slots")),
        needs=frozenset(r.strings("needs")),
        pinned=_pin(r.value.get("pinned"), f"{key}.pinned", ident),
        language=_language(r, ident, main_language),
    )


def _language(r: _Reader, ident: str, main_language: str) -> str:
    """A topic's ``language`` (absent, as in older files: the event's main language)."""
    value = r._get("language", main_language, False)
    if value not in LANGUAGES:
        raise r.fail(
            "language", f"topic {ident!r} must be held in one of {', '.join(LANGUAGES)}, got {_describe(value)}"
        )
    return str(value)


def _interest(value: object, key: str) -> Interest:
    r = _Reader(value, key)
    attendee = r.string("attendee", required=True)
    topic = r.string("topic", required=True)
    r.ident = topic
    weight = r._get("weight", 1, False)
    if not isinstance(weight, (int, float)) or isinstance(weight, bool) or not (0 < weight < float("inf")):
        raise r.fail(
            "weight", f"weight of {attendee!r} for {topic!r} must be a positive number, got {_describe(weight)}"
        )
    return Interest(attendee=attendee, topic=topic, weight=weight)


def _clash(value: object, key: str) -> tuple[str, str]:
    if not isinstance(value, list) or len(value) != 2 or not all(isinstance(v, str) and v for v in value):
        raise EventFileError(key, f"expected a pair of topic ids, got {_describe(value)}")
    return (value[0], value[1])


def _min_interest(event: _Reader) -> int:
    value = event._get("min_interest", DEFAULT_MIN_INTEREST, False)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 10_000:
        raise event.fail("min_interest", f"expected a whole number of people from 1 to 10000, got {_describe(value)}")
    return value


def _languages(event: _Reader) -> tuple[str, ...]:
    """The event's ``languages``, main one first (absent, as in older files: English only)."""
    value = event._get("languages", ["en"], False)
    spoken = LANGUAGES[:2]
    if not isinstance(value, list) or not value or len(set(value)) != len(value) or not set(value) <= set(spoken):
        raise event.fail(
            "languages", f"expected a list of {' and '.join(spoken)}, main one first, got {_describe(value)}"
        )
    return tuple(value)


def parse_event(doc: object) -> Instance:
    """Validate a parsed ``twofeet.event/1`` document and build the instance.

    Parameters
    ----------
    doc : object
        The result of ``json.load`` on an event file.

    Returns
    -------
    Instance

    Raises
    ------
    EventFileError
        On the first problem found: a wrong type, a missing required key, an unknown or duplicate id,
        a non-positive capacity, a bad ``HH:MM`` time, an unknown format string or language, or pins that
        break a hard constraint. Its ``key`` and ``id`` name the place; ``str()`` is a sentence for a person.

    Examples
    --------
    >>> inst = parse_event({
    ...     "format": "twofeet.event/1",
    ...     "rooms": [{"id": "lib", "name": "Library", "capacity": 120}],
    ...     "slots": [{"id": "s1", "start": "09:30", "end": "10:20"}],
    ... })
    >>> inst.rooms[0].capacity
    120
    >>> parse_event({"format": "twofeet.event/1", "rooms": [{"id": "lib", "capacity": -1}], "slots": []})
    Traceback (most recent call last):
    ...
    app.scheduler.eventfile.EventFileError: rooms[0].capacity: room 'lib' must have a positive whole number of seats, got -1
    """
    top = _Reader(doc, "")
    fmt = top._get("format", None, True)
    if fmt != EVENT_FORMAT:
        raise EventFileError("format", f"expected {EVENT_FORMAT!r}, got {_describe(fmt)}")
    event_value = top._get("event", None, False)
    event = _Reader({} if event_value is None else event_value, "event")
    languages = _languages(event)
    instance = Instance(
        event=EventInfo(
            name=event.string("name"),
            date=event.string("date"),
            timezone=event.string("timezone", "UTC"),
            min_interest=_min_interest(event),
            languages=languages,
        ),
        rooms=tuple(top.objects("rooms", _room, required=True)),
        slots=tuple(top.objects("slots", _slot, required=True)),
        attendees=tuple(top.objects("attendees", _attendee)),
        topics=tuple(top.objects("topics", lambda value, key: _topic(value, key, languages[0]))),
        interests=tuple(top.objects("interests", _interest)),
        avoid_clash=tuple(top.objects("avoid_clash", _clash)),
    )
    for problem in reference_problems(instance):
        raise EventFileError.from_problem(problem)
    for problem in pin_problems(instance):
        raise EventFileError.from_problem(problem)
    return instance


def event_to_document(instance: Instance) -> dict[str, Any]:
    """Write ``instance`` as a ``twofeet.event/1`` document (JSON-ready).

    Sets are written sorted, so the output is stable. ``parse_event`` of the result
    equals ``instance``.

    Examples
    --------
    >>> from app.scheduler.instance import Room
    >>> inst = Instance(EventInfo("Edcamp"), (Room("lib", "Library", 120),), (), (), (), ())
    >>> parse_event(event_to_document(inst)) == inst
    True
    """
    topics = []
    for t in instance.topics:
        topic: dict[str, Any] = {
            "id": t.id,
            "title": t.title,
            "description": t.description,
            "facilitators": list(t.facilitators),
            "unavailable_slots": sorted(t.unavailable_slots),
            "needs": sorted(t.needs),
            "language": t.language,
        }
        if t.pinned is not None:
            pin: dict[str, str] = {}
            if t.pinned.room is not None:
                pin["room"] = t.pinned.room
            if t.pinned.slot is not None:
                pin["slot"] = t.pinned.slot
            topic["pinned"] = pin
        topics.append(topic)
    return {
        "format": EVENT_FORMAT,
        "event": {
            "name": instance.event.name,
            "date": instance.event.date,
            "timezone": instance.event.timezone,
            "min_interest": instance.event.min_interest,
            "languages": list(instance.event.languages),
        },
        "rooms": [
            {
                "id": r.id,
                "name": r.name,
                "capacity": r.capacity,
                "features": sorted(r.features),
                "unavailable_slots": sorted(r.unavailable_slots),
            }
            for r in instance.rooms
        ],
        "slots": [_slot_document(s) for s in instance.slots],
        "attendees": [{"id": a.id, "name": a.name} for a in instance.attendees],
        "topics": topics,
        "interests": [{"attendee": i.attendee, "topic": i.topic, "weight": i.weight} for i in instance.interests],
        "avoid_clash": [list(pair) for pair in instance.avoid_clash],
    }
