"""The benchmark's reference schedules: a long CP-SAT run per instance, cached.

The reference for an instance is the best attendance any method finds for it. This
module supplies the long run: our scheduler's own answer as a start, then CP-SAT with
free-running workers (not the deterministic mode) for up to a per-size wall-clock
limit, stopping early when it proves optimality. Results are cached as JSON under
``bench/.cache/`` (gitignored), one file per instance, so the benchmark computes them
once. ``bench/scheduler.py`` then takes the best of this run and every method in its
table.

Because CP-SAT on this coverage model finds good schedules slowly, a second long
run restarts our annealing search with new seeds for a per-size time
(``--anneal``, cached separately); :func:`load` returns the better of the two.

Run on its own (it is slow; logs one line per instance)::

    .venv/bin/python -m bench.sched_reference [--sizes small medium ...] [--seeds 1 2 3]
    .venv/bin/python -m bench.sched_reference --anneal
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from ortools.sat.python import cp_model

from app.scheduler import Config, Instance, score, solve, violations
from app.scheduler.model import Fixed, build_model
from app.scheduler.rooms import assign_rooms
from app.scheduler.solve import _greedy_values
from bench.sched_gen import SIZES, generate

CACHE = Path(__file__).parent / ".cache"

#: Wall-clock seconds of the long run per size (it stops earlier on a proof of optimality).
LIMITS = {"small": 60.0, "medium": 150.0, "large": 300.0, "huge": 420.0}
#: CP-SAT workers for the long run (the machine has two cores, shared with others).
WORKERS = 2


def cache_path(size: str, seed: int) -> Path:
    return CACHE / f"reference-{size}-{seed}.json"


def anneal_cache_path(size: str, seed: int) -> Path:
    return CACHE / f"reference-anneal-{size}-{seed}.json"


def load(size: str, seed: int) -> dict[str, Any] | None:
    """The cached CP-SAT long run, raised to the long annealing run's attendance when that is better."""
    path = cache_path(size, seed)
    apath = anneal_cache_path(size, seed)
    if not path.exists():
        if not apath.exists():
            return None
        # Only the annealing run is cached (the CP-SAT run was skipped to save time).
        extra = json.loads(apath.read_text())
        return {**extra, "cpsat_attendance": None, "anneal_attendance": extra["attendance"], "bound": None,
                "optimal": False}
    record = json.loads(path.read_text())
    if apath.exists():
        extra = json.loads(apath.read_text())
        record["cpsat_attendance"] = record["attendance"]
        record["anneal_attendance"] = extra["attendance"]
        if extra["attendance"] > record["attendance"]:
            record["attendance"] = extra["attendance"]
            record["placements"] = extra["placements"]
    return record


#: Wall-clock seconds of the long annealing run per size.
ANNEAL_LIMITS = {"small": 5.0, "medium": 30.0, "large": 90.0, "huge": 150.0}
#: Work units of one annealing run per size (longer runs pay off on bigger days).
ANNEAL_RUN_WORK = {"small": 8_000_000, "medium": 8_000_000, "large": 8_000_000, "huge": 40_000_000}


def long_anneal(size: str, seed: int, limit: float) -> dict[str, Any]:
    """Restart our annealing search from the greedy start with new seeds until ``limit`` seconds pass."""
    from app.scheduler import Placement  # inline: only needed here
    from app.scheduler.search import anneal
    from app.scheduler.warmstart import greedy_cells

    inst = generate(size, seed)
    t0 = time.perf_counter()
    sm = build_model(inst, _fixed(inst))
    start = greedy_cells(inst, sm)
    required = {t.id: t.pinned.room for t in inst.topics if t.pinned is not None and t.pinned.room is not None}
    best: tuple[Placement, ...] = ()
    best_value = -1
    runs = 0
    while time.perf_counter() - t0 < limit:
        cells = anneal(inst, sm, start, work=ANNEAL_RUN_WORK[size], seed=1000 * seed + runs, deadline=t0 + limit)
        runs += 1
        slot_of = {inst.topics[ti].id: inst.slot_ids[si] for ti, (_ci, si) in cells.items()}
        room_of = assign_rooms(inst, slot_of, required)
        if room_of is None:
            continue
        placements = tuple(Placement(t, room_of[t], s) for t, s in slot_of.items())
        value = score(inst, placements).attendance
        if value > best_value and not violations(inst, placements):
            best, best_value = placements, value
    return {
        "size": size,
        "seed": seed,
        "attendance": best_value,
        "runs": runs,
        "wall_seconds": round(time.perf_counter() - t0, 1),
        "placements": [[p.topic, p.room, p.slot] for p in best],
    }


def _fixed(instance: Instance) -> dict[str, Fixed]:
    return {t.id: Fixed(t.pinned.room, t.pinned.slot, "pinned") for t in instance.topics if t.pinned is not None}


def compute(size: str, seed: int, limit: float) -> dict[str, Any]:
    """Run the long solve for one instance and return the cache record."""
    inst = generate(size, seed)
    t0 = time.perf_counter()
    start = solve(inst, Config(time_limit=10.0, seed=seed))
    assert start.stats is not None
    sm = build_model(inst, _fixed(inst))
    tindex = {t.id: i for i, t in enumerate(inst.topics)}
    sindex = {s: i for i, s in enumerate(inst.slot_ids)}
    cells = {tindex[p.topic]: (sm.class_of_room[p.room], sindex[p.slot]) for p in start.placements}
    model = sm.model
    for var, value in _greedy_values(sm, cells).items():
        model.add_hint(var, value)
    model.maximize(sm.attendance)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = WORKERS
    solver.parameters.max_time_in_seconds = max(1.0, limit - (time.perf_counter() - t0))
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    placements = start.placements
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        slot_of = {}
        for (ti, _ci, si), var in sm.x.items():
            if solver.value(var):
                slot_of[inst.topics[ti].id] = inst.slot_ids[si]
        required = {t.id: t.pinned.room for t in inst.topics if t.pinned is not None and t.pinned.room is not None}
        room_of = assign_rooms(inst, slot_of, required)
        if room_of is not None:
            from app.scheduler import Placement  # inline: only needed here

            candidate = tuple(Placement(t, room_of[t], s) for t, s in slot_of.items())
            if not violations(inst, candidate) and score(inst, candidate).attendance >= start.stats.attendance:
                placements = candidate
    stats = score(inst, placements)
    bound = int(solver.best_objective_bound + 1e-6) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
    return {
        "size": size,
        "seed": seed,
        "attendance": stats.attendance,
        "upper_bound": stats.upper_bound,
        "bound": bound,
        "optimal": status == cp_model.OPTIMAL and bound == stats.attendance,
        "overflow": stats.overflow,
        "clashes": stats.clashes,
        "wall_seconds": round(time.perf_counter() - t0, 1),
        "limit_seconds": limit,
        "workers": WORKERS,
        "placements": [[p.topic, p.room, p.slot] for p in placements],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3])
    parser.add_argument("--force", action="store_true", help="recompute cached references")
    parser.add_argument("--anneal", action="store_true", help="run the long annealing pass instead of CP-SAT")
    args = parser.parse_args()
    CACHE.mkdir(exist_ok=True)
    if args.anneal:
        for size in args.sizes:
            for seed in args.seeds:
                if anneal_cache_path(size, seed).exists() and not args.force:
                    continue
                record = long_anneal(size, seed, ANNEAL_LIMITS[size])
                anneal_cache_path(size, seed).write_text(json.dumps(record))
                print(f"{size} seed {seed}: long anneal {record['attendance']} ({record['runs']} runs, "
                      f"{record['wall_seconds']} s)", flush=True)
        return
    for size in args.sizes:
        for seed in args.seeds:
            if load(size, seed) is not None and not args.force:
                print(f"{size} seed {seed}: cached", flush=True)
                continue
            record = compute(size, seed, LIMITS[size])
            cache_path(size, seed).write_text(json.dumps(record))
            print(
                f"{size} seed {seed}: attendance {record['attendance']} bound {record['bound']} "
                f"optimal {record['optimal']} in {record['wall_seconds']} s",
                flush=True,
            )


if __name__ == "__main__":
    main()
