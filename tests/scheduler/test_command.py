"""`twofeet schedule`: one clear line for a bad file, naming the key and id; never a traceback."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.scheduler.command import main

EVENT: dict[str, Any] = {
    "format": "twofeet.event/1",
    "event": {"name": "Edcamp", "date": "2027-03-13", "timezone": "America/Los_Angeles"},
    "rooms": [
        {"id": "lib", "name": "Library", "capacity": 40, "features": ["projector"]},
        {"id": "caf", "name": "Cafeteria", "capacity": 60, "unavailable_slots": ["s2"]},
    ],
    "slots": [{"id": "s1", "start": "09:30", "end": "10:20"}, {"id": "s2", "start": "10:30", "end": "11:20"}],
    "attendees": [{"id": "a1", "name": "Ms. Rivera"}, {"id": "a2"}, {"id": "a3"}],
    "topics": [
        {"id": "t1", "title": "Math talks", "facilitators": ["a1"], "needs": ["projector"]},
        {"id": "t2", "title": "Recess games"},
        {"id": "t3", "title": "Podcasts", "pinned": {"slot": "s2"}},
    ],
    "interests": [
        {"attendee": "a2", "topic": "t1"},
        {"attendee": "a2", "topic": "t2"},
        {"attendee": "a3", "topic": "t3", "weight": 2},
    ],
    "avoid_clash": [["t1", "t2"]],
}


REASON_T2 = "every free room-slot is ruled out: 'caf' in 's1': it must not share the slot with 't1' (avoid_clash)"


def _run(tmp_path: Path, doc: object, *args: str) -> tuple[int, str, str]:
    path = tmp_path / "event.json"
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc))
    return main([str(path), "--time-limit", "2", *args]), str(path), ""


def _event(**changes: Any) -> dict[str, Any]:
    doc = copy.deepcopy(EVENT)
    doc.update(changes)
    return doc


def test_schedule_prints_a_schedule_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, _, _ = _run(tmp_path, EVENT)
    out, err = capsys.readouterr()
    assert (rc, err) == (0, "")
    doc = json.loads(out)
    assert doc["format"] == "twofeet.schedule/1"
    # t1 needs the library's projector and must not meet t2; the cafeteria is closed in s2,
    # where t3 is pinned: t2 has nowhere to go.
    assert doc["placements"] == [
        {"topic": "t1", "room": "lib", "slot": "s1"},
        {"topic": "t3", "room": "lib", "slot": "s2"},
    ]
    assert doc["unscheduled"] == [{"topic": "t2", "reason": REASON_T2}]
    assert set(doc["stats"]) == {
        "attendance",
        "upper_bound",
        "proven_bound",
        "sessions_run",
        "viable_left_out",
        "overflow",
        "clashes",
        "solve_seconds",
    }
    assert (doc["stats"]["attendance"], doc["stats"]["upper_bound"], doc["stats"]["proven_bound"]) == (3, 4, 3)


BAD_FILES = [
    pytest.param(
        _event(topics=[{"id": "t1", "title": "Math", "facilitators": ["a9"]}]),
        "topics[0].facilitators: unknown attendee 'a9'",
        id="unknown-facilitator",
    ),
    pytest.param(
        _event(rooms=[{"id": "lib", "capacity": 40}, {"id": "lib", "capacity": 20}]),
        "rooms[1].id: duplicate room id 'lib'",
        id="duplicate-room",
    ),
    pytest.param(
        _event(attendees=[{"id": "a1"}, {"id": "a2"}, {"id": "a3"}, {"id": "a2"}]),
        "attendees[3].id: duplicate attendee id 'a2'",
        id="duplicate-attendee",
    ),
    pytest.param(
        _event(rooms=[{"id": "lib", "capacity": "forty"}]),
        "rooms[0].capacity: room 'lib' must have a positive whole number of seats, got 'forty'",
        id="capacity-string",
    ),
    pytest.param(
        _event(rooms=[{"id": "lib", "capacity": -3}]),
        "rooms[0].capacity: room 'lib' must have a positive whole number of seats, got -3",
        id="negative-capacity",
    ),
    pytest.param(
        _event(topics=[{"id": "t1", "title": "Math", "needs": "projector"}]),
        "topics[0].needs: expected a list of strings for 't1', got 'projector'",
        id="needs-not-a-list",
    ),
    pytest.param(
        _event(topics=[{"id": 7, "title": "Math"}]),
        "topics[0].id: an id must be a non-empty string, got 7",
        id="id-not-a-string",
    ),
    pytest.param(
        _event(interests=[{"attendee": "a2", "topic": "t9"}]),
        "interests[0].topic: unknown topic 't9'",
        id="unknown-topic",
    ),
    pytest.param(
        _event(interests=[{"attendee": "a2", "topic": "t1", "weight": "lots"}]),
        "interests[0].weight: weight of 'a2' for 't1' must be a positive number, got 'lots'",
        id="weight-string",
    ),
    pytest.param(
        _event(rooms=[{"id": "lib", "capacity": 9, "unavailable_slots": ["s7"]}]),
        "rooms[0].unavailable_slots: unknown slot 's7'",
        id="unknown-slot",
    ),
    pytest.param(
        _event(topics=[{"id": "t1", "title": "Math", "pinned": {"room": "gym"}}]),
        "topics[0].pinned.room: unknown room 'gym'",
        id="pin-unknown-room",
    ),
    pytest.param(
        _event(
            topics=[
                {"id": "t1", "title": "Math", "pinned": {"room": "lib", "slot": "s1"}},
                {"id": "t2", "title": "Art", "pinned": {"room": "lib", "slot": "s1"}},
            ],
            interests=[],
            avoid_clash=[],
        ),
        "topics[1].pinned: topics 't1' and 't2' are both pinned to room 'lib' in slot 's1'",
        id="pins-share-a-cell",
    ),
    pytest.param(
        _event(slots=[{"id": "s1", "start": "9:30", "end": "10:20"}]),
        "slots[0].start: slot 's1' start must be a time as HH:MM, got '9:30'",
        id="bad-time",
    ),
    pytest.param(_event(rooms={"lib": 40}), "rooms: expected a list, got an object", id="rooms-not-a-list"),
    pytest.param(
        _event(format="twofeet.event/2"), "format: expected 'twofeet.event/1', got 'twofeet.event/2'", id="format"
    ),
    pytest.param([1, 2], ": expected an object, got a list", id="not-an-object"),
]


@pytest.mark.parametrize(("doc", "message"), BAD_FILES)
def test_schedule_refuses_a_malformed_file_naming_key_and_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], doc: object, message: str
) -> None:
    rc, path, _ = _run(tmp_path, doc)
    out, err = capsys.readouterr()
    assert (rc, out, err) == (2, "", f"{path}: {message}\n")


def test_schedule_refuses_a_file_that_is_not_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, path, _ = _run(tmp_path, '{"format": "twofeet.event/1",')
    out, err = capsys.readouterr()
    assert rc == 2
    assert err.startswith(f"{path}: not valid JSON (line 1, column")


def test_schedule_refuses_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "nope.json")]) == 2
    assert capsys.readouterr().err == f"{tmp_path / 'nope.json'}: no such file\n"


def test_schedule_refuses_a_bad_time_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "e.json"), "--time-limit", "-1"]) == 2
    assert "--time-limit" in capsys.readouterr().err


def test_schedule_reports_conflicting_pins_with_exit_status_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    topics = [{"id": f"t{i}", "title": f"T{i}", "pinned": {"room": "lib"}} for i in (1, 2, 3)]
    rc, path, _ = _run(tmp_path, _event(topics=topics, interests=[], avoid_clash=[]))
    out, err = capsys.readouterr()
    assert (rc, out) == (1, "")
    lines = err.splitlines()
    assert lines[0] == f"{path}: the hard constraints cannot all hold:"
    assert lines[2:] == [f"  topic 't{i}' is pinned to room 'lib'" for i in (1, 2, 3)]


def test_schedule_resolves_with_previous_and_keep_before(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, _, _ = _run(tmp_path, EVENT)
    first = capsys.readouterr().out
    previous = tmp_path / "previous.json"
    previous.write_text(first)
    rc, _, _ = _run(tmp_path, EVENT, "--previous", str(previous), "--keep-before", "s2")
    out, err = capsys.readouterr()
    assert (rc, err) == (0, "")
    doc = json.loads(out)
    assert doc["moved"] == 0
    assert doc["placements"] == json.loads(first)["placements"]


def test_schedule_refuses_a_previous_schedule_with_unknown_ids(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    previous = tmp_path / "previous.json"
    previous.write_text(
        json.dumps({"format": "twofeet.schedule/1", "placements": [{"topic": "t1", "room": "gym", "slot": "s1"}]})
    )
    rc, _, _ = _run(tmp_path, EVENT, "--previous", str(previous), "--keep-before", "s2")
    assert rc == 2
    assert capsys.readouterr().err == f"{previous}: placements[0].room: unknown room 'gym'\n"


def test_twofeet_schedule_command_never_prints_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(_event(rooms=[{"id": "lib", "capacity": None}])))
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "schedule", str(path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert (
        done.stderr == f"{path}: rooms[0].capacity: room 'lib' must have a positive whole number of seats, got null\n"
    )
