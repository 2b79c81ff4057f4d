"""The CP-SAT model: which topic runs in which slot, and in which kind of room.

Rooms that are interchangeable (same capacity, features and unavailable slots) are
merged into one *room class* with a count, which removes the symmetry between equal
rooms exactly: the model picks ``x[topic, class, slot]`` and the concrete room is
chosen afterwards by a matching (:mod:`app.scheduler.rooms`). A room named in a pin
without a slot stays a class of its own, because two such topics must not share a slot.

Each hard constraint is built by its own function below, labelled like the messages of
:func:`app.scheduler.score.violations`; the objectives are :mod:`app.scheduler.objective`'s. Topics that must be scheduled (pinned, or kept
from a previous schedule) are enforced through assumption literals so that, when the
model is infeasible, CP-SAT can name a small set of them that cannot hold together.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from app.scheduler import objective
from app.scheduler.instance import Instance, Room, Topic
from app.scheduler.objective import estimated_headcount

# estimated_headcount is the objective's, and here too for the searches that import it from the model.
__all__ = ["Fixed", "RoomClass", "SchedulingModel", "build_model", "estimated_headcount"]

_X = dict[tuple[int, int, int], cp_model.IntVar]
_Y = dict[tuple[int, int], cp_model.IntVar]


@dataclass(frozen=True)
class RoomClass:
    """Interchangeable rooms, in instance order."""

    index: int
    rooms: tuple[Room, ...]

    @property
    def capacity(self) -> int:
        return self.rooms[0].capacity

    @property
    def features(self) -> frozenset[str]:
        return self.rooms[0].features

    @property
    def unavailable_slots(self) -> frozenset[str]:
        return self.rooms[0].unavailable_slots


@dataclass(frozen=True)
class Fixed:
    """A placement that must hold: a pin, or a kept placement before ``keep_before``."""

    room: str | None
    slot: str | None
    why: str  # e.g. "pinned to room 'lib'", "kept from the previous schedule in room 'lib', slot 's1'"


@dataclass
class SchedulingModel:
    """A built model plus what is needed to read a solution back."""

    model: cp_model.CpModel
    classes: list[RoomClass]
    class_of_room: dict[str, int]
    #: x[(topic index, class index, slot index)]
    x: dict[tuple[int, int, int], cp_model.IntVar]
    #: y[(topic index, slot index)]: the topic runs in that slot
    y: dict[tuple[int, int], cp_model.IntVar]
    #: placed[topic index]: 0/1 variable (or a constant 0 for topics with nowhere to go)
    placed: dict[int, cp_model.IntVar]
    attendance: cp_model.LinearExpr
    #: terms of the secondary objective (overflow proxy, clash proxy), to minimise
    secondary: cp_model.LinearExpr
    #: topic index -> literal "is scheduled as fixed" (an assumption when explaining)
    must: dict[int, cp_model.IntVar] = field(default_factory=dict)
    #: topic index -> literal "stays where the previous schedule had it" (stability)
    stay: dict[int, cp_model.IntVar] = field(default_factory=dict)
    #: number of previous placements (from keep_before on) that could not stay at all
    forced_moves: int = 0
    #: coverage groups: (multiplicity, topic indices)
    groups: list[tuple[int, tuple[int, ...]]] = field(default_factory=list)
    #: (group index, slot index) -> coverage variable, for groups of two or more topics
    cov: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)


def room_classes(instance: Instance, singleton_rooms: set[str]) -> tuple[list[RoomClass], dict[str, int]]:
    """Group interchangeable rooms; rooms in ``singleton_rooms`` stay alone."""
    groups: dict[tuple[object, ...], list[Room]] = {}
    for room in instance.rooms:
        key: tuple[object, ...]
        if room.id in singleton_rooms:
            key = ("room", room.id)
        else:
            key = ("class", room.capacity, tuple(sorted(room.features)), tuple(sorted(room.unavailable_slots)))
        groups.setdefault(key, []).append(room)
    ordered = sorted(groups.values(), key=lambda rooms: (-rooms[0].capacity, instance.rooms.index(rooms[0])))
    classes = [RoomClass(i, tuple(rooms)) for i, rooms in enumerate(ordered)]
    class_of_room = {r.id: c.index for c in classes for r in c.rooms}
    return classes, class_of_room


def allowed_cells(
    instance: Instance,
    topic: Topic,
    classes: list[RoomClass],
    class_of_room: dict[str, int],
    fixed: Fixed | None,
    first_open_slot: int,
) -> list[tuple[int, int]]:
    """(class, slot) pairs where ``topic`` may run without breaking a single-topic constraint."""
    cells = []
    for si, slot in enumerate(instance.slots):
        if slot.id in topic.unavailable_slots:
            continue  # [topic-unavailable]
        if fixed is not None and fixed.slot is not None:
            if slot.id != fixed.slot:
                continue  # [pin]
        elif si < first_open_slot:
            continue  # slots before keep_before are frozen: nothing new goes there
        for c in classes:
            if slot.id in c.unavailable_slots:
                continue  # [room-unavailable]
            if not topic.needs <= c.features:
                continue  # [room-lacks-feature]
            if fixed is not None and fixed.room is not None and class_of_room[fixed.room] != c.index:
                continue  # [pin]
            cells.append((c.index, si))
    return cells


def build_model(
    instance: Instance,
    fixed: dict[str, Fixed],
    *,
    first_open_slot: int = 0,
    previous: dict[str, tuple[str, str]] | None = None,
    explain: bool = False,
) -> SchedulingModel:
    """Build the CP-SAT model of ``instance``.

    Parameters
    ----------
    instance : Instance
        Assumed free of reference problems.
    fixed : dict
        Topic id -> the placement it must have (pins and kept placements).
    first_open_slot : int
        Index of the ``keep_before`` slot; earlier slots take no new placements.
    previous : dict, optional
        Topic id -> (room, slot) of the previous schedule from ``keep_before`` on;
        creates the ``stay`` literals of the stability objective.
    explain : bool
        Enforce the fixed topics through assumption literals (``must``) instead of
        hard constraints, so that an infeasible model yields a small conflicting set.
        Assumptions need a single worker, so only the explaining run uses them.
    """
    model = cp_model.CpModel()
    singleton = {f.room for f in fixed.values() if f.room is not None and f.slot is None}
    classes, class_of_room = room_classes(instance, singleton)
    topic_index = {t.id: i for i, t in enumerate(instance.topics)}
    x, y, placed, by_cell = _placement_vars(model, instance, classes, class_of_room, fixed, first_open_slot)
    _rooms_not_double_booked(model, classes, by_cell)
    _facilitators_not_double_booked(model, instance, y)
    _avoid_clash(model, instance, y, topic_index)
    must = _fixed_placed(model, fixed, placed, topic_index, explain)
    groups = objective.coverage_groups(instance, y, topic_index)
    attendance, cov_vars = objective.attendance(model, len(instance.slots), groups, y, placed)
    stay, forced = objective.stay_literals(instance, previous or {}, x, class_of_room, topic_index)
    return SchedulingModel(
        model=model,
        classes=classes,
        class_of_room=class_of_room,
        x=x,
        y=y,
        placed=placed,
        attendance=attendance,
        secondary=objective.secondary(instance, classes, x, placed, attendance),
        must=must,
        stay=stay,
        forced_moves=forced,
        groups=[(mult, tis) for tis, mult in groups],
        cov=cov_vars,
    )


def _placement_vars(
    model: cp_model.CpModel,
    instance: Instance,
    classes: list[RoomClass],
    class_of_room: dict[str, int],
    fixed: dict[str, Fixed],
    first_open_slot: int,
) -> tuple[_X, _Y, dict[int, cp_model.IntVar], dict[tuple[int, int], list[cp_model.IntVar]]]:
    """x, y and placed for every topic, [topic-placed-twice] with them; and the x variables of each (class, slot)."""
    x: _X = {}
    y: _Y = {}
    placed: dict[int, cp_model.IntVar] = {}
    by_cell: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    for ti, topic in enumerate(instance.topics):
        cells = allowed_cells(instance, topic, classes, class_of_room, fixed.get(topic.id), first_open_slot)
        placed[ti] = model.new_bool_var(f"placed[{topic.id}]")
        if not cells:
            model.add(placed[ti] == 0)
        slot_cells: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for ci, si in cells:
            var = model.new_bool_var(f"x[{topic.id},{ci},{si}]")
            x[(ti, ci, si)] = var
            slot_cells[si].append(var)
            by_cell[(ci, si)].append(var)
        for si, vars_ in slot_cells.items():
            if len(vars_) == 1:
                y[(ti, si)] = vars_[0]
            else:
                ys = model.new_bool_var(f"y[{topic.id},{si}]")
                model.add(sum(vars_) == ys)
                y[(ti, si)] = ys
        # [topic-placed-twice]: at most once, exactly once when fixed.
        model.add(sum(y[(ti, si)] for si in slot_cells) == placed[ti])
    return x, y, placed, by_cell


def _rooms_not_double_booked(
    model: cp_model.CpModel, classes: list[RoomClass], by_cell: dict[tuple[int, int], list[cp_model.IntVar]]
) -> None:
    """[room-double-booked]: a class of k rooms holds at most k topics per slot."""
    for (ci, _si), vars_ in by_cell.items():
        if len(vars_) > len(classes[ci].rooms):
            model.add(sum(vars_) <= len(classes[ci].rooms))


def _facilitators_not_double_booked(model: cp_model.CpModel, instance: Instance, y: _Y) -> None:
    """[facilitator-double-booked]: a person runs at most one of their topics per slot."""
    runs: dict[str, list[int]] = defaultdict(list)
    for ti, topic in enumerate(instance.topics):
        for person in topic.facilitators:
            runs[person].append(ti)
    for tis in runs.values():
        if len(tis) > 1:
            for si in range(len(instance.slots)):
                vars_ = [y[(ti, si)] for ti in tis if (ti, si) in y]
                if len(vars_) > 1:
                    model.add_at_most_one(vars_)


def _avoid_clash(model: cp_model.CpModel, instance: Instance, y: _Y, topic_index: dict[str, int]) -> None:
    """[avoid-clash]: the two topics of a pair never share a slot."""
    for a, b in instance.avoid_clash:
        ai, bi = topic_index[a], topic_index[b]
        for si in range(len(instance.slots)):
            if (ai, si) in y and (bi, si) in y:
                model.add_at_most_one([y[(ai, si)], y[(bi, si)]])


def _fixed_placed(
    model: cp_model.CpModel,
    fixed: dict[str, Fixed],
    placed: dict[int, cp_model.IntVar],
    topic_index: dict[str, int],
    explain: bool,
) -> dict[int, cp_model.IntVar]:
    """[pin] and kept placements are placed, through assumptions when explaining (see the module docstring).

    Where they go is already in :func:`allowed_cells`. Returns topic index -> its "must" literal.
    """
    must: dict[int, cp_model.IntVar] = {}
    for tid, _ in sorted(fixed.items(), key=lambda kv: topic_index[kv[0]]):
        ti = topic_index[tid]
        if explain:
            lit = model.new_bool_var(f"must[{tid}]")
            model.add(placed[ti] == 1).only_enforce_if(lit)
            must[ti] = lit
        else:
            model.add(placed[ti] == 1)
            must[ti] = placed[ti]
    if explain:
        model.add_assumptions(list(must.values()))
    return must
