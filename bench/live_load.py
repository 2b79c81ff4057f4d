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
META = re.compile(r'data-from="(\d+)" data-to="(\d+)"')
CLK_TCK = os.sysconf("SC_CLK_TCK")


# -- the swarm (a separate process) -----------------------------------------------------------------

async def _client(session: Any, url: str, frames: list[tuple[int, int, float]], ready: asyncio.Event,
                  errors: list[str]) -> None:
    """One phone: read frames until cancelled, noting the range each covers and when it came.

    Kept lean so that the swarm, which shares the machine with the server, takes as little CPU
    from it as it can, and stamps each frame soon after it arrives: aiohttp's websocket reader
    is compiled (measured: the swarm's CPU fell from 56 % to 37 % of a core for the same 5.5
    frames a client a second as with the pure-Python ``websockets`` client), no compression,
    no pings of its own (it answers the server's), no timer per message.
    """
    import aiohttp  # inline: only the swarm and the poster need it

    try:
        async with session.ws_connect(url, timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=5),
                                      autoping=True, compress=0, max_msg_size=0) as ws:
            ready.set()
            while True:
                message = await ws.receive()
                if message.type is not aiohttp.WSMsgType.TEXT:
                    raise ConnectionError(f"websocket {message.type.name} {message.data!r:.80} {message.extra!r:.80}")
                found = META.search(message.data, 0, 200)
                if found:
                    frames.append((int(found.group(1)), int(found.group(2)), time.monotonic()))
    except asyncio.CancelledError:
        raise
    except Exception as error:  # noqa: BLE001 - counted and reported, never fatal to the run
        errors.append(f"{type(error).__name__}: {error}"[:200])
        ready.set()


async def swarm_main(args: argparse.Namespace) -> None:
    urls = args.urls.split(",")
    per_client: list[list[tuple[int, int, float]]] = [[] for _ in range(args.clients)]
    errors: list[str] = []
    tasks = []
    started = time.monotonic()
    import aiohttp  # inline: as above

    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
    for i in range(args.clients):
        ready = asyncio.Event()
        url = f"{urls[i % len(urls)]}/e/{args.code}/ws?view={args.view}&since={args.since}"
        tasks.append(asyncio.create_task(_client(session, url, per_client[i], ready, errors)))
        await ready.wait()  # one at a time: a ramp the server's accept queue can follow
    # The swarm keeps every frame's stamp (millions of small objects over a run): Python's full
    # collections over them paused the whole swarm for hundreds of ms, which read as server latency.
    # It lives for one run, and its objects die with it: no cyclic collection while it measures.
    gc.collect()
    gc.disable()
    print(json.dumps({"ready": args.clients - len(errors), "connect_s": round(time.monotonic() - started, 2)}),
          flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.readline)  # the parent says when the marks are done
    await asyncio.sleep(args.drain)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await session.close()
    out = {"frames": per_client, "errors": errors}
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


def start_server(port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    import httpx  # inline: the swarm process does not need it

    sys.path.insert(0, str(ROOT))
    from app.cli import uvicorn_command_line  # inline: the same uvicorn options as `twofeet serve`

    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "app.main:create_app", "--host", "127.0.0.1",
             "--port", str(port), *uvicorn_command_line(), "--log-level", "warning", "--backlog", "4096"],
            cwd=ROOT, env={**os.environ, **env, "PYTHONPATH": str(ROOT)}, stdout=out, stderr=subprocess.STDOUT)
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
        body = {"name": "Load test Edcamp", "date": "2027-03-13", "timezone": "UTC",
                "rooms": [{"name": f"Room {i}", "capacity": 40} for i in range(8)],
                "slots": [{"start": f"{9 + i:02d}:00", "end": f"{9 + i:02d}:50"} for i in range(4)]}
        response = http.post("/api/v1/events", json=body)
        response.raise_for_status()
        created = response.json()
        code, org = created["code"], created["organizer_token"]
        http.post(f"/api/v1/events/{code}/phase", json={"phase": "proposing"},
                  headers={"Authorization": f"Bearer {org}"}).raise_for_status()
        tokens = [http.post(f"/api/v1/events/{code}/attendees", json={"name": f"T{i}"}).json()["token"]
                  for i in range(voters)]
        topic_ids = []
        for i in range(topics):
            made = http.post(f"/api/v1/events/{code}/topics",
                             json={"title": f"Topic {i}: project-based learning in grade {i % 12 + 1}",
                                   "tags": ["K-5" if i % 2 else "6-8"]},
                             headers={"Authorization": f"Bearer {tokens[i % voters]}"})
            made.raise_for_status()
            topic_ids.append(made.json()["id"])
        page = http.get(f"/e/{code}/board").text
        since = int(re.search(r'data-to="(\d+)"', page).group(1))  # type: ignore[union-attr]
    return code, tokens, topic_ids, since


async def post_marks(urls: list[str], code: str, tokens: list[str], topic_ids: list[int], rate: float,
                     duration: float) -> tuple[list[tuple[int, float]], list[float], int]:
    # aiohttp, not httpx, for the poster: httpx's connection pool scans every connection for every
    # queued request, so once the server answered a little slowly the poster itself became the
    # bottleneck (py-spy: most of its time in httpcore's pool bookkeeping) and made the run look
    # like a collapsed server.
    import aiohttp  # inline: only the poster needs it (pip install -e '.[bench]')

    count = int(rate * duration)
    pairs = [(t, p) for p in topic_ids for t in tokens]  # every (attendee, topic) once: every mark is new
    pairs = pairs[::max(1, len(pairs) // max(count, 1))][:count] if len(pairs) > count else pairs
    marks: list[tuple[int, float]] = []
    post_ms: list[float] = []
    failures = 0
    timeout = aiohttp.ClientTimeout(total=60)
    clients = [aiohttp.ClientSession(base_url=u, timeout=timeout, connector=aiohttp.TCPConnector(limit=200))
               for u in urls]

    async def one(i: int, token: str, topic: int) -> None:
        nonlocal failures
        t0 = time.monotonic()
        try:
            async with clients[i % len(clients)].put(f"/api/v1/events/{code}/topics/{topic}/interest",
                                                     headers={"Authorization": f"Bearer {token}"}) as response:
                await response.read()
            post_ms.append((time.monotonic() - t0) * 1000)
            if response.status != 200 or "x-board-sequence" not in response.headers:
                failures += 1
                return
            marks.append((int(response.headers["x-board-sequence"]), t0))
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
    return marks, post_ms, failures


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def analyse(frames: list[list[list[float]]], marks: list[tuple[int, float]], since: int) -> dict[str, Any]:
    final = max((s for s, _ in marks), default=since)
    lost = duplicated = short = 0
    latencies: list[float] = []
    marks_sorted = sorted(marks)
    # Per mark, its first and last arrival: what the server took before the fan-out began, and
    # how long the fan-out took to reach every socket.
    first_ms = [float("inf")] * len(marks_sorted)
    last_ms = [0.0] * len(marks_sorted)
    for client in frames:
        seen: set[int] = set()
        for first, last, _t in client:
            for n in range(int(first) + 1, int(last) + 1):
                if n in seen:
                    duplicated += 1
                seen.add(n)
        missing = [n for n in range(since + 1, final + 1) if n not in seen]
        lost += len(missing)
        if client and client[-1][1] < final:
            short += 1
        # Latency: the first frame whose range reaches the mark's sequence.
        j = 0
        for k, (sequence, t0) in enumerate(marks_sorted):
            while j < len(client) and client[j][1] < sequence:
                j += 1
            if j < len(client):
                latency = (client[j][2] - t0) * 1000
                latencies.append(latency)
                first_ms[k] = min(first_ms[k], latency)
                last_ms[k] = max(last_ms[k], latency)
    reached = [k for k in range(len(marks_sorted)) if first_ms[k] != float("inf")]
    return {"final": final, "lost": lost, "duplicated": duplicated, "clients_behind": short,
            "latencies": latencies, "first": [first_ms[k] for k in reached],
            "spread": [last_ms[k] - first_ms[k] for k in reached]}


def main_bench(args: argparse.Namespace) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="twofeet-bench-"))
    schema = None
    env = {"TWOFEET_SECRET_KEY": "bench", "TWOFEET_BROADCAST_URL": args.broadcast,
           "TWOFEET_LIVE_WINDOW_MS": str(args.window_ms), "TWOFEET_SQLITE_SYNCHRONOUS": args.synchronous,
           "TWOFEET_MAX_ATTENDEES_PER_EVENT": "100000", "TWOFEET_LIVE_QUIET_GC": str(not args.python_gc).lower()}
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
    try:
        for i, port in enumerate(ports):
            servers.append(start_server(port, env, tmp / f"server{i}.log"))
        urls = [f"http://127.0.0.1:{p}" for p in ports]
        code, tokens, topic_ids, since = setup_event(urls[0], args.voters, args.topics)
        out = tmp / "swarm.json"
        swarm = subprocess.Popen(
            [sys.executable, __file__, "--swarm", "--urls", ",".join(u.replace("http", "ws") for u in urls),
             "--code", code, "--clients", str(args.clients), "--since", str(since), "--view", args.view,
             "--out", str(out), "--drain", str(args.drain)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT, text=True)
        assert swarm.stdout is not None and swarm.stdin is not None
        hello = json.loads(swarm.stdout.readline())
        before = [httpx_get_json(f"{u}/healthz/live") for u in urls]
        connected = sum(b["connected"] for b in before)
        cpu0 = [cpu_seconds(s.pid) for s in servers]
        swarm_cpu0 = cpu_seconds(swarm.pid)
        t0 = time.monotonic()
        poster_cpu0 = time.process_time()
        marks, post_ms, failures = asyncio.run(post_marks(urls, code, tokens, topic_ids, args.rate, args.duration))
        elapsed = time.monotonic() - t0
        poster_cpu = (time.process_time() - poster_cpu0) / elapsed * 100
        marked = [httpx_get_json(f"{u}/healthz/live") for u in urls]  # before the drain's quiet moment
        cpu1 = [cpu_seconds(s.pid) for s in servers]
        swarm_cpu1 = cpu_seconds(swarm.pid)
        swarm.stdin.write("stop\n")
        swarm.stdin.flush()
        swarm.stdout.readline()
        swarm.wait(timeout=120)
        data = json.loads(out.read_text())
        result = analyse(data["frames"], marks, since)
        stats = [httpx_get_json(f"{u}/healthz/live") for u in urls]
        memory = [rss_mb(s.pid) for s in servers]
        lat = result["latencies"]
        frames_total = sum(len(c) for c in data["frames"])
        print()
        print(f"clients {args.clients} ({args.view}) · workers {args.workers} · db "
              f"{'sqlite' if args.database == 'sqlite' else 'postgresql'} · broadcast {args.broadcast.split(':')[0]}"
              f" · window {args.window_ms} ms")
        rows = [
            ("connected clients (swarm / server)", f"{hello['ready']} / {connected}"),
            ("connect ramp", f"{hello['connect_s']} s"),
            ("marks posted / failed", f"{len(marks)} / {failures}"),
            ("marks/s achieved", f"{len(marks) / elapsed:.1f}"),
            ("POST latency p50 / p99 ms", f"{pct(post_ms, .5):.0f} / {pct(post_ms, .99):.0f}"),
            ("mark→client latency p50 ms", f"{pct(lat, .5):.0f}"),
            ("p95 ms", f"{pct(lat, .95):.0f}"),
            ("p99 ms", f"{pct(lat, .99):.0f}"),
            ("max ms", f"{max(lat) if lat else float('nan'):.0f}"),
            ("mark→first client p50 / p99 ms", f"{pct(result['first'], .5):.0f} / {pct(result['first'], .99):.0f}"),
            ("first→last client p50 / p99 ms", f"{pct(result['spread'], .5):.0f} / {pct(result['spread'], .99):.0f}"),
            ("latency samples", f"{len(lat)}"),
            ("lost / duplicated updates", f"{result['lost']} / {result['duplicated']}"),
            ("clients not at final sequence", f"{result['clients_behind']}"),
            ("client errors", f"{len(data['errors'])} {sorted(set(data['errors']))}"),
            ("frames received", f"{frames_total} ({frames_total / max(1, args.clients) / elapsed:.1f}/client/s)"),
            ("server renders", " + ".join(str(s["renders"]) for s in stats)),
            ("overflow refreshes / stalled", f"{sum(s['overflows'] for s in stats)} / {sum(s['stalled'] for s in stats)}"),
            ("server CPU % (per worker)", " + ".join(f"{(b - a) / elapsed * 100:.0f}" for a, b in zip(cpu0, cpu1))),
            ("swarm CPU % (load generator, same machine)", f"{(swarm_cpu1 - swarm_cpu0) / elapsed * 100:.0f}"),
            ("poster CPU % (same machine)", f"{poster_cpu:.0f}"),
            ("server RSS MB now / peak", " + ".join(f"{r:.0f}/{p:.0f}" for r, p in memory)),
            ("server full GC passes while marking (longest of the run, ms)",
             "Python's own (not counted)" if args.python_gc else " + ".join(
                 f"{m['gc']['passes'] - b['gc']['passes']} ({a['gc']['max_ms']:.0f})"
                 for b, m, a in zip(before, marked, stats))),
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
    parser.add_argument("--python-gc", action="store_true",
                        help="leave full GC passes to Python (TWOFEET_LIVE_QUIET_GC=false), for comparison")
    # The swarm's own arguments (started by the benchmark itself).
    parser.add_argument("--swarm", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--urls", help=argparse.SUPPRESS)
    parser.add_argument("--code", help=argparse.SUPPRESS)
    parser.add_argument("--since", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
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
