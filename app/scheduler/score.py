"""Judging a schedule without a solver.

:func:`score` computes the figures of the format's "How a schedule is judged";
:func:`violations` lists every broken hard constraint. Both accept any placements,
including invalid ones, and are what the tests and the benchmark hold every schedule
to, the solver's included.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from fractions import Fraction

from app.scheduler.instance import Instance, Room, Topic
from app.scheduler.solution import Placement, Stats

__all__ = ["headcounts", "interest_sets", "score", "upper_bound", "viable_topics", "violations", "wanted_by"]


def interest_sets(instance: Instance) -> dict[str, frozenset[str]]:
    """Map each attendee id to the topic ids it marked (weights ignored)."""
    sets: dict[str, set[str]] = {a.id: set() for a in instance.attendees}
    for interest in instance.interests:
        sets.setdefault(interest.attendee, set()).add(interest.topic)
    return {a: frozenset(ts) for a, ts in sets.items()}


def _facilitated(instance: Instance) -> dict[str, frozenset[str]]:
    sets: dict[str, set[str]] = defaultdict(set)
    for topic in instance.topics:
        for person in topic.facilitators:
            sets[person].add(topic.id)
    return {a: frozenset(ts) for a, ts in sets.items()}


def _tally(instance: Instance, slot_of: Mapping[str, str]) -> tuple[int, int, dict[str, Fraction]]:
    """Attendance, clashes and exact headcounts for topics placed in ``slot_of``."""
    interests = interest_sets(instance)
    facilitated = _facilitated(instance)
    attendance = 0
    clashes = 0
    headcount: dict[str, Fraction] = defaultdict(Fraction)
    for person in sorted(set(interests) | set(facilitated)):
        marked_by_slot: dict[str, list[str]] = defaultdict(list)
        for topic in sorted(interests.get(person, ())):
            if topic in slot_of:
                marked_by_slot[slot_of[topic]].append(topic)
        running_by_slot: dict[str, list[str]] = defaultdict(list)
        for topic in sorted(facilitated.get(person, ())):
            if topic in slot_of:
                running_by_slot[slot_of[topic]].append(topic)
        attendance += len(set(marked_by_slot) | set(running_by_slot))
        for marked in marked_by_slot.values():
            clashes += len(marked) * (len(marked) - 1) // 2
        for slot in set(marked_by_slot) | set(running_by_slot):
            # A facilitator's whole unit goes to what they run (split if they are,
            # invalidly, double-booked); otherwise the unit is split over the marks.
            targets = running_by_slot.get(slot) or marked_by_slot[slot]
            share = Fraction(1, len(targets))
            for topic in targets:
                headcount[topic] += share
    return attendance, clashes, headcount


def headcounts(instance: Instance, slot_of: Mapping[str, str]) -> dict[str, Fraction]:
    """Exact expected headcount of each topic, given the slot of every placed topic.

    Rooms do not matter: the headcount depends only on which topics share a slot.
    """
    return _tally(instance, slot_of)[2]


def wanted_by(instance: Instance) -> dict[str, int]:
    """Topic id -> how many people want it: those who marked it or facilitate it (each once)."""
    people: dict[str, set[str]] = {t.id: set(t.facilitators) for t in instance.topics}
    for interest in instance.interests:
        people.setdefault(interest.topic, set()).add(interest.attendee)
    return {t: len(p) for t, p in people.items()}


def viable_topics(instance: Instance) -> frozenset[str]:
    """Topics that at least ``event.min_interest`` people want (marks plus facilitators).

    A viable topic runs whenever a suitable room is free (the format's "sessions run").
    """
    need = instance.event.min_interest
    return frozenset(t for t, n in wanted_by(instance).items() if n >= need)


def upper_bound(instance: Instance) -> int:
    """Sum over attendees of ``min(|I(a) ∪ facilitated(a)|, S)``."""
    interests = interest_sets(instance)
    facilitated = _facilitated(instance)
    people = set(interests) | set(facilitated)
    n_slots = len(instance.session_slots)  # S counts only the slots that hold topics
    return sum(
        min(len(interests.get(a, frozenset()) | facilitated.get(a, frozenset())), n_slots) for a in sorted(people)
    )


def score(
    instance: Instance, placements: Iterable[Placement], *, solve_seconds: float = 0.0, proven_bound: int | None = None
) -> Stats:
    """Compute the format's figures for ``placements``.

    Parameters
    ----------
    instance : Instance
    placements : iterable of Placement
        Any placements; if a topic appears twice only its first placement counts.
    solve_seconds : float
        Copied into the result.
    proven_bound : int or None
        Copied into the result.

    Returns
    -------
    Stats
        Overflow is computed exactly (fractions) and then rounded to 6 decimals.

    Examples
    --------
    >>> from app.scheduler.instance import Attendee, EventInfo, Interest, Room, Slot, Topic
    >>> inst = Instance(EventInfo(), (Room("r", "R", 1),), (Slot("s", "09:00", "10:00"),),
    ...     (Attendee("a"), Attendee("b")), (Topic("t", "T"),), (Interest("a", "t"), Interest("b", "t")))
    >>> score(inst, [Placement("t", "r", "s")])
    Stats(attendance=2, upper_bound=2, proven_bound=None, overflow=1.0, clashes=0, solve_seconds=0.0, sessions_run=1, viable_left_out=0)
    """
    capacity = {r.id: r.capacity for r in instance.rooms}
    where: dict[str, Placement] = {}
    for p in placements:
        where.setdefault(p.topic, p)
    attendance, clashes, headcount = _tally(instance, {t: p.slot for t, p in where.items()})
    overflow = sum((max(Fraction(0), headcount[t] - capacity.get(p.room, 0)) for t, p in where.items()), Fraction(0))
    viable = viable_topics(instance)
    run = sum(1 for t in where if t in viable)
    return Stats(
        attendance=attendance,
        upper_bound=upper_bound(instance),
        proven_bound=proven_bound,
        overflow=round(float(overflow), 6),
        clashes=clashes,
        solve_seconds=solve_seconds,
        sessions_run=run,
        viable_left_out=len(viable) - run,
    )


def violations(instance: Instance, placements: Iterable[Placement]) -> list[str]:
    """List every hard constraint that ``placements`` break.

    Each message starts with a label in brackets (``[room-double-booked]``,
    ``[topic-placed-twice]``, ``[room-unavailable]``, ``[topic-unavailable]``,
    ``[room-lacks-feature]``, ``[pin]``, ``[facilitator-double-booked]``,
    ``[avoid-clash]``, ``[unknown-id]``, ``[not-a-sessions-slot]``) followed by a sentence for a person.

    Returns
    -------
    list of str
        ``[]`` when the schedule is valid.

    Examples
    --------
    >>> from app.scheduler.instance import EventInfo, Room, Slot, Topic
    >>> inst = Instance(EventInfo(), (Room("r", "R", 9),), (Slot("s", "09:00", "10:00"),), (),
    ...     (Topic("t", "T"), Topic("u", "U")), ())
    >>> violations(inst, [Placement("t", "r", "s"), Placement("u", "r", "s")])
    ["[room-double-booked] room 'r' holds 't' and 'u' in slot 's'"]
    """
    rooms = {r.id: r for r in instance.rooms}
    topics = {t.id: t for t in instance.topics}
    out, valid = _unknown_ids(list(placements), rooms, topics, {s.id for s in instance.slots})
    placed = {p.topic: p for p in valid}
    out += _placed_twice(valid)
    out += _misplaced(valid, rooms, topics)
    out += _not_a_sessions_slot(instance, valid)
    out += _rooms_double_booked(valid)
    out += _pins_broken(instance, placed)
    out += _facilitators_double_booked(valid, topics)
    out += _clashes(instance, placed)
    return out


def _unknown_ids(
    placements: list[Placement], rooms: Mapping[str, Room], topics: Mapping[str, Topic], slots: set[str]
) -> tuple[list[str], list[Placement]]:
    """[unknown-id] for placements naming an unknown topic, room or slot; and the others."""
    out: list[str] = []
    valid: list[Placement] = []
    for p in placements:
        bad = [
            f"{kind} {value!r}"
            for kind, value, known in (("topic", p.topic, topics), ("room", p.room, rooms), ("slot", p.slot, slots))
            if value not in known
        ]
        if bad:
            out.append(f"[unknown-id] placement of {p.topic!r} names unknown " + " and ".join(bad))
        else:
            valid.append(p)
    return out, valid


def _placed_twice(valid: list[Placement]) -> list[str]:
    """[topic-placed-twice]: a topic in more than one placement."""
    count = Counter(p.topic for p in valid)
    return [f"[topic-placed-twice] topic {topic!r} is placed {n} times" for topic, n in sorted(count.items()) if n > 1]


def _misplaced(valid: list[Placement], rooms: Mapping[str, Room], topics: Mapping[str, Topic]) -> list[str]:
    """[room-unavailable], [topic-unavailable] and [room-lacks-feature]: what one placement breaks alone."""
    out: list[str] = []
    for p in valid:
        room, topic = rooms[p.room], topics[p.topic]
        if p.slot in room.unavailable_slots:
            out.append(f"[room-unavailable] room {p.room!r} is unavailable in slot {p.slot!r} but holds {p.topic!r}")
        if p.slot in topic.unavailable_slots:
            out.append(f"[topic-unavailable] topic {p.topic!r} is placed in slot {p.slot!r}, which it cannot use")
        for need in sorted(topic.needs - room.features):
            out.append(f"[room-lacks-feature] topic {p.topic!r} needs {need!r}, which room {p.room!r} lacks")
    return out


def _not_a_sessions_slot(instance: Instance, valid: list[Placement]) -> list[str]:
    """[not-a-sessions-slot]: a topic placed in a plenary or a break."""
    kinds = {s.id: s.kind for s in instance.slots if not s.holds_topics}
    return [
        f"[not-a-sessions-slot] topic {p.topic!r} is placed in slot {p.slot!r}, a {kinds[p.slot]}"
        for p in valid
        if p.slot in kinds
    ]


def _rooms_double_booked(valid: list[Placement]) -> list[str]:
    """[room-double-booked]: two topics in one room and slot."""
    by_cell: dict[tuple[str, str], list[str]] = defaultdict(list)
    for p in valid:
        by_cell[(p.room, p.slot)].append(p.topic)
    return [
        f"[room-double-booked] room {room_id!r} holds "
        + " and ".join(repr(t) for t in sorted(held))
        + f" in slot {slot!r}"
        for (room_id, slot), held in by_cell.items()
        if len(held) > 1
    ]


def _pins_broken(instance: Instance, placed: Mapping[str, Placement]) -> list[str]:
    """[pin]: a pinned topic not scheduled, or not in its pinned room or slot."""
    out: list[str] = []
    for topic in instance.topics:
        pin = topic.pinned
        if pin is None:
            continue
        p = placed.get(topic.id)
        if p is None:
            out.append(f"[pin] pinned topic {topic.id!r} is not scheduled")
            continue
        if pin.room is not None and p.room != pin.room:
            out.append(f"[pin] topic {topic.id!r} is pinned to room {pin.room!r} but placed in {p.room!r}")
        if pin.slot is not None and p.slot != pin.slot:
            out.append(f"[pin] topic {topic.id!r} is pinned to slot {pin.slot!r} but placed in {p.slot!r}")
    return out


def _facilitators_double_booked(valid: list[Placement], topics: Mapping[str, Topic]) -> list[str]:
    """[facilitator-double-booked]: a person running two topics in one slot."""
    by_slot: dict[str, list[str]] = defaultdict(list)
    for p in valid:
        by_slot[p.slot].append(p.topic)
    out: list[str] = []
    for slot, held in by_slot.items():
        runners: dict[str, list[str]] = defaultdict(list)
        for t in held:
            for person in topics[t].facilitators:
                runners[person].append(t)
        for person, runs in sorted(runners.items()):
            if len(runs) > 1:
                out.append(
                    f"[facilitator-double-booked] facilitator {person!r} runs "
                    + " and ".join(repr(t) for t in sorted(runs))
                    + f" in slot {slot!r}"
                )
    return out


def _clashes(instance: Instance, placed: Mapping[str, Placement]) -> list[str]:
    """[avoid-clash]: the two topics of a pair in one slot."""
    out: list[str] = []
    for a, b in instance.avoid_clash:
        pa, pb = placed.get(a), placed.get(b)
        if pa is not None and pb is not None and pa.slot == pb.slot:
            out.append(f"[avoid-clash] topics {a!r} and {b!r} must not share a slot but both are in {pa.slot!r}")
    return out
