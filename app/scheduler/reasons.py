"""Why a topic was left out, in words an organiser can repeat to the facilitator."""

from __future__ import annotations

from collections.abc import Mapping

from app.scheduler.instance import Instance, Topic
from app.scheduler.score import interest_sets, wanted_by


def _no_cell_reason(instance: Instance, topic: Topic, first_open_slot: int) -> str:
    open_slots = [s for s in instance.slots[first_open_slot:] if s.id not in topic.unavailable_slots]
    if not open_slots:
        return "it is unavailable in every remaining slot"
    if topic.needs and not any(topic.needs <= r.features for r in instance.rooms):
        return "no room has " + " and ".join(sorted(topic.needs))
    return "no suitable room is free in any slot it can use"


def unscheduled_reasons(
    instance: Instance,
    slot_of: Mapping[str, str],
    has_cell: Mapping[str, bool],
    *,
    first_open_slot: int = 0,
    room_of: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Topic id -> reason, for every topic not in ``slot_of``.

    Parameters
    ----------
    slot_of : mapping
        Topic id -> slot id of the placed topics.
    has_cell : mapping
        Topic id -> whether any (room, slot) could hold it on its own.
    room_of : mapping, optional
        Topic id -> room id of the placed topics; without it every room of a slot
        holding fewer topics than rooms counts as possibly free.
    """
    why = _Why(instance, slot_of, has_cell, first_open_slot, room_of)
    return {topic.id: why.reason(topic) for topic in instance.topics if topic.id not in slot_of}


class _Why:
    """What a left-out topic is judged against: marks, free room-slots, facilitators, clashes."""

    def __init__(
        self,
        instance: Instance,
        slot_of: Mapping[str, str],
        has_cell: Mapping[str, bool],
        first_open_slot: int,
        room_of: Mapping[str, str] | None,
    ) -> None:
        self.instance, self.slot_of, self.has_cell = instance, slot_of, has_cell
        self.first_open_slot, self.room_of = first_open_slot, room_of
        marks = interest_sets(instance)
        self.interested: dict[str, list[str]] = {t.id: [] for t in instance.topics}
        for person, topics in sorted(marks.items()):
            for t in topics:
                self.interested[t].append(person)
        self.open_cells = sum(
            1 for r in instance.rooms for s in instance.slots[first_open_slot:] if s.id not in r.unavailable_slots
        )
        self.scheduled_here = sum(1 for t, s in slot_of.items() if instance.slot_ids.index(s) >= first_open_slot)
        placed_marks = [len(self.interested[t]) for t in slot_of]
        self.fewest_placed = min(placed_marks) if placed_marks else None
        self.runners = {t.id: set(t.facilitators) for t in instance.topics}
        self.clash_with: dict[str, set[str]] = {t.id: set() for t in instance.topics}
        for a, b in instance.avoid_clash:
            self.clash_with[a].add(b)
            self.clash_with[b].add(a)
        self.wanted = wanted_by(instance)

    def reason(self, topic: Topic) -> str:
        """Why ``topic`` is not scheduled: the first of the reasons below that holds."""
        votes = len(self.interested[topic.id])
        if not self.has_cell.get(topic.id, False):
            return _no_cell_reason(self.instance, topic, self.first_open_slot)
        if votes == 0 and not topic.facilitators:
            return "nobody marked it and nobody facilitates it"
        if self.scheduled_here >= self.open_cells:
            return self._full(votes)
        blocked = _blocked_free_cells(
            self.instance, topic, self.slot_of, self.room_of, self.first_open_slot, self.clash_with, self.runners
        )
        if blocked is not None:
            return "every free room-slot is ruled out: " + "; ".join(blocked)
        need = self.instance.event.min_interest
        if self.wanted[topic.id] < need:
            people = self.wanted[topic.id]
            return (
                f"only {people} {'person wants' if people == 1 else 'people want'} it (marks and facilitators), "
                f"fewer than the {need} a session needs at this event"
            )
        # Only when the rooms' real assignment differs from the model's room classes.
        return "no suitable room is free in any slot it can use"

    def _full(self, votes: int) -> str:
        """Every room-slot is taken: by topics with more marks, or that cover more people."""
        if self.fewest_placed is not None and votes < self.fewest_placed:
            return (
                f"all {self.open_cells} room-slots are taken, and it has fewer marks ({votes}) "
                f"than every scheduled topic"
            )
        noun = "mark" if votes == 1 else "marks"
        return (
            f"all {self.open_cells} room-slots are taken, and the topics scheduled instead give at least as many people a "
            f"session they marked in a slot that would otherwise have none (it has {votes} {noun})"
        )


def _blocked_free_cells(
    instance: Instance,
    topic: Topic,
    slot_of: Mapping[str, str],
    room_of: Mapping[str, str] | None,
    first_open_slot: int,
    clash_with: Mapping[str, set[str]],
    runners: Mapping[str, set[str]],
) -> list[str] | None:
    """Why each free room-slot cannot take ``topic``, or ``None`` if one could."""
    used = {(room_of[t], s) for t, s in slot_of.items()} if room_of is not None else set()
    per_slot: dict[str, int] = {}
    for s in slot_of.values():
        per_slot[s] = per_slot.get(s, 0) + 1
    out: list[str] = []
    for slot in instance.slots[first_open_slot:]:
        rooms = [r for r in instance.rooms if slot.id not in r.unavailable_slots and (r.id, slot.id) not in used]
        if not rooms or (room_of is None and per_slot.get(slot.id, 0) >= len(rooms)):
            continue
        why: list[str] = []
        if slot.id in topic.unavailable_slots:
            why.append("the topic is unavailable then")
        busy = sorted(p for t, s in slot_of.items() if s == slot.id for p in runners[t] & runners[topic.id])
        if busy:
            why.append("facilitator " + ", ".join(repr(p) for p in busy) + " runs another session then")
        partners = sorted(t for t in clash_with[topic.id] if slot_of.get(t) == slot.id)
        if partners:
            why.append("it must not share the slot with " + ", ".join(repr(t) for t in partners) + " (avoid_clash)")
        suitable = [r for r in rooms if topic.needs <= r.features]
        if not suitable:
            why.append("no free room there has " + " and ".join(sorted(topic.needs)))
        if not why:
            return None
        names = ", ".join(repr(r.id) for r in rooms)
        out.append(f"{names} in {slot.id!r}: " + ", ".join(why))
    return out or None
