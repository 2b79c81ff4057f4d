"""Two views of one schedule, and the way between them.

The stages of :func:`app.scheduler.solve.solve` pass schedules around as *cells*: topic index
-> (room class, slot index), what the greedy start, the local searches and the fill work on.
CP-SAT wants *values*: a complete assignment of the model's variables, to hint the next stage
with or to read a stage's answer from.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from app.scheduler.instance import Instance
from app.scheduler.model import SchedulingModel

__all__ = ["attendance_of", "cells_of", "kept_rooms", "set_hint", "solver_cells", "solver_values", "values_of"]

Cells = dict[int, tuple[int, int]]
Values = dict[cp_model.IntVar, int]


def set_hint(model: cp_model.CpModel, values: Values) -> None:
    """Hint ``model`` with ``values``, replacing any earlier hint."""
    model.clear_hints()
    # Written into the proto in one go: add_hint() per variable costs ~15 µs, 0.3 s on a huge day.
    hint = model.proto.solution_hint
    hint.vars.extend([var.index for var in values])
    hint.values.extend([int(value) for value in values.values()])


def solver_values(solver: cp_model.CpSolver, sm: SchedulingModel) -> Values:
    """The solver's answer for the placement variables (x, y, placed)."""
    out: Values = {}
    for var in list(sm.x.values()) + list(sm.y.values()) + list(sm.placed.values()):
        out[var] = int(solver.value(var))
    return out


def values_of(sm: SchedulingModel, cells: Cells) -> Values:
    """A complete hint (CP-SAT repairs partial hints poorly) from topic -> (class, slot)."""
    out: Values = {}
    for (gi, si), var in sm.cov.items():
        out[var] = int(any(ti in cells and cells[ti][1] == si for ti in sm.groups[gi][1]))
    for (ti, ci, si), var in sm.x.items():
        out[var] = int(cells.get(ti) == (ci, si))
    for (ti, si), var in sm.y.items():
        out[var] = int(ti in cells and cells[ti][1] == si)
    for ti, var in sm.placed.items():
        out[var] = int(ti in cells)
    return out


def solver_cells(solver: cp_model.CpSolver, sm: SchedulingModel) -> Cells:
    """Topic index -> (class, slot) of the solver's current solution."""
    return {ti: (ci, si) for (ti, ci, si), var in sm.x.items() if solver.value(var)}


def cells_of(sm: SchedulingModel, values: Values) -> Cells:
    """Topic index -> (class, slot) of a complete assignment of the model's variables."""
    return {ti: (ci, si) for (ti, ci, si), var in sm.x.items() if values.get(var)}


def kept_rooms(
    instance: Instance, sm: SchedulingModel, values: Values, later: dict[str, tuple[str, str]]
) -> dict[int, str]:
    """Topic index -> room, for the topics of a re-solve that stay where the previous schedule had them."""
    return {ti: later[instance.topics[ti].id][0] for ti, var in sm.stay.items() if values.get(var)}


def attendance_of(sm: SchedulingModel, cells: Cells) -> int:
    """The attendance of ``cells``: each coverage group counts once per slot it has a topic in."""
    return sum(mult * len({cells[ti][1] for ti in tis if ti in cells}) for mult, tis in sm.groups)
