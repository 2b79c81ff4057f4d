"""Re-solving mid-day with ``previous`` and ``keep_before``."""

from __future__ import annotations

import dataclasses

from app.scheduler import Config, Instance, Placement, Status, solve, violations
from tests.scheduler.builders import make_instance, room, topic

FAST = Config(time_limit=2, seed=0)

# Three rooms (x is spare), three slots, six topics placed by hand.
PREVIOUS = (
    Placement("t1", "r", "s1"),
    Placement("t2", "q", "s1"),
    Placement("t3", "r", "s2"),
    Placement("t4", "q", "s2"),
    Placement("t5", "r", "s3"),
    Placement("t6", "q", "s3"),
)


def _day(
    *, q_closed: tuple[str, ...] = (), t5_unavailable: tuple[str, ...] = (), extra: tuple[str, ...] = ()
) -> Instance:
    return make_instance(
        rooms=[room("r"), room("q", unavailable=q_closed), room("x")],
        slots=3,
        topics=["t1", "t2", "t3", "t4", topic("t5", facilitators=["f"], unavailable=t5_unavailable), "t6", *extra],
        # Everybody marks everything, and d only t4 and t6, so those two are worth placing.
        marks={**{p: ["t1", "t2", "t3", "t4", "t5", "t6", *extra] for p in ("a", "b", "c")}, "d": ["t4", "t6"]},
    )


def _changed(previous: tuple[Placement, ...], now: tuple[Placement, ...]) -> set[str]:
    where = {p.topic: p for p in now}
    return {p.topic for p in previous if where.get(p.topic) != p}


def test_resolve_after_room_closes_from_lunch_moves_only_what_was_in_it() -> None:
    inst = _day(q_closed=("s2", "s3"))
    sol = solve(inst, FAST, previous=PREVIOUS, keep_before="s2")
    assert sol.status is Status.OPTIMAL
    assert violations(inst, sol.placements) == []
    assert _changed(PREVIOUS, sol.placements) == {"t4", "t6"}
    assert sol.moved == 2
    # The spare room takes them, in their own slots (d needs one of them in each).
    assert {p for p in sol.placements if p.topic in ("t4", "t6")} == {
        Placement("t4", "x", "s2"),
        Placement("t6", "x", "s3"),
    }


def test_resolve_keeps_placements_before_keep_before_exactly() -> None:
    inst = _day(q_closed=("s2", "s3"), extra=("t7",))
    sol = solve(inst, FAST, previous=PREVIOUS, keep_before="s2")
    assert [p for p in sol.placements if p.slot == "s1"] == [Placement("t1", "r", "s1"), Placement("t2", "q", "s1")]
    # The new topic may not go into the free room of the past slot.
    assert all(p.slot != "s1" for p in sol.placements if p.topic == "t7")


def test_resolve_after_facilitator_leaves_drops_only_their_topic() -> None:
    inst = _day(t5_unavailable=("s2", "s3"))
    sol = solve(inst, FAST, previous=PREVIOUS, keep_before="s2")
    assert sol.status is Status.OPTIMAL
    assert _changed(PREVIOUS, sol.placements) == {"t5"}
    assert sol.moved == 1
    assert [(u.topic, u.reason) for u in sol.unscheduled] == [("t5", "it is unavailable in every remaining slot")]


def test_resolve_without_changes_moves_nothing() -> None:
    inst = _day()
    sol = solve(inst, FAST, previous=PREVIOUS, keep_before="s2")
    assert sol.placements == PREVIOUS
    assert sol.moved == 0


def test_resolve_counts_a_withdrawn_topic_as_moved() -> None:
    inst = _day()
    inst = dataclasses.replace(
        inst,
        topics=tuple(t for t in inst.topics if t.id != "t6"),
        interests=tuple(i for i in inst.interests if i.topic != "t6"),
    )
    sol = solve(inst, FAST, previous=PREVIOUS, keep_before="s2")
    assert sol.moved == 1
    assert _changed(PREVIOUS, sol.placements) == {"t6"}


def test_resolve_moves_as_few_as_possible_on_a_generated_day() -> None:
    from bench.sched_gen import generate  # inline: only this test uses the benchmark generator

    inst = generate("medium", 2)
    first = solve(inst, Config(time_limit=1, seed=1))
    big = max(inst.rooms, key=lambda r: r.capacity)
    closed = dataclasses.replace(big, unavailable_slots=big.unavailable_slots | {"s3", "s4"})
    inst2 = dataclasses.replace(inst, rooms=tuple(closed if r.id == big.id else r for r in inst.rooms))
    sol = solve(inst2, Config(time_limit=1, seed=1), previous=first.placements, keep_before="s3")
    assert violations(inst2, sol.placements) == []
    assert [p for p in sol.placements if p.slot in ("s1", "s2")] == [
        p for p in first.placements if p.slot in ("s1", "s2")
    ]
    displaced = {p.topic for p in first.placements if p.room == big.id and p.slot in ("s3", "s4")}
    later = tuple(p for p in first.placements if p.slot in ("s3", "s4"))
    assert _changed(later, sol.placements) == displaced
    assert sol.moved == len(displaced)


def test_resolve_refuses_kept_placements_that_no_longer_hold() -> None:
    inst = _day(q_closed=("s1",))
    sol = solve(inst, FAST, previous=PREVIOUS, keep_before="s2")
    assert sol.status is Status.INFEASIBLE
    assert sol.conflicts == (
        "kept placements before the keep-before slot: [room-unavailable] room 'q' is unavailable in slot 's1' but holds 't2'",
    )
