"""Scheduler benchmark: our solver against the sticky-note greedy and an annealer.

For each size (small, medium, large, huge) and seed it generates an instance
(:mod:`bench.sched_gen`), runs

* **ours**: ``app.scheduler.solve`` with the per-size ``Config.time_limit`` below, wall-clock
  seconds from the call to the answer (the solver's default mode);
* **greedy**: the sticky-note wall (:func:`bench.sched_baselines.sticky_note_greedy`);
* **anneal**: a simulated-annealing scheduler given the wall time ours took,

checks every schedule with ``app.scheduler.violations`` and scores it with
``app.scheduler.score``, and prints a Markdown table. The reference of an instance
is the best attendance any method reached: the long run cached by
:mod:`bench.sched_reference` (a 10-minute solve, computed on first use if missing) and every row
of this table.

With ``--programme`` each day also has an opening plenary, a lunch break (in the day's widest
gap between slots, else after the last) and a closing plenary (:func:`with_programme`); our solver
gets the whole day, the baselines its sessions slots. The schedules and figures must be those of
the day without them (issue 18: topics go only into sessions slots, S counts only those).

With ``--spanish`` (issue 19) about a fifth of each day's topics are held in Spanish
(:func:`with_spanish`), and the table compares, per method, attendance, sessions run and the slots
without any Spanish session, ours with and without the spread (``Config.spread_languages``). Both
of ours run on the same *work* budget (``Config.work``), so they are the same schedule up to the
spread, whatever the machine's load; the baselines know nothing of languages.

Usage (timed runs share the machine, so take the lock)::

    flock /tmp/twofeet-bench.lock .venv/bin/python -m bench.scheduler [--sizes small medium] [--seeds 1 2 3] [--programme]
    flock /tmp/twofeet-bench.lock .venv/bin/python -m bench.scheduler --spanish [--sizes small medium large]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import time
from dataclasses import dataclass, replace
from pathlib import Path

from app.scheduler import Config, Instance, Placement, Slot, Solution, Status, score, solve, violations
from app.scheduler.instance import sessions_day
from app.scheduler.spread import language_gaps
from bench import sched_reference
from bench.sched_baselines import annealing, sticky_note_greedy
from bench.sched_gen import SIZES, generate

#: ``Config.time_limit`` of our solver per size: wall-clock seconds, the targets' own.
TIME_LIMITS = {"small": 3.0, "medium": 5.0, "large": 10.0, "huge": 30.0}
#: Targets from issue 15: (ratio to the reference, wall seconds).
TARGETS = {"small": (1.0, 3.0), "medium": (1.0, 5.0), "large": (1.0, 10.0), "huge": (0.995, 30.0)}


@dataclass
class Row:
    size: str
    seed: int
    method: str
    attendance: int
    upper_bound: int
    proven_bound: int | None
    overflow: float
    clashes: int
    wall: float
    valid: bool
    status: str = ""
    reference: int = 0
    sessions_run: int = 0
    viable: int = 0


def _row(
    inst: Instance,
    size: str,
    seed: int,
    method: str,
    placements: list[Placement] | tuple[Placement, ...],
    wall: float,
    proven_bound: int | None = None,
    status: str = "",
) -> Row:
    stats = score(inst, placements)
    return Row(
        size,
        seed,
        method,
        stats.attendance,
        stats.upper_bound,
        proven_bound,
        stats.overflow,
        stats.clashes,
        round(wall, 2),
        not violations(inst, placements),
        status,
        sessions_run=stats.sessions_run,
        viable=stats.sessions_run + stats.viable_left_out,
    )


def _minutes(hhmm: str) -> int:
    return int(hhmm[:2]) * 60 + int(hhmm[3:])


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def with_programme(inst: Instance) -> Instance:
    """``inst`` with an opening plenary in its largest room, a lunch break and a closing plenary."""
    slots = list(inst.slots)
    largest = max(inst.rooms, key=lambda r: r.capacity).id
    first, last = _minutes(slots[0].start), _minutes(slots[-1].end)
    opening = Slot("opening", _hhmm(first - 45), _hhmm(first - 5), "plenary", "Opening keynote", largest)
    closing = Slot("closing", _hhmm(last + 5), _hhmm(last + 35), "plenary", "Closing share-out", largest)
    gaps = [
        (_minutes(b.start) - _minutes(a.end), i + 1) for i, (a, b) in enumerate(zip(slots, slots[1:], strict=False))
    ]
    wide, at = max(gaps, default=(0, len(slots)))
    if wide >= 20:
        lunch = Slot(
            "lunch", _hhmm(_minutes(slots[at - 1].end) + 5), _hhmm(_minutes(slots[at].start) - 5), "break", "Lunch"
        )
        slots.insert(at, lunch)
    else:
        closing = replace(closing, start=_hhmm(last + 45), end=_hhmm(last + 75))
        slots.append(Slot("lunch", _hhmm(last + 5), _hhmm(last + 40), "break", "Lunch"))
    return replace(inst, slots=(opening, *slots, closing))


def run_instance(size: str, seed: int, *, programme: bool = False) -> list[Row]:
    plain = generate(size, seed)
    inst = with_programme(plain) if programme else plain
    assert sessions_day(inst) == plain
    t0 = time.perf_counter()
    sol: Solution = solve(inst, Config(time_limit=TIME_LIMITS[size], seed=seed))
    ours_wall = time.perf_counter() - t0
    assert sol.stats is not None and sol.status in (Status.OPTIMAL, Status.FEASIBLE), sol.status
    rows = [_row(inst, size, seed, "ours", sol.placements, ours_wall, sol.stats.proven_bound, sol.status.value)]
    t0 = time.perf_counter()
    greedy = sticky_note_greedy(plain)  # the baselines know nothing of plenaries: their sessions slots
    rows.append(_row(inst, size, seed, "greedy", greedy, time.perf_counter() - t0))
    t0 = time.perf_counter()
    annealed = annealing(plain, seconds=ours_wall, seed=seed)
    rows.append(_row(inst, size, seed, "anneal", annealed, time.perf_counter() - t0))
    return rows


def with_spanish(inst: Instance, seed: int, share: float = 0.2) -> Instance:
    """``inst`` as a bilingual day: ``share`` of its topics (drawn by ``seed``) held in Spanish."""
    chosen = set(random.Random(1900 + seed).sample([t.id for t in inst.topics], round(share * len(inst.topics))))
    return replace(
        inst,
        event=replace(inst.event, languages=("en", "es")),
        topics=tuple(replace(t, language="es") if t.id in chosen else t for t in inst.topics),
    )


def run_spanish(size: str, seed: int) -> list[tuple[Row, int]]:
    """Each method's row on the Spanish day, with its number of slots without a Spanish session."""
    inst = with_spanish(generate(size, seed), seed)
    out: list[tuple[Row, int]] = []

    def add(method: str, placements: list[Placement] | tuple[Placement, ...], wall: float) -> None:
        gaps = language_gaps(inst, {p.topic: p.slot for p in placements}, "es")
        out.append((_row(inst, size, seed, method, placements, wall), gaps))

    ours_wall = 0.0
    for method, spread in (("ours", True), ("ours, no spread", False)):
        config = Config(work=TIME_LIMITS[size], time_limit=20 * TIME_LIMITS[size], seed=seed, spread_languages=spread)
        t0 = time.perf_counter()
        sol = solve(inst, config)
        wall = time.perf_counter() - t0
        ours_wall = max(ours_wall, wall)
        add(method, sol.placements, wall)
    t0 = time.perf_counter()
    greedy = sticky_note_greedy(inst)
    add("greedy", greedy, time.perf_counter() - t0)
    t0 = time.perf_counter()
    annealed = annealing(inst, seconds=ours_wall, seed=seed)
    add("anneal", annealed, time.perf_counter() - t0)
    return out


def spanish_table(rows: list[tuple[Row, int]]) -> str:
    lines = [
        "| size | seed | method | attendance | sessions run | slots without a Spanish session | overflow | clashes | wall s |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r, gaps in rows:
        method = r.method + ("" if r.valid else " INVALID")
        lines.append(
            f"| {r.size} | {r.seed} | {method} | {r.attendance} | {r.sessions_run} of {r.viable} | {gaps} | "
            f"{r.overflow:.1f} | {r.clashes} | {r.wall:.2f} |"
        )
    return "\n".join(lines)


def _ratio(a: int, b: int | None) -> str:
    return "–" if not b else f"{a / b:.4f}"


def table(rows: list[Row]) -> str:
    lines = [
        "| size | seed | method | attendance | / upper_bound | / proven_bound | / reference | sessions run | overflow "
        "| clashes | wall s |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        method = r.method + (f" ({r.status})" if r.status else "") + ("" if r.valid else " INVALID")
        lines.append(
            f"| {r.size} | {r.seed} | {method} | {r.attendance} | {_ratio(r.attendance, r.upper_bound)} | "
            f"{_ratio(r.attendance, r.proven_bound)} | {_ratio(r.attendance, r.reference)} | "
            f"{r.sessions_run} of {r.viable} | {r.overflow:.1f} | "
            f"{r.clashes} | {r.wall:.2f} |"
        )
    return "\n".join(lines)


def summary(rows: list[Row]) -> str:
    lines = [
        "| size | ours / ref (min) | ours wall max s | proven optimal | anneal / ref (min) | greedy / ref (min) "
        "| ours ≥ anneal | ours > greedy | sessions run ≥ greedy's | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for size in dict.fromkeys(r.size for r in rows):
        by = {(r.seed, r.method): r for r in rows if r.size == size}
        seeds = sorted({r.seed for r in rows if r.size == size})
        ours = [by[(s, "ours")] for s in seeds]
        ratio = min(r.attendance / r.reference for r in ours)
        wall = max(r.wall for r in ours)
        optimal = sum(r.status == "optimal" for r in ours)
        ann = min(by[(s, "anneal")].attendance / by[(s, "anneal")].reference for s in seeds)
        gre = min(by[(s, "greedy")].attendance / by[(s, "greedy")].reference for s in seeds)
        ge_anneal = sum(by[(s, "ours")].attendance >= by[(s, "anneal")].attendance for s in seeds)
        gt_greedy = sum(by[(s, "ours")].attendance > by[(s, "greedy")].attendance for s in seeds)
        runs = sum(by[(s, "ours")].sessions_run >= by[(s, "greedy")].sessions_run for s in seeds)
        want_ratio, want_wall = TARGETS[size]
        target = f"{'proven optimal' if size == 'small' else f'≥ {want_ratio:.1%}'} within {want_wall:g} s"
        lines.append(
            f"| {size} | {ratio:.4f} | {wall:.2f} | {optimal}/{len(seeds)} | {ann:.4f} | {gre:.4f} | "
            f"{ge_anneal}/{len(seeds)} | {gt_greedy}/{len(seeds)} | {runs}/{len(seeds)} | {target} |"
        )
    return "\n".join(lines)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            return next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or "cpu"


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark the scheduler (see the module docstring).")
    parser.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3])
    parser.add_argument(
        "--programme", action="store_true", help="add an opening and a closing plenary and a lunch break"
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=sched_reference.CACHE / "scheduler-results.json",
        help="where to write the raw rows",
    )
    parser.add_argument("--spanish", action="store_true", help="a fifth of the topics in Spanish: the spread's table")
    args = parser.parse_args()
    if args.spanish:
        spanish: list[tuple[Row, int]] = []
        for size in args.sizes:
            for seed in args.seeds:
                spanish += run_spanish(size, seed)
                print(
                    " ".join(f"{r.method}={r.attendance}/{gaps} gaps" for r, gaps in spanish[-4:]), f"[{size} {seed}]"
                )
        print(f"\nmachine: {platform.machine()}, {_cpu_model()}, {os.cpu_count()} cores; work (s): {TIME_LIMITS}\n")
        print(spanish_table(spanish))
        return
    args.json.parent.mkdir(exist_ok=True)
    rows: list[Row] = []
    refs: dict[tuple[str, int], dict[str, object]] = {}
    for size in args.sizes:
        for seed in args.seeds:
            ref = sched_reference.load(size, seed)
            if ref is None:
                print(
                    f"computing the reference for {size} seed {seed} (a 10-minute solve, cached afterwards)...",
                    flush=True,
                )
                ref = sched_reference.compute(size, seed)
                sched_reference.save(ref)
            refs[(size, seed)] = ref
            new = run_instance(size, seed, programme=args.programme)
            best = max([int(ref["attendance"])] + [r.attendance for r in new if r.valid])  # type: ignore[call-overload]
            for r in new:
                r.reference = best
            rows += new
            print(
                " ".join(f"{r.method}={r.attendance}/{r.wall:.1f}s" for r in new),
                f"[{size} seed {seed}, ref {best}]",
                flush=True,
            )
    # The annealing search runs in worker processes: the biggest of them counts too.
    peak_mb = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
    print()
    print(f"machine: {platform.machine()}, {_cpu_model()}, {os.cpu_count()} cores; python {platform.python_version()}")
    print(f"time limits (Config.time_limit, s): {TIME_LIMITS}")
    print()
    print(table(rows))
    print()
    print(summary(rows))
    print()
    print(
        "reference 10-minute solves (attendance, proven bound):",
        ", ".join(
            f"{s}-{n}: {refs[(s, n)]['attendance']} ({refs[(s, n)]['bound']}{', optimal' if refs[(s, n)]['optimal'] else ''})"
            for s, n in refs
        ),
    )
    print(f"peak memory of the benchmark process or any search worker (max RSS): {peak_mb:.0f} MB")
    args.json.write_text(json.dumps({"rows": [r.__dict__ for r in rows], "peak_mb": peak_mb}, indent=1))


if __name__ == "__main__":
    main()
