"""The bound's data: one slot problem per kind of slot (:mod:`app.scheduler.bound`).

A slot problem is what is left of a slot once "a topic is placed at most once" is relaxed:
which topics may run in it (unavailable slots, pins and room features), how many of each set
of need-types its free rooms can hold (Hall's condition), which topics may not run together
(a facilitator's, an ``avoid_clash`` pair), and the attendees each choice covers, counted
once per distinct set of topics of theirs. Slots that agree on all of this share one problem.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass

from app.scheduler.instance import Instance, Room, Slot
from app.scheduler.score import interest_sets

__all__ = ["SlotProblem", "prepare_slots"]


@dataclass
class SlotProblem:
    """One slot problem, shared by ``count`` identical slots."""

    count: int
    topics: tuple[int, ...]  # admissible topic indices
    #: Hall's condition: (topic indices needing one of a set of need-types, rooms able to host them)
    hall: list[tuple[tuple[int, ...], int]]
    groups: list[tuple[int, tuple[int, ...]]]  # (weight, admissible topics) with 2+ topics
    single: dict[int, int]  # topic -> weight of attendees it alone can cover here
    conflicts: list[tuple[int, ...]]  # at most one of each (facilitators, avoid_clash)


def prepare_slots(instance: Instance) -> tuple[int, list[SlotProblem]]:
    """Return (number of topics, the slot problems with at least one admissible topic)."""
    topic_index = {t.id: i for i, t in enumerate(instance.topics)}
    room_of = {r.id: r for r in instance.rooms}
    group_count, runs = _attendee_groups(instance, topic_index)
    by_key: dict[object, SlotProblem] = {}
    for slot in instance.slots:
        feature_count: dict[frozenset[str], int] = defaultdict(int)
        for r in instance.rooms:
            if slot.id not in r.unavailable_slots:
                feature_count[r.features] += 1
        need_of = _admissible(instance, slot, room_of, feature_count)
        admissible = list(need_of)
        hall = _hall(admissible, need_of, feature_count)
        key = (tuple(admissible), tuple(hall))
        if key in by_key:
            by_key[key].count += 1
            continue
        allowed = set(admissible)
        groups, single = _coverage(group_count, allowed)
        conflicts = _conflicts(instance, topic_index, runs, allowed)
        by_key[key] = SlotProblem(1, tuple(admissible), hall, sorted(groups), single, conflicts)
    return len(instance.topics), [p for p in by_key.values() if p.topics]


def _attendee_groups(
    instance: Instance, topic_index: dict[str, int]
) -> tuple[dict[frozenset[int], int], dict[str, list[int]]]:
    """(how many people have each set of topics of theirs, each facilitator's topics)."""
    covering: dict[str, set[int]] = defaultdict(set)
    for person, marked in interest_sets(instance).items():
        covering[person] |= {topic_index[t] for t in marked if t in topic_index}
    runs: dict[str, list[int]] = defaultdict(list)
    for ti, topic in enumerate(instance.topics):
        for person in topic.facilitators:
            covering[person].add(ti)
            runs[person].append(ti)
    group_count: dict[frozenset[int], int] = defaultdict(int)
    for person in sorted(covering):
        if covering[person]:
            group_count[frozenset(covering[person])] += 1
    return group_count, runs


def _admissible(
    instance: Instance, slot: Slot, room_of: dict[str, Room], feature_count: dict[frozenset[str], int]
) -> dict[int, frozenset[str]]:
    """The topics that may run in ``slot``, in topic order, each with the features its room needs
    (a pin to a room asks for that room's features)."""
    need_of: dict[int, frozenset[str]] = {}
    for ti, topic in enumerate(instance.topics):
        if slot.id in topic.unavailable_slots:
            continue
        needs = topic.needs
        pin = topic.pinned
        if pin is not None:
            if pin.slot is not None and pin.slot != slot.id:
                continue
            if pin.room is not None:
                pinned_room = room_of.get(pin.room)
                if pinned_room is None or slot.id in pinned_room.unavailable_slots:
                    continue
                needs = needs | pinned_room.features
        if any(needs <= f for f in feature_count):
            need_of[ti] = needs
    return need_of


def _hall(
    admissible: list[int], need_of: dict[int, frozenset[str]], feature_count: dict[frozenset[str], int]
) -> list[tuple[tuple[int, ...], int]]:
    """Hall's condition where it binds: each set of need-types whose topics outnumber the rooms
    able to host one of them, as (those topics, that many rooms)."""
    need_types = sorted({need_of[ti] for ti in admissible}, key=lambda s: sorted(s))
    hall: list[tuple[tuple[int, ...], int]] = []
    for k in range(1, len(need_types) + 1):
        for combo in itertools.combinations(need_types, k):
            members = tuple(ti for ti in admissible if need_of[ti] in combo)
            capacity = sum(n for f, n in feature_count.items() if any(nt <= f for nt in combo))
            if len(members) > capacity:
                hall.append((members, capacity))
    return hall


def _coverage(
    group_count: dict[frozenset[int], int], allowed: set[int]
) -> tuple[list[tuple[int, tuple[int, ...]]], dict[int, int]]:
    """The attendees a slot's topics can cover: (groups of two or more admissible topics with their
    weight, the weight each topic alone covers)."""
    groups: list[tuple[int, tuple[int, ...]]] = []
    single: dict[int, int] = defaultdict(int)
    for tis, mult in group_count.items():
        here = tuple(sorted(tis & allowed))
        if len(here) == 1:
            single[here[0]] += mult
        elif here:
            groups.append((mult, here))
    return groups, dict(single)


def _conflicts(
    instance: Instance, topic_index: dict[str, int], runs: dict[str, list[int]], allowed: set[int]
) -> list[tuple[int, ...]]:
    """Sets of admissible topics of which at most one may run: a facilitator's, an ``avoid_clash`` pair."""
    conflicts: list[tuple[int, ...]] = []
    for tis in runs.values():
        here = tuple(ti for ti in tis if ti in allowed)
        if len(here) > 1:
            conflicts.append(here)
    for a, b in instance.avoid_clash:
        if a in topic_index and b in topic_index:
            pair = (topic_index[a], topic_index[b])
            if pair[0] in allowed and pair[1] in allowed and pair[0] != pair[1]:
                conflicts.append(pair)
    return conflicts
