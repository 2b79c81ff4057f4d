"""The benchmark's reference schedules: a 10-minute solve per instance, cached.

The reference for an instance is the best attendance any method finds for it. This
module supplies the long run that issue 3 asks for: our own :func:`app.scheduler.solve`
given ten minutes of wall time (``Config.wall_limit``) and more work than fits in
them, so the clock is what ends it (its annealing stage cools by time, then CP-SAT
searches and bounds for the rest). Results are kept as JSON in ``bench/references/``
(committed: they take 45 minutes to make), one file per instance, each with a hash of
the generated instance, so a change to the generator makes them stale and they are
computed again; ``bench/scheduler.py`` then takes the best of this run and every
method in its table.

Two instances run at a time with one worker each (the machine has two cores), so
the twelve take about 45 minutes; small days stop early on a proof of optimality.

    .venv/bin/python -m bench.sched_reference [--sizes small medium ...] [--seeds 1 2 3] [--jobs 2]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from app.scheduler import Config, Instance, score, solve, violations
from app.scheduler.eventfile import event_to_document
from app.scheduler.instance import DEFAULT_MIN_INTEREST
from bench.sched_gen import SIZES, generate

CACHE = Path(__file__).parent / ".cache"
#: Where the 10-minute solves are kept (committed).
REFERENCES = Path(__file__).parent / "references"

#: Wall-clock seconds of the long run (it stops earlier on a proof of optimality).
SECONDS = 600.0
#: ``Config.time_limit`` of the long run: twice what the clock allows, so the
#: clock, not the work budget, ends it.
WORK = 2 * SECONDS


def cache_path(size: str, seed: int) -> Path:
    return REFERENCES / f"reference-{size}-{seed}.json"


def instance_hash(instance: Instance) -> str:
    """A fingerprint of the generated instance: a record made for another one is stale.

    ``event.min_interest`` came to the format after these records were made; at its default it
    changes nothing that they hold (attendance), so it is left out of the fingerprint then; so are
    the languages (issue 19) at theirs, English only."""
    document = event_to_document(instance)
    if document["event"].get("min_interest") == DEFAULT_MIN_INTEREST:
        del document["event"]["min_interest"]
    if document["event"].get("languages") == ["en"]:
        del document["event"]["languages"]
    for topic in document["topics"]:
        if topic.get("language") == "en":
            del topic["language"]
    text = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def load(size: str, seed: int) -> dict[str, Any] | None:
    """The kept long run of one instance, or ``None`` when there is none or it is stale."""
    path = cache_path(size, seed)
    if not path.exists():
        return None
    record = json.loads(path.read_text())
    if record.get("instance_sha256") != instance_hash(generate(size, seed)):
        return None
    return record


def compute(size: str, seed: int, seconds: float = SECONDS, workers: int = 1) -> dict[str, Any]:
    """Run the long solve for one instance and return its cache record."""
    inst = generate(size, seed)
    t0 = time.perf_counter()
    sol = solve(inst, Config(time_limit=seconds, seed=seed, workers=workers))
    wall = time.perf_counter() - t0
    assert sol.stats is not None and not violations(inst, sol.placements), sol.status
    stats = score(inst, sol.placements)
    return {
        "size": size,
        "seed": seed,
        "instance_sha256": instance_hash(inst),
        "attendance": stats.attendance,
        "upper_bound": stats.upper_bound,
        "bound": sol.stats.proven_bound,
        "optimal": sol.status.value == "optimal",
        "overflow": stats.overflow,
        "clashes": stats.clashes,
        "wall_seconds": round(wall, 1),
        "limit_seconds": seconds,
        "workers": workers,
        "placements": [[p.topic, p.room, p.slot] for p in sol.placements],
    }


def _compute_and_cache(size: str, seed: int, seconds: float) -> dict[str, Any]:
    record = compute(size, seed, seconds)
    save(record)
    return record


def save(record: dict[str, Any]) -> None:
    REFERENCES.mkdir(exist_ok=True)
    cache_path(str(record["size"]), int(record["seed"])).write_text(json.dumps(record, indent=1) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3])
    parser.add_argument("--jobs", type=int, default=2, help="instances solved at a time (one worker each)")
    parser.add_argument("--seconds", type=float, default=SECONDS, help="wall-clock seconds per instance")
    parser.add_argument("--force", action="store_true", help="recompute cached references")
    args = parser.parse_args()
    todo = [(size, seed) for size in args.sizes for seed in args.seeds if args.force or load(size, seed) is None]
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(_compute_and_cache, size, seed, args.seconds) for size, seed in todo]
        for future in futures:
            r = future.result()
            print(
                f"{r['size']} seed {r['seed']}: attendance {r['attendance']} bound {r['bound']} "
                f"optimal {r['optimal']} in {r['wall_seconds']} s",
                flush=True,
            )


if __name__ == "__main__":
    main()
