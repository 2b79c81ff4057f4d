"""The model's objectives, built on its placement variables (:mod:`app.scheduler.model`).

Attendance, maximised first, counts each attendee once per slot they have a marked topic in
(attendees with the same topics form one group, so the model stays small on big days). The
secondary objective, minimised after it, is the overflow and clash *proxies*; the exact figures
are :mod:`app.scheduler.polish`'s. The stay literals are the stability objective of a re-solve.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from app.scheduler.instance import Instance
from app.scheduler.score import interest_sets

if TYPE_CHECKING:
    from app.scheduler.model import RoomClass

__all__ = ["attendance", "coverage_groups", "estimated_headcount", "secondary", "stay_literals"]

_X = dict[tuple[int, int, int], cp_model.IntVar]
_Y = dict[tuple[int, int], cp_model.IntVar]
#: Coverage groups: (topic indices, how many attendees), sorted by topics.
Groups = list[tuple[tuple[int, ...], int]]


def estimated_headcount(instance: Instance) -> dict[str, float]:
    """A slot-independent guess of each topic's headcount, for the overflow proxy.

    An attendee with k marks over S slots is expected to split over k/S of them when
    k > S; a facilitator counts fully.
    """
    n_slots = max(1, len(instance.slots))
    marks = interest_sets(instance)
    est: dict[str, float] = defaultdict(float)
    for topics in marks.values():
        share = 1.0 / max(1.0, len(topics) / n_slots)
        for t in topics:
            est[t] += share
    for topic in instance.topics:
        est[topic.id] += len(topic.facilitators)
    return est


def coverage_groups(instance: Instance, y: _Y, topic_index: dict[str, int]) -> Groups:
    """Attendees with the same set of coverable topics form one group: (topic indices, how many), sorted."""
    n_slots = len(instance.slots)
    covering: dict[str, set[int]] = defaultdict(set)
    for person, topics in interest_sets(instance).items():
        covering[person] |= {topic_index[t] for t in topics}
    for ti, topic in enumerate(instance.topics):
        for person in topic.facilitators:
            covering[person].add(ti)
    group_count: dict[tuple[int, ...], int] = defaultdict(int)
    for person in sorted(covering):
        usable = tuple(sorted(ti for ti in covering[person] if any((ti, si) in y for si in range(n_slots))))
        if usable:
            group_count[usable] += 1
    return sorted(group_count.items(), key=lambda kv: kv[0])


def attendance(
    model: cp_model.CpModel, n_slots: int, groups: Groups, y: _Y, placed: dict[int, cp_model.IntVar]
) -> tuple[cp_model.LinearExpr, dict[tuple[int, int], cp_model.IntVar]]:
    """The attendance objective: each group counts once per slot one of its topics runs in.

    Returns the expression and the coverage variables, (group index, slot index) -> var.
    """
    terms: list[cp_model.LinearExprT] = []
    cov_vars: dict[tuple[int, int], cp_model.IntVar] = {}
    for gi, (tis, mult) in enumerate(groups):
        if len(tis) == 1:
            terms.append(mult * placed[tis[0]])
            continue
        covered = []
        for si in range(n_slots):
            options = [y[(ti, si)] for ti in tis if (ti, si) in y]
            if not options:
                continue
            if len(options) == 1:
                covered.append(options[0])
                continue
            cov = model.new_bool_var(f"cov[{gi},{si}]")
            model.add_bool_or(options).only_enforce_if(cov)
            covered.append(cov)
            cov_vars[(gi, si)] = cov
        # A placed topic covers one slot only: a cut the LP relaxation needs when
        # there are fewer room-slots than topics.
        if len(covered) > 1:
            model.add(sum(covered) <= sum(placed[ti] for ti in tis))
        terms.append(mult * sum(covered))
    total = cp_model.LinearExpr.sum(terms) if terms else cp_model.LinearExpr.constant(0)
    return total, cov_vars


def secondary(
    instance: Instance,
    classes: list[RoomClass],
    x: _X,
    placed: dict[int, cp_model.IntVar],
    attendance_expr: cp_model.LinearExpr,
) -> cp_model.LinearExpr:
    """The secondary objective (minimise), scaled to integers.

    Overflow against the class capacity with a slot-independent headcount guess, and the
    clash proxy "marks placed minus slots covered" (= clashes when nobody has three marks in
    one slot).
    """
    est = estimated_headcount(instance)
    interested: dict[str, int] = defaultdict(int)
    for topics in interest_sets(instance).values():
        for t in topics:
            interested[t] += 1
    secondary_terms: list[cp_model.LinearExprT] = []
    for (ti, ci, _si), var in x.items():
        over = est[instance.topics[ti].id] - classes[ci].capacity
        if over > 0:
            secondary_terms.append(int(round(over * 10)) * 10 * var)
    for ti in placed:
        n = interested[instance.topics[ti].id]
        if n:
            secondary_terms.append(n * placed[ti])
    return cp_model.LinearExpr.sum(secondary_terms) - attendance_expr if secondary_terms else -attendance_expr


def stay_literals(
    instance: Instance,
    previous: dict[str, tuple[str, str]],
    x: _X,
    class_of_room: dict[str, int],
    topic_index: dict[str, int],
) -> tuple[dict[int, cp_model.IntVar], int]:
    """Stability: topic index -> the x variable of "stays where the previous schedule had it",
    and how many previous placements cannot stay at all."""
    stay: dict[int, cp_model.IntVar] = {}
    forced = 0
    for tid, (room, slot) in sorted(previous.items()):
        ti = topic_index.get(tid)
        key = None
        if ti is not None and room in class_of_room:
            si = [s.id for s in instance.slots].index(slot) if slot in instance.slot_ids else -1
            key = (ti, class_of_room[room], si)
        if key is not None and key in x:
            stay[key[0]] = x[key]
        else:
            forced += 1
    return stay, forced
