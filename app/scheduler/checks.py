"""Instance checks shared by the file parser and the solver.

Two kinds of problem are told apart:

* :func:`reference_problems`: the instance is not well formed (an unknown or
  duplicate id, a non-positive capacity, a bad time). A file with one is refused; an
  in-memory instance with one is a programming error and :func:`~app.scheduler.solve`
  raises.
* :func:`pin_problems`: every id is fine, but the pins alone already break a hard
  constraint (a topic pinned into a room that lacks a needed feature, two pins on one
  room and slot...). A file with one is refused; :func:`~app.scheduler.solve` answers
  ``INFEASIBLE`` naming them, because infeasible is a value, not an exception.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from app.scheduler.instance import SESSIONS, Instance, Room, Topic

__all__ = ["Problem", "pin_problems", "reference_problems", "valid_time"]

_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an instance: where (``key``), which id, and why."""

    key: str
    id: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.key}: {self.message}"


def valid_time(value: object) -> bool:
    """Whether ``value`` is a ``"HH:MM"`` string of a real clock time."""
    return isinstance(value, str) and _TIME.match(value) is not None


def _is_positive_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _is_positive_number(value: object) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and value == value  # rejects NaN
        and 0 < value < float("inf")
    )


def _duplicates(kind: str, plural: str, ids: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, ident in enumerate(ids):
        if not isinstance(ident, str) or not ident:
            problems.append(Problem(f"{plural}[{i}].id", None, "an id must be a non-empty string"))
        elif ident in seen:
            problems.append(Problem(f"{plural}[{i}].id", ident, f"duplicate {kind} id {ident!r}"))
        seen.add(ident)
    return problems


def reference_problems(instance: Instance) -> list[Problem]:
    """Return every well-formedness problem of ``instance`` (``[]`` when none).

    Parameters
    ----------
    instance : Instance
        The instance to check.

    Returns
    -------
    list of Problem
        In document order, each naming its key (``"topics[3].facilitators"``) and id.

    Examples
    --------
    >>> from app.scheduler.instance import EventInfo, Instance, Room
    >>> inst = Instance(EventInfo(), (Room("r", "R", 0),), (), (), (), ())
    >>> [str(p) for p in reference_problems(inst)]
    ["rooms[0].capacity: room 'r' must have a positive whole number of seats, got 0"]
    """
    out: list[Problem] = []
    out += _duplicates("room", "rooms", [r.id for r in instance.rooms])
    out += _duplicates("slot", "slots", [s.id for s in instance.slots])
    out += _duplicates("attendee", "attendees", [a.id for a in instance.attendees])
    out += _duplicates("topic", "topics", [t.id for t in instance.topics])
    out += _slot_problems(instance)
    out += _room_problems(instance)
    out += _topic_problems(instance)
    out += _interest_problems(instance)
    out += _clash_problems(instance)
    return out


def _slot_problems(instance: Instance) -> list[Problem]:
    """Times that are not HH:MM, slots that end before they start or overlap the one before."""
    out: list[Problem] = []
    previous_end: str | None = None
    for i, slot in enumerate(instance.slots):
        for part in ("start", "end"):
            value = getattr(slot, part)
            if not valid_time(value):
                out.append(
                    Problem(
                        f"slots[{i}].{part}", slot.id, f"slot {slot.id!r} {part} must be a time as HH:MM, got {value!r}"
                    )
                )
        if valid_time(slot.start) and valid_time(slot.end):
            if slot.end <= slot.start:
                out.append(
                    Problem(
                        f"slots[{i}].end",
                        slot.id,
                        f"slot {slot.id!r} ends at {slot.end}, not after it starts at {slot.start}",
                    )
                )
            elif previous_end is not None and slot.start < previous_end:
                out.append(
                    Problem(
                        f"slots[{i}].start",
                        slot.id,
                        f"slot {slot.id!r} starts at {slot.start}, before the previous slot ends at {previous_end}; slots must be in time order",
                    )
                )
            previous_end = slot.end
    room_ids = {r.id for r in instance.rooms}
    for i, slot in enumerate(instance.slots):
        if slot.room is not None and slot.room not in room_ids:
            out.append(Problem(f"slots[{i}].room", slot.room, f"slot {slot.id!r} names unknown room {slot.room!r}"))
    return out


def _room_problems(instance: Instance) -> list[Problem]:
    """Capacities that are not positive whole numbers, unknown unavailable slots."""
    out: list[Problem] = []
    slot_ids = {s.id for s in instance.slots}
    for i, room in enumerate(instance.rooms):
        if not _is_positive_int(room.capacity):
            out.append(
                Problem(
                    f"rooms[{i}].capacity",
                    room.id,
                    f"room {room.id!r} must have a positive whole number of seats, got {room.capacity!r}",
                )
            )
        for s in sorted(room.unavailable_slots - slot_ids):
            out.append(Problem(f"rooms[{i}].unavailable_slots", s, f"unknown slot {s!r}"))
    return out


def _topic_problems(instance: Instance) -> list[Problem]:
    """Unknown or repeated facilitators, unknown unavailable slots, pins to unknown rooms or slots."""
    out: list[Problem] = []
    slot_ids = {s.id for s in instance.slots}
    attendee_ids = {a.id for a in instance.attendees}
    room_ids = {r.id for r in instance.rooms}
    for i, topic in enumerate(instance.topics):
        seen: set[str] = set()
        for a in topic.facilitators:
            if a not in attendee_ids:
                out.append(Problem(f"topics[{i}].facilitators", a, f"unknown attendee {a!r}"))
            elif a in seen:
                out.append(Problem(f"topics[{i}].facilitators", a, f"attendee {a!r} is listed twice"))
            seen.add(a)
        for s in sorted(topic.unavailable_slots - slot_ids):
            out.append(Problem(f"topics[{i}].unavailable_slots", s, f"unknown slot {s!r}"))
        pin = topic.pinned
        if pin is not None:
            if pin.room is not None and pin.room not in room_ids:
                out.append(Problem(f"topics[{i}].pinned.room", pin.room, f"unknown room {pin.room!r}"))
            if pin.slot is not None and pin.slot not in slot_ids:
                out.append(Problem(f"topics[{i}].pinned.slot", pin.slot, f"unknown slot {pin.slot!r}"))
    return out


def _interest_problems(instance: Instance) -> list[Problem]:
    """Marks by unknown attendees or of unknown topics, bad weights, a topic marked twice by one person."""
    out: list[Problem] = []
    attendee_ids = {a.id for a in instance.attendees}
    topic_ids = {t.id for t in instance.topics}
    pairs: set[tuple[str, str]] = set()
    for i, interest in enumerate(instance.interests):
        if interest.attendee not in attendee_ids:
            out.append(
                Problem(f"interests[{i}].attendee", interest.attendee, f"unknown attendee {interest.attendee!r}")
            )
        if interest.topic not in topic_ids:
            out.append(Problem(f"interests[{i}].topic", interest.topic, f"unknown topic {interest.topic!r}"))
        if not _is_positive_number(interest.weight):
            out.append(
                Problem(
                    f"interests[{i}].weight",
                    interest.topic,
                    f"weight must be a positive number, got {interest.weight!r}",
                )
            )
        pair = (interest.attendee, interest.topic)
        if pair in pairs:
            out.append(
                Problem(
                    f"interests[{i}]",
                    interest.topic,
                    f"attendee {interest.attendee!r} marks topic {interest.topic!r} twice",
                )
            )
        pairs.add(pair)
    return out


def _clash_problems(instance: Instance) -> list[Problem]:
    """avoid_clash pairs that are not two known, different topics."""
    out: list[Problem] = []
    topic_ids = {t.id for t in instance.topics}
    for i, clash in enumerate(instance.avoid_clash):
        if len(clash) != 2:
            out.append(Problem(f"avoid_clash[{i}]", None, "a pair must name exactly two topics"))
            continue
        for t in clash:
            if t not in topic_ids:
                out.append(Problem(f"avoid_clash[{i}]", t, f"unknown topic {t!r}"))
        if clash[0] == clash[1]:
            out.append(Problem(f"avoid_clash[{i}]", clash[0], f"topic {clash[0]!r} is paired with itself"))
    return out


def pin_problems(instance: Instance) -> list[Problem]:
    """Return the hard constraints that the pins alone already break.

    Checks each pin against the topic's and room's unavailable slots and the room's
    features, and each pair of pins against room double-booking, facilitators in two
    places and ``avoid_clash``. Assumes :func:`reference_problems` found nothing.
    Conflicts that need three or more pins are left to the solver, which names them too.

    Examples
    --------
    >>> from app.scheduler.instance import EventInfo, Instance, Pin, Room, Slot, Topic
    >>> inst = Instance(EventInfo(), (Room("r", "R", 9),), (Slot("s", "09:00", "10:00"),), (),
    ...     (Topic("t", "T", needs=frozenset({"projector"}), pinned=Pin("r", "s")),), ())
    >>> [str(p) for p in pin_problems(inst)]
    ["topics[0].pinned: topic 't' is pinned to room 'r', which lacks the needed feature 'projector'"]
    """
    out: list[Problem] = []
    rooms = {r.id: r for r in instance.rooms}
    slot_ids = [s.id for s in instance.session_slots]  # a topic goes only into a sessions slot
    kinds = {s.id: s.kind for s in instance.slots}
    by_cell: dict[tuple[str, str], str] = {}
    by_slot: dict[str, list[str]] = defaultdict(list)
    clashes = _clash_set(instance)
    topic_of = {t.id: t for t in instance.topics}
    for i, topic in enumerate(instance.topics):
        if topic.pinned is None:
            continue
        key = f"topics[{i}].pinned"
        if topic.pinned.slot is not None and kinds.get(topic.pinned.slot, SESSIONS) != SESSIONS:
            slot = topic.pinned.slot
            out.append(
                Problem(
                    key,
                    topic.id,
                    f"topic {topic.id!r} is pinned to slot {slot!r}, a {kinds[slot]}: topics go only in sessions slots",
                )
            )
            continue
        out += _pin_alone_problems(key, topic, rooms, slot_ids)
        out += _pinned_together_problems(key, topic, topic_of, by_cell, by_slot, clashes)
    return out


def _pin_alone_problems(key: str, topic: Topic, rooms: dict[str, Room], slot_ids: list[str]) -> list[Problem]:
    """What one pin breaks on its own: unavailable slots, a room's missing features."""
    out: list[Problem] = []
    pin = topic.pinned
    assert pin is not None
    tid = topic.id
    if pin.slot is not None and pin.slot in topic.unavailable_slots:
        out.append(Problem(key, tid, f"topic {tid!r} is pinned to slot {pin.slot!r}, which it lists as unavailable"))
    room = rooms.get(pin.room) if pin.room is not None else None
    if room is None:
        return out
    for need in sorted(topic.needs - room.features):
        out.append(
            Problem(key, tid, f"topic {tid!r} is pinned to room {room.id!r}, which lacks the needed feature {need!r}")
        )
    if pin.slot is not None and pin.slot in room.unavailable_slots:
        out.append(
            Problem(
                key,
                tid,
                f"topic {tid!r} is pinned to room {room.id!r} in slot {pin.slot!r}, when that room is unavailable",
            )
        )
    if pin.slot is None and all(s in room.unavailable_slots or s in topic.unavailable_slots for s in slot_ids):
        out.append(
            Problem(
                key, tid, f"topic {tid!r} is pinned to room {room.id!r}, which is free in no slot the topic can use"
            )
        )
    return out


def _pinned_together_problems(
    key: str,
    topic: Topic,
    topic_of: dict[str, Topic],
    by_cell: dict[tuple[str, str], str],
    by_slot: dict[str, list[str]],
    clashes: set[tuple[str, str]],
) -> list[Problem]:
    """What a pin to a slot breaks with the pins before it (room, facilitators, avoid_clash);
    records it in ``by_cell`` and ``by_slot`` for the pins after it."""
    out: list[Problem] = []
    pin = topic.pinned
    assert pin is not None
    tid = topic.id
    if pin.slot is None:
        return out
    if pin.room is not None:
        other = by_cell.get((pin.room, pin.slot))
        if other is not None:
            out.append(
                Problem(
                    key, tid, f"topics {other!r} and {tid!r} are both pinned to room {pin.room!r} in slot {pin.slot!r}"
                )
            )
        by_cell[(pin.room, pin.slot)] = tid
    for other in by_slot[pin.slot]:
        for person in topic.facilitators:
            if person in topic_of[other].facilitators:
                out.append(
                    Problem(
                        key, tid, f"facilitator {person!r} runs {other!r} and {tid!r}, both pinned to slot {pin.slot!r}"
                    )
                )
        if (other, tid) in clashes:
            out.append(
                Problem(
                    key,
                    tid,
                    f"topics {other!r} and {tid!r} must not share a slot (avoid_clash) but are both pinned to slot {pin.slot!r}",
                )
            )
    by_slot[pin.slot].append(tid)
    return out


def _clash_set(instance: Instance) -> set[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for a, b in instance.avoid_clash:
        pairs.add((a, b))
        pairs.add((b, a))
    return pairs
