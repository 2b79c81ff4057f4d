"""What must hold in a solve: pins and kept placements, and why they cannot when they do not.

A pinned topic runs where its pin says. With ``keep_before``, the previous schedule's
placements in earlier slots are kept exactly (the past cannot change, so they win over pins);
its later placements are where the re-solve would rather not move them from (``later``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from app.scheduler.instance import Instance, Topic
from app.scheduler.model import Fixed, SchedulingModel, build_model
from app.scheduler.reasons import _no_cell_reason
from app.scheduler.run import Run
from app.scheduler.score import violations
from app.scheduler.solution import Placement, Solution

__all__ = ["Held", "explain_conflict", "held_placements", "kept_problems", "unplaceable"]


@dataclass(frozen=True)
class Held:
    """The placements a solve starts from.

    Attributes
    ----------
    fixed : dict
        Topic id -> the placement it must have (pins, then kept placements).
    later : dict
        Topic id -> (room, slot) of the previous schedule from ``keep_before`` on.
    kept : list of Placement
        The previous placements before ``keep_before``, kept as they are.
    dropped_unknown : int
        Previous placements from ``keep_before`` on whose topic, room or slot is gone.
    """

    fixed: dict[str, Fixed]
    later: dict[str, tuple[str, str]]
    kept: list[Placement]
    dropped_unknown: int


def _pin_why(topic: Topic) -> str:
    assert topic.pinned is not None
    where = " and ".join(
        f"{k} {v!r}" for k, v in (("room", topic.pinned.room), ("slot", topic.pinned.slot)) if v is not None
    )
    return f"topic {topic.id!r} is pinned" + (f" to {where}" if where else "")


def held_placements(instance: Instance, previous: Sequence[Placement] | None, first_open: int) -> Held:
    """Pins, then the previous schedule split into kept (before ``first_open``) and ``later``."""
    slot_ids = instance.slot_ids
    topics = {t.id for t in instance.topics}
    rooms = {r.id for r in instance.rooms}
    fixed: dict[str, Fixed] = {}
    for t in instance.topics:
        if t.pinned is not None:
            fixed[t.id] = Fixed(t.pinned.room, t.pinned.slot, _pin_why(t))
    later: dict[str, tuple[str, str]] = {}
    kept: list[Placement] = []
    dropped_unknown = 0
    for p in previous or ():
        known = p.topic in topics and p.room in rooms and p.slot in slot_ids
        if known and slot_ids.index(p.slot) < first_open:
            fixed[p.topic] = Fixed(
                p.room,
                p.slot,
                f"topic {p.topic!r} is kept in room {p.room!r}, slot {p.slot!r} (before the keep-before slot)",
            )
            kept.append(p)
        elif known:
            later[p.topic] = (p.room, p.slot)
        elif not (p.slot in slot_ids and slot_ids.index(p.slot) < first_open):
            dropped_unknown += 1
    return Held(fixed, later, kept, dropped_unknown)


def kept_problems(instance: Instance, kept: Sequence[Placement]) -> list[str]:
    """Why the kept placements no longer hold together (pins are the model's to check)."""
    unpinned = replace(instance, topics=tuple(replace(t, pinned=None) for t in instance.topics))
    return [f"kept placements before the keep-before slot: {v}" for v in violations(unpinned, kept)]


def unplaceable(instance: Instance, sm: SchedulingModel, fixed: dict[str, Fixed], first_open: int) -> list[str]:
    """Why each fixed topic that has no cell at all in the model cannot be placed."""
    placeable = {key[0] for key in sm.x}
    return [
        f"{fixed[t.id].why}, but {_no_cell_reason(instance, t, first_open)} there"
        for i, t in enumerate(instance.topics)
        if t.id in fixed and i not in placeable
    ]


def explain_conflict(instance: Instance, fixed: dict[str, Fixed], first_open: int, run: Run) -> Solution:
    """Name a small set of pins/kept placements that cannot hold together."""
    sm = build_model(instance, fixed, first_open_slot=first_open, explain=True)
    model = sm.model
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1  # assumption cores need a single worker
    solver.parameters.max_time_in_seconds = 10.0
    solver.parameters.random_seed = run.config.seed
    status = solver.solve(model)
    lit_to_topic = {lit.index: instance.topics[ti].id for ti, lit in sm.must.items()}
    core = []
    if status == cp_model.INFEASIBLE:
        core = [lit_to_topic[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in lit_to_topic]
    if not core:
        core = sorted(fixed)
    messages = [fixed[t].why for t in core]
    lead = (
        "these placements cannot all hold together (rooms free, facilitators, avoid_clash, "
        "unavailable slots and features leave no way to schedule them all): "
    )
    return run.infeasible([lead + "; ".join(messages)] + messages)
