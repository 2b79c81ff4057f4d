"""Handing one rendered batch to every local client of a channel (step 4 of ``hub.py``'s flow).

Each view's frame is framed once for all the sockets that can take bytes as they are
(``wsserver``) and written at once to the idle ones; a busy or slow socket gets it on its bounded
queue instead, drained by its own writer (``sockets.write``). Clients are handed out in chunks,
with a yield between, so a request coming back from its worker thread waits for one chunk of
sends, not for thousands.
"""

from __future__ import annotations

import asyncio
import time

from app.realtime.render import Batch, meta
from app.realtime.sockets import Channel, Client, HubStats, Item
from app.realtime.wsserver import prepare_text


async def deliver(channel: Channel, batch: Batch, stats: HubStats, *, chunk: int) -> None:
    """Move ``channel`` on to ``batch`` and hand each view's push to that view's clients."""
    channel.seq = batch.last
    channel.refresh_cache.clear()
    channel.replay_cache.clear()
    channel.drained.clear()
    channel.stragglers = channel.count() // 50
    for view, push in batch.pushes.items():
        item = ("batch", batch.first, batch.last, push, meta(batch.first, batch.last, push) + push.body)
        await _hand_out(channel, channel.clients.get(view, set()), item, stats, chunk=chunk)
    # Writers settle during the chunks' yields and may have set ``drained`` before the last
    # chunk was handed out: decide again now that every frame is queued.
    if channel.inflight <= channel.stragglers:
        channel.drained.set()
    else:
        channel.drained.clear()


async def _hand_out(channel: Channel, current: set[Client], item: Item, stats: HubStats, *, chunk: int) -> None:
    """Write ``item`` at once to every idle client of ``current`` and queue it for the others."""
    frame: bytes | None = None
    now = time.monotonic()
    for n, client in enumerate(list(current), 1):
        if n % chunk == 0:
            # Every offer wakes a writer, and the loop runs the writers it woke in one go: handed
            # out in chunks, a request's next step (back from its worker thread) waits for one
            # chunk of sends, not for 2,000.
            await asyncio.sleep(0)
        if client not in current:  # it left while an earlier chunk was handed out
            continue
        if client.write is not None:
            # Framed once for every socket that can take the bytes as they are.
            frame = frame or prepare_text(item[4])
            if client.write_now(item, frame, now):
                stats.frames += 1
                stats.prepared += 1
                continue
        channel.inflight += 1
        dropped = client.offer(item)
        if dropped:
            stats.overflows += 1
            channel.settle(dropped)
