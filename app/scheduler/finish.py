"""The last step of a solve: from the model's classes to concrete rooms, reasons and a score.

The stages place each topic in a room *class* and a slot; here every slot's topics get real
rooms by a min-cost matching on the headcounts (:mod:`app.scheduler.rooms`), the topics left
out get a reason, and the schedule is scored into the :class:`~app.scheduler.solution.Solution`.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from app.scheduler.fixed import Held
from app.scheduler.instance import Instance
from app.scheduler.model import Fixed, SchedulingModel
from app.scheduler.reasons import unscheduled_reasons
from app.scheduler.rooms import assign_rooms
from app.scheduler.run import Run
from app.scheduler.score import score
from app.scheduler.solution import Placement, Solution, Status, Unscheduled

__all__ = ["finish"]


def finish(
    instance: Instance,
    sm: SchedulingModel,
    values: dict[cp_model.IntVar, int],
    held: Held,
    run: Run,
    *,
    first_open: int,
    re_solve: bool,
    proven: bool,
    proven_bound: int | None,
) -> Solution:
    """The solution of the assignment ``values``: rooms chosen, left-out topics explained, scored.

    ``re_solve`` (a previous schedule was given) makes ``Solution.moved`` count its changes.
    """
    fixed, later = held.fixed, held.later
    slot_of, class_of = _slots_and_classes(instance, sm, values)
    room_of = _choose_rooms(instance, sm, values, fixed, later, slot_of, class_of)
    order = {s: i for i, s in enumerate(instance.slot_ids)}
    room_order = {r.id: i for i, r in enumerate(instance.rooms)}
    placements = tuple(
        sorted(
            (Placement(t, room_of[t], slot_of[t]) for t in slot_of), key=lambda p: (order[p.slot], room_order[p.room])
        )
    )
    placeable = {key[0] for key in sm.x}
    has_cell = {t.id: i in placeable for i, t in enumerate(instance.topics)}
    reasons = unscheduled_reasons(instance, slot_of, has_cell, first_open_slot=first_open, room_of=room_of)
    unscheduled = tuple(Unscheduled(t.id, reasons[t.id]) for t in instance.topics if t.id not in slot_of)
    moved = None
    if re_solve:
        now = {p.topic: (p.room, p.slot) for p in placements}
        moved = held.dropped_unknown + sum(1 for t, where in later.items() if now.get(t) != where)
    elapsed = run.elapsed()
    stats = score(instance, placements, solve_seconds=round(elapsed, 3), proven_bound=proven_bound)
    run.report(stats.attendance)
    status = Status.OPTIMAL if proven and proven_bound == stats.attendance else Status.FEASIBLE
    return Solution(status, placements, unscheduled, stats, moved)


def _slots_and_classes(
    instance: Instance, sm: SchedulingModel, values: dict[cp_model.IntVar, int]
) -> tuple[dict[str, str], dict[str, int]]:
    """Topic id -> slot id, and topic id -> room class, of the placed topics."""
    slot_ids = instance.slot_ids
    slot_of: dict[str, str] = {}
    class_of: dict[str, int] = {}
    for (ti, ci, si), var in sm.x.items():
        if values.get(var):
            slot_of[instance.topics[ti].id] = slot_ids[si]
            class_of[instance.topics[ti].id] = ci
    return slot_of, class_of


def _choose_rooms(
    instance: Instance,
    sm: SchedulingModel,
    values: dict[cp_model.IntVar, int],
    fixed: dict[str, Fixed],
    later: dict[str, tuple[str, str]],
    slot_of: dict[str, str],
    class_of: dict[str, int],
) -> dict[str, str]:
    """Topic id -> room: pinned rooms and rooms stayed in are required, previous rooms preferred."""
    required: dict[str, str] = {t: f.room for t, f in fixed.items() if f.room is not None and t in slot_of}
    for ti, var in sm.stay.items():
        tid = instance.topics[ti].id
        if values.get(var):
            required[tid] = later[tid][0]
    preferred = {t: room for t, (room, _) in later.items()}
    room_of = assign_rooms(instance, slot_of, required, preferred_room=preferred)
    if room_of is None:
        # Staying in the same class need not mean the same room is free (an invalid
        # previous schedule, a pin on that room): keep only the fixed rooms then.
        fixed_rooms = {t: f.room for t, f in fixed.items() if f.room is not None and t in slot_of}
        room_of = assign_rooms(instance, slot_of, fixed_rooms, preferred_room=preferred)
    if room_of is None:  # cannot happen for a valid class solution; keep the classes' own matching
        room_of = _rooms_from_classes(sm, slot_of, class_of, required)
    return room_of


def _rooms_from_classes(
    sm: SchedulingModel, slot_of: dict[str, str], class_of: dict[str, int], required: dict[str, str]
) -> dict[str, str]:
    taken: set[tuple[str, str]] = set()
    out: dict[str, str] = {}
    for t in sorted(slot_of, key=lambda t: t not in required):
        s = slot_of[t]
        candidates = [required[t]] if t in required else [r.id for r in sm.classes[class_of[t]].rooms]
        for room in candidates:
            if (room, s) not in taken:
                taken.add((room, s))
                out[t] = room
                break
    return out
