"""Why a topic was left out, in words an organiser can repeat to the facilitator."""

from __future__ import annotations

from collections.abc import Mapping

from app.scheduler.instance import Instance, Topic
from app.scheduler.score import interest_sets


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
) -> dict[str, str]:
    """Topic id -> reason, for every topic not in ``slot_of``.

    Parameters
    ----------
    slot_of : mapping
        Topic id -> slot id of the placed topics.
    has_cell : mapping
        Topic id -> whether any (room, slot) could hold it on its own.
    """
    marks = interest_sets(instance)
    interested: dict[str, list[str]] = {t.id: [] for t in instance.topics}
    for person, topics in sorted(marks.items()):
        for t in topics:
            interested[t].append(person)
    facilitated: dict[str, set[str]] = {}
    for topic in instance.topics:
        for person in topic.facilitators:
            facilitated.setdefault(person, set()).add(topic.id)
    n_slots = len(instance.slots)
    open_cells = sum(
        1 for r in instance.rooms for s in instance.slots[first_open_slot:] if s.id not in r.unavailable_slots
    )
    placed_marks = [len(interested[t]) for t in slot_of]
    fewest_placed = min(placed_marks) if placed_marks else None
    runners = {t.id: set(t.facilitators) for t in instance.topics}

    reasons: dict[str, str] = {}
    for topic in instance.topics:
        if topic.id in slot_of:
            continue
        votes = len(interested[topic.id])
        if not has_cell.get(topic.id, False):
            reasons[topic.id] = _no_cell_reason(instance, topic, first_open_slot)
            continue
        if votes == 0 and not topic.facilitators:
            reasons[topic.id] = "nobody marked it and nobody facilitates it"
            continue
        people = interested[topic.id] + list(topic.facilitators)
        all_busy = all(
            len({slot_of[t] for t in (marks.get(p, frozenset()) | facilitated.get(p, set())) if t in slot_of})
            >= n_slots
            for p in people
        )
        scheduled_here = sum(1 for t, s in slot_of.items() if instance.slot_ids.index(s) >= first_open_slot)
        full = scheduled_here >= open_cells
        noun = "mark" if votes == 1 else "marks"
        if full and fewest_placed is not None and votes < fewest_placed:
            reasons[topic.id] = (
                f"all {open_cells} room-slots are taken, and it has fewer marks ({votes}) "
                f"than every scheduled topic"
            )
        elif full:
            reasons[topic.id] = (
                f"all {open_cells} room-slots are taken, and the topics scheduled instead reach more "
                f"people who would otherwise have a slot with nothing they marked ({votes} {noun})"
            )
        elif all_busy:
            reasons[topic.id] = (
                f"everyone who marked or runs it ({votes} {noun}) already has a chosen session in every slot, "
                "so adding it would only split audiences"
            )
        elif any(runners[topic.id] & runners[t] for t in slot_of):
            reasons[topic.id] = (
                "its facilitators run other sessions, and the slots they have free have no suitable room "
                "that would bring more people to sessions they chose"
            )
        else:
            reasons[topic.id] = (
                f"the free rooms are in slots where its {votes} {noun} are already covered, or they lack what it needs"
            )
    return reasons
