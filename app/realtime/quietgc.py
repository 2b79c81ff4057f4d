"""Full garbage-collection passes at quiet moments, not in the middle of a fan-out.

With 2,000 phones connected a process holds some 400,000 long-lived objects (each
socket's protocol, buffers, ASGI frames and scope), and a full pass of CPython's
cyclic collector over them took 200-670 ms on the 2-core development VM. Python
starts that pass whenever enough has been promoted since the last, so it lands in the
middle of marking as readily as anywhere, and every socket of the process waits for
it (``BENCHMARKS.md``, *Live board*).

So while the hub runs, the oldest generation is not collected automatically. This
collector runs the full pass itself: when the process has had no board activity for
``quiet_s`` and Python would have wanted a pass, and in any case once
``max_interval_s`` has gone by without one, so memory held by reference cycles is
still reclaimed on a day that never goes quiet. The young generations are collected
as usual. Each pass's length is kept for ``/healthz/live``.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["GcStats", "QuietCollector"]

#: The third threshold while the collector runs: Python never reaches it by itself.
_NEVER = 1_000_000_000
#: Full passes Python would have made by now: its own default third threshold.
_PYTHON_WOULD = 10
#: Collectors running in this process (tests start several apps), and Python's own third
#: threshold from before the first of them: the last one to stop puts it back.
_running = 0
_python_threshold = _PYTHON_WOULD


@dataclass
class GcStats:
    passes: int = 0
    overdue: int = 0  # of ``passes``: made at ``max_interval_s`` although the process was busy
    last_ms: float = 0.0
    max_ms: float = 0.0


class QuietCollector:
    """Run the full GC pass when ``last_activity`` (a loop-time clock reading) is old enough."""

    def __init__(self, last_activity: Callable[[], float], *, quiet_s: float = 2.0, min_interval_s: float = 20.0,
                 max_interval_s: float = 300.0, check_s: float = 0.5) -> None:
        self.last_activity = last_activity
        self.quiet_s = quiet_s
        self.min_interval_s = min_interval_s
        self.max_interval_s = max_interval_s
        self.check_s = check_s
        self.stats = GcStats()
        self._task: asyncio.Task[None] | None = None
        self._last_pass = 0.0

    def start(self) -> None:
        global _running, _python_threshold
        loop = asyncio.get_running_loop()
        if _running == 0:
            first, second, _python_threshold = gc.get_threshold()
            gc.set_threshold(first, second, _NEVER)
        _running += 1
        self._last_pass = loop.time()
        self._task = asyncio.create_task(self._run(loop), name="twofeet-quiet-gc")

    async def stop(self) -> None:
        global _running
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None
        _running -= 1
        if _running == 0:
            first, second, _ = gc.get_threshold()
            gc.set_threshold(first, second, _python_threshold)

    def due(self, now: float) -> str | None:
        """``"quiet"`` or ``"overdue"`` when a full pass should run now, else ``None``."""
        since_pass = now - self._last_pass
        if gc.get_count()[2] < _PYTHON_WOULD or since_pass < self.min_interval_s:
            return None
        if now - self.last_activity() >= self.quiet_s:
            return "quiet"
        if since_pass >= self.max_interval_s:
            return "overdue"
        return None

    def collect(self, now: float, reason: str) -> None:
        began = time.perf_counter()
        gc.collect()
        took = (time.perf_counter() - began) * 1000
        self._last_pass = now
        self.stats.passes += 1
        self.stats.overdue += reason == "overdue"
        self.stats.last_ms = round(took, 1)
        self.stats.max_ms = max(self.stats.max_ms, self.stats.last_ms)

    async def _run(self, loop: asyncio.AbstractEventLoop) -> None:
        while True:
            await asyncio.sleep(self.check_s)
            now = loop.time()
            reason = self.due(now)
            if reason is not None:
                self.collect(now, reason)
