"""Item 6: every body, list and string is bounded (in the schema, so OpenAPI shows it); oversized
bodies are refused early with 413, chunked or not; `twofeet import` refuses huge or absurdly nested
files and control characters with a message, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.realtime.live import ROOT
from tests.security.helpers import EVENT_BODY, create_event, join, set_phase


def test_ten_megabyte_body_is_refused_with_413_before_parsing(http: httpx.Client) -> None:
    event = create_event(http)
    set_phase(http, event, "proposing")
    attendee = join(http, event)
    huge = json.dumps({"title": "Tags", "tags": ["t"] * 2_000_000}).encode()
    assert len(huge) > 10_000_000
    started = time.monotonic()
    answer = http.post(
        f"/api/v1/events/{event.code}/topics", content=huge, headers={**attendee, "content-type": "application/json"}
    )
    assert answer.status_code == 413, answer.text[:300]
    assert answer.headers["content-type"] == "application/problem+json"
    assert "at most 1,000,000 bytes" in answer.json()["detail"]
    assert time.monotonic() - started < 2.0  # refused from its length, not after parsing 2,000,000 tags


def test_chunked_body_without_length_is_cut_off_with_413(http: httpx.Client) -> None:
    event = create_event(http)
    set_phase(http, event, "proposing")
    attendee = join(http, event)

    def chunks() -> Iterator[bytes]:
        yield b'{"title": "Chunked", "tags": ['
        for _ in range(200):
            yield b'"t",' * 5000
        yield b'"t"]}'

    answer = http.post(
        f"/api/v1/events/{event.code}/topics",
        content=chunks(),
        headers={**attendee, "content-type": "application/json"},
    )
    assert "content-length" not in answer.request.headers
    assert answer.status_code == 413, answer.text[:300]
    assert http.get(f"/api/v1/events/{event.code}/topics").json()["topics"] == []


def test_lists_and_strings_are_bounded_and_the_schema_says_so(http: httpx.Client) -> None:
    many = {**EVENT_BODY, "rooms": [{"name": "Library", "capacity": 30, "features": [f"f{i}" for i in range(10_000)]}]}
    refused = http.post("/api/v1/events", json=many)
    assert refused.status_code == 422 and "rooms[0].features" in refused.text
    event = create_event(http)
    set_phase(http, event, "proposing")
    attendee = join(http, event)
    for body, field in [
        ({"title": "x" * 121}, "title"),
        ({"title": "ok", "tags": ["a"] * 6}, "tags"),
        ({"title": "ok", "description": "d" * 1001}, "description"),
    ]:
        answer = http.post(f"/api/v1/events/{event.code}/topics", json=body, headers=attendee)
        assert answer.status_code == 422 and field in answer.text, answer.text
    schemas = http.get("/openapi.json").json()["components"]["schemas"]
    topic = schemas["TopicCreate"]["properties"]
    assert topic["title"]["maxLength"] == 120
    assert topic["tags"]["maxItems"] == 5 and topic["tags"]["items"]["maxLength"] == 30
    assert schemas["RoomIn"]["properties"]["features"]["maxItems"] == 20
    assert schemas["EventCreate"]["properties"]["rooms"]["maxItems"] == 200


def _import(path: Path, database: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())", "import", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT), "TWOFEET_DATABASE_URL": database, **env},
    )


def _event_file(title: str = "Robots") -> dict[str, object]:
    return {
        "format": "twofeet.event/1",
        "event": {"name": "Imported", "date": "2027-03-13", "timezone": "UTC"},
        "rooms": [{"id": "r1", "name": "Library", "capacity": 30}],
        "slots": [{"id": "s1", "start": "09:00", "end": "10:00"}],
        "attendees": [{"id": "a1", "name": "Ana"}],
        "topics": [{"id": "t1", "title": title}],
        "interests": [{"attendee": "a1", "topic": "t1"}],
    }


def test_import_refuses_oversized_nested_and_nul_files_without_a_traceback(tmp_path: Path, database: str) -> None:
    big = tmp_path / "big.json"
    big.write_text(json.dumps({**_event_file(), "padding": "x" * 30_000}))
    refused = _import(big, database, TWOFEET_MAX_IMPORT_BYTES="20000")
    assert refused.returncode == 2 and "larger than 20,000 bytes" in refused.stderr, refused.stderr[-500:]
    nested = tmp_path / "nested.json"
    nested.write_text("[" * 200_000 + "]" * 200_000)
    refused = _import(nested, database)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr, refused.stderr[-500:]
    deep = tmp_path / "deep.json"
    deep.write_text(json.dumps({**_event_file(), "extra": json.loads("[" * 500 + "]" * 500)}))
    refused = _import(deep, database)
    assert refused.returncode == 2 and "nested more than" in refused.stderr, refused.stderr[-500:]
    nul = tmp_path / "nul.json"
    nul.write_text(json.dumps(_event_file("Ro\x00bots")))
    refused = _import(nul, database)
    assert refused.returncode == 2 and "topics[0].title" in refused.stderr and "U+0000" in refused.stderr, (
        refused.stderr[-500:]
    )
    good = tmp_path / "good.json"
    good.write_text(json.dumps(_event_file()))
    imported = _import(good, database)
    assert imported.returncode == 0, imported.stderr[-500:]
