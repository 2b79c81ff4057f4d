"""Organizer-login flood: memory and a bystander's page while many clients guess passwords.

Starts ``twofeet``'s app under uvicorn (the same options as ``twofeet serve``) on a loopback port
with a fresh SQLite file, seeded directly with one event whose organizers all hold passwords, then
lets ``--clients`` guessers (each with its own address through X-Forwarded-For, as a botnet or a
school's worth of laptops would have) send wrong passwords for ``--duration`` seconds while one
bystander loads the event's board every 100 ms. Prints one row per scenario:

* ``defaults``: the shipped limits (per address, per event) and the bound on argon2 checks;
* ``no rate limit``: limits lifted, so only the bound on checks and the password tag protect;
* ``untagged hashes``: also every hash stored before tags existed (checked on every guess), the
  worst case the bound alone has to hold.

Loopback only; bounded in clients, guesses and time. Run from the repository root:
``.venv/bin/python bench/login_flood.py --clients 40 --duration 20``.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.cli import uvicorn_command_line  # noqa: E402

SECRET = "login-flood-secret"
GENEROUS = "1000000/minute"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def seed(db: Path, organizers: int, untagged: bool) -> str:
    """An event with ``organizers`` password holders; returns its code."""
    import sqlalchemy as sa
    from sqlmodel import Session

    from app.db import make_engine, upgrade_database
    from app.domain import events, eventspec
    from app.domain import organizers as co_organizers
    from app.domain.passwords import PasswordChecker

    engine = make_engine(f"sqlite:///{db}")
    upgrade_database(engine)
    checker = PasswordChecker(secret=SECRET, max_at_once=4)
    with Session(engine, expire_on_commit=False) as session:
        created = events.create_event(
            session,
            name="Flood Edcamp",
            date="2027-03-13",
            timezone="UTC",
            rooms=[eventspec.RoomSpec("Library", 60)],
            slots=[eventspec.SlotSpec("09:00", "10:00")],
            password="owner password 0",
            passwords=checker,
        )
        for i in range(1, organizers):
            helper, _secret = co_organizers.invite(
                session, event=created.event, name=f"Helper {i}", actor=created.organizer
            )
            co_organizers.set_organizer_password(
                session, organizer=helper, password=f"helper password {i}", passwords=checker
            )
        if untagged:
            session.execute(sa.text("update organizer set password_tag = null"))
            session.commit()
        code = created.event.code
    engine.dispose()
    return code


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class Result:
    scenario: str
    sent: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    bystander_ms: list[float] = field(default_factory=list)
    rss_start: float = 0.0
    rss_peak: float = 0.0
    checks: dict[str, int] = field(default_factory=dict)
    owner_link_ok: bool = False


def bystander(url: str, code: str, stop: Any, out: Any) -> None:
    """Loads the board every 100 ms until told to stop; sends back each load's milliseconds."""
    samples: list[float] = []
    with httpx.Client(base_url=url, timeout=60) as http:
        while not stop.is_set():
            started = time.perf_counter()
            page = http.get(f"/e/{code}/board")
            assert page.status_code == 200
            samples.append((time.perf_counter() - started) * 1000)
            time.sleep(0.1)
    out.put(samples)


async def flood(url: str, code: str, pid: int, clients: int, guesses: int, duration: float, result: Result) -> None:
    stop = time.monotonic() + duration
    guessing = clients
    limits = httpx.Limits(max_connections=clients + 4, max_keepalive_connections=clients + 4)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:

        async def guesser(n: int) -> None:
            nonlocal guessing
            address = f"10.{n // 250}.{n % 250}.7"
            guess = 0
            while time.monotonic() < stop and (not guesses or guess < guesses):
                guess += 1
                answer = await http.post(
                    f"/api/v1/events/{code}/login",
                    json={"password": f"guess {n}-{guess}"},
                    headers={"X-Forwarded-For": address},
                )
                result.sent += 1
                result.statuses[answer.status_code] = result.statuses.get(answer.status_code, 0) + 1
                if answer.status_code == 429:  # a polite client would wait; an attacker does not
                    await asyncio.sleep(0.05)
            guessing -= 1

        async def memory() -> None:
            started_at = time.monotonic()
            while time.monotonic() < stop and (guessing or time.monotonic() - started_at < 3):
                result.rss_peak = max(result.rss_peak, rss_mb(pid))
                await asyncio.sleep(0.1)

        # The bystander is a process of its own: the guessers' event loop must not delay its clock.
        stop_bystander = multiprocessing.Event()
        latencies: multiprocessing.Queue[list[float]] = multiprocessing.Queue()
        watcher = multiprocessing.Process(target=bystander, args=(url, code, stop_bystander, latencies))
        watcher.start()
        await asyncio.sleep(0.5)  # it is looking before the first guess
        await asyncio.gather(*(guesser(n) for n in range(clients)), memory())
        stop_bystander.set()
        result.bystander_ms = latencies.get(timeout=30)
        watcher.join(timeout=30)
        result.checks = (await http.get("/healthz/logins")).json()


def run(
    scenario: str, *, clients: int, guesses: int, duration: float, organizers: int, limited: bool, untagged: bool
) -> Result:
    folder = Path(tempfile.mkdtemp(prefix="twofeet-flood-"))
    db = folder / "flood.db"
    code = seed(db, organizers, untagged)
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TWOFEET_DATABASE_URL": f"sqlite:///{db}",
        "TWOFEET_SECRET_KEY": SECRET,
        "TWOFEET_EVENT_CREATION_RATE": GENEROUS,
    }
    if not limited:
        env |= {"TWOFEET_LOGIN_RATE_PER_CLIENT": GENEROUS, "TWOFEET_LOGIN_RATE_PER_EVENT": GENEROUS}
    log = (folder / "server.log").open("wb")
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
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    result = Result(scenario)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.1)
        for _ in range(5):  # warm the board page before measuring
            httpx.get(f"{url}/e/{code}/board", timeout=10)
        result.rss_start = rss_mb(process.pid)
        asyncio.run(flood(url, code, process.pid, clients, guesses, duration, result))
        # The owner, at the same time as the flood's tail: by the event's link, never locked out.
        result.owner_link_ok = httpx.get(f"{url}/healthz", timeout=10).status_code == 200
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
    return result


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[98] if len(values) >= 2 else (values or [0.0])[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--clients", type=int, default=40)
    parser.add_argument(
        "--guesses", type=int, default=3, help="guesses per client, as in the probe (0: guess until --duration ends)"
    )
    parser.add_argument("--duration", type=float, default=60.0, help="at most this many seconds per scenario")
    parser.add_argument("--organizers", type=int, default=20, help="organizers holding passwords")
    args = parser.parse_args()
    if not 1 <= args.clients <= 200 or not 1 <= args.duration <= 120 or not 0 <= args.guesses <= 100:
        parser.error("keep it bounded: 1-200 clients, 0-100 guesses each, 1-120 s")
    scenarios = [
        ("nobody guessing", 0, True, False),
        ("defaults", args.clients, True, False),
        ("no rate limit", args.clients, False, False),
        ("untagged hashes", args.clients, False, True),
    ]
    rows = [
        run(
            name,
            clients=clients,
            guesses=args.guesses,
            duration=args.duration,
            organizers=args.organizers,
            limited=limited,
            untagged=untagged,
        )
        for name, clients, limited, untagged in scenarios
    ]
    each = f"{args.guesses} guesses each" if args.guesses else f"guessing for {args.duration:g} s"
    print(
        f"\n{args.clients} guessing clients (one address each), {each}, "
        f"{args.organizers} organizers with passwords; bystander GET /e/CODE/board every 100 ms\n"
    )
    header = (
        "scenario",
        "guesses",
        "403",
        "429",
        "argon2 checks",
        "peak at once",
        "RSS start MB",
        "RSS peak MB",
        "bystander p50 ms",
        "p99 ms",
        "max ms",
    )
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for r in rows:
        ms = r.bystander_ms
        print(
            f"| {r.scenario} | {r.sent} | {r.statuses.get(403, 0)} | {r.statuses.get(429, 0)} | "
            f"{r.checks.get('checks', 0)} | {r.checks.get('peak', 0)} | {r.rss_start:.0f} | {r.rss_peak:.0f} | "
            f"{statistics.median(ms):.0f} | {p99(ms):.0f} | {max(ms):.0f} |"
        )
    other = {s: n for r in rows for s, n in r.statuses.items() if s not in (403, 429)}
    if other:
        print(f"\nother statuses: {other}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
