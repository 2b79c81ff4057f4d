"""The proven attendance bound (:mod:`app.scheduler.bound`): never below the optimum,
below the trivial bound where there is room, and on time."""

from __future__ import annotations

import json
import time
from itertools import pairwise
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from app.scheduler import Instance, Pin
from app.scheduler.bound import BoundProgress, attendance_bound
from app.scheduler.score import upper_bound
from bench.sched_gen import generate
from tests.scheduler.builders import make_instance, room, topic
from tests.scheduler.test_properties import _best_attendance as _best_pair
from tests.scheduler.test_properties import instances

REFERENCES = Path(__file__).resolve().parents[2] / "bench" / "references"


def _reference(size: str, seed: int) -> int:
    return int(json.loads((REFERENCES / f"reference-{size}-{seed}.json").read_text())["attendance"])


def _best_attendance(inst: Instance) -> int | None:
    """The exhaustive search's best attendance (it ranks sessions run second; the bound is on attendance)."""
    best = _best_pair(inst)
    return None if best is None else best[0]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_rooms=2, max_slots=3, max_topics=5))
def test_bound_is_never_below_the_exhaustive_optimum(inst: Instance) -> None:
    best = _best_attendance(inst)
    result = attendance_bound(inst, time_limit=5)
    assert result.bound <= upper_bound(inst)
    assert result.bound >= (best if best is not None else 0)


def test_bound_proves_the_optimum_where_one_room_must_leave_a_topic_out() -> None:
    # Two slots, one room, three topics: one is left out. The trivial bound counts
    # a and b twice and c and f once (6); any two topics give 4.
    inst = make_instance(
        rooms=[room("r1")],
        slots=2,
        topics=["t1", "t2", topic("t3", facilitators=["f"])],
        marks={"a": ["t1", "t2"], "b": ["t1", "t2"], "c": ["t3"]},
    )
    assert upper_bound(inst) == 6
    assert _best_attendance(inst) == 4
    assert attendance_bound(inst, time_limit=5).bound == 4


def test_facilitators_and_avoid_clash_are_kept_in_each_slot() -> None:
    # One slot, two rooms: t1 and t2 share a facilitator, t3 must not meet t4.
    inst = make_instance(
        rooms=[room("r1"), room("r2")],
        slots=1,
        topics=[topic("t1", facilitators=["f"]), topic("t2", facilitators=["f"]), "t3", "t4"],
        marks={"a": ["t1"], "b": ["t2"], "c": ["t3"], "d": ["t4"]},
        avoid_clash=[("t3", "t4")],
    )
    assert _best_attendance(inst) == 3  # f and one of a/b, plus c or d
    assert attendance_bound(inst, time_limit=5).bound == 3


def test_pins_and_room_features_only_restrict_where_topics_go() -> None:
    inst = make_instance(
        rooms=[room("r1", features=["projector"]), room("r2")],
        slots=2,
        topics=[topic("t1", needs=["projector"]), topic("t2", needs=["projector"]), topic("t3", pin=Pin(None, "s1"))],
        marks={"a": ["t1", "t2", "t3"], "b": ["t1", "t2"]},
    )
    best = _best_attendance(inst)
    assert best is not None
    assert best <= attendance_bound(inst, time_limit=5).bound <= upper_bound(inst)


def test_bound_is_below_the_trivial_one_on_a_small_day_and_proves_its_optimum() -> None:
    inst = generate("small", 1)
    result = attendance_bound(inst, time_limit=10)
    assert result.bound == _reference("small", 1) < upper_bound(inst)


def test_bound_is_below_the_trivial_one_on_a_medium_day() -> None:
    inst = generate("medium", 2)
    result = attendance_bound(inst, time_limit=4)
    assert _reference("medium", 2) <= result.bound < upper_bound(inst)


def test_on_improve_reports_each_lower_bound_and_the_last_is_returned() -> None:
    seen: list[BoundProgress] = []
    result = attendance_bound(generate("small", 2), time_limit=10, on_improve=seen.append)
    assert seen and seen[-1] == result
    assert all(a.bound > b.bound for a, b in pairwise(seen))
    assert all(a.elapsed <= b.elapsed for a, b in pairwise(seen))


def test_deadline_is_honoured_on_a_big_day() -> None:
    inst = generate("large", 1)
    start = time.perf_counter()
    result = attendance_bound(inst, time_limit=1.0)
    assert time.perf_counter() - start < 1.0 + 0.3
    assert result.bound <= upper_bound(inst)


def test_should_stop_ends_the_search_early() -> None:
    inst = generate("medium", 1)
    start = time.perf_counter()
    result = attendance_bound(inst, time_limit=30, should_stop=lambda: time.perf_counter() - start > 0.5)
    assert time.perf_counter() - start < 0.5 + 0.3
    assert _reference("medium", 1) <= result.bound <= upper_bound(inst)
