"""Live-board load: N websocket clients on loopback while marks are posted at a fixed rate.

    python bench/live_load.py --clients 2000 --rate 50 --duration 60
    python bench/live_load.py --clients 2000 --rate 50 --workers 2 \
        --database postgresql+psycopg://postgres@127.0.0.1:5432/test --broadcast redis://127.0.0.1:6379/0

It starts the server (one uvicorn process per worker, each on its own port) and a separate swarm
process holding the websocket clients (round-robin over the workers), then posts marks through
the JSON API on an open-loop schedule (each POST fires at its time whether or not the previous one
answered). The API answers with ``X-Board-Sequence``; every client records when the first frame
covering that sequence arrived, so latency is measured from just before the POST to arrival on
every client (CLOCK_MONOTONIC is shared by the processes). Frames name the sequence range they
cover, so a client that misses or repeats one is counted as lost or duplicated.

Prints connected clients, marks/s, latency (p50/p95/p99/max), lost and duplicated updates, and
the server's CPU and RSS (from /proc). Loopback only, bounded in clients and duration.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
META = re.compile(r'data-from="(\d+)" data-to="(\d+)" data-action="(\w+)"')
CLK_TCK = os.sysconf("SC_CLK_TCK")


# -- the swarm (a separate process) -----------------------------------------------------------------

#: What a phone does when a frame says "refetch" or "reload": app.js waits 200 ms + up to 2 s
#: (spreading a room of phones out), then GETs its page. The swarm does the same GET.
REFETCH_DELAY = (0.2, 2.0)


def reconnect_delays(policy: str, rng: Any) -> Any:
    """The delays between a phone's reconnection attempts, as app.js sets them (seconds).

    ``capped``: full jitter, doubling from 1 s, capped at 4 s (``htmx.config.wsReconnectDelay``
    in app.js). ``htmx``: the ws extension's own default (full jitter up to 64 s), for comparison.
    """
    n = 0
    while True:
        cap = 4.0 if policy == "capped" else 64.0
        yield rng.random() * min(cap, 2.0**n)
        n += 1


class Phone:
    """One websocket client: the frames it read (from, to, arrived, shown) and its reconnects.

    ``shown`` is when the phone showed the frame's state: on arrival for a delta or a snapshot,
    after its own GET for a refetch or reload (as app.js does it).
    """

    __slots__ = (
        "url",
        "page",
        "token",
        "frames",
        "ws",
        "away",
        "last_to",
        "back_at",
        "reconnected_at",
        "refetches",
        "task",
        "language",
    )

    def __init__(self, url: str, page: str, token: str, language: str = "en") -> None:
        self.url = url
        self.language = language  # the phone's Accept-Language: its pushes are rendered in it
        self.page = page
        self.token = token  # an attendee's: the refetched wall is that attendee's own
        self.frames: list[tuple[int, int, float, float]] = []
        self.ws: Any = None
        self.away = False
        self.last_to = -1
        self.back_at = 0.0
        self.reconnected_at = 0.0
        self.refetches = 0
        self.task: asyncio.Task[None] | None = None


async def _run_phone(phone: Phone, session: Any, since: int, ready: asyncio.Event | None, errors: list[str]) -> None:
    """Read frames until cancelled, noting the range each covers and when it came (and was shown).

    Kept lean so that the swarm, which shares the machine with the server, takes as little CPU
    from it as it can, and stamps each frame soon after it arrives: aiohttp's websocket reader
    is compiled (measured: the swarm's CPU fell from 56 % to 37 % of a core for the same 5.5
    frames a client a second as with the pure-Python ``websockets`` client), no compression,
    no pings of its own (it answers the server's), no timer per message.
    """
    import aiohttp  # inline: only the swarm and the poster need it

    url = f"{phone.url}&since={since}"
    try:
        async with session.ws_connect(
            url,
            timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=5),
            autoping=True,
            compress=0,
            max_msg_size=0,
            headers={"Accept-Language": phone.language},
        ) as ws:
            phone.ws = ws
            if ready is not None:
                ready.set()
            while True:
                message = await ws.receive()
                if message.type is not aiohttp.WSMsgType.TEXT:
                    raise ConnectionError(f"websocket {message.type.name} {message.data!r:.80} {message.extra!r:.80}")
                found = META.search(message.data, 0, 300)
                if found:
                    first, last, action = int(found.group(1)), int(found.group(2)), found.group(3)
                    now = time.monotonic()
                    phone.last_to = last
                    if action in ("refetch", "reload"):
                        phone.refetches += 1
                        asyncio.get_running_loop().create_task(_refetch(phone, session, first, last, now))
                    else:
                        phone.frames.append((first, last, now, now))
    except asyncio.CancelledError:
        raise
    except Exception as error:  # noqa: BLE001 - counted and reported, never fatal to the run
        if not phone.away:
            errors.append(f"{type(error).__name__}: {error}"[:200])
        if ready is not None:
            ready.set()


async def _refetch(phone: Phone, session: Any, first: int, last: int, arrived: float) -> None:
    import random

    await asyncio.sleep(REFETCH_DELAY[0] + random.random() * REFETCH_DELAY[1])
    async with session.get(
        phone.page,
        headers={"HX-Request": "true", "Authorization": f"Bearer {phone.token}", "Accept-Language": phone.language},
    ) as response:
        await response.read()
    phone.frames.append((first, last, arrived, time.monotonic()))


async def _storm(phones: list[Phone], args: argparse.Namespace, session: Any, errors: list[str]) -> dict[str, Any]:
    """``--away`` phones lose the network for ``--away-s``: their sockets stop reading (the server
    only finds out when its writes back up), and each phone retries on app.js's schedule; when the
    network is back, the old connection is reset and the next attempt connects with the last
    sequence the phone read."""
    import random

    rng = random.Random(7)
    away = phones[: args.away]
    await asyncio.sleep(args.away_at)
    lost_at = time.monotonic()
    for phone in away:
        phone.away = True
        with contextlib.suppress(Exception):
            phone.ws._conn.transport.pause_reading()
    back_at = lost_at + args.away_s
    plans = []
    for phone in away:
        t = lost_at
        for delay in reconnect_delays(args.reconnect, rng):
            t += delay
            if t >= back_at:
                break
        plans.append((t, phone))
    await asyncio.sleep(max(0.0, back_at - time.monotonic()))
    for phone in away:  # the phone's side is gone: the server's next write meets a reset
        with contextlib.suppress(Exception):
            phone.ws._conn.transport.abort()
        if phone.task is not None:
            phone.task.cancel()
    plans.sort(key=lambda p: p[0])

    async def reconnect(at: float, phone: Phone) -> None:
        await asyncio.sleep(max(0.0, at - time.monotonic()))
        phone.back_at = back_at
        phone.reconnected_at = time.monotonic()
        phone.away = False
        await _run_phone(phone, session, phone.last_to, None, errors)

    for at, phone in plans:
        phone.task = asyncio.create_task(reconnect(at, phone))
    return {"lost_at": lost_at, "back_at": back_at}


def speaks(i: int, spanish: float) -> str:
    """Client ``i``'s language: a share ``spanish`` of the clients, spread evenly, ask for Spanish."""
    return "es" if int((i + 1) * spanish) > int(i * spanish) else "en"


async def swarm_main(args: argparse.Namespace) -> None:
    urls = args.urls.split(",")
    tokens = json.loads(Path(args.tokens).read_text())
    phones = [
        Phone(
            f"{urls[i % len(urls)]}/e/{args.code}/ws?view={args.view}",
            f"{urls[i % len(urls)].replace('ws', 'http', 1)}/e/{args.code}",
            tokens[i % len(tokens)],
            speaks(i, args.spanish),
        )
        for i in range(args.clients)
    ]
    errors: list[str] = []
    started = time.monotonic()
    import aiohttp  # inline: as above

    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
    for phone in phones:
        ready = asyncio.Event()
        phone.task = asyncio.create_task(_run_phone(phone, session, args.since, ready, errors))
        await ready.wait()  # one at a time: a ramp the server's accept queue can follow
    # The swarm keeps every frame's stamp (millions of small objects over a run): Python's full
    # collections over them paused the whole swarm for hundreds of ms, which read as server latency.
    # It lives for one run, and its objects die with it: no cyclic collection while it measures.
    gc.collect()
    gc.disable()
    print(
        json.dumps({"ready": args.clients - len(errors), "connect_s": round(time.monotonic() - started, 2)}), flush=True
    )
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.readline)  # the parent says when the marks begin
    storm = asyncio.create_task(_storm(phones, args, session, errors)) if args.away else None
    await loop.run_in_executor(None, sys.stdin.readline)  # ... and when they are done
    storm_times = await storm if storm is not None else None
    if storm is not None:  # every phone that went away is back (or 90 s have passed)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and any(not p.reconnected_at for p in phones[: args.away]):
            await asyncio.sleep(0.5)
    await asyncio.sleep(args.drain)
    for phone in phones:
        if phone.task is not None:
            phone.task.cancel()
    await asyncio.gather(*(p.task for p in phones if p.task is not None), return_exceptions=True)
    await asyncio.sleep(0.5)  # let the last refetches finish
    await session.close()
    out = {
        "frames": [p.frames for p in phones],
        "errors": errors,
        "storm": storm_times,
        "away": [{"back_at": p.back_at, "reconnected_at": p.reconnected_at} for p in phones[: args.away]],
        "refetches": sum(p.refetches for p in phones),
    }
    Path(args.out).write_text(json.dumps(out))
    print(json.dumps({"done": True}), flush=True)


# -- the server ------------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_mb(pid: int) -> tuple[float, float]:
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]
    peak = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]
    return rss, peak


def start_server(port: int, env: dict[str, str], log: Path, pin: list[str]) -> subprocess.Popen[bytes]:
    import httpx  # inline: the swarm process does not need it

    sys.path.insert(0, str(ROOT))
    from app.cli import uvicorn_command_line  # inline: the same uvicorn options as `twofeet serve`

    with log.open("ab") as out:
        process = subprocess.Popen(
            [
                *pin,
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
                "--backlog",
                "4096",
            ],
            cwd=ROOT,
            env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited:\n{log.read_text()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz/live", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("server did not start")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def setup_event(base: str, voters: int, topics: int) -> tuple[str, list[str], list[int], int]:
    import httpx  # inline: as above

    with httpx.Client(base_url=base, timeout=30) as http:
        body = {
            "name": "Load test Edcamp",
            "date": "2027-03-13",
            "timezone": "UTC",
            "rooms": [{"name": f"Room {i}", "capacity": 40} for i in range(8)],
            "slots": [{"start": f"{9 + i:02d}:00", "end": f"{9 + i:02d}:50"} for i in range(4)],
        }
        response = http.post("/api/v1/events", json=body)
        response.raise_for_status()
        created = response.json()
        code, org = created["code"], created["organizer_token"]
        http.post(
            f"/api/v1/events/{code}/phase", json={"phase": "proposing"}, headers={"Authorization": f"Bearer {org}"}
        ).raise_for_status()
        tokens = [
            http.post(f"/api/v1/events/{code}/attendees", json={"name": f"T{i}"}).json()["token"] for i in range(voters)
        ]
        topic_ids = []
        for i in range(topics):
            made = http.post(
                f"/api/v1/events/{code}/topics",
                json={
                    "title": f"Topic {i}: project-based learning in grade {i % 12 + 1}",
                    "tags": ["K-5" if i % 2 else "6-8"],
                },
                headers={"Authorization": f"Bearer {tokens[i % voters]}"},
            )
            made.raise_for_status()
            topic_ids.append(made.json()["id"])
        page = http.get(f"/e/{code}/board").text
        since = int(re.search(r'data-to="(\d+)"', page).group(1))  # type: ignore[union-attr]
    return code, tokens, topic_ids, since


async def post_marks(
    urls: list[str], code: str, tokens: list[str], topic_ids: list[int], rate: float, duration: float
) -> tuple[list[tuple[int, float, float]], list[tuple[float, float]], int]:
    """Marks on an open-loop schedule. Returns (sequence, sent, acknowledged) per mark, (sent, ms)
    per PUT, and the failures."""
    # aiohttp, not httpx, for the poster: httpx's connection pool scans every connection for every
    # queued request, so once the server answered a little slowly the poster itself became the
    # bottleneck (py-spy: most of its time in httpcore's pool bookkeeping) and made the run look
    # like a collapsed server.
    import aiohttp  # inline: only the poster needs it (pip install -e '.[bench]')

    count = int(rate * duration)
    pairs = [(t, p) for p in topic_ids for t in tokens]  # every (attendee, topic) once: every mark is new
    pairs = pairs[:: max(1, len(pairs) // max(count, 1))][:count] if len(pairs) > count else pairs
    marks: list[tuple[int, float, float]] = []
    puts: list[tuple[float, float]] = []
    failures = 0
    timeout = aiohttp.ClientTimeout(total=60)
    clients = [
        aiohttp.ClientSession(base_url=u, timeout=timeout, connector=aiohttp.TCPConnector(limit=400)) for u in urls
    ]

    async def one(i: int, token: str, topic: int) -> None:
        nonlocal failures
        t0 = time.monotonic()
        try:
            async with clients[i % len(clients)].put(
                f"/api/v1/events/{code}/topics/{topic}/interest", headers={"Authorization": f"Bearer {token}"}
            ) as response:
                await response.read()
            acked = time.monotonic()
            puts.append((t0, (acked - t0) * 1000))
            if response.status != 200 or "x-board-sequence" not in response.headers:
                failures += 1
                return
            marks.append((int(response.headers["x-board-sequence"]), t0, acked))
        except (aiohttp.ClientError, TimeoutError):
            failures += 1

    start = time.monotonic()
    tasks = []
    for i, (token, topic) in enumerate(pairs):
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i, token, topic)))
    await asyncio.gather(*tasks)
    for client in clients:
        await client.close()
    return marks, puts, failures


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def analyse(
    frames: list[list[list[float]]],
    marks: list[tuple[int, float, float]],
    since: int,
    skip: set[int] = frozenset(),
    window: tuple[float, float] | None = None,
) -> dict[str, Any]:
    """Exactness over every client; latencies over the clients not in ``skip``.

    A mark's latency on a client is when the client first *showed* a frame reaching the mark's
    sequence, from the mark's send (``send``) and from its acknowledgement (``ack``). ``window``
    (loop times) also collects the latencies of the marks sent within it.
    """
    final = max((s for s, _, _ in marks), default=since)
    lost = duplicated = short = 0
    send: list[float] = []
    ack: list[float] = []
    in_window: list[float] = []
    marks_sorted = sorted(marks)
    # Per mark, its first and last arrival: what the server took before the fan-out began, and
    # how long the fan-out took to reach every socket.
    first_ms = [float("inf")] * len(marks_sorted)
    last_ms = [0.0] * len(marks_sorted)
    final_shown: list[float] = []
    for c, client in enumerate(frames):
        seen: set[int] = set()
        for first, last, _t, _shown in client:
            for n in range(int(first) + 1, int(last) + 1):
                if n in seen:
                    duplicated += 1
                seen.add(n)
        missing = [n for n in range(since + 1, final + 1) if n not in seen]
        lost += len(missing)
        ordered = sorted(client, key=lambda f: (f[1], f[3]))
        if not ordered or ordered[-1][1] < final:
            short += 1
        # The earliest showing of each sequence or later: a suffix minimum over frames by ``to``.
        shown = [f[3] for f in ordered]
        for k in range(len(shown) - 2, -1, -1):
            shown[k] = min(shown[k], shown[k + 1])
        if ordered and ordered[-1][1] >= final:
            final_shown.append(shown[next(k for k, f in enumerate(ordered) if f[1] >= final)])
        if c in skip:
            continue
        j = 0
        for k, (sequence, t0, acked) in enumerate(marks_sorted):
            while j < len(ordered) and ordered[j][1] < sequence:
                j += 1
            if j < len(ordered):
                latency = (shown[j] - t0) * 1000
                send.append(latency)
                ack.append((shown[j] - acked) * 1000)
                if window is not None and window[0] <= t0 < window[1]:
                    in_window.append(latency)
                first_ms[k] = min(first_ms[k], latency)
                last_ms[k] = max(last_ms[k], latency)
    reached = [k for k in range(len(marks_sorted)) if first_ms[k] != float("inf")]
    last_ack = max((a for _, _, a in marks), default=0.0)
    return {
        "final": final,
        "lost": lost,
        "duplicated": duplicated,
        "clients_behind": short,
        "latencies": send,
        "ack": ack,
        "window": in_window,
        "first": [first_ms[k] for k in reached],
        "spread": [last_ms[k] - first_ms[k] for k in reached],
        "last_ack_to_final_ms": (max(final_shown) - last_ack) * 1000 if final_shown and marks else float("nan"),
    }


def gc_pauses(stats: dict[str, Any], began: float, ended: float) -> tuple[int, float]:
    """How many of the server's logged GC pauses fell between ``began`` and ``ended``, and the longest (ms)."""
    pauses = [ms for at, ms, _gen in (stats.get("gc") or {}).get("pauses", []) if began <= at <= ended]
    return len(pauses), max(pauses, default=0.0)


def main_bench(args: argparse.Namespace) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="twofeet-bench-"))
    schema = None
    env = {
        "TWOFEET_SECRET_KEY": "bench",
        "TWOFEET_BROADCAST_URL": args.broadcast,
        "TWOFEET_LIVE_WINDOW_MS": str(args.window_ms),
        "TWOFEET_SQLITE_SYNCHRONOUS": args.synchronous,
        "TWOFEET_MAX_ATTENDEES_PER_EVENT": "100000",
        "TWOFEET_LIVE_QUIET_GC": str(not args.python_gc).lower(),
    }
    if args.database == "sqlite":
        env["TWOFEET_DATABASE_URL"] = f"sqlite:///{tmp / 'bench.db'}"
    else:
        import sqlalchemy as sa

        sys.path.insert(0, str(ROOT))
        from app.db import make_engine, upgrade_database

        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(args.database)
        with admin.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        sep = "&" if "?" in args.database else "?"
        env["TWOFEET_DATABASE_URL"] = f"{args.database}{sep}options={quote(f'-csearch_path={schema}')}"
        engine = make_engine(env["TWOFEET_DATABASE_URL"])
        upgrade_database(engine)  # once, like `twofeet migrate`, before the workers start
        engine.dispose()
    ports = [free_port() for _ in range(args.workers)]
    servers = []
    # ``--server-cpus 0``: the servers on CPU 0, the swarm and the poster on the others.
    pin = ["taskset", "-c", args.server_cpus] if args.server_cpus else []
    rest = (
        sorted(set(range(os.cpu_count() or 1)) - {int(c) for c in args.server_cpus.split(",")})
        if args.server_cpus
        else []
    )
    if rest:
        os.sched_setaffinity(0, rest)
    try:
        for i, port in enumerate(ports):
            servers.append(start_server(port, env, tmp / f"server{i}.log", pin))
        urls = [f"http://127.0.0.1:{p}" for p in ports]
        code, tokens, topic_ids, since = setup_event(urls[0], args.voters, args.topics)
        out = tmp / "swarm.json"
        (tmp / "tokens.json").write_text(json.dumps(tokens))
        swarm = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--swarm",
                "--urls",
                ",".join(u.replace("http", "ws") for u in urls),
                "--code",
                code,
                "--clients",
                str(args.clients),
                "--since",
                str(since),
                "--view",
                args.view,
                "--out",
                str(out),
                "--tokens",
                str(tmp / "tokens.json"),
                "--drain",
                str(args.drain),
                "--away",
                str(args.away),
                "--away-at",
                str(args.away_at),
                "--away-s",
                str(args.away_s),
                "--reconnect",
                args.reconnect,
                "--spanish",
                str(args.spanish),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=ROOT,
            text=True,
        )
        assert swarm.stdout is not None and swarm.stdin is not None
        hello = json.loads(swarm.stdout.readline())
        before = [httpx_get_json(f"{u}/healthz/live") for u in urls]
        connected = sum(b["connected"] for b in before)
        cpu0 = [cpu_seconds(s.pid) for s in servers]
        swarm_cpu0 = cpu_seconds(swarm.pid)
        swarm.stdin.write("start\n")
        swarm.stdin.flush()
        t0 = time.monotonic()
        poster_cpu0 = time.process_time()
        marks, puts, failures = asyncio.run(post_marks(urls, code, tokens, topic_ids, args.rate, args.duration))
        elapsed = time.monotonic() - t0
        t_end = time.monotonic()
        poster_cpu = (time.process_time() - poster_cpu0) / elapsed * 100
        cpu1 = [cpu_seconds(s.pid) for s in servers]
        swarm_cpu1 = cpu_seconds(swarm.pid)
        marked = [httpx_get_json(f"{u}/healthz/live") for u in urls]  # before the drain's quiet moment
        swarm.stdin.write("stop\n")
        swarm.stdin.flush()
        swarm.stdout.readline()
        swarm.wait(timeout=180)
        data = json.loads(out.read_text())
        storm = data.get("storm")
        window = (storm["back_at"], storm["back_at"] + 10) if storm else None
        result = analyse(data["frames"], marks, since, skip=set(range(args.away)), window=window)
        stats = [httpx_get_json(f"{u}/healthz/live") for u in urls]
        memory = [rss_mb(s.pid) for s in servers]
        lat = result["latencies"]
        # Per language: the same analysis over each language's phones only (the others skipped).
        by_language = {
            language: analyse(
                data["frames"],
                marks,
                since,
                skip=set(range(args.away)) | {i for i in range(args.clients) if speaks(i, args.spanish) != language},
            )["latencies"]
            for language in ("en", "es")
        }
        post_ms = [ms for _, ms in puts]
        frames_total = sum(len(c) for c in data["frames"])
        print()
        print(
            f"clients {args.clients} ({args.view}) · workers {args.workers} · db "
            f"{'sqlite' if args.database == 'sqlite' else 'postgresql'} · broadcast {args.broadcast.split(':')[0]}"
            f" · window {args.window_ms} ms" + (f" · servers on CPU {args.server_cpus}" if args.server_cpus else "")
        )
        rows = [
            ("connected clients (swarm / server)", f"{hello['ready']} / {connected}"),
            ("connect ramp", f"{hello['connect_s']} s"),
            ("marks posted / failed", f"{len(marks)} / {failures}"),
            ("marks/s achieved", f"{len(marks) / elapsed:.1f}"),
            (
                "PUT latency p50 / p99 / max ms",
                f"{pct(post_ms, 0.5):.0f} / {pct(post_ms, 0.99):.0f} / {max(post_ms, default=float('nan')):.0f}",
            ),
            ("send→screen latency p50 ms", f"{pct(lat, 0.5):.0f}"),
            ("p95 ms", f"{pct(lat, 0.95):.0f}"),
            ("p99 ms", f"{pct(lat, 0.99):.0f}"),
            ("max ms", f"{max(lat) if lat else float('nan'):.0f}"),
            (
                "ack→screen latency p50 / p99 / max ms",
                f"{pct(result['ack'], 0.5):.0f} / {pct(result['ack'], 0.99):.0f} / "
                f"{max(result['ack'], default=float('nan')):.0f}",
            ),
            ("send→first client p50 / p99 ms", f"{pct(result['first'], 0.5):.0f} / {pct(result['first'], 0.99):.0f}"),
            ("first→last client p50 / p99 ms", f"{pct(result['spread'], 0.5):.0f} / {pct(result['spread'], 0.99):.0f}"),
            ("last ack → every screen final ms", f"{result['last_ack_to_final_ms']:.0f}"),
            ("latency samples", f"{len(lat)}"),
            (
                "phones in English / Spanish (send→screen p99 ms)",
                " / ".join(
                    f"{sum(speaks(i, args.spanish) == lang for i in range(args.clients))} ({pct(by_language[lang], 0.99):.0f})"
                    for lang in ("en", "es")
                ),
            ),
            ("lost / duplicated updates", f"{result['lost']} / {result['duplicated']}"),
            ("clients not at final sequence", f"{result['clients_behind']}"),
            ("client errors", f"{len(data['errors'])} {sorted(set(data['errors']))[:5]}"),
            ("frames received", f"{frames_total} ({frames_total / max(1, args.clients) / elapsed:.1f}/client/s)"),
            ("refetches / reloads asked of phones", f"{data['refetches']}"),
            ("server renders", " + ".join(str(s["renders"]) for s in stats)),
            (
                "overflow refreshes / stalled",
                f"{sum(s['overflows'] for s in stats)} / {sum(s['stalled'] for s in stats)}",
            ),
            (
                "server CPU % (per worker)",
                " + ".join(f"{(b - a) / elapsed * 100:.0f}" for a, b in zip(cpu0, cpu1, strict=True)),
            ),
            ("swarm CPU % (load generator, same machine)", f"{(swarm_cpu1 - swarm_cpu0) / elapsed * 100:.0f}"),
            ("poster CPU % (same machine)", f"{poster_cpu:.0f}"),
            ("server RSS MB now / peak", " + ".join(f"{r:.0f}/{p:.0f}" for r, p in memory)),
            (
                "server GC pauses ≥ 20 ms while marking (longest ms)",
                " + ".join("{} ({:.0f})".format(*gc_pauses(s, t0, t_end)) for s in stats),
            ),
            (
                "server full GC passes while marking (longest of the run, ms)",
                "Python's own (not counted)"
                if args.python_gc
                else " + ".join(
                    f"{m['gc']['passes'] - b['gc']['passes']} ({a['gc']['max_ms']:.0f})"
                    for b, m, a in zip(before, marked, stats, strict=True)
                ),
            ),
        ]
        if storm:
            back = storm["back_at"]
            returning = []
            for phone, frames in zip(data["away"], data["frames"][: args.away], strict=True):
                after = [f for f in frames if f[2] >= phone["reconnected_at"]]
                returning.append((min(f[3] for f in after) - back) if after else float("inf"))
            done = [r for r in returning if r != float("inf")]
            window_puts = [ms for sent, ms in puts if back <= sent < back + 10]
            rows += [
                ("storm: phones away / for s", f"{args.away} / {args.away_s:g} (reconnect: {args.reconnect})"),
                (
                    "storm: others' send→screen p99 / max ms, marks sent in the 10 s after the return",
                    f"{pct(result['window'], 0.99):.0f} / {max(result['window'], default=float('nan')):.0f}",
                ),
                (
                    "storm: PUT p99 / max ms in the 10 s after the return",
                    f"{pct(window_puts, 0.99):.0f} / {max(window_puts, default=float('nan')):.0f}",
                ),
                (
                    "storm: return → current wall p50 / p99 / max s",
                    f"{pct(done, 0.5):.2f} / {pct(done, 0.99):.2f} / {max(done, default=float('nan')):.2f}",
                ),
                ("storm: returning phones not current within 5 s", f"{sum(r > 5 for r in returning)}"),
            ]
        width = max(len(k) for k, _ in rows)
        print(f"| {'metric'.ljust(width)} | value |")
        print(f"|{'-' * (width + 2)}|-------|")
        for key, value in rows:
            print(f"| {key.ljust(width)} | {value} |")
        return 0
    finally:
        for server in servers:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        if schema is not None:
            import sqlalchemy as sa

            admin = sa.create_engine(args.database)
            with admin.begin() as connection:
                connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        shutil.rmtree(tmp, ignore_errors=True)


def httpx_get_json(url: str) -> dict[str, Any]:
    import httpx  # inline: as above

    return httpx.get(url, timeout=30).json()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=50.0, help="marks per second")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of marking")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--database", default="sqlite", help="sqlite (a temporary file) or a PostgreSQL URL")
    parser.add_argument("--broadcast", default="memory://")
    parser.add_argument("--view", default="wall", choices=["wall", "board"], help="what every client shows")
    parser.add_argument("--window-ms", type=int, default=100)
    parser.add_argument("--synchronous", default="FULL")
    parser.add_argument("--voters", type=int, default=200)
    parser.add_argument("--topics", type=int, default=30)
    parser.add_argument("--drain", type=float, default=3.0, help="seconds clients keep listening after the last mark")
    parser.add_argument(
        "--python-gc",
        action="store_true",
        help="leave full GC passes to Python (TWOFEET_LIVE_QUIET_GC=false), for comparison",
    )
    parser.add_argument(
        "--away", type=int, default=0, help="a reconnect storm: this many phones lose the network during the marking"
    )
    parser.add_argument("--away-at", type=float, default=10.0, help="seconds into the marking they lose it")
    parser.add_argument("--away-s", type=float, default=30.0, help="seconds they are away")
    parser.add_argument(
        "--reconnect",
        default="capped",
        choices=["capped", "htmx"],
        help="the phones' retry schedule: app.js's (capped) or the ws extension's default",
    )
    parser.add_argument(
        "--spanish",
        type=float,
        default=0.0,
        help="the share of clients whose phones ask for Spanish (0.5: every other one)",
    )
    parser.add_argument(
        "--server-cpus",
        default="",
        help="run the servers on these CPUs (taskset -c), the swarm and the poster on the rest",
    )
    # The swarm's own arguments (started by the benchmark itself).
    parser.add_argument("--swarm", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--urls", help=argparse.SUPPRESS)
    parser.add_argument("--code", help=argparse.SUPPRESS)
    parser.add_argument("--since", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--tokens", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.swarm:
        try:
            import uvloop  # a faster loop keeps the swarm from being the bottleneck

            uvloop.run(swarm_main(args))
        except ImportError:
            asyncio.run(swarm_main(args))
        return 0
    return main_bench(args)


if __name__ == "__main__":
    sys.exit(main())
