"""The per-process hub: from a committed BoardEvent to every screen that shows the event.

How an update flows:

1. A domain function writes a change and its BoardEvent (numbered per event) in one transaction
   and commits; ``app/realtime/publisher.py`` hands ``(event_id, sequence)`` to the hub of the
   app that owns the engine, thread-safely, after the commit: nothing is pushed for a rollback.
   (What each kind of change does to each screen: ``app/domain/changes.py``.)
2. ``Hub.publish`` wakes the event's local ``Channel`` and tells the other processes through the
   ``Broadcast`` backend (memory or Redis); their hubs get the same wake-up.
3. The channel waits a short coalescing window, then reads the database once, renders the
   fragments once per view and hands the same text to every local client. A burst of marks
   costs a few renders, not one per mark per phone.
4. ``fanout.deliver`` hands the batch out. Under ``twofeet serve`` the server offers a write of bytes framed once per batch
   (``app/realtime/wsserver.py``): an idle socket gets the frame at once, with no task switch and
   no ASGI send. Otherwise (a busy or slow socket, or another ASGI server) the frame goes on the
   client's bounded queue, drained by its own writer task. A client whose queue is full loses its
   queued frames and gets one catch-up from the last frame it was sent instead; a send that
   stalls past a timeout closes that socket with 1013 (try again later), which the htmx ws
   extension retries. Nobody else waits for
   it. Stalls and heartbeats are found by one watchdog pass a second rather than a timer per
   frame (at 2,000 sockets timers cost more than the sends).

Clients connect with the last sequence they saw (``?since=N``): the hub catches them up from the
database, however long the gap: the pushes carry the current state of what changed in it (see
``render.Changes``), not one fragment per change, so a room of phones back from a wifi blip
costs a few small renders (cached per gap), not a GET of every phone's wall. Every frame
starts with ``#live-meta`` naming the sequence numbers it covers, per client, so a client never
receives a number twice. A periodic check of each served event's sequence heals signals lost
between processes; a Redis listener that reconnects asks for the same check at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import time
from typing import Any

from jinja2 import Environment
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocket

from app.models import Event
from app.realtime import fanout, sockets
from app.realtime.broadcast import Broadcast
from app.realtime.publisher import install_commit_hook, uninstall_commit_hook
from app.realtime.render import Batch, Push, meta, render_batch, split_view, view_target
from app.realtime.sockets import CLOSE_RESTART, Channel, Client, HubStats, Item
from app.realtime.wsserver import PREPARED

log = logging.getLogger("twofeet.realtime")


class Hub:
    """Per-process fan-out of board changes to websockets (see the module docstring)."""

    def __init__(
        self,
        *,
        engine: Engine,
        env: Environment,
        broadcast: Broadcast,
        window_s: float = 0.1,
        queue_size: int = 16,
        heartbeat_s: float = 25.0,
        sweep_s: float = 5.0,
        send_timeout_s: float = 10.0,
        switch_interval_s: float = 0.0002,
        rest_ratio: float = 0.5,
    ) -> None:
        self.engine = engine
        self.switch_interval_s = switch_interval_s
        self.rest_ratio = rest_ratio
        self.fanout_chunk = 100
        self.env = env
        self.broadcast = broadcast
        self.window_s = window_s
        self.queue_size = queue_size
        self.heartbeat_s = heartbeat_s
        self.sweep_s = sweep_s
        self.send_timeout_s = send_timeout_s
        self.channels: dict[int, Channel] = {}
        self.stats = HubStats()
        self.loop: asyncio.AbstractEventLoop | None = None
        self._sweeper: asyncio.Task[None] | None = None
        self._watcher: asyncio.Task[None] | None = None
        self._sweep_now = asyncio.Event()
        self._closing = False
        self._tasks: set[asyncio.Task[Any]] = set()
        #: Loop time of the last change signalled or fan-out finished (the quiet collector reads it).
        self.last_activity = 0.0

    # -- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> None:
        self.loop = asyncio.get_running_loop()
        # The event loop (fan-out) and the request threads (database writes) share the GIL. A write
        # transaction waits for the GIL after each statement, up to one switch interval, while
        # holding the write turn (SQLite's lock or the event's row lock), so the interval caps
        # marks per second while thousands of sockets are being fed. 0.2 ms was measured best
        # (BENCHMARKS.md, live board, decision log).
        sys.setswitchinterval(min(sys.getswitchinterval(), self.switch_interval_s))
        install_commit_hook(self.engine, self)
        await self.broadcast.start(self._on_remote, self._on_resync)
        self._sweeper = asyncio.create_task(self._sweep(), name="twofeet-hub-sweeper")
        self._watcher = asyncio.create_task(self._watchdog(), name="twofeet-hub-watchdog")

    async def stop(self) -> None:
        """Close every socket with 1012 so clients reconnect (to this server restarted, or another)."""
        self._closing = True
        uninstall_commit_hook(self.engine)
        for task in (self._sweeper, self._watcher):
            if task is not None:
                task.cancel()
        closes = []
        for channel in list(self.channels.values()):
            if channel.task is not None:
                channel.task.cancel()
            for clients in channel.clients.values():
                for client in list(clients):
                    closes.append(sockets.close(client, CLOSE_RESTART))
        if closes:
            await asyncio.gather(*closes, return_exceptions=True)
        await self.broadcast.stop()

    # -- signals ---------------------------------------------------------------------------------

    def notify_threadsafe(self, event_id: int, sequence: int) -> None:
        """Called by the commit hook from any thread (sync routes run in a thread pool)."""
        loop = self.loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop is shutting down
            loop.call_soon_threadsafe(self.publish, event_id, sequence)

    def publish(self, event_id: int, sequence: int) -> None:
        """A change was committed here: wake local sockets and tell the other processes."""
        self._signal(event_id, sequence)
        task = asyncio.ensure_future(self.broadcast.publish(event_id, sequence))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _on_remote(self, event_id: int, sequence: int) -> None:
        self._signal(event_id, sequence)

    def _on_resync(self) -> None:
        self._sweep_now.set()

    def _signal(self, event_id: int, sequence: int) -> None:
        channel = self.channels.get(event_id)
        if channel is not None and sequence > channel.target:
            channel.target = sequence
            self.last_activity = asyncio.get_running_loop().time()
            if not channel.wake.is_set():
                channel.woken_at = self.last_activity
            channel.wake.set()

    async def _sweep(self) -> None:
        """Every few seconds (or at once after a broker reconnect) compare with the database."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._sweep_now.wait(), timeout=self.sweep_s)
            self._sweep_now.clear()
            ids = list(self.channels)
            if not ids:
                continue
            try:
                current = await run_in_threadpool(self._read_sequences, ids)
            except Exception:  # noqa: BLE001 - a database blip: try again on the next round
                log.exception("Could not read board sequences")
                continue
            for event_id, sequence in current.items():
                self._signal(event_id, sequence)

    def _read_sequences(self, ids: list[int]) -> dict[int, int]:
        with Session(self.engine) as session:
            rows = session.exec(select(col(Event.id), Event.board_sequence).where(col(Event.id).in_(ids)))
            # A primary key read back is never None; the test only tells mypy so.
            return {event_id: sequence for event_id, sequence in rows if event_id is not None}

    # -- rendering -------------------------------------------------------------------------------

    def _render(
        self, channel: Channel, *, after: int, views: list[str], upto: int | None = None, refresh: bool = False
    ) -> Batch | None:
        return render_batch(
            self.engine,
            self.env,
            channel.request,
            event_id=channel.event_id,
            after=after,
            views=views,
            upto=upto,
            refresh=refresh,
        )

    async def _run(self, channel: Channel) -> None:
        """The channel's render loop: wake, coalesce, render once, fan out.

        The coalescing window counts from the first change not yet rendered, so a change made during
        a fan-out does not wait a whole window more after it. But a render and its fan-out are
        followed by a rest of ``rest_ratio`` times what they took: with thousands of sockets a
        fan-out can take longer than the window, and then batches grow instead of fan-outs taking
        all of the event loop's time from the requests that make the changes (0.5x was measured
        best: BENCHMARKS.md, live board, decision log). Before the next render it also waits (up
        to half a second) for the writers to finish most of the last fan-out (a few stuck sockets
        are not waited for: they get a refresh or are closed).
        """
        loop = asyncio.get_running_loop()
        while channel.count():
            await self._wait_for_turn(channel, loop)
            began = loop.time()
            async with channel.lock:
                batch = await self._render_next(channel)
                if batch is None:
                    continue
                await fanout.deliver(channel, batch, self.stats, chunk=self.fanout_chunk)
                now = loop.time()
                channel.rest_until = now + self.rest_ratio * (now - began)
                self.last_activity = now

    async def _wait_for_turn(self, channel: Channel, loop: asyncio.AbstractEventLoop) -> None:
        """Wait for a change, then for the coalescing window, the rest after the last batch and its fan-out."""
        await channel.wake.wait()
        delay = max(channel.woken_at + self.window_s, channel.rest_until) - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        if channel.inflight > channel.stragglers:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(0.5):
                    await channel.drained.wait()
        channel.wake.clear()

    async def _render_next(self, channel: Channel) -> Batch | None:
        """The pushes for every view the channel's clients show, from its sequence on (None: nothing)."""
        views = [v for v, clients in channel.clients.items() if clients]
        if not views:
            return None
        try:
            batch = await run_in_threadpool(self._render, channel, after=channel.seq, views=views)
        except Exception:  # noqa: BLE001 - keep serving; the next signal or sweep retries
            log.exception("Rendering board pushes failed for event %s", channel.event_id)
            await asyncio.sleep(1)
            channel.wake.set()
            return None
        if batch is not None:
            self.stats.renders += 1
        return batch

    async def _refresh(self, channel: Channel, view: str) -> tuple[int, Push]:
        """A full snapshot for ``view`` at the channel's sequence (cached until the next batch)."""
        cached = channel.refresh_cache.get(view)
        if cached is not None and cached[0] == channel.seq:
            return cached
        batch = await run_in_threadpool(
            self._render, channel, after=channel.seq, views=[view], upto=channel.seq, refresh=True
        )
        push = batch.pushes[view] if batch else Push("refresh")
        if split_view(view)[0] == "wall" and push.action == "refresh":
            push = Push("refetch", target=view_target(view))
        channel.refresh_cache[view] = (channel.seq, push)
        return channel.seq, push

    async def _first_frame(self, channel: Channel, view: str, since: int | None) -> tuple[int, Item | None]:
        """What a client connecting with ``since`` is sent first: nothing, the gap, or a snapshot.

        Returns the sequence the client has seen before that frame, and the frame.
        """
        if since is not None and since > channel.seq:
            current = (await run_in_threadpool(self._read_sequences, [channel.event_id])).get(channel.event_id, 0)
            if since <= current:  # this process has not rendered that far yet; its next batch will
                channel.wake.set()
                return since, None
            since = None  # a sequence from the future (a reset database): start afresh
        if since == channel.seq:
            return since, None
        if since is None:
            seq, push = await self._refresh(channel, view)
            before = since or 0
            return before, ("refresh", before, seq, push, meta(before, seq, push) + push.body)
        missed = await self._catch_up(channel, view, since)
        if missed is None:
            return channel.seq, None
        return since, ("replay", since, channel.seq, missed, meta(since, channel.seq, missed) + missed.body)

    async def _catch_up(self, channel: Channel, view: str, since: int) -> Push | None:
        """What ``view`` needs after ``since`` to be at the channel's sequence (None: nothing).

        One push with the current state of what changed, however long the gap (see
        ``render.Changes``); cached per gap, since a room of phones back from the same wifi blip
        asks for the same one.
        """
        key = (view, since, channel.seq)
        push = channel.replay_cache.get(key)
        if push is None:
            batch = await run_in_threadpool(self._render, channel, after=since, views=[view], upto=channel.seq)
            if batch is None:
                return None
            push = batch.pushes[view]
            if len(channel.replay_cache) > 64:
                channel.replay_cache.clear()
            channel.replay_cache[key] = push
        return push

    # -- connections -----------------------------------------------------------------------------

    async def serve(self, ws: WebSocket, *, event_id: int, view: str, since: int | None) -> None:
        """Run one accepted socket until it closes."""
        channel = self.channels.get(event_id)
        if channel is None:
            sequence = (await run_in_threadpool(self._read_sequences, [event_id])).get(event_id, 0)
            channel = self.channels.get(event_id)  # another connection may have made it meanwhile
            if channel is None:
                channel = Channel(event_id=event_id, seq=sequence, target=sequence, request=sockets.render_request(ws))
                self.channels[event_id] = channel
        client = Client(
            ws=ws,
            view=view,
            seen=0,
            queue=asyncio.Queue(self.queue_size),
            last_sent=time.monotonic(),
            write=(ws.scope.get("extensions") or {}).get(PREPARED, {}).get("write"),
        )
        async with channel.lock:
            client.seen, first = await self._first_frame(channel, view, since)
            if first is not None:
                client.queue.put_nowait(first)
            channel.clients.setdefault(view, set()).add(client)
            if channel.task is None or channel.task.done():
                channel.task = asyncio.create_task(self._run(channel), name=f"twofeet-channel-{event_id}")
        writer = client.writer = asyncio.create_task(
            sockets.write(channel, client, self.stats, self._catch_up), name="twofeet-ws-writer"
        )
        try:
            await sockets.read(client, writer, self.stats)
        finally:
            writer.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await writer
            clients = channel.clients.get(view)
            if clients is not None:
                clients.discard(client)
            unsent = 0
            while not client.queue.empty():
                queued = client.queue.get_nowait()
                unsent += queued is not None and queued[0] == "batch"
            channel.settle(unsent)
            if not channel.count() and self.channels.get(event_id) is channel:
                del self.channels[event_id]
                channel.wake.set()  # lets the render loop see it has nobody left, and end

    async def _watchdog(self) -> None:
        """Pings idle sockets and stops writers stuck in one send past the timeout.

        One pass over the clients every second or so replaces a timer per frame, which under a
        fan-out to thousands of sockets cost more than the send itself.
        """
        interval = max(0.05, min(1.0, self.send_timeout_s / 4, self.heartbeat_s / 4))
        while True:
            await asyncio.sleep(interval)
            try:
                sockets.watch(
                    self.channels.values(),
                    time.monotonic(),
                    send_timeout_s=self.send_timeout_s,
                    heartbeat_s=self.heartbeat_s,
                )
            except Exception:  # noqa: BLE001 - never let pings and stall checks stop silently
                log.exception("The websocket watchdog failed a pass")

    def connected(self, event_id: int | None = None) -> int:
        if event_id is not None:
            channel = self.channels.get(event_id)
            return channel.count() if channel else 0
        return sum(c.count() for c in self.channels.values())
