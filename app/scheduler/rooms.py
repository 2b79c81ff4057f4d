"""Second stage: given each placed topic's slot, choose its room.

Once slots are chosen every topic's expected headcount is known exactly (it depends
only on which topics share a slot), so choosing rooms is, per slot, a min-cost
bipartite matching of topics to free rooms with cost = overflow. It is solved exactly
with OR-Tools' min-cost flow.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from fractions import Fraction

from ortools.graph.python import min_cost_flow

from app.scheduler.instance import Instance, Room, Topic
from app.scheduler.score import headcounts

__all__ = ["assign_rooms"]

# Costs are integers and lexicographic: overflow in 1/SCALE of a person first, then keeping a
# preferred room, then the sum of load ratios (headcount / capacity, in 1/_LOAD steps). The last
# one pairs the most wanted sessions with the biggest rooms when overflow ties (usually at zero):
# the expected headcount is an estimate, and under the rule of two feet a popular session grows,
# so a "full" sign in a small room while the gym stands empty is the schedule's fault.
_SCALE = 1000
_LOAD = 100


def assign_rooms(
    instance: Instance,
    slot_of: Mapping[str, str],
    required_room: Mapping[str, str],
    *,
    preferred_room: Mapping[str, str] | None = None,
) -> dict[str, str] | None:
    """Choose a room for every topic of ``slot_of`` minimising total overflow.

    Parameters
    ----------
    instance : Instance
    slot_of : mapping
        Topic id -> slot id of every placed topic.
    required_room : mapping
        Topic id -> the only room it may use (pins, kept placements).
    preferred_room : mapping, optional
        Topic id -> a room it should keep when that costs no overflow.

    Returns
    -------
    dict or None
        Topic id -> room id, or ``None`` if no valid matching exists.
    """
    preferred = preferred_room or {}
    heads = headcounts(instance, slot_of)
    topics = {t.id: t for t in instance.topics}
    by_slot: dict[str, list[str]] = defaultdict(list)
    for t, s in slot_of.items():
        by_slot[s].append(t)
    order = {t.id: i for i, t in enumerate(instance.topics)}
    result: dict[str, str] = {}
    for slot in instance.slot_ids:
        held = sorted(by_slot.get(slot, []), key=order.__getitem__)
        if not held:
            continue
        rooms = sorted((r for r in instance.rooms if slot not in r.unavailable_slots), key=lambda r: r.capacity)
        matched = _match_slot([topics[t] for t in held], rooms, heads, required_room, preferred)
        if matched is None:
            return None
        result.update(matched)
    return result


def _match_slot(
    held: list[Topic],
    rooms: list[Room],
    heads: Mapping[str, Fraction],
    required_room: Mapping[str, str],
    preferred: Mapping[str, str],
) -> dict[str, str] | None:
    """One slot's topics -> rooms by a min-cost flow: least overflow, then preferred rooms, then load."""
    prefer_weight = len(held) * _LOAD + 1  # above every load term together
    over_weight = len(held) * prefer_weight + 1  # above every preference together
    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink = 0, 1 + len(held) + len(rooms)
    arcs: list[tuple[int, str, str]] = []
    for i, topic in enumerate(held):
        t = topic.id
        flow.add_arc_with_capacity_and_unit_cost(source, 1 + i, 1, 0)
        for j, room in enumerate(rooms):
            if t in required_room and required_room[t] != room.id:
                continue
            if not topic.needs <= room.features:
                continue
            head = float(heads.get(t, 0))
            over = max(0.0, head - room.capacity)
            load = min(1.0, head / room.capacity) if room.capacity > 0 else 1.0
            cost = int(round(over * _SCALE)) * over_weight + int(round(load * _LOAD))
            if preferred.get(t) not in (None, room.id):
                cost += prefer_weight
            arc = flow.add_arc_with_capacity_and_unit_cost(1 + i, 1 + len(held) + j, 1, cost)
            arcs.append((arc, t, room.id))
    for j in range(len(rooms)):
        flow.add_arc_with_capacity_and_unit_cost(1 + len(held) + j, sink, 1, 0)
    flow.set_node_supply(source, len(held))
    flow.set_node_supply(sink, -len(held))
    if flow.solve() != flow.OPTIMAL:
        return None
    return {t: room_id for arc, t, room_id in arcs if flow.flow(arc) > 0}
