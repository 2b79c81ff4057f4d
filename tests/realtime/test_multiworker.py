"""Two uvicorn processes sharing PostgreSQL and Redis: a mark made on one reaches boards on the other.

Under CI=true these fail, not skip, when PostgreSQL or Redis is unreachable.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from app.db import make_engine, upgrade_database
from tests.conftest import IN_CI, postgres_url_or_skip
from tests.realtime.live import (
    Listener,
    Server,
    board_sequence,
    free_port,
    listen,
    make_event,
    mark,
    run_async,
    server_env,
)

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

REDIS_ENV = "TWOFEET_TEST_REDIS_URL"


def _unavailable(message: str) -> None:
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def redis_url_or_skip() -> str:
    """The shared test Redis (default 127.0.0.1:6379/0); skipped when down, failed under CI."""
    import redis  # inline: only these tests talk to Redis directly

    url = os.environ.get(REDIS_ENV, "redis://127.0.0.1:6379/0")
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        client.ping()
        client.close()
    except redis.RedisError as error:
        _unavailable(f"Redis at {url} is unreachable: {error}")
    return url


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A fresh PostgreSQL schema, migrated once (as `twofeet migrate` would), dropped afterwards."""
    base = postgres_url_or_skip()
    schema = f"live_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in base else "?"
    url = f"{base}{separator}options={quote(f'-csearch_path={schema}')}"
    engine = make_engine(url)
    upgrade_database(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


class RedisProcess:
    """A redis-server of the test's own, on a spare port, that the test can stop and restart."""

    def __init__(self, tmp_path: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            _unavailable("redis-server is not installed")
        self.binary = binary or ""
        self.port = free_port()
        self.dir = tmp_path
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis  # inline: as above

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
                return
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


def _check_exact(listener: Listener, start: int, end: int) -> None:
    covered = listener.covered()
    assert covered == list(range(start + 1, end + 1)), (
        f"lost {sorted(set(range(start + 1, end + 1)) - set(covered))}, "
        f"duplicated {sorted({n for n in covered if covered.count(n) > 1})}"
    )


def test_marks_on_either_worker_reach_boards_on_both(pg_schema_url: str, tmp_path: Path) -> None:
    redis_url = redis_url_or_skip()
    env = server_env(pg_schema_url, TWOFEET_BROADCAST_URL=redis_url)
    one = Server(free_port(), env, tmp_path / "one.log").start()
    two = Server(free_port(), env, tmp_path / "two.log").start()
    try:
        event = make_event(one.url, attendees=20, topics=6)
        start = board_sequence(two.url, event.code)

        async def scenario() -> None:
            boards = [
                await listen(server.ws_url, event.code, view=view, since=start)
                for server in (one, two)
                for view in ("board", "wall", "board")
            ]
            await asyncio.sleep(0.3)
            last = start
            for i in range(40):
                server = one if i % 2 else two
                last = await asyncio.to_thread(
                    mark, server.url, event.code, event.attendee_tokens[i % 20], event.topic_ids[i % 6]
                )
                await asyncio.sleep(0.02)
            for board in boards:
                await board.wait_for(last)
            await asyncio.sleep(0.5)  # anything late or doubled would show up now
            for board in boards:
                _check_exact(board, start, last)
                await board.close()
            assert last == start + 40

        run_async(scenario())
        assert one.stats()["broadcast_healthy"] and two.stats()["broadcast_healthy"]
    finally:
        one.stop()
        two.stop()


def test_redis_restart_mid_stream_resumes_delivery_and_resyncs_boards(pg_schema_url: str, tmp_path: Path) -> None:
    redis_server = RedisProcess(tmp_path)
    redis_server.start()
    # The periodic database check is pushed out of the way: recovery must come from the listener.
    env = server_env(pg_schema_url, TWOFEET_BROADCAST_URL=redis_server.url, TWOFEET_LIVE_SWEEP_S="600")
    one = Server(free_port(), env, tmp_path / "one.log").start()
    two = Server(free_port(), env, tmp_path / "two.log").start()
    try:
        event = make_event(one.url, attendees=30, topics=5)
        start = board_sequence(two.url, event.code)

        async def marks(count: int, offset: int) -> int:
            last = 0
            for i in range(offset, offset + count):
                last = await asyncio.to_thread(
                    mark, one.url, event.code, event.attendee_tokens[i % 30], event.topic_ids[i % 5]
                )
                await asyncio.sleep(0.02)
            return last

        async def scenario() -> None:
            boards = [await listen(two.ws_url, event.code, view=view, since=start) for view in ("board", "wall")]
            await asyncio.sleep(0.3)
            before = await marks(10, 0)
            for board in boards:
                await board.wait_for(before)

            await asyncio.to_thread(redis_server.stop)
            during = await marks(10, 10)  # made on worker one while Redis is down
            await asyncio.sleep(1.0)
            assert all(board.last < during for board in boards), "nothing should cross without Redis"

            await asyncio.to_thread(redis_server.start)
            for board in boards:  # the listener reconnects, resyncs from the database
                await board.wait_for(during, timeout=15)
            after = await marks(10, 20)
            for board in boards:
                await board.wait_for(after, timeout=5)
            await asyncio.sleep(0.5)
            for board in boards:
                _check_exact(board, start, after)
                await board.close()

        run_async(scenario())
        assert two.stats()["broadcast_reconnects"] >= 1
    finally:
        one.stop()
        two.stop()
        redis_server.stop()
