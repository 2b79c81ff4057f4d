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

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from app.scheduler.instance import Instance
from app.scheduler.solution import Placement, Solution
from app.scheduler.solve import Config, Progress, solve
from app.scheduler.workers import ENDED, WorkerProcess, lower_priority, worker_side

__all__ = ["solve_in_worker"]

#: How long past its deadline a worker gets to answer before it is stopped, then killed (seconds;
#: the kill waits longer for longer builds: at a low priority on a busy server, choosing rooms and
#: scoring a huge day can take a while, and killing it would throw the whole build away).
_ANSWER_GRACE = 1.0
_KILL_GRACE = 3.0
_KILL_GRACE_SHARE = 0.25


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
        worker = WorkerProcess("app.scheduler._solve_worker")
    except OSError:
        return solve(instance, config, previous=previous, keep_before=keep_before, on_progress=on_progress, stop=stop)
    job = _Job(
        instance,
        config,
        tuple(previous) if previous is not None else None,
        keep_before,
        began + config.time_limit,
        nice,
    )
    answer: Solution | None = None
    failure = "the worker could not be given its job"
    try:
        worker.give(job)
        answer, failure = _await_answer(worker, config.time_limit, on_progress, stop)
    except BrokenPipeError:
        pass
    finally:
        worker.close(grace=0.5 if answer is not None else 0.0)
    if answer is None:
        raise WorkerFailed(failure)
    return answer


def _await_answer(
    worker: WorkerProcess,
    time_limit: float,
    on_progress: Callable[[Progress], None] | None,
    stop: threading.Event | None,
) -> tuple[Solution | None, str]:
    """Relay the worker's progress until its solution: (solution, "") or (None, why there is none).

    A stop, or the time limit past its grace, asks the worker to answer with its best so far;
    past the kill grace it is given up on.
    """
    deadline = time.monotonic() + time_limit
    halted = False
    while True:
        now = time.monotonic()
        if not halted and ((stop is not None and stop.is_set()) or now > deadline + _ANSWER_GRACE):
            worker.stop()
            halted = True
        if now > deadline + _KILL_GRACE + _KILL_GRACE_SHARE * time_limit:
            return None, "the worker did not answer in time"
        item = worker.next(timeout=0.05)
        if item is None:
            continue
        if item is ENDED:
            return None, "the worker ended without an answer"
        kind, value = item
        if kind == "progress" and on_progress is not None:
            on_progress(value)
        elif kind == "solution":
            return value, ""
        elif kind == "error":
            return None, str(value)


def solve_worker() -> None:
    """The worker process's side of :func:`solve_in_worker`."""
    job, stop, report = worker_side()
    lower_priority(job.nice)
    config = job.config
    if not config.reproducible:  # starting this interpreter came out of the time limit
        config = replace(config, time_limit=max(0.05, job.deadline_epoch - time.time()))
    try:
        solution = solve(
            job.instance,
            config,
            previous=job.previous,
            keep_before=job.keep_before,
            on_progress=lambda p: report(("progress", p)),
            stop=stop,
        )
    except Exception as error:  # noqa: BLE001 - the parent reports it; a traceback goes to stderr
        import traceback  # noqa: PLC0415 - only a failing worker prints one

        traceback.print_exc()
        report(("error", f"{error.__class__.__name__}: {error}"))
        return
    report(("solution", solution))
