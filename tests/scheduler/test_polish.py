"""The exact overflow/clash polish never trades attendance away and never makes a schedule worse."""

from __future__ import annotations

from app.scheduler import Config, Placement, score, solve, violations
from app.scheduler.model import Fixed, build_model
from app.scheduler.polish import polish
from app.scheduler.rooms import assign_rooms
from app.scheduler.search import anneal
from app.scheduler.warmstart import greedy_cells
from bench.sched_gen import generate


def test_polish_keeps_attendance_and_lowers_overflow_then_clashes() -> None:
    inst = generate("large", 2)
    fixed = {t.id: Fixed(t.pinned.room, t.pinned.slot, "pinned") for t in inst.topics if t.pinned is not None}
    sm = build_model(inst, fixed)
    start = anneal(inst, sm, greedy_cells(inst, sm), work=500_000, seed=0, deadline=float("inf"))
    cells = polish(inst, sm, start, work=100_000, seed=0, deadline=float("inf"))
    required = {t: f.room for t, f in fixed.items() if f.room is not None}

    def judged(c: dict[int, tuple[int, int]]) -> tuple[int, float, int]:
        slot_of = {inst.topics[ti].id: inst.slot_ids[si] for ti, (_ci, si) in c.items()}
        room_of = assign_rooms(inst, slot_of, required)
        assert room_of is not None
        placements = [Placement(t, room_of[t], s) for t, s in slot_of.items()]
        assert violations(inst, placements) == []
        stats = score(inst, placements)
        return stats.attendance, -stats.overflow, -stats.clashes

    before, after = judged(start), judged(cells)
    assert after[0] >= before[0]
    assert after >= before


def test_solve_overflow_is_no_worse_than_a_plain_room_matching() -> None:
    inst = generate("medium", 2)
    sol = solve(inst, Config(time_limit=1, seed=0))
    assert sol.stats is not None
    slot_of = {p.topic: p.slot for p in sol.placements}
    required = {t.id: t.pinned.room for t in inst.topics if t.pinned is not None and t.pinned.room is not None}
    room_of = assign_rooms(inst, slot_of, required)
    assert room_of is not None
    plain = score(inst, [Placement(t, room_of[t], s) for t, s in slot_of.items()])
    assert sol.stats.overflow <= plain.overflow
