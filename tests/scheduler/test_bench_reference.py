"""The benchmark's kept references: read back for the instance they were made for, stale for any other."""

from __future__ import annotations

import json

from bench import sched_reference
from bench.sched_gen import generate


def test_a_reference_is_read_back_only_for_the_instance_it_was_made_for(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(sched_reference, "REFERENCES", tmp_path)
    record = {
        "size": "small",
        "seed": 1,
        "instance_sha256": sched_reference.instance_hash(generate("small", 1)),
        "attendance": 169,
        "bound": 169,
        "optimal": True,
        "placements": [],
    }
    sched_reference.save(record)
    assert sched_reference.load("small", 1) == record
    assert sched_reference.load("small", 2) is None  # never made
    # The generator changed since (here: the record names another instance): computed again.
    stale = {**record, "instance_sha256": sched_reference.instance_hash(generate("small", 2))}
    sched_reference.cache_path("small", 1).write_text(json.dumps(stale))
    assert sched_reference.load("small", 1) is None


def test_the_kept_references_match_todays_generator() -> None:
    """If this fails, bench/sched_gen.py changed: recompute with ``python -m bench.sched_reference --force``."""
    for size in ("small", "medium", "large", "huge"):
        for seed in (1, 2, 3):
            assert sched_reference.load(size, seed) is not None, (size, seed)
