"""Benchmark of the proven attendance bound (:mod:`app.scheduler.bound`).

For each generated day it prints the best known attendance (``bench/references``),
the format's trivial bound, and the bound :func:`attendance_bound` proves with each
time limit (a separate run per limit, one CP-SAT worker), with the gap
``bound / reference − 1``: how far above the best known schedule the optimum can at
most be.

    python -m bench.sched_bound                       # medium and large, 10/30/60 s
    python -m bench.sched_bound --sizes medium large huge --limits 10 30 60
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from app.scheduler.bound import attendance_bound
from app.scheduler.score import upper_bound
from bench.sched_gen import generate

REFERENCES = Path(__file__).resolve().parent / "references"


def reference_attendance(size: str, seed: int) -> int | None:
    path = REFERENCES / f"reference-{size}-{seed}.json"
    if not path.exists():
        return None
    return int(json.loads(path.read_text())["attendance"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["medium", "large"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3])
    parser.add_argument("--limits", nargs="+", type=float, default=[10.0, 30.0, 60.0])
    args = parser.parse_args(argv)

    head = ["size", "seed", "reference", "trivial (gap)"]
    head += [f"bound {limit:g}s (gap)" for limit in args.limits]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for size in args.sizes:
        for seed in args.seeds:
            inst = generate(size, seed)
            ref = reference_attendance(size, seed)

            def cell(bound: int, ref: int | None = ref) -> str:
                return f"{bound}" if not ref else f"{bound} ({100 * (bound / ref - 1):+.1f} %)"

            row = [size, str(seed), str(ref), cell(upper_bound(inst))]
            for limit in args.limits:
                start = time.perf_counter()
                result = attendance_bound(inst, time_limit=limit, seed=seed)
                wall = time.perf_counter() - start
                row.append(cell(result.bound) + (f" at {result.elapsed:.0f}s" if result.elapsed < 0.8 * wall else ""))
            print("| " + " | ".join(row) + " |", flush=True)


if __name__ == "__main__":
    main()
