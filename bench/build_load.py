"""Attendees' requests while a schedule builds: do the phones stay fast?

Starts the app under uvicorn (the options of ``twofeet serve``) on a loopback port with a fresh
SQLite file, imports the scheduler bench's huge day (2,000 people, 260 topics; ``bench.sched_gen``)
as an event, then for each scenario lets ``--attendees`` attendees act as phones do: every
``--every`` seconds each one either loads its topic wall (``GET /e/CODE``, ``--wall-share`` of the
requests) or marks/unmarks a topic through the API; the two are reported apart. Scenarios:

* ``quiet``: nothing else runs (the same-machine baseline);
* ``build``: the organizer starts a build of ``--build-seconds`` (the default 30 s) at once, so
  every request of the run is made while it runs (model building, the CP-SAT stages and the
  polish in the server's process, the annealing search in its worker processes);
* ``build + bound``: the same, followed by the background proof of the bound (a worker process),
  measured over the same duration after the build.

Prints a Markdown row per scenario: requests, p50 / p95 / p99 / max latency in ms, errors, and
the build's own wall time. Loopback only; bounded in attendees, requests and time. Run from the
repository root: ``.venv/bin/python -m bench.build_load``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.cli import uvicorn_command_line  # noqa: E402
from app.scheduler import event_to_document  # noqa: E402
from bench.sched_gen import generate  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def start_server(db: Path, log: Path, bound_seconds: float) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TWOFEET_DATABASE_URL": f"sqlite:///{db}",
        "TWOFEET_SECRET_KEY": "build-load-secret",
        "TWOFEET_BASE_URL": f"http://127.0.0.1:{port}",
        "TWOFEET_SOLVER_BOUND_SECONDS": str(bound_seconds),
        "TWOFEET_EVENT_CREATION_RATE": "1000/minute",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "app.main:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            *uvicorn_command_line(),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit(f"the server did not start; see {log}")


def import_day(db: Path, size: str) -> tuple[str, str]:
    """The bench's day as an event in the voting phase; returns (code, organizer secret)."""
    from sqlmodel import Session

    from app.db import make_engine, upgrade_database
    from app.domain import eventfile, events
    from app.models import Phase

    engine = make_engine(f"sqlite:///{db}")
    upgrade_database(engine)
    with Session(engine) as session:
        imported = eventfile.import_event(session, event_to_document(generate(size, 1)))
        events.set_phase(session, event=imported.created.event, phase=Phase.voting, actor=imported.created.organizer)
        code, secret = imported.created.event.code, imported.created.secret
    engine.dispose()
    return code, secret


async def phones(
    url: str, code: str, attendees: int, every: float, duration: float, wall_share: float
) -> tuple[dict[str, list[float]], int]:
    """``attendees`` phones, each loading its wall or marking a topic every ``every`` seconds."""
    latencies: dict[str, list[float]] = {"mark": [], "wall": []}
    errors = 0
    limits = httpx.Limits(max_connections=attendees, max_keepalive_connections=attendees)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as http:
        tokens = []
        for i in range(attendees):
            joined = await http.post(f"/api/v1/events/{code}/attendees", json={"name": f"Phone {i}"})
            tokens.append(joined.json()["token"])
        listed = await http.get(f"/api/v1/events/{code}/topics", headers={"Authorization": f"Bearer {tokens[0]}"})
        topics = [t["id"] for t in listed.json()["topics"]]
        end = time.monotonic() + duration

        async def phone(n: int) -> None:
            nonlocal errors
            rng = random.Random(n)
            marked: set[int] = set()
            headers = {"Authorization": f"Bearer {tokens[n]}"}
            await asyncio.sleep(rng.random() * every)
            while time.monotonic() < end:
                began = time.perf_counter()
                kind = "wall" if rng.random() < wall_share else "mark"
                if kind == "wall":
                    answer = await http.get(f"/e/{code}", headers=headers)
                else:
                    topic = rng.choice(topics)
                    if topic in marked:
                        answer = await http.delete(f"/api/v1/events/{code}/topics/{topic}/interest", headers=headers)
                        marked.discard(topic)
                    else:
                        answer = await http.put(f"/api/v1/events/{code}/topics/{topic}/interest", headers=headers)
                        marked.add(topic)
                latencies[kind].append((time.perf_counter() - began) * 1000)
                if answer.status_code >= 500:
                    errors += 1
                await asyncio.sleep(max(0.0, every - (time.perf_counter() - began)) * (0.5 + rng.random()))

        await asyncio.gather(*(phone(n) for n in range(attendees)))
    return latencies, errors


def organizer_token(url: str, code: str, secret: str) -> str:
    with httpx.Client(base_url=url, timeout=30) as http:
        return str(http.post(f"/api/v1/events/{code}/login", json={"key": secret}).json()["organizer_token"])


def build(url: str, code: str, token: str, seconds: float) -> float:
    """Start a build and return when it has; its wall time is read after the run."""
    with httpx.Client(base_url=url, timeout=30) as http:
        started = http.post(
            f"/api/v1/events/{code}/schedule/build",
            json={"time_limit": int(seconds)},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert started.status_code == 202, started.text
    return time.monotonic()


def build_status(url: str, code: str, token: str) -> dict[str, object]:
    with httpx.Client(base_url=url, timeout=30) as http:
        return http.get(f"/api/v1/events/{code}/schedule/build", headers={"Authorization": f"Bearer {token}"}).json()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="huge", choices=["medium", "large", "huge"])
    parser.add_argument("--attendees", type=int, default=50)
    parser.add_argument("--every", type=float, default=1.0, help="seconds between one phone's requests")
    parser.add_argument("--build-seconds", type=float, default=30.0)
    parser.add_argument("--bound-seconds", type=float, default=30.0)
    parser.add_argument(
        "--wall-share",
        type=float,
        default=0.2,
        help="share of requests that load the whole topic wall (the rest mark or unmark)",
    )
    args = parser.parse_args()
    duration = args.build_seconds - 2  # every request of the build scenario is made while it runs
    rows = []
    with tempfile.TemporaryDirectory(prefix="twofeet-build-load-") as tmp:
        db, log = Path(tmp) / "load.db", Path(tmp) / "server.log"
        code, secret = import_day(db, args.size)
        process, url = start_server(db, log, args.bound_seconds)
        try:
            token = organizer_token(url, code, secret)
            for scenario in ("quiet", "build", "build + bound"):
                wall = ""
                if scenario != "quiet":
                    began = build(url, code, token, args.build_seconds)
                    if scenario == "build + bound":  # measure after this build, while its bound is proven
                        while build_status(url, code, token)["running"]:
                            time.sleep(0.2)
                        wall = f"{time.monotonic() - began:.1f}"
                latencies, errors = asyncio.run(
                    phones(url, code, args.attendees, args.every, duration, args.wall_share)
                )
                if scenario == "build":
                    while build_status(url, code, token)["running"]:
                        time.sleep(0.2)
                    status = build_status(url, code, token)
                    wall = f"{float(status['elapsed']):.1f}"  # type: ignore[arg-type]
                for kind, values in latencies.items():
                    if values:
                        rows.append(
                            (
                                f"{scenario}: {kind}",
                                len(values),
                                statistics.median(values),
                                _percentile(values, 0.95),
                                _percentile(values, 0.99),
                                max(values),
                                errors,
                                wall,
                            )
                        )
                time.sleep(2)
        finally:
            process.terminate()
            process.wait(timeout=30)
    print(
        f"\n{args.size} day, {args.attendees} phones, one request each per ~{args.every:g} s, {duration:g} s a run; "
        f"build {args.build_seconds:g} s, bound {args.bound_seconds:g} s\n"
    )
    print("| scenario | requests | p50 ms | p95 ms | p99 ms | max ms | 5xx | build wall s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, n, p50, p95, p99, worst, errors, wall in rows:
        print(f"| {name} | {n} | {p50:.0f} | {p95:.0f} | {p99:.0f} | {worst:.0f} | {errors} | {wall or '–'} |")
    print("\n" + json.dumps({"rows": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
