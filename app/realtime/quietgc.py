"""Full garbage-collection passes only at quiet moments; while the board is busy, none at all.

With 2,000 phones connected a process holds some 400,000 long-lived objects (each
socket's protocol, buffers, ASGI frames and scope), and a full pass of CPython's
cyclic collector over them took 200-1,100 ms on the 2-core development VM. Python
starts that pass whenever enough has been promoted since the last, so it lands in the
middle of marking as readily as anywhere, and every socket of the process waits for
it (``BENCHMARKS.md``, *Live board*).

So while the hub runs, the oldest generation is not collected automatically, and:

- at start-up everything that exists (modules, templates, settings) is frozen
  (``gc.freeze()``): no pass ever looks at it again;
- when the process has had no board activity for ``quiet_s`` and Python would have
  wanted a full pass, the collector makes it: it unfreezes, collects everything, and
  freezes what survived;
- while the board stays busy, it never makes a pass, however long that lasts: every
  ``freeze_s`` it freezes what has been promoted since (``gc.freeze()`` moves lists,
  it examines no object), so the young generations stay small and their passes short.
  Cycles that died meanwhile wait for the next quiet moment.

Every pause of the collector of 20 ms or more (any generation) is kept, with when it
began, for ``/healthz/live`` and the load benchmark.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["GcStats", "QuietCollector"]

#: The third threshold while the collector runs: Python never reaches it by itself.
_NEVER = 1_000_000_000
#: Full passes Python would have made by now: its own default third threshold.
_PYTHON_WOULD = 10
#: Pauses at least this long are logged (ms).
_LOGGED_MS = 20.0
#: Collectors running in this process (tests start several apps), and Python's own third
#: threshold from before the first of them: the last one to stop puts it back.
_running = 0
_python_threshold = _PYTHON_WOULD


@dataclass
class GcStats:
    passes: int = 0  # full passes, all made at quiet moments
    freezes: int = 0  # while busy: promoted objects frozen instead of a pass
    last_ms: float = 0.0
    max_ms: float = 0.0
    #: Collector pauses of 20 ms or more, any generation: (CLOCK_MONOTONIC start, ms, generation).
    pauses: deque[tuple[float, float, int]] = field(default_factory=lambda: deque(maxlen=128))

    def as_dict(self) -> dict[str, Any]:
        return {
            "passes": self.passes,
            "freezes": self.freezes,
            "last_ms": self.last_ms,
            "max_ms": self.max_ms,
            "pauses": [list(p) for p in tuple(self.pauses)],
        }


class QuietCollector:
    """Run the full GC pass when ``last_activity`` (a loop-time clock reading) is old enough."""

    def __init__(
        self,
        last_activity: Callable[[], float],
        *,
        quiet_s: float = 2.0,
        min_interval_s: float = 20.0,
        freeze_s: float = 30.0,
        check_s: float = 0.5,
    ) -> None:
        self.last_activity = last_activity
        self.quiet_s = quiet_s
        self.min_interval_s = min_interval_s
        self.freeze_s = freeze_s
        self.check_s = check_s
        self.stats = GcStats()
        self._task: asyncio.Task[None] | None = None
        self._last_pass = 0.0
        self._last_freeze = 0.0
        self._pause_began = 0.0

    def start(self) -> None:
        global _running, _python_threshold
        loop = asyncio.get_running_loop()
        if _running == 0:
            first, second, _python_threshold = gc.get_threshold()
            gc.set_threshold(first, second, _NEVER)
            gc.freeze()  # what start-up made lives as long as the process
        _running += 1
        gc.callbacks.append(self._timed)
        self._last_pass = self._last_freeze = loop.time()
        self._task = asyncio.create_task(self._run(loop), name="twofeet-quiet-gc")

    async def stop(self) -> None:
        global _running
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None
        with contextlib.suppress(ValueError):
            gc.callbacks.remove(self._timed)
        _running -= 1
        if _running == 0:
            first, second, _ = gc.get_threshold()
            gc.set_threshold(first, second, _python_threshold)
            gc.unfreeze()

    def _timed(self, phase: str, info: dict[str, Any]) -> None:
        """``gc.callbacks``: log every pause of the collector that is long enough to notice."""
        if phase == "start":
            self._pause_began = time.monotonic()
            return
        took = (time.monotonic() - self._pause_began) * 1000
        if took >= _LOGGED_MS:
            self.stats.pauses.append((round(self._pause_began, 4), round(took, 1), info.get("generation", -1)))

    def due(self, now: float) -> str | None:
        """``"quiet"`` (a full pass), ``"freeze"`` (busy: freeze what was promoted) or ``None``."""
        quiet = now - self.last_activity() >= self.quiet_s
        if quiet:
            if gc.get_count()[2] >= _PYTHON_WOULD and now - self._last_pass >= self.min_interval_s:
                return "quiet"
            return None
        if now - self._last_freeze >= self.freeze_s and gc.get_count()[2] > 0:
            return "freeze"
        return None

    def collect(self, now: float, reason: str) -> None:
        if reason == "freeze":
            gc.freeze()
            self._last_freeze = now
            self.stats.freezes += 1
            return
        began = time.perf_counter()
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        took = (time.perf_counter() - began) * 1000
        self._last_pass = self._last_freeze = now
        self.stats.passes += 1
        self.stats.last_ms = round(took, 1)
        self.stats.max_ms = max(self.stats.max_ms, self.stats.last_ms)

    async def _run(self, loop: asyncio.AbstractEventLoop) -> None:
        while True:
            await asyncio.sleep(self.check_s)
            now = loop.time()
            reason = self.due(now)
            if reason is not None:
                self.collect(now, reason)
