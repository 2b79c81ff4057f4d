"""The twofeet command: help, export/import round trip, and a real server surviving kill -9."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.cli import main

ROOT = Path(__file__).resolve().parents[2]
EVENT_BODY = {
    "name": "Edcamp CLI",
    "date": "2027-03-13",
    "timezone": "America/Denver",
    "rooms": [{"name": "Library", "capacity": 60}, {"name": "Gym", "capacity": 200, "features": ["accessible"]}],
    "slots": [{"start": "09:30", "end": "10:20"}, {"start": "10:30", "end": "11:20"}],
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db: Path, port: int, *options: str) -> subprocess.Popen[bytes]:
    log = db.with_suffix(".log")
    with log.open("ab") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--db", str(db), "--port", str(port), *options],
            cwd=ROOT,
            stdout=sink,
            stderr=subprocess.STDOUT,
            env={**os.environ, "TWOFEET_SECRET_KEY": "", "PYTHONUNBUFFERED": "1"},
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
        if process.poll() is not None:
            raise AssertionError(f"server exited: {log.read_text()}")
    process.kill()
    raise AssertionError("server did not start within 30 s")


def test_help_explains_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    for command in ("serve", "demo", "schedule", "export", "import", "migrate"):
        assert command in text


def test_unknown_code_and_bad_files_are_clear_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "cli.db")
    assert main(["export", "NOSUCH", "--db", db]) == 2
    assert "NOSUCH" in capsys.readouterr().err
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert main(["import", str(broken), "--db", db]) == 2
    assert "not valid JSON" in capsys.readouterr().err
    assert main(["import", str(tmp_path / "missing.json"), "--db", db]) == 2
    assert "cannot read" in capsys.readouterr().err
    wrong = tmp_path / "wrong.json"
    wrong.write_text(
        json.dumps(
            {
                "format": "twofeet.event/1",
                "rooms": [{"id": "r1", "capacity": 10}, {"id": "r1", "capacity": 5}],
                "slots": [],
                "attendees": [],
                "topics": [],
                "interests": [],
            }
        )
    )
    assert main(["import", str(wrong), "--db", db]) == 2
    err = capsys.readouterr().err
    assert "r1" in err and "Traceback" not in err


def test_export_import_round_trip_through_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "demo.db"
    port = free_port()
    assert main(["demo", "--db", str(db), "--port", str(port), "--no-serve"]) == 0
    out = capsys.readouterr().out
    code = out.split("(code ")[1][:6]
    assert main(["export", code, "--db", str(db)]) == 0
    exported = json.loads(capsys.readouterr().out)
    # The demo's day opens with a plenary in its largest room and breaks for lunch (issue 18).
    assert len(exported["rooms"]) == 8 and len(exported["slots"]) == 6
    assert [s.get("kind", "sessions") for s in exported["slots"]] == [
        "plenary",
        "sessions",
        "sessions",
        "sessions",
        "break",
        "sessions",
    ]
    assert len(exported["attendees"]) == 40 and len(exported["topics"]) == 25 and exported["interests"]
    path = tmp_path / "event.json"
    path.write_text(json.dumps(exported))
    assert main(["import", str(path), "--db", str(db)]) == 0
    imported = capsys.readouterr().out
    new_code = imported.split("as event ")[1][:6]
    assert new_code != code and "/organize?key=" in imported
    assert main(["export", new_code, "--db", str(db)]) == 0
    again = json.loads(capsys.readouterr().out)
    assert len(again["interests"]) == len(exported["interests"])
    assert [t["title"] for t in again["topics"]] == [t["title"] for t in exported["topics"]]

    def programme(document: dict[str, Any]) -> list[tuple[str, str, str]]:
        rooms = {r["id"]: r["name"] for r in document["rooms"]}
        return [
            (s["start"], s.get("title", ""), rooms.get(s.get("room"), "")) for s in document["slots"] if "kind" in s
        ]

    assert (
        programme(again)
        == programme(exported)
        == [("08:45", "Welcome and EdTalks", "Gym"), ("12:20", "Lunch in the cafeteria", "")]
    )


@pytest.mark.slow
def test_acknowledged_marks_and_proposals_survive_kill_9(tmp_path: Path) -> None:
    db = tmp_path / "durable.db"
    port = free_port()
    server = start_server(db, port)
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        created = httpx.post(f"{base}/events", json=EVENT_BODY).json()
        code, organizer = created["code"], {"Authorization": f"Bearer {created['organizer_token']}"}
        httpx.post(f"{base}/events/{code}/phase", json={"phase": "proposing"}, headers=organizer).raise_for_status()
        token = httpx.post(f"{base}/events/{code}/attendees", json={"name": "Kim"}).json()["token"]
        me = {"Authorization": f"Bearer {token}"}
        topic_ids = []
        for i in range(20):
            response = httpx.post(f"{base}/events/{code}/topics", json={"title": f"Durable {i}"}, headers=me)
            assert response.status_code == 201
            topic_ids.append(response.json()["id"])
        for topic_id in topic_ids[::2]:
            assert httpx.put(f"{base}/events/{code}/topics/{topic_id}/interest", headers=me).status_code == 200
        # No graceful shutdown: the process dies the moment after the last acknowledgement.
        os.kill(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
        server = start_server(db, port)
        wall = httpx.get(f"{base}/events/{code}/topics", params={"sort": "newest"}, headers=me).json()
        assert sorted(t["title"] for t in wall["topics"]) == sorted(f"Durable {i}" for i in range(20))
        assert sorted(t["id"] for t in wall["topics"] if t["marked"]) == sorted(topic_ids[::2])
        # The signed token from before the crash still works: the generated key was kept in the database.
        assert httpx.put(f"{base}/events/{code}/topics/{topic_ids[1]}/interest", headers=me).status_code == 200
    finally:
        server.kill()
        server.wait(timeout=10)


@pytest.mark.parametrize(("options", "quiet"), [((), True), (("--python-gc",), False)])
def test_serve_runs_the_quiet_collector_unless_told_to_leave_gc_to_python(
    tmp_path: Path, options: tuple[str, ...], quiet: bool
) -> None:
    port = free_port()
    server = start_server(tmp_path / "gc.db", port, *options)
    try:
        live = httpx.get(f"http://127.0.0.1:{port}/healthz/live", timeout=5).json()
    finally:
        server.terminate()
        server.wait(timeout=20)
    if quiet:
        assert set(live["gc"]) == {"passes", "freezes", "last_ms", "max_ms", "pauses"}
    else:
        assert live["gc"] is None


def test_the_uvicorn_flags_used_by_tests_and_benchmarks_match_what_serve_runs() -> None:
    from uvicorn.main import main as command  # the click command behind `python -m uvicorn`

    from app.cli import UVICORN_OPTIONS, uvicorn_command_line

    context = command.make_context("uvicorn", ["app.main:create_app", *uvicorn_command_line()])
    assert {key: context.params[key] for key in UVICORN_OPTIONS} == UVICORN_OPTIONS


def test_serve_refuses_several_workers_without_postgresql_and_redis(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--workers", "2", "--db", str(tmp_path / "one.db")]) == 2
    assert "PostgreSQL" in capsys.readouterr().err
    os.environ["TWOFEET_BROADCAST_URL"] = "memory://"
    try:
        assert main(["serve", "--workers", "2", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/none"]) == 2
    finally:
        del os.environ["TWOFEET_BROADCAST_URL"]
    assert "Redis" in capsys.readouterr().err
    assert main(["serve", "--workers", "0", "--db", str(tmp_path / "one.db")]) == 2
    assert "--workers" in capsys.readouterr().err


@pytest.mark.slow
def test_serve_runs_several_workers_on_postgresql_and_redis(tmp_path: Path) -> None:
    from tests.conftest import postgres_url_or_skip
    from tests.realtime.test_multiworker import redis_url_or_skip

    database, broadcast = postgres_url_or_skip(), redis_url_or_skip()
    port = free_port()
    log = tmp_path / "workers.log"
    with log.open("ab") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--workers", "2", "--port", str(port)],
            cwd=ROOT,
            stdout=sink,
            stderr=subprocess.STDOUT,
            env={
                **os.environ,
                "TWOFEET_DATABASE_URL": database,
                "TWOFEET_BROADCAST_URL": broadcast,
                "TWOFEET_SECRET_KEY": "workers",
                "PYTHONUNBUFFERED": "1",
            },
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
            assert server.poll() is None, log.read_text()
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        assert len(children) >= 2, log.read_text()  # the workers (uvicorn's supervisor may add a helper)
        created = httpx.post(f"{base}/api/v1/events", json=EVENT_BODY).json()
        organizer = {"Authorization": f"Bearer {created['organizer_token']}"}
        code = created["code"]
        httpx.post(
            f"{base}/api/v1/events/{code}/phase", json={"phase": "proposing"}, headers=organizer
        ).raise_for_status()
        token = httpx.post(f"{base}/api/v1/events/{code}/attendees", json={"name": "Ana"}).json()["token"]
        me = {"Authorization": f"Bearer {token}"}
        topic = httpx.post(f"{base}/api/v1/events/{code}/topics", json={"title": "Two workers"}, headers=me).json()
        marked = httpx.put(f"{base}/api/v1/events/{code}/topics/{topic['id']}/interest", headers=me)
        assert marked.status_code == 200 and marked.json()["count"] == 1
    finally:
        server.terminate()
        server.wait(timeout=30)
