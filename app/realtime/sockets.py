"""One event's sockets in one process: the channel, its clients, and how each socket is fed.

The hub (``hub.py``) decides what to send and when; this module holds the state of a channel
and its clients, and the per-socket work: the writer that sends a client's queue in order, the
reader that ends a connection on anything but "ping", and the watchdog pass that stops stalled
sends and pings idle sockets.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from starlette.requests import HTTPConnection, Request
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from app.realtime.render import Push, meta

log = logging.getLogger("twofeet.realtime")

HEARTBEAT = "<!-- ping -->"
CLOSE_RESTART = 1012  # "service restart": htmx-ext-ws reconnects
CLOSE_TRY_AGAIN = 1013  # "try again later": a client too slow to keep up
CLOSE_POLICY = 1008
CLOSE_TOO_BIG = 1009
MAX_CLIENT_FRAME = 1024


# A queued frame: (kind, first, last, push, text). ``text`` is the frame as most clients get it,
# built once per batch; a client whose own sequence differs gets its own meta line instead.
Item = tuple[str, int, int, Push, str]
PING: Item = ("ping", 0, 0, Push("delta"), HEARTBEAT)


@dataclass(eq=False)
class Client:
    """One socket: what it shows, the last sequence it was sent, and its bounded queue."""

    ws: WebSocket
    view: str
    seen: int
    queue: asyncio.Queue[Item | None]
    frames_sent: int = 0
    # Watched by the hub's watchdog instead of a timer per frame: when the send in progress began
    # (None when idle), when the last frame went out, and the writer task to stop on a stall.
    sending_since: float | None = None
    last_sent: float = 0.0
    writer: asyncio.Task[None] | None = None
    stalled: bool = False
    # True while the writer task handles an item (sending, or waiting to render a refresh).
    busy: bool = False
    # The server's prepared-frame write (app.realtime.wsserver), when it offers one.
    write: Callable[[bytes], bool] | None = None

    def write_now(self, item: Item, frame: bytes, now: float) -> bool:
        """Write a broadcast frame at once when nothing is queued or in progress ahead of it.

        False when it must go through the queue: no prepared writes here, the writer is busy,
        the frame needs this client's own meta line, or the server declined (backpressure).
        """
        _, first, last, _, _ = item
        if (
            self.write is None
            or self.busy
            or first < self.seen
            or last <= self.seen
            or not self.queue.empty()
            or not self.write(frame)
        ):
            return False
        self.seen = last
        self.last_sent = now
        self.frames_sent += 1
        return True

    def offer(self, item: Item) -> int:
        """Queue a frame; when the queue is full, drop what is queued and ask for one refresh.

        Returns how many broadcast frames were dropped (they will never be sent).
        """
        try:
            self.queue.put_nowait(item)
            return 0
        except asyncio.QueueFull:
            dropped = 1
            while not self.queue.empty():
                queued = self.queue.get_nowait()
                dropped += queued is not None and queued[0] == "batch"
            self.queue.put_nowait(None)  # None: "catch up from what you were last sent", rendered when sent
            return dropped


@dataclass(eq=False)
class Channel:
    """The local sockets of one event, and how far this process has rendered its log."""

    event_id: int
    seq: int
    request: HTTPConnection
    clients: dict[str, set[Client]] = field(default_factory=dict)
    target: int = 0
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    task: asyncio.Task[None] | None = None
    refresh_cache: dict[str, tuple[int, Push]] = field(default_factory=dict)
    replay_cache: dict[tuple[str, int, int], Push] = field(default_factory=dict)
    # Broadcast frames queued but not yet written; the next render waits for them (see _run).
    inflight: int = 0
    drained: asyncio.Event = field(default_factory=asyncio.Event)
    # A few stragglers (2%) do not hold the next render back: only the bulk of the fan-out does.
    stragglers: int = 0
    # When the first change not yet rendered was signalled, and when the rest after the last
    # render and fan-out ends (loop time; see Hub._run).
    woken_at: float = 0.0
    rest_until: float = 0.0

    def count(self) -> int:
        return sum(len(s) for s in self.clients.values())

    def settle(self, n: int = 1) -> None:
        self.inflight = max(0, self.inflight - n)
        if self.inflight <= self.stragglers:
            self.drained.set()


@dataclass
class HubStats:
    renders: int = 0
    frames: int = 0
    overflows: int = 0
    stalled: int = 0
    refused: int = 0
    garbage: int = 0
    prepared: int = 0  # of ``frames``: written as bytes framed once per batch, not through ASGI


async def close(client: Client, code: int) -> None:
    """Close ``client``'s socket with ``code`` unless it is gone; never raises, waits at most 1 s."""
    with contextlib.suppress(Exception):
        if client.ws.application_state != WebSocketState.DISCONNECTED:
            await asyncio.wait_for(client.ws.close(code), timeout=1)


async def read(client: Client, writer: asyncio.Task[None], stats: HubStats) -> None:
    """Clients only listen. Anything they send beyond a tiny "ping" ends their connection."""
    receiving = asyncio.ensure_future(client.ws.receive())
    try:
        while True:
            done, _ = await asyncio.wait({receiving, writer}, return_when=asyncio.FIRST_COMPLETED)
            if writer in done:  # the writer gave up on this client (stalled, or the socket broke)
                return
            message = receiving.result()
            if message["type"] == "websocket.disconnect":
                return
            data = message.get("text") if message.get("text") is not None else message.get("bytes")
            if data is not None and len(data) > MAX_CLIENT_FRAME:
                stats.garbage += 1
                await close(client, CLOSE_TOO_BIG)
                return
            if data != "ping":
                stats.garbage += 1
                await close(client, CLOSE_POLICY)
                return
            receiving = asyncio.ensure_future(client.ws.receive())
    except (WebSocketDisconnect, RuntimeError):
        return
    finally:
        if not receiving.done():
            receiving.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await receiving


async def write(
    channel: Channel, client: Client, stats: HubStats, catch_up: Callable[[Channel, str, int], Awaitable[Push | None]]
) -> None:
    """Send the client's queue in order. No timer per frame: the watchdog handles stalls and pings."""
    try:
        while True:
            client.busy = False
            item = await client.queue.get()
            client.busy = True
            if item is None:  # the queue overflowed: one catch-up instead of what was dropped
                first = client.seen
                async with channel.lock:
                    last = channel.seq
                    caught_up = await catch_up(channel, client.view, first)
                if caught_up is None:
                    continue
                text = meta(first, last, caught_up) + caught_up.body
            else:
                kind, first, last, push, text = item
                if kind == "ping":
                    last = client.seen
                elif kind == "refresh":
                    if first != client.seen:
                        first = client.seen
                        text = meta(first, max(last, first), push) + push.body
                elif last <= client.seen:
                    if kind == "batch":
                        channel.settle()
                    continue
                elif first < client.seen:
                    first = client.seen
                    text = meta(first, last, push) + push.body
            if last < client.seen:
                last = client.seen
            client.sending_since = time.monotonic()
            try:
                await client.ws.send_text(text)
            finally:
                client.sending_since = None
                if item is not None and item[0] == "batch":
                    channel.settle()
            client.last_sent = time.monotonic()
            client.seen = last
            if item is not PING:
                client.frames_sent += 1
                stats.frames += 1
    except asyncio.CancelledError:
        if not client.stalled:
            raise
        stats.stalled += 1
        log.info("Closing a websocket that stopped reading (event %s)", channel.event_id)
        await close(client, CLOSE_TRY_AGAIN)
    except (WebSocketDisconnect, RuntimeError, OSError):
        return


def watch(channels: Iterable[Channel], now: float, *, send_timeout_s: float, heartbeat_s: float) -> None:
    """One watchdog pass: stop writers stuck in a send past the timeout, ping idle sockets."""
    for channel in list(channels):
        for clients in list(channel.clients.values()):
            for client in list(clients):
                since = client.sending_since
                if since is not None:
                    if now - since > send_timeout_s and not client.stalled and client.writer:
                        client.stalled = True
                        client.writer.cancel()
                elif now - client.last_sent > heartbeat_s and client.queue.empty():
                    client.last_sent = now
                    client.offer(PING)


def render_request(ws: WebSocket) -> HTTPConnection:
    """An HTTP-looking connection for ``url_for`` in templates, from the socket's own scope."""
    scope = dict(ws.scope)
    scope["type"] = "http"
    scope["scheme"] = {"ws": "http", "wss": "https"}.get(scope.get("scheme", "ws"), "http")
    scope["method"] = "GET"
    return Request(scope)
