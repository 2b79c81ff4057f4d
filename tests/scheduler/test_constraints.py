"""One tiny instance per hard constraint: the solver keeps it, and the checker catches a schedule that breaks it."""

from __future__ import annotations

from app.scheduler import Config, Pin, Placement, Solution, Status, score, solve, violations
from tests.scheduler.builders import make_instance, room, topic

FAST = Config(time_limit=2, seed=0)


def _solved(inst) -> Solution:  # type: ignore[no-untyped-def]
    sol = solve(inst, FAST)
    assert sol.status is Status.OPTIMAL
    assert violations(inst, sol.placements) == []
    return sol


def _where(sol: Solution) -> dict[str, tuple[str, str]]:
    return {p.topic: (p.room, p.slot) for p in sol.placements}


def test_solve_puts_one_topic_per_room_and_slot() -> None:
    inst = make_instance(rooms=[room("r")], slots=1, topics=["t1", "t2"], marks={"a": ["t1"], "b": ["t2"]})
    sol = _solved(inst)
    assert len(sol.placements) == 1
    assert [u.topic for u in sol.unscheduled] == [t for t in ("t1", "t2") if t not in _where(sol)]
    broken = [Placement("t1", "r", "s1"), Placement("t2", "r", "s1")]
    assert violations(inst, broken) == ["[room-double-booked] room 'r' holds 't1' and 't2' in slot 's1'"]


def test_solve_places_a_topic_at_most_once() -> None:
    # Running t1 twice would cover everybody in both slots; it may run only once.
    inst = make_instance(rooms=[room("r"), room("q")], slots=2, topics=["t1"], marks={"a": ["t1"], "b": ["t1"]})
    sol = _solved(inst)
    assert [p.topic for p in sol.placements] == ["t1"]
    assert sol.stats is not None and sol.stats.attendance == 2
    broken = [Placement("t1", "r", "s1"), Placement("t1", "q", "s2")]
    assert violations(inst, broken) == ["[topic-placed-twice] topic 't1' is placed 2 times"]


def test_solve_never_puts_a_facilitator_in_two_places() -> None:
    inst = make_instance(
        rooms=[room("r"), room("q")],
        slots=1,
        topics=[topic("t1", facilitators=["f"]), topic("t2", facilitators=["f"])],
        marks={"a": ["t1"], "b": ["t2"]},
    )
    sol = _solved(inst)
    assert len(sol.placements) == 1
    broken = [Placement("t1", "r", "s1"), Placement("t2", "q", "s1")]
    assert violations(inst, broken) == ["[facilitator-double-booked] facilitator 'f' runs 't1' and 't2' in slot 's1'"]


def test_solve_gives_a_facilitator_each_topic_in_its_own_slot() -> None:
    inst = make_instance(
        rooms=[room("r"), room("q")],
        slots=2,
        topics=[topic("t1", facilitators=["f"]), topic("t2", facilitators=["f"])],
        marks={"a": ["t1"], "b": ["t2"]},
    )
    where = _where(_solved(inst))
    assert set(where) == {"t1", "t2"}
    assert where["t1"][1] != where["t2"][1]


def test_solve_skips_a_room_in_its_unavailable_slot() -> None:
    inst = make_instance(
        rooms=[room("caf", 100, unavailable=["s1"])], slots=2, topics=["t1", "t2"], marks={"a": ["t1", "t2"]}
    )
    assert _where(_solved(inst)) in ({"t1": ("caf", "s2")}, {"t2": ("caf", "s2")})
    assert violations(inst, [Placement("t1", "caf", "s1")]) == [
        "[room-unavailable] room 'caf' is unavailable in slot 's1' but holds 't1'"
    ]


def test_solve_skips_a_topic_in_its_unavailable_slot() -> None:
    inst = make_instance(
        rooms=[room("r")],
        slots=2,
        topics=[topic("t1", unavailable=["s2"]), topic("t2", unavailable=["s1"])],
        marks={"a": ["t1", "t2"]},
    )
    assert _where(_solved(inst)) == {"t1": ("r", "s1"), "t2": ("r", "s2")}
    assert violations(inst, [Placement("t1", "r", "s2")]) == [
        "[topic-unavailable] topic 't1' is placed in slot 's2', which it cannot use"
    ]


def test_solve_puts_a_topic_in_a_room_with_what_it_needs() -> None:
    inst = make_instance(
        rooms=[room("big", 100), room("lab", 10, features=["projector"])],
        slots=1,
        topics=[topic("t1", needs=["projector"])],
        marks={"a": ["t1"]},
    )
    assert _where(_solved(inst)) == {"t1": ("lab", "s1")}
    assert violations(inst, [Placement("t1", "big", "s1")]) == [
        "[room-lacks-feature] topic 't1' needs 'projector', which room 'big' lacks"
    ]


def test_solve_leaves_out_a_topic_no_room_can_serve() -> None:
    inst = make_instance(rooms=[room("r")], slots=1, topics=[topic("t1", needs=["accessible"])], marks={"a": ["t1"]})
    sol = _solved(inst)
    assert sol.placements == ()
    assert [(u.topic, u.reason) for u in sol.unscheduled] == [("t1", "no room has accessible")]


def test_solve_respects_pinned_room_and_slot() -> None:
    inst = make_instance(
        rooms=[room("big", 100), room("small", 10)],
        slots=2,
        topics=[topic("t1", pin=Pin("small", "s2")), "t2"],
        marks={"a": ["t1", "t2"], "b": ["t1"]},
    )
    assert _where(_solved(inst))["t1"] == ("small", "s2")
    assert violations(inst, [Placement("t1", "big", "s2")]) == [
        "[pin] topic 't1' is pinned to room 'small' but placed in 'big'"
    ]


def test_solve_respects_pin_to_slot_only_and_room_only() -> None:
    inst = make_instance(
        rooms=[room("r"), room("q")],
        slots=2,
        topics=[topic("t1", pin=Pin(None, "s2")), topic("t2", pin=Pin("q", None)), "t3"],
        marks={"a": ["t1", "t2", "t3"]},
    )
    where = _where(_solved(inst))
    assert where["t1"][1] == "s2"
    assert where["t2"][0] == "q"


def test_solve_schedules_a_pinned_topic_nobody_marked() -> None:
    inst = make_instance(
        rooms=[room("r")], slots=1, topics=[topic("keynote", pin=Pin()), "t2"], marks={"a": ["t2"], "b": ["t2"]}
    )
    sol = _solved(inst)
    assert _where(sol) == {"keynote": ("r", "s1")}
    assert violations(inst, []) == ["[pin] pinned topic 'keynote' is not scheduled"]


def test_solve_keeps_avoid_clash_pairs_apart() -> None:
    inst = make_instance(
        rooms=[room("r"), room("q")],
        slots=2,
        topics=["t1", "t2"],
        marks={"a": ["t1"], "b": ["t2"]},  # without the pair, both would fit in s1
        avoid_clash=[("t1", "t2")],
    )
    where = _where(_solved(inst))
    assert where["t1"][1] != where["t2"][1]
    broken = [Placement("t1", "r", "s1"), Placement("t2", "q", "s1")]
    assert violations(inst, broken) == ["[avoid-clash] topics 't1' and 't2' must not share a slot but both are in 's1'"]


def test_solve_maximises_attendance_before_filling_rooms() -> None:
    # Two popular topics in one slot would clash; spreading them covers everyone twice.
    inst = make_instance(
        rooms=[room("r"), room("q")],
        slots=2,
        topics=["t1", "t2", "t3"],
        marks={"a": ["t1", "t2"], "b": ["t1", "t2"], "c": ["t3"]},
    )
    sol = _solved(inst)
    where = _where(sol)
    assert where["t1"][1] != where["t2"][1]
    assert sol.stats is not None
    assert (sol.stats.attendance, sol.stats.upper_bound, sol.stats.proven_bound, sol.stats.clashes) == (5, 5, 5, 0)


def test_solve_puts_the_bigger_audience_in_the_bigger_room() -> None:
    inst = make_instance(
        rooms=[room("small", 2), room("big", 5)],
        slots=1,
        topics=["t1", "t2"],
        marks={"a": ["t1"], "b": ["t2"], "c": ["t2"], "d": ["t2"]},
    )
    sol = _solved(inst)
    assert _where(sol) == {"t1": ("small", "s1"), "t2": ("big", "s1")}
    assert sol.stats is not None and sol.stats.overflow == 0.0


def test_score_counts_facilitators_and_splits_headcount() -> None:
    inst = make_instance(
        rooms=[room("r", 1), room("q", 1)],
        slots=1,
        topics=[topic("t1", facilitators=["f"]), "t2"],
        marks={"a": ["t1", "t2"], "f": ["t2"]},
    )
    stats = score(inst, [Placement("t1", "r", "s1"), Placement("t2", "q", "s1")])
    # a splits 1/2 + 1/2; f's whole unit goes to t1, which f runs: t1 has 1.5 in 1 seat.
    # Only a has two marks in s1 (running t1 is not a mark of f), so one clash.
    assert (stats.attendance, stats.upper_bound, stats.overflow, stats.clashes) == (2, 2, 0.5, 1)
