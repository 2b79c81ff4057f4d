"""Cross-process fan-out of small signals: "event E is now at board sequence N".

The signals carry no content: every process re-reads the database (the truth) and renders for
its own sockets, so a lost signal costs a little latency, never a wrong screen. Two backends
behind one small interface, picked by ``TWOFEET_BROADCAST_URL``:

- ``memory://`` (the default): one process, delivery is a function call.
- ``redis://host:port/db``: Redis pub/sub through redis-py's asyncio client. The listener runs on
  its own connection and, when that connection drops, reconnects with jittered backoff and then
  calls ``on_resync`` so the hub re-reads the database for every event it serves: signals missed
  while Redis was away are healed at once instead of the process going quiet.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the client is imported where it is used, so only Redis deployments load it
    import redis.asyncio as aioredis

log = logging.getLogger("twofeet.realtime")

OnSignal = Callable[[int, int], None]
OnResync = Callable[[], None]


class Broadcast(Protocol):
    """Carries (event_id, sequence) signals between the processes serving one deployment."""

    healthy: bool

    async def start(self, on_signal: OnSignal, on_resync: OnResync) -> None:
        """Begin delivering other processes' signals to ``on_signal``."""
        ...

    async def publish(self, event_id: int, sequence: int) -> None:
        """Tell the other processes (best effort: the database heals anything lost)."""
        ...

    async def stop(self) -> None: ...


class MemoryBroadcast:
    """One process: the hub already delivers locally, so there is nobody else to tell."""

    healthy = True

    async def start(self, on_signal: OnSignal, on_resync: OnResync) -> None:
        return None

    async def publish(self, event_id: int, sequence: int) -> None:
        return None

    async def stop(self) -> None:
        return None


class RedisBroadcast:
    """Redis pub/sub with a listener that reconnects and asks for a resync after every gap."""

    def __init__(self, url: str, *, channel: str = "twofeet:board", max_backoff_s: float = 5.0) -> None:
        self.url = url
        self.channel = channel
        self.max_backoff_s = max_backoff_s
        self.origin = uuid.uuid4().hex  # our own signals come back from Redis; skip them
        self.healthy = False
        self.reconnects = 0
        self._publisher: aioredis.Redis | None = None
        self._task: asyncio.Task[None] | None = None
        self._connected = asyncio.Event()

    async def start(self, on_signal: OnSignal, on_resync: OnResync) -> None:
        import redis.asyncio as aioredis  # noqa: PLC0415 - only Redis deployments need the client loaded

        self._publisher = aioredis.Redis.from_url(self.url, socket_connect_timeout=2, socket_timeout=2)
        self._task = asyncio.create_task(self._listen(on_signal, on_resync), name="twofeet-redis-listener")
        try:  # give the first subscription a moment, so an early mark is not missed by a test or a worker
            await asyncio.wait_for(self._connected.wait(), timeout=3)
        except TimeoutError:
            log.warning("Redis at %s is not answering yet; the listener keeps trying", self.url)

    async def _listen(self, on_signal: OnSignal, on_resync: OnResync) -> None:
        import redis.asyncio as aioredis  # noqa: PLC0415 - as above
        from redis.exceptions import RedisError  # noqa: PLC0415 - as above

        attempt = 0
        had_gap = False
        while True:
            client = aioredis.Redis.from_url(self.url, socket_connect_timeout=2, health_check_interval=10)
            pubsub = client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.channel)
                self.healthy = True
                self._connected.set()
                attempt = 0
                if had_gap:
                    self.reconnects += 1
                    log.warning("Redis listener reconnected; resynchronising boards from the database")
                    on_resync()
                had_gap = True
                while True:
                    # A timeout lets the health check ping run on an idle channel, so a silent
                    # server (paused, or gone without a FIN) is noticed instead of waited on forever.
                    message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=5.0)
                    if message is None:
                        await pubsub.ping()
                        continue
                    self._handle(message.get("data"), on_signal)
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError, ConnectionError) as error:
                if self.healthy:
                    log.warning("Redis listener lost its connection (%s); reconnecting", error)
                self.healthy = False
                self._connected.clear()
            finally:
                try:
                    await pubsub.aclose()
                    await client.aclose()
                except Exception:  # noqa: BLE001 - the connection is already broken; nothing to save
                    pass
            delay = min(self.max_backoff_s, 0.1 * 2 ** min(attempt, 8))
            attempt += 1
            await asyncio.sleep(delay * (0.5 + random.random() / 2))

    def _handle(self, data: object, on_signal: OnSignal) -> None:
        try:
            if not isinstance(data, str | bytes | bytearray):
                raise TypeError(f"{type(data).__name__} is not JSON text")  # as json.loads would
            body = json.loads(data)
            if body.get("o") == self.origin:
                return
            on_signal(int(body["e"]), int(body["s"]))
        except (TypeError, ValueError, KeyError, AttributeError):
            log.warning("Ignoring a malformed board signal from Redis")

    async def publish(self, event_id: int, sequence: int) -> None:
        if self._publisher is None:
            return
        from redis.exceptions import RedisError  # noqa: PLC0415 - Redis deployments only

        try:
            await self._publisher.publish(self.channel, json.dumps({"e": event_id, "s": sequence, "o": self.origin}))
        except (RedisError, OSError, ConnectionError) as error:
            # Other processes will catch up from the database when their listener resyncs or
            # their periodic check runs; the local sockets were already told.
            log.warning("Could not publish a board signal to Redis: %s", error)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):  # noqa: BLE001 - shutting down
                pass
        if self._publisher is not None:
            await self._publisher.aclose()


def make_broadcast(url: str) -> Broadcast:
    """The backend named by ``url`` (``memory://`` or ``redis://...``)."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisBroadcast(url)
    if url in ("", "memory://", "memory"):
        return MemoryBroadcast()
    raise ValueError(f"TWOFEET_BROADCAST_URL: unsupported backend {url!r}; use memory:// or redis://host:6379/0")
