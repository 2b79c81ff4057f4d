"""Every session that can run, runs: viable topics go into the free rooms that can take them.

Attendance never falls when a topic is added (a person's slot stays covered), so this
step only adds: each viable topic left out (most wanted first) goes into a slot where a
suitable room can still be found for it and for every topic already there (an exact
bipartite matching of the slot's topics to its rooms, so rooms held by others may be
swapped around), where none of its facilitators runs another session and no avoid-clash
partner is. Among such slots it takes the one that gives the most people a session they
marked in a slot that would otherwise have none, then the one where the fewest of its
people already have another session they marked.

After this no viable topic is left out while a suitable room is free, whatever stage came
before (a search cut short by the clock included).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from app.scheduler.instance import Instance
from app.scheduler.model import SchedulingModel
from app.scheduler.score import interest_sets, viable_topics, wanted_by

__all__ = ["fill_viable"]


class _SlotRooms:
    """One slot's rooms and a matching of its topics to them (Kuhn's augmenting paths)."""

    def __init__(self, rooms: list[str], can_use: dict[int, list[str]]) -> None:
        self.rooms = rooms
        self.can_use = can_use  # topic index -> rooms of this slot it may use
        self.holder: dict[str, int] = {}  # room -> topic index
        self.room_of: dict[int, str] = {}

    def _augment(self, ti: int, seen: set[str]) -> bool:
        for room in self.can_use.get(ti, ()):
            if room in seen:
                continue
            seen.add(room)
            other = self.holder.get(room)
            if other is None or self._augment(other, seen):
                self.holder[room] = ti
                self.room_of[ti] = room
                return True
        return False

    def add(self, ti: int) -> bool:
        """Match ``ti`` too, moving others between rooms if needed; False (and no change) if impossible."""
        holder, room_of = dict(self.holder), dict(self.room_of)
        if self._augment(ti, set()):
            return True
        self.holder, self.room_of = holder, room_of
        return False

    def fits(self, ti: int) -> bool:
        if not self.can_use.get(ti) or len(self.room_of) >= len(self.rooms):
            return False
        holder, room_of = dict(self.holder), dict(self.room_of)
        ok = self._augment(ti, set())
        self.holder, self.room_of = holder, room_of
        return ok


def fill_viable(
    instance: Instance,
    sm: SchedulingModel,
    cells: dict[int, tuple[int, int]],
    required_rooms: Mapping[int, str] | None = None,
) -> dict[int, tuple[int, int]]:
    """``cells`` (topic index -> (class, slot)) plus every viable topic that fits a free room.

    ``required_rooms`` (topic index -> room id) are rooms placed topics must keep (kept
    placements of a re-solve); pins are read from the instance. A topic already placed keeps
    its slot; every topic's class becomes that of the room the slot's matching found for it.
    """
    viable = viable_topics(instance)
    out = dict(cells)
    if not viable or not instance.slots:
        return out
    index = {t.id: i for i, t in enumerate(instance.topics)}
    required: dict[int, str] = dict(required_rooms or {})
    for ti, topic in enumerate(instance.topics):
        if topic.pinned is not None and topic.pinned.room is not None:
            required[ti] = topic.pinned.room
    day = _Day(instance, sm, out, required)
    wanted = wanted_by(instance)
    left_out = sorted(
        (index[t] for t in viable if index[t] not in out and day.options.get(index[t])),
        key=lambda ti: (-wanted[instance.topics[ti].id], ti),
    )
    for ti in left_out:
        si = day.best_slot(ti)
        if si is not None:
            out[ti] = day.place(ti, si)
    # Each topic's class is that of the room the matching found, so every class holds no more
    # topics per slot than it has rooms (as the model requires); unmatched topics stay as they were.
    for si, matching in enumerate(day.slots):
        for ti, room in matching.room_of.items():
            out[ti] = (sm.class_of_room[room], si)
    return out


class _Day:
    """The schedule being filled: each slot's room matching, facilitators, topics and covered people."""

    def __init__(
        self, instance: Instance, sm: SchedulingModel, cells: dict[int, tuple[int, int]], required: dict[int, str]
    ) -> None:
        self.instance, self.sm, self.required = instance, sm, required
        self.options: dict[int, set[tuple[int, int]]] = defaultdict(set)  # topic -> (class, slot) cells
        for ti, ci, si in sm.x:
            self.options[ti].add((ci, si))
        self.slots: list[_SlotRooms] = []
        for si, slot in enumerate(instance.slots):
            slot_rooms = [r.id for r in instance.rooms if slot.id not in r.unavailable_slots]
            here = sorted(ti for ti, (_ci, s) in cells.items() if s == si)
            matching = _SlotRooms(slot_rooms, {ti: self.usable(ti, si, slot_rooms) for ti in here})
            for ti in here:
                matching.add(ti)  # a placed topic no matching can hold stays as it is, unmatched
            self.slots.append(matching)
        index = {t.id: i for i, t in enumerate(instance.topics)}
        self.busy: dict[int, set[str]] = defaultdict(set)  # slot -> facilitators running something
        self.members: dict[int, set[int]] = defaultdict(set)
        self.partners: dict[int, set[int]] = defaultdict(set)
        for a, b in instance.avoid_clash:
            self.partners[index[a]].add(index[b])
            self.partners[index[b]].add(index[a])
        self.marked_by: dict[int, set[str]] = defaultdict(set)
        for person, topics in interest_sets(instance).items():
            for t in topics:
                self.marked_by[index[t]].add(person)
        self.covered: dict[int, set[str]] = defaultdict(set)  # slot -> people with a marked (or run) topic there
        for ti, (_ci, si) in cells.items():
            self.busy[si] |= set(instance.topics[ti].facilitators)
            self.members[si].add(ti)
            self.covered[si] |= self.marked_by[ti] | set(instance.topics[ti].facilitators)

    def usable(self, ti: int, si: int, slot_rooms: list[str]) -> list[str]:
        """The rooms of slot ``si`` that topic ``ti`` may use (its cells, its required room)."""
        return [
            r
            for r in slot_rooms
            if (self.sm.class_of_room[r], si) in self.options[ti]
            and (ti not in self.required or self.required[ti] == r)
        ]

    def _people(self, ti: int) -> set[str]:
        return self.marked_by[ti] | set(self.instance.topics[ti].facilitators)

    def best_slot(self, ti: int) -> int | None:
        """The slot to add ``ti`` to (see the module docstring), or None when none can take it."""
        runners = set(self.instance.topics[ti].facilitators)
        people = self._people(ti)
        best: tuple[tuple[int, int, int], int] | None = None
        for si in sorted({s for _c, s in self.options[ti]}):
            if self.busy[si] & runners or self.members[si] & self.partners[ti]:
                continue
            matching = self.slots[si]
            matching.can_use[ti] = self.usable(ti, si, matching.rooms)
            if not matching.fits(ti):
                continue
            key = (-len(people - self.covered[si]), len(people & self.covered[si]), si)
            if best is None or key < best[0]:
                best = (key, si)
        return None if best is None else best[1]

    def place(self, ti: int, si: int) -> tuple[int, int]:
        """Add ``ti`` to slot ``si``; its (class, slot)."""
        self.slots[si].add(ti)
        self.busy[si] |= set(self.instance.topics[ti].facilitators)
        self.members[si].add(ti)
        self.covered[si] |= self._people(ti)
        return self.sm.class_of_room[self.slots[si].room_of[ti]], si
