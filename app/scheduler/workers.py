"""Worker processes for the scheduler: one pickled job in, pickled reports out.

A worker is ``python -m MODULE``: a fresh interpreter (safe from a server's threads, no
``__main__`` guard needed in the caller), fed one pickled job on stdin; it writes pickled
items on stdout as it goes, and SIGTERM asks it to report what it has and end. Used by the
whole solve in a worker (:mod:`app.scheduler.remote`) and the bound proven after a draft
(:func:`app.scheduler.bound.prove_in_worker`), and the search's runs (:mod:`app.scheduler.search`).

Why not :class:`concurrent.futures.ProcessPoolExecutor` (issue 17 asked; measured 2026-12-07,
BENCHMARKS.md, "Scheduler", decision log): with one of two workers frozen (SIGSTOP, as a starved
or stuck process) and the deadline 1.5 s away, these workers answered after 1.87 s (the kill 0.3 s
past the deadline); the executor was still waiting after 10 s. On Python 3.11 it cannot end a
task that runs (``terminate_workers()`` comes in 3.14) and its ``shutdown`` waits for it. It also
gives its workers the caller's environment (the one-thread BLAS setting below would have to be
written into a server's own ``os.environ``), its spawn start re-imports the caller's ``__main__``
in every worker, and a stop would need a semaphore whose resource-tracker process outlives the
call. Starting to first answer it was no faster (two workers, median 11.2 s against 9.4 s here on
a machine loaded ten deep, both mostly interpreter start and imports), and its workers no smaller.
"""

from __future__ import annotations

import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any, BinaryIO

__all__ = ["ENDED", "WorkerProcess", "lower_priority", "worker_side"]

#: Environment variables that keep BLAS and OpenMP in a worker to one thread.
_ONE_THREAD = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")

#: What :meth:`WorkerProcess.next` returns once the worker has ended and every item is read.
ENDED = object()


class WorkerProcess:
    """The caller's side: start the worker, give it its job, read its items, end it.

    Raises OSError when no process can start (a sandbox, a frozen app).
    """

    def __init__(self, module: str) -> None:
        # SIGTERM is blocked before anything is imported (app.scheduler's package imports OR-Tools,
        # whose threads would otherwise take the signal and end the process); see worker_side().
        start = (
            "import signal, runpy; signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM}); "
            f"runpy.run_module({module!r}, run_name='__main__', alter_sys=True)"
        )
        # A worker is one core's share of a search: numerical libraries keep to one thread (the
        # tabu search's matrix products slow down fivefold when two workers' threads fight over two cores).
        env = {**os.environ, **dict.fromkeys(_ONE_THREAD, "1")}
        self._proc = subprocess.Popen(
            [sys.executable, "-c", start], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
        )
        self._items: queue.Queue[Any] = queue.Queue()
        self._reader = threading.Thread(target=self._read, name=f"{module}-reader", daemon=True)

    def _read(self) -> None:
        assert self._proc.stdout is not None
        try:
            while True:
                self._items.put(pickle.load(self._proc.stdout))
        except (EOFError, pickle.UnpicklingError, OSError):
            pass
        finally:
            self._items.put(ENDED)

    def give(self, job: object) -> None:
        """Send the job (the worker reads it all, then works) and start reading its reports."""
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write(pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL))
        finally:
            try:
                self._proc.stdin.close()
            except OSError:
                pass  # the worker is gone; close() reaps it
            self._reader.start()

    def next(self, timeout: float) -> Any:
        """The next item, :data:`ENDED` once there are no more, or None if none came in ``timeout``."""
        try:
            return self._items.get(timeout=timeout)
        except queue.Empty:
            return None

    def stop(self) -> None:
        """Ask the worker to report what it has and end (SIGTERM)."""
        if self._proc.poll() is None:
            self._proc.send_signal(signal.SIGTERM)

    def close(self, *, grace: float = 0.0) -> None:
        """End the worker: give it ``grace`` seconds to exit by itself, then kill it; always reaped."""
        if self._proc.poll() is None and grace > 0:
            try:
                self._proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                pass
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        if self._reader.is_alive():
            self._reader.join(timeout=1)
        if self._proc.stdout is not None:
            self._proc.stdout.close()


def lower_priority(by: int) -> None:
    """Let the operating system serve everything else first (this process and its children)."""
    try:
        os.nice(by)
    except OSError:
        pass


def worker_side() -> tuple[Any, threading.Event, Callable[[object], None]]:
    """The worker's side: (its job, a flag SIGTERM sets, a function that reports one item).

    Ctrl-C in a terminal reaches the whole process group: the parent decides, so SIGINT is
    ignored here. Anything else the worker prints goes to stderr, not into the reports.
    """
    stop = threading.Event()
    # A Python signal handler runs only when the main thread runs Python, never while it waits
    # inside CP-SAT's solve(): the stop would wait for the stage to end. So SIGTERM is blocked
    # here, before any thread starts (CP-SAT's threads inherit the mask), and one thread of ours
    # waits for it and sets the flag that the solver's own watcher turns into stop_search().
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # WorkerProcess blocks it before importing anything (a library's threads started at import
    # would otherwise take it and end the process); blocking again here is harmless.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})

    def wait_for_term() -> None:
        signal.sigwait({signal.SIGTERM})
        stop.set()

    threading.Thread(target=wait_for_term, name="worker-sigterm", daemon=True).start()
    out: BinaryIO = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    job = pickle.load(sys.stdin.buffer)
    lock = threading.Lock()

    def report(item: object) -> None:
        with lock:
            pickle.dump(item, out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()

    return job, stop, report
