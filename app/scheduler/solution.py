"""The scheduler's output and the ``twofeet.schedule/1`` document."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from app.scheduler.eventfile import EventFileError
from app.scheduler.instance import Instance

__all__ = [
    "SCHEDULE_FORMAT",
    "Placement",
    "Solution",
    "Stats",
    "Status",
    "Unscheduled",
    "parse_schedule",
    "schedule_to_document",
]

SCHEDULE_FORMAT = "twofeet.schedule/1"


@dataclass(frozen=True, order=True)
class Placement:
    """Topic ``topic`` runs in room ``room`` during slot ``slot``."""

    topic: str
    room: str
    slot: str


@dataclass(frozen=True)
class Unscheduled:
    """A topic left out, with a reason a person understands."""

    topic: str
    reason: str


@dataclass(frozen=True)
class Stats:
    """How a schedule is judged (see the format document).

    Attributes
    ----------
    attendance : int
        (attendee, slot) pairs with something the attendee came for.
    upper_bound : int
        Sum over attendees of ``min(|interests ∪ facilitated|, slots)``.
    proven_bound : int or None
        The solver's proven upper bound on attendance, when it has one.
    overflow : float
        Sum over placed topics of expected headcount above room capacity.
    clashes : int
        Pairs of one attendee's interests placed in the same slot.
    solve_seconds : float
        Wall time of the solve.
    sessions_run : int
        Placed topics that are viable (at least ``event.min_interest`` people want them).
    viable_left_out : int
        Viable topics not placed.
    """

    attendance: int
    upper_bound: int
    proven_bound: int | None
    overflow: float
    clashes: int
    solve_seconds: float
    sessions_run: int = 0
    viable_left_out: int = 0


class Status(enum.Enum):
    """How a solve ended."""

    #: The schedule is proven best (attendance, then overflow, then clashes).
    OPTIMAL = "optimal"
    #: A valid schedule, not proven best.
    FEASIBLE = "feasible"
    #: The hard constraints cannot all hold; ``Solution.conflicts`` says which.
    INFEASIBLE = "infeasible"
    #: No schedule was found in time.
    TIMEOUT = "timeout"


@dataclass(frozen=True)
class Solution:
    """The result of :func:`~app.scheduler.solve`.

    Attributes
    ----------
    status : Status
    placements : tuple of Placement
        Sorted by slot order, then room order (empty unless OPTIMAL or FEASIBLE).
    unscheduled : tuple of Unscheduled
        Every topic not placed, with its reason.
    stats : Stats or None
        ``None`` when there is no schedule.
    moved : int or None
        With a previous schedule: how many of its placements from ``keep_before`` on
        changed room or slot or were dropped.
    conflicts : tuple of str
        When INFEASIBLE: messages naming the conflicting hard constraints.
    """

    status: Status
    placements: tuple[Placement, ...]
    unscheduled: tuple[Unscheduled, ...]
    stats: Stats | None
    moved: int | None = None
    conflicts: tuple[str, ...] = ()


def schedule_to_document(solution: Solution) -> dict[str, Any]:
    """Write ``solution`` as a ``twofeet.schedule/1`` document (JSON-ready).

    ``"moved"`` is added when the solve was given a previous schedule; ``"status"``
    and, when infeasible, ``"conflicts"`` are added as well (readers ignore unknown
    keys).

    Examples
    --------
    >>> sol = Solution(Status.OPTIMAL, (Placement("t1", "r1", "s1"),), (), Stats(1, 1, 1, 0.0, 0, 0.01))
    >>> schedule_to_document(sol)["stats"]["attendance"]
    1
    """
    doc: dict[str, Any] = {
        "format": SCHEDULE_FORMAT,
        "status": solution.status.value,
        "placements": [{"topic": p.topic, "room": p.room, "slot": p.slot} for p in solution.placements],
        "unscheduled": [{"topic": u.topic, "reason": u.reason} for u in solution.unscheduled],
    }
    if solution.stats is not None:
        s = solution.stats
        doc["stats"] = {
            "attendance": s.attendance,
            "upper_bound": s.upper_bound,
            "proven_bound": s.proven_bound,
            "sessions_run": s.sessions_run,
            "viable_left_out": s.viable_left_out,
            "overflow": s.overflow,
            "clashes": s.clashes,
            "solve_seconds": s.solve_seconds,
        }
    if solution.moved is not None:
        doc["moved"] = solution.moved
    if solution.conflicts:
        doc["conflicts"] = list(solution.conflicts)
    return doc


def parse_schedule(doc: object, instance: Instance) -> tuple[Placement, ...]:
    """Read the placements of a ``twofeet.schedule/1`` document for ``instance``.

    Only the ids are checked (they must exist and each topic appear once); whether the
    placements still satisfy the hard constraints is the solver's business, since a
    previous schedule is exactly what an organiser re-solves after something changed.

    Raises
    ------
    EventFileError
        Naming the key and id of the first problem.

    Examples
    --------
    >>> from app.scheduler.instance import EventInfo, Room, Slot, Topic
    >>> inst = Instance(EventInfo(), (Room("r1", "R", 9),), (Slot("s1", "09:00", "10:00"),), (), (Topic("t1", "T"),), ())
    >>> parse_schedule({"format": "twofeet.schedule/1", "placements": [{"topic": "t1", "room": "r1", "slot": "s1"}]}, inst)
    (Placement(topic='t1', room='r1', slot='s1'),)
    """
    if not isinstance(doc, dict):
        raise EventFileError("", "expected a schedule object")
    if doc.get("format") != SCHEDULE_FORMAT:
        raise EventFileError("format", f"expected {SCHEDULE_FORMAT!r}, got {doc.get('format')!r}")
    items = doc.get("placements", [])
    if not isinstance(items, list):
        raise EventFileError("placements", "expected a list")
    known = {
        "topic": {t.id for t in instance.topics},
        "room": {r.id for r in instance.rooms},
        "slot": {s.id for s in instance.slots},
    }
    out: list[Placement] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        key = f"placements[{i}]"
        if not isinstance(item, dict):
            raise EventFileError(key, "expected an object")
        values: dict[str, str] = {}
        for part in ("topic", "room", "slot"):
            value = item.get(part)
            if not isinstance(value, str):
                raise EventFileError(f"{key}.{part}", f"expected a {part} id, got {value!r}")
            if value not in known[part]:
                raise EventFileError(f"{key}.{part}", f"unknown {part} {value!r}", id=value)
            values[part] = value
        if values["topic"] in seen:
            raise EventFileError(f"{key}.topic", f"topic {values['topic']!r} is placed twice", id=values["topic"])
        seen.add(values["topic"])
        out.append(Placement(**values))
    return tuple(out)
