"""Check-in load: 2,000 check-ins through the API over one minute while 2,000 websocket clients watch.

    python bench/checkin_load.py                       # 2,000 check-ins in 60 s, 2,000 clients
    python bench/checkin_load.py --checkins 500 --duration 15 --clients 300   # a quick look

One server process on SQLite, as ``twofeet serve`` runs it (``live_load.start_server``). The day:
12 rooms, a sessions slot that began 15 minutes ago (so "room for more" is derived), a second one
after it, published. ``--people`` attendees check in by their room's door QR code (``room_id``), and
the rest of the check-ins are moves (the rule of two feet: the same people into another room), open
loop at ``checkins / duration`` a second whatever the answers are doing.

The watchers, the mix of a large Edcamp: ``--boards`` projectors (the board, in the event's
language), a tablet at every room's door (which GETs its own block when headcounts change, as
``app.js`` does: one GET waiting at a time), and phones on "my day" for the rest (a share
``--spanish`` of them in Spanish).
Latency runs from just before each POST to the first frame on **every board** whose sequence range
covers its ``X-Board-Sequence``. At the end the last board frame's "here" figure of every room must
equal the check-ins each room kept (and a reload of the board must agree). Lost and duplicated
updates are counted over every client. Loopback only; the swarm and the poster are
``live_load``'s machinery.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from live_load import (  # noqa: E402  (the sibling module, run as a script)
    META,
    REFETCH_DELAY,
    ROOT,
    Phone,
    _run_phone,
    analyse,
    cpu_seconds,
    free_port,
    httpx_get_json,
    pct,
    rss_mb,
    speaks,
    start_server,
)

ROOMS = 12
CELL = re.compile(r'<td id="cell-(\d+)-(\d+)"(.*?)</td>', re.S)
HERE = re.compile(r'data-here="(\d+)"')


# -- the swarm (a separate process) -----------------------------------------------------------------


class Screen(Phone):
    """A board or a door. A board keeps the last frame that redrew the grid (to read its counts);
    a door GETs its own block on a refetch as ``app.js`` does it: one GET waiting at a time, which
    shows every frame that came while it waited."""

    __slots__ = ("gets", "held", "last_main")

    def __init__(self, url: str, page: str, token: str, language: str = "en") -> None:
        super().__init__(url, page, token, language)
        self.last_main = ""
        self.gets = 0
        self.held: list[tuple[int, int, float]] | None = None  # frames waiting on the door's GET


async def _door_get(door: Screen, session: Any) -> None:
    import random

    await asyncio.sleep(REFETCH_DELAY[0] + random.random() * REFETCH_DELAY[1])
    held, door.held = door.held or [], None
    door.gets += 1
    async with session.get(
        door.page, headers={"HX-Request": "true", "Authorization": f"Bearer {door.token}"}
    ) as response:
        await response.read()
    shown = time.monotonic()
    door.frames.extend((first, last, arrived, shown) for first, last, arrived in held)


async def _run_screen(screen: Screen, session: Any, since: int, ready: asyncio.Event, errors: list[str]) -> None:
    import aiohttp  # inline: only the swarm needs it

    try:
        async with session.ws_connect(
            f"{screen.url}&since={since}",
            timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=5),
            compress=0,
            max_msg_size=0,
        ) as ws:
            screen.ws = ws
            ready.set()
            while True:
                message = await ws.receive()
                if message.type is not aiohttp.WSMsgType.TEXT:
                    raise ConnectionError(f"websocket {message.type.name}")
                found = META.search(message.data, 0, 300)
                if not found:
                    continue
                first, last, now = int(found.group(1)), int(found.group(2)), time.monotonic()
                if found.group(3) == "refetch":
                    screen.refetches += 1
                    if screen.held is None:
                        screen.held = []
                        asyncio.get_running_loop().create_task(_door_get(screen, session))
                    screen.held.append((first, last, now))
                    continue
                screen.frames.append((first, last, now, now))
                if 'id="board-main"' in message.data:
                    screen.last_main = message.data
    except asyncio.CancelledError:
        raise
    except Exception as error:  # noqa: BLE001 - counted and reported
        errors.append(f"{type(error).__name__}: {error}"[:200])
        ready.set()


async def swarm_main(args: argparse.Namespace) -> None:
    import aiohttp  # inline: as above

    plan = json.loads(Path(args.plan).read_text())
    base, ws, code = plan["base"], plan["base"].replace("http", "ws", 1), plan["code"]
    clients: list[Phone] = []
    for _ in range(args.boards):  # in the event's language, as projectors show it
        clients.append(Screen(f"{ws}/e/{code}/ws?view=board", f"{base}/e/{code}/board", ""))
    for room in plan["rooms"]:
        door = f"{base}/e/{code}/rooms/{room}"
        clients.append(Screen(f"{ws}/e/{code}/ws?view=room-{room}", door, plan["tokens"][0]))
    for i in range(args.clients - len(clients)):
        lang = speaks(i, args.spanish)
        token = plan["tokens"][i % len(plan["tokens"])]
        clients.append(Phone(f"{ws}/e/{code}/ws?view=my", f"{base}/e/{code}/my", token, lang))
    errors: list[str] = []
    started = time.monotonic()
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
    for client in clients:
        ready = asyncio.Event()
        runner = _run_screen if isinstance(client, Screen) else _run_phone
        client.task = asyncio.create_task(runner(client, session, plan["since"], ready, errors))  # type: ignore[arg-type]
        await ready.wait()
    gc.collect()
    gc.disable()  # as live_load's swarm: its full collections would read as server latency
    print(
        json.dumps({"ready": len(clients) - len(errors), "connect_s": round(time.monotonic() - started, 2)}), flush=True
    )
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.readline)  # the check-ins are done
    await asyncio.sleep(args.drain)
    for client in clients:
        if client.task is not None:
            client.task.cancel()
    await asyncio.gather(*(c.task for c in clients if c.task is not None), return_exceptions=True)
    await asyncio.sleep(0.5)  # the doors' last refetches
    await session.close()
    out = {
        "frames": [c.frames for c in clients],
        "boards": [c.last_main for c in clients[: args.boards]],
        "refetches": sum(c.refetches for c in clients),
        "gets": sum(c.gets for c in clients if isinstance(c, Screen)),
        "errors": errors,
    }
    Path(args.out).write_text(json.dumps(out))
    print(json.dumps({"done": True}), flush=True)


# -- the day and the check-ins ---------------------------------------------------------------------


def local_now(zone: str) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime.now(UTC).astimezone(ZoneInfo(zone))


def setup_day(base: str, people: int) -> dict[str, Any]:
    """A published day whose first slot began 15 minutes ago; ``people`` attendees with tokens."""
    import httpx  # inline: the swarm does not need it

    # A zone where it is about noon (as tests/clock.py): the slots fit in the day at any hour.
    offset = (12 - datetime.now(UTC).hour + 12) % 24 - 12
    zone = "UTC" if offset == 0 else f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"
    now = local_now(zone)

    def hhmm(minutes: int) -> str:
        return (now + timedelta(minutes=minutes)).strftime("%H:%M")

    with httpx.Client(base_url=base, timeout=60) as http:
        created = http.post(
            "/api/v1/events",
            json={
                "name": "Check-in load Edcamp",
                "date": now.date().isoformat(),
                "timezone": zone,
                "rooms": [{"name": f"Room {100 + i}", "capacity": 120 + 10 * i} for i in range(ROOMS)],
                "slots": [{"start": hhmm(-15), "end": hhmm(45)}, {"start": hhmm(55), "end": hhmm(115)}],
            },
        ).raise_for_status()
        code, org = created.json()["code"], {"Authorization": f"Bearer {created.json()['organizer_token']}"}
        http.post(f"/api/v1/events/{code}/phase", json={"phase": "proposing"}, headers=org).raise_for_status()
        tokens = [
            http.post(f"/api/v1/events/{code}/attendees", json={"name": f"T{i}"}).raise_for_status().json()["token"]
            for i in range(people)
        ]
        topics = []
        for i in range(2 * ROOMS):
            who = {"Authorization": f"Bearer {tokens[i]}"}
            made = http.post(
                f"/api/v1/events/{code}/topics",
                json={"title": f"Session {i}: project-based learning in grade {i % 12 + 1}", "facilitate": True},
                headers=who,
            ).raise_for_status()
            topics.append(made.json()["id"])
        for p, token in enumerate(tokens[:200]):  # a little interest, so every session is wanted
            for k in range(3):
                http.put(
                    f"/api/v1/events/{code}/topics/{topics[(p + 7 * k) % len(topics)]}/interest",
                    headers={"Authorization": f"Bearer {token}"},
                ).raise_for_status()
        http.post(f"/api/v1/events/{code}/phase", json={"phase": "scheduled"}, headers=org).raise_for_status()
        http.post(f"/api/v1/events/{code}/schedule/build", json={"time_limit": 3}, headers=org).raise_for_status()
        deadline = time.monotonic() + 120
        while http.get(f"/api/v1/events/{code}/schedule/build", headers=org).json()["running"]:
            if time.monotonic() > deadline:
                raise SystemExit("the schedule build did not finish")
            time.sleep(0.3)
        http.post(f"/api/v1/events/{code}/schedule/publish", json={}, headers=org).raise_for_status()
        page = http.get(f"/e/{code}/board").text
        since = int(re.search(r'data-to="(\d+)"', page).group(1))  # type: ignore[union-attr]
        current = {int(room) for room, _slot, body in CELL.findall(page) if "is-now" in body}
        if len(current) < ROOMS:
            raise SystemExit(f"only {len(current)} rooms hold a session now: {page[:500]}")
    return {"base": base, "code": code, "tokens": tokens, "rooms": sorted(current), "since": since}


def check_in_plan(people: int, checkins: int, rooms: list[int]) -> list[tuple[int, int]]:
    """(attendee, room) per check-in: everyone once, then moves interleaved after the first moves' people."""
    moves = checkins - people
    if not 0 <= moves <= people:
        raise SystemExit("--checkins must be between --people and twice --people")
    plan: list[tuple[int, int]] = []
    moved = 0
    gap = max(1, (people - moves) // max(moves, 1))
    for i in range(people):
        plan.append((i, rooms[(i * 7) % len(rooms)]))
        if i >= moves and (i - moves) % gap == 0 and moved < moves:  # person ``moved`` checked in long ago
            first = (moved * 7) % len(rooms)
            plan.append((moved, rooms[(first + 1 + moved % (len(rooms) - 1)) % len(rooms)]))
            moved += 1
    while moved < moves:
        first = (moved * 7) % len(rooms)
        plan.append((moved, rooms[(first + 1 + moved % (len(rooms) - 1)) % len(rooms)]))
        moved += 1
    return plan


async def post_checkins(
    base: str, code: str, tokens: list[str], plan: list[tuple[int, int]], rate: float
) -> tuple[list[tuple[int, float, float]], list[float], list[str]]:
    """The check-ins on an open-loop schedule: (sequence, sent, acknowledged), POST ms, failures."""
    import aiohttp  # inline: as live_load's poster

    marks: list[tuple[int, float, float]] = []
    posts: list[float] = []
    failures: list[str] = []
    client = aiohttp.ClientSession(
        base_url=base, timeout=aiohttp.ClientTimeout(total=60), connector=aiohttp.TCPConnector(limit=400)
    )

    async def one(person: int, room: int) -> None:
        t0 = time.monotonic()
        try:
            async with client.post(
                f"/api/v1/events/{code}/checkins",
                json={"room_id": room},
                headers={"Authorization": f"Bearer {tokens[person]}"},
            ) as response:
                body = await response.read()
            acked = time.monotonic()
            posts.append((acked - t0) * 1000)
            if response.status != 201 or "x-board-sequence" not in response.headers:
                failures.append(f"{response.status} {body[:120]!r}")
                return
            marks.append((int(response.headers["x-board-sequence"]), t0, acked))
        except (aiohttp.ClientError, TimeoutError) as error:
            failures.append(type(error).__name__)

    start = time.monotonic()
    tasks = []
    for i, (person, room) in enumerate(plan):
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(person, room)))
    await asyncio.gather(*tasks)
    await client.close()
    return marks, posts, failures


def counts_shown(html: str) -> dict[int, int]:
    """Per room, the "here" figure of its cell in the slot running now."""
    shown = {}
    for room, _slot, body in CELL.findall(html):
        if "is-now" in body:
            here = HERE.search(body)
            shown[int(room)] = int(here.group(1)) if here else 0
    return shown


# -- the run ---------------------------------------------------------------------------------------


def main_bench(args: argparse.Namespace) -> int:
    import httpx  # inline: as above

    tmp = Path(tempfile.mkdtemp(prefix="twofeet-checkin-"))
    env = {
        "TWOFEET_SECRET_KEY": "bench",
        "TWOFEET_DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
        "TWOFEET_LIVE_WINDOW_MS": str(args.window_ms),
        "TWOFEET_MAX_ATTENDEES_PER_EVENT": "100000",
        "TWOFEET_SOLVER_BOUND_SECONDS": "0",
        "TWOFEET_SQLITE_SYNCHRONOUS": args.synchronous,
    }
    port = free_port()
    server = start_server(port, env, tmp / "server.log", [])
    try:
        base = f"http://127.0.0.1:{port}"
        day = setup_day(base, args.people)
        (tmp / "plan.json").write_text(json.dumps(day))
        plan = check_in_plan(args.people, args.checkins, day["rooms"])
        swarm = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--swarm",
                "--plan",
                str(tmp / "plan.json"),
                "--out",
                str(tmp / "swarm.json"),
                "--clients",
                str(args.clients),
                "--boards",
                str(args.boards),
                "--spanish",
                str(args.spanish),
                "--drain",
                str(args.drain),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=ROOT,
            text=True,
        )
        assert swarm.stdout is not None and swarm.stdin is not None
        hello = json.loads(swarm.stdout.readline())
        connected = httpx_get_json(f"{base}/healthz/live")["connected"]
        cpu0, t0 = cpu_seconds(server.pid), time.monotonic()
        marks, posts, failures = asyncio.run(
            post_checkins(base, day["code"], day["tokens"], plan, args.checkins / args.duration)
        )
        elapsed = time.monotonic() - t0
        cpu1 = cpu_seconds(server.pid)
        swarm.stdin.write("stop\n")
        swarm.stdin.flush()
        swarm.stdout.readline()
        swarm.wait(timeout=180)
        data = json.loads((tmp / "swarm.json").read_text())
        boards = set(range(args.boards))
        result = analyse(data["frames"], marks, day["since"], skip=set(range(args.clients)) - boards)
        on_boards = analyse([data["frames"][i] for i in sorted(boards)], marks, day["since"])
        expected = dict.fromkeys(day["rooms"], 0)
        where: dict[int, int] = {}
        for person, room in plan:
            where[person] = room
        for room in where.values():
            expected[room] += 1
        pushed = [counts_shown(html) for html in data["boards"]]
        reloaded = counts_shown(httpx.get(f"{base}/e/{day['code']}/board").text)
        right = sum(shown == expected for shown in pushed)
        memory = rss_mb(server.pid)
        stats = httpx_get_json(f"{base}/healthz/live")
        lat = result["latencies"]
        doors, phones = ROOMS, args.clients - args.boards - ROOMS
        print()
        print(
            f"{args.checkins} check-ins ({args.people} people, {args.checkins - args.people} moves) over "
            f"{args.duration:g} s · {args.clients} clients: {args.boards} boards, {doors} doors, {phones} phones "
            f"on 'my day' ({args.spanish:.0%} Spanish) · 1 process, SQLite synchronous={args.synchronous} · "
            f"window {args.window_ms} ms"
        )
        rows = [
            ("connected clients (swarm / server)", f"{hello['ready']} / {connected}"),
            ("check-ins answered / failed", f"{len(marks)} / {len(failures)} {sorted(set(failures))[:3]}"),
            ("check-ins/s achieved", f"{len(marks) / elapsed:.1f}"),
            (
                "POST latency p50 / p99 / max ms",
                f"{pct(posts, 0.5):.0f} / {pct(posts, 0.99):.0f} / {max(posts, default=float('nan')):.0f}",
            ),
            ("send→every board p50 ms", f"{pct(lat, 0.5):.0f}"),
            ("p95 ms", f"{pct(lat, 0.95):.0f}"),
            ("p99 ms", f"{pct(lat, 0.99):.0f}"),
            ("max ms", f"{max(lat) if lat else float('nan'):.0f}"),
            ("latency samples (check-ins × boards)", f"{len(lat)}"),
            ("lost / duplicated on boards", f"{on_boards['lost']} / {on_boards['duplicated']}"),
            ("lost / duplicated, every client", f"{result['lost']} / {result['duplicated']}"),
            ("clients not at the final sequence", f"{result['clients_behind']}"),
            ("boards whose last push shows every room's count right", f"{right} / {len(pushed)}"),
            ("a reload shows the same counts", f"{reloaded == expected}"),
            ("door refetches asked / GETs made", f"{data['refetches']} / {data['gets']}"),
            ("client errors", f"{len(data['errors'])} {sorted(set(data['errors']))[:3]}"),
            ("server renders", f"{stats['renders']}"),
            ("server CPU % (one core = 100)", f"{(cpu1 - cpu0) / elapsed * 100:.0f}"),
            ("server RSS MB now / peak", "{:.0f} / {:.0f}".format(*memory)),
        ]
        width = max(len(k) for k, _ in rows)
        print(f"| {'metric'.ljust(width)} | value |")
        print(f"|{'-' * (width + 2)}|-------|")
        for key, value in rows:
            print(f"| {key.ljust(width)} | {value} |")
        if right < len(pushed) or reloaded != expected:
            print("expected", expected, "\nreloaded", reloaded, "\npushed", pushed[:2])
        return 0
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkins", type=int, default=2000)
    parser.add_argument("--people", type=int, default=1600, help="attendees; the other check-ins are moves")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds the check-ins are spread over")
    parser.add_argument("--clients", type=int, default=2000, help="websocket clients in all")
    parser.add_argument(
        "--boards", type=int, default=8, help="projectors among them (a door per room, phones the rest)"
    )
    parser.add_argument("--spanish", type=float, default=0.3, help="the share of phones in Spanish")
    parser.add_argument("--window-ms", type=int, default=100)
    parser.add_argument("--drain", type=float, default=3.0)
    parser.add_argument("--synchronous", default="FULL", help="SQLite's synchronous (FULL: twofeet serve's default)")
    parser.add_argument("--swarm", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--plan", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.swarm:
        try:
            import uvloop  # as live_load's swarm

            uvloop.run(swarm_main(args))
        except ImportError:
            asyncio.run(swarm_main(args))
        return 0
    return main_bench(args)


if __name__ == "__main__":
    sys.exit(main())
