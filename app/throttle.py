"""Rate limits per client address and per event, on the ``limits`` library.

One process keeps its counters in memory; with ``TWOFEET_BROADCAST_URL=redis://...`` (several
workers or hosts) they live in that Redis, so every worker counts the same guesses. A moving window
is used: a burst cannot straddle two fixed windows to get twice the allowance.

Limits are written as ``limits`` strings ("10/minute", "5 per 15 minutes") in the settings.
"""

from __future__ import annotations

import hashlib
import math
import time

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import MovingWindowRateLimiter

from app.domain.errors import TooBusy
from app.i18n import ngettext


def make_storage(broadcast_url: str, *, namespace: str) -> Storage:
    """Memory for one process; the shared Redis when the workers already share one for live updates.

    ``namespace`` keeps two installs that share a Redis (a staging copy, parallel test runs) from
    counting each other's attempts: it is derived from the database the install runs on."""
    if broadcast_url.startswith(("redis://", "rediss://")):
        prefix = "twofeet-limits-" + hashlib.sha256(namespace.encode()).hexdigest()[:16]
        return RedisStorage(broadcast_url, key_prefix=prefix)
    return MemoryStorage()


class Throttle:
    """Counts attempts under named limits and refuses the one over, saying when to try again."""

    def __init__(self, storage: Storage) -> None:
        self._limiter = MovingWindowRateLimiter(storage)
        self._items: dict[str, RateLimitItem] = {}

    def _item(self, limit: str) -> RateLimitItem:
        item = self._items.get(limit)
        if item is None:
            item = self._items[limit] = parse(limit)
        return item

    def retry_after(self, limit: str, *keys: str) -> int:
        """Seconds until ``keys`` may try again under ``limit`` (0: now)."""
        item = self._item(limit)
        if self._limiter.test(item, *keys):
            return 0
        reset_at, _remaining = self._limiter.get_window_stats(item, *keys)
        return max(1, math.ceil(reset_at - time.time()))

    def check(self, limit: str, *keys: str, message: str) -> None:
        """TooBusy (429 with Retry-After) when ``keys`` have used up ``limit``; counts nothing."""
        wait = self.retry_after(limit, *keys)
        if wait:
            raise TooBusy(message.format(wait=_wait_words(wait)), retry_after=wait)

    def hit(self, limit: str, *keys: str, message: str) -> None:
        """Count one attempt of ``keys`` under ``limit``; TooBusy when it is one too many."""
        if not self._limiter.hit(self._item(limit), *keys):
            wait = self.retry_after(limit, *keys) or 1
            raise TooBusy(message.format(wait=_wait_words(wait)), retry_after=wait)

    def clear(self, limit: str, *keys: str) -> None:
        self._limiter.clear(self._item(limit), *keys)


def _wait_words(seconds: int) -> str:
    """How long to wait, in the request's language ("30 seconds", "2 minutes")."""
    if seconds < 90:
        return ngettext("{count} second", "{count} seconds", seconds).format(count=seconds)
    minutes = math.ceil(seconds / 60)
    return ngettext("{count} minute", "{count} minutes", minutes).format(count=minutes)
