"""A whole solve in a worker process of its own, at a lower CPU priority.

A build inside a server's process competes with the attendees' requests twice: its Python
stages (building the model, the exact polish, choosing rooms) hold the interpreter, and its
CP-SAT threads and search processes take both cores. In a worker process
(``python -m app.scheduler._solve_worker``) started at a lower priority (``nice``), the
server's interpreter stays free and the operating system serves a phone's tap before the
search; the search processes the worker starts inherit its priority.

The worker reads one pickled job on stdin and writes pickled ``("progress", Progress)``
items, then one ``("solution", Solution)`` (or ``("error", text)``), on stdout. SIGTERM
(the caller's ``stop``) makes it end its search and report the best schedule so far. Its
time limit is an absolute deadline, so starting the interpreter counts against it.
"""

from __future__ import annotations

import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from app.scheduler.instance import Instance
from app.scheduler.solution import Placement, Solution
from app.scheduler.solve import Config, Progress, solve

__all__ = ["solve_in_worker"]

#: How long past its deadline a worker gets to answer before it is stopped, then killed (seconds).
_ANSWER_GRACE = 1.0
_KILL_GRACE = 3.0


@dataclass(frozen=True)
class _Job:
    instance: Instance
    config: Config
    previous: tuple[Placement, ...] | None
    keep_before: str | None
    deadline_epoch: float
    nice: int


class WorkerFailed(RuntimeError):
    """The worker process ended without a schedule (it crashed, or was killed)."""


def solve_in_worker(
    instance: Instance,
    config: Config,
    *,
    previous: Sequence[Placement] | None = None,
    keep_before: str | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
    nice: int = 10,
) -> Solution:
    """:func:`~app.scheduler.solve` in a worker process at ``nice`` priority; same arguments, same result.

    Falls back to solving in this process when no worker can start (a sandbox, a frozen app).
    Raises :class:`WorkerFailed` if the worker ends without an answer.
    """
    began = time.time()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "app.scheduler._solve_worker"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    except OSError:
        return solve(instance, config, previous=previous, keep_before=keep_before, on_progress=on_progress, stop=stop)
    assert proc.stdin is not None and proc.stdout is not None
    job = _Job(instance, config, tuple(previous) if previous is not None else None, keep_before,
               began + config.time_limit, nice)
    arrived: queue.Queue[tuple[str, object] | None] = queue.Queue()

    def read() -> None:
        try:
            while True:
                arrived.put(pickle.load(proc.stdout))  # type: ignore[arg-type]
        except (EOFError, pickle.UnpicklingError, OSError):
            pass
        finally:
            arrived.put(None)

    reader = threading.Thread(target=read, name="solve-worker-reader", daemon=True)
    answer: Solution | None = None
    failure = "the worker ended without an answer"
    try:
        proc.stdin.write(pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL))
        proc.stdin.close()
        reader.start()
        deadline = time.monotonic() + config.time_limit
        halted = False
        while True:
            now = time.monotonic()
            if not halted and ((stop is not None and stop.is_set()) or now > deadline + _ANSWER_GRACE):
                proc.send_signal(signal.SIGTERM)
                halted = True
            if now > deadline + _KILL_GRACE:
                failure = "the worker did not answer in time"
                break
            try:
                item = arrived.get(timeout=0.05)
            except queue.Empty:
                continue
            if item is None:
                break
            kind, value = item
            if kind == "progress" and on_progress is not None:
                on_progress(value)  # type: ignore[arg-type]
            elif kind == "solution":
                answer = value  # type: ignore[assignment]
                break
            elif kind == "error":
                failure = str(value)
                break
    except BrokenPipeError:
        failure = "the worker could not be given its job"
    finally:
        if proc.poll() is None:
            try:
                proc.wait(timeout=0.5 if answer is not None else 0)
            except subprocess.TimeoutExpired:
                pass
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        if reader.is_alive():
            reader.join(timeout=1)
        proc.stdout.close()
    if answer is None:
        raise WorkerFailed(failure)
    return answer


def solve_worker() -> None:
    """The worker process's side of :func:`solve_in_worker`."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything else printed goes to stderr
    job: _Job = pickle.load(sys.stdin.buffer)
    try:
        os.nice(job.nice)
    except OSError:
        pass
    lock = threading.Lock()

    def send(kind: str, value: object) -> None:
        with lock:
            pickle.dump((kind, value), out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()

    config = job.config
    if not config.reproducible:  # starting this interpreter came out of the time limit
        config = replace(config, time_limit=max(0.05, job.deadline_epoch - time.time()))
    try:
        solution = solve(job.instance, config, previous=job.previous, keep_before=job.keep_before,
                         on_progress=lambda p: send("progress", p), stop=stop)
    except Exception as error:  # noqa: BLE001 - the parent reports it; a traceback goes to stderr
        import traceback

        traceback.print_exc()
        send("error", f"{error.__class__.__name__}: {error}")
        return
    send("solution", solution)
