"""Helpers for tests against real uvicorn processes: start, stop, drive the API, read frames."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
from websockets.asyncio.client import ClientConnection, connect

from app.cli import uvicorn_command_line

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[2]
META = re.compile(r'<div id="live-meta" hidden data-from="(\d+)" data-to="(\d+)" data-action="(\w+)"')


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` in a thread of its own: the test session may already run a loop here
    (browser tests' fixtures do), and asyncio.run refuses to nest."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """One uvicorn process running ``create_app()`` configured through TWOFEET_* variables."""

    port: int
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> Server:
        env = {**os.environ, **self.env, "PYTHONPATH": str(ROOT)}
        with self.log_path.open("ab") as log:  # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "--factory",
                    "app.main:create_app",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    *uvicorn_command_line(),
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log_path.read_text()[-3000:]}")
            try:
                if httpx.get(self.url + "/healthz/live", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server did not start:\n{self.log_path.read_text()[-3000:]}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def stats(self) -> dict[str, Any]:
        return httpx.get(self.url + "/healthz/live", timeout=5).json()


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {
        "TWOFEET_DATABASE_URL": database_url,
        "TWOFEET_SECRET_KEY": "live-test-secret",
        "TWOFEET_SQLITE_SYNCHRONOUS": "NORMAL",
        "TWOFEET_BROADCAST_URL": "memory://",
        "TWOFEET_LIVE_SEND_TIMEOUT_S": "2",
        # Tests make many events and logins from one address; tests/security sets the real limits.
        "TWOFEET_EVENT_CREATION_RATE": "10000/minute",
        "TWOFEET_LOGIN_RATE_PER_CLIENT": "10000/minute",
        "TWOFEET_LOGIN_RATE_PER_EVENT": "10000/minute",
        "TWOFEET_SOLVER_BOUND_SECONDS": "0",
    }
    env.update(extra)
    return env


@dataclass
class EventFixture:
    """An event in the proposing phase with attendees (tokens) and topics, made over the API."""

    code: str
    organizer_token: str
    attendee_tokens: list[str]
    topic_ids: list[int]


def make_event(base_url: str, *, attendees: int = 5, topics: int = 4) -> EventFixture:
    with httpx.Client(base_url=base_url, timeout=10) as http:
        body = {
            "name": "Live Edcamp",
            "date": "2027-03-13",
            "timezone": "America/Los_Angeles",
            "rooms": [{"name": "Library", "capacity": 60}, {"name": "Room 2", "capacity": 25}],
            "slots": [{"start": "09:30", "end": "10:20"}, {"start": "10:30", "end": "11:20"}],
        }
        created = http.post("/api/v1/events", json=body)
        created.raise_for_status()
        code, org = created.json()["code"], created.json()["organizer_token"]
        http.post(
            f"/api/v1/events/{code}/phase", json={"phase": "proposing"}, headers={"Authorization": f"Bearer {org}"}
        ).raise_for_status()
        tokens = []
        for i in range(attendees):
            joined = http.post(f"/api/v1/events/{code}/attendees", json={"name": f"Teacher {i}"})
            joined.raise_for_status()
            tokens.append(joined.json()["token"])
        topic_ids = []
        for i in range(topics):
            made = http.post(
                f"/api/v1/events/{code}/topics",
                json={"title": f"Topic <b>{i}</b> & more"},
                headers={"Authorization": f"Bearer {tokens[i % len(tokens)]}"},
            )
            made.raise_for_status()
            topic_ids.append(made.json()["id"])
    return EventFixture(code, org, tokens, topic_ids)


def mark(base_url: str, code: str, token: str, topic_id: int, *, unmark: bool = False) -> int:
    """Mark (or unmark) over the API; returns the board sequence the change got."""
    method = "DELETE" if unmark else "PUT"
    response = httpx.request(
        method,
        f"{base_url}/api/v1/events/{code}/topics/{topic_id}/interest",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    response.raise_for_status()
    return int(response.headers["x-board-sequence"])


def board_sequence(base_url: str, code: str) -> int:
    page = httpx.get(f"{base_url}/e/{code}/board", timeout=10).text
    match = META.search(page)
    assert match is not None
    return int(match.group(2))


@dataclass
class Frame:
    first: int
    last: int
    action: str
    text: str
    at: float


@dataclass
class Listener:
    """A websocket client that records every frame (and the sequence ranges they cover)."""

    ws: ClientConnection
    frames: list[Frame] = field(default_factory=list)
    task: asyncio.Task[None] | None = None
    close_code: int | None = None

    async def _run(self) -> None:
        try:
            async for message in self.ws:
                text = message if isinstance(message, str) else message.decode()
                found = META.search(text)
                if found:
                    self.frames.append(
                        Frame(int(found.group(1)), int(found.group(2)), found.group(3), text, time.monotonic())
                    )
        except Exception:  # noqa: BLE001 - the close code is what tests look at
            pass
        finally:
            self.close_code = self.ws.close_code

    @property
    def last(self) -> int:
        return self.frames[-1].last if self.frames else -1

    def covered(self) -> list[int]:
        """Every sequence number the frames covered, in order (a number twice means a duplicate)."""
        numbers: list[int] = []
        for frame in self.frames:
            numbers.extend(range(frame.first + 1, frame.last + 1))
        return numbers

    async def wait_for(self, sequence: int, timeout: float = 10.0) -> Frame:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for frame in self.frames:
                if frame.last >= sequence:
                    return frame
            await asyncio.sleep(0.01)
        raise AssertionError(f"sequence {sequence} not received; got {[(f.first, f.last) for f in self.frames]}")

    async def close(self) -> None:
        await self.ws.close()
        if self.task is not None:
            await self.task


async def listen(
    ws_base: str, code: str, *, view: str = "board", since: int | None = None, origin: str | None = None
) -> Listener:
    query = f"view={view}" + (f"&since={since}" if since is not None else "")
    headers = {"Origin": origin} if origin else None
    ws = await connect(f"{ws_base}/e/{code}/ws?{query}", additional_headers=headers, open_timeout=10)
    listener = Listener(ws)
    listener.task = asyncio.create_task(listener._run())
    return listener
