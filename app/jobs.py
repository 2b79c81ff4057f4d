"""Schedule builds in the background: the solver runs on its own thread, never on the event loop,
and reports progress that the console polls.

One build per event at a time, per process; a second request for the same event gets the running
build (the console offers to stop it, or to wait). At most ``max_running`` builds run at once in a
process, each with the search processes its ``workers`` allow; further builds wait in a queue of at
most ``max_queued`` (first come, first served, each told its place), and beyond that a request is
refused as too busy. A build's time limit counts from when it starts, not from when it queued. The
job lives in the process that started it; a
scale-out deployment routes an event's organizer to one worker (sticky sessions) or accepts that
the progress bar shows only on the worker that runs the build (the draft lands in the database
either way).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlmodel import Session

from app.domain import building, drafting
from app.domain.errors import InvalidInput, TooBusy
from app.i18n import _
from app.models import saved_id
from app.scheduler import Config, Instance, Progress, Solution, Status, suggested_time_limit
from app.scheduler.bound import BoundProgress, prove_in_worker
from app.scheduler.remote import solve_in_worker

log = logging.getLogger(__name__)


@dataclass
class BuildJob:
    """What the console shows while a build runs, and how it ended."""

    event_id: int
    time_limit: float
    started: float = field(default_factory=time.monotonic)
    attendance: int = 0
    bound: int | None = None
    upper_bound: int = 0
    elapsed: float = 0.0
    done: bool = False
    error: str | None = None
    version: int | None = None
    moved: int | None = None
    stop: threading.Event = field(default_factory=threading.Event)
    #: its place in the queue, from 1 (it starts next); 0 when not queued
    waiting: int = 0
    #: after the draft: a better bound is being proven in the background
    proving: bool = False

    @property
    def running(self) -> bool:
        return not self.done

    @property
    def queued(self) -> bool:
        return self.waiting > 0 and not self.done

    @property
    def percent(self) -> int:
        """Best attendance so far against the format's upper bound (the bar's 100 %)."""
        return round(100 * self.attendance / self.upper_bound) if self.upper_bound else 0

    @property
    def time_percent(self) -> int:
        return min(100, round(100 * self.elapsed / self.time_limit)) if self.time_limit else 0


class BuildJobs:
    """The builds of this process, by event."""

    def __init__(
        self,
        engine: Engine,
        *,
        time_limit: float,
        workers: int = 2,
        max_time_limit: float = 120.0,
        max_running: int = 1,
        max_queued: int = 8,
        bound_seconds: float = 0.0,
    ) -> None:
        self._engine = engine
        self._time_limit = min(time_limit, max_time_limit)
        self.max_time_limit = max_time_limit
        self._max_running = max(1, max_running)
        self._max_queued = max(0, max_queued)
        self._workers = workers
        self._jobs: dict[int, BuildJob] = {}
        self._lock = threading.Lock()
        self._turn = threading.Condition(self._lock)
        self._queue: list[BuildJob] = []  # waiting, first come first served
        self._active = 0
        self._bound_seconds = bound_seconds
        self._proving: list[threading.Event] = []  # the stop flags of bounds being proven
        self._threads: list[threading.Thread] = []  # builds and bounds, joined on close()

    def get(self, event_id: int) -> BuildJob | None:
        return self._jobs.get(event_id)

    def start(
        self,
        *,
        event_id: int,
        organizer_id: int | None,
        keep_before_slot: int | None = None,
        time_limit: float | None = None,
    ) -> BuildJob:
        """Start a build unless one is running for the event; returns the running job either way.

        Without ``time_limit`` the build takes what the event's size calls for (see
        :func:`app.scheduler.suggested_time_limit`), at most the server's default. Refused when
        the organizer asks for more time than this server gives a build (InvalidInput), or when
        the process already runs its share of builds and its queue is full (TooBusy)."""
        if time_limit is not None and time_limit > self.max_time_limit:
            raise InvalidInput(
                _("time_limit: this server gives a build at most {n} seconds.").format(n=f"{self.max_time_limit:g}"),
                field="time_limit",
            )
        with self._lock:
            current = self._jobs.get(event_id)
            if current is not None and current.running and not current.stop.is_set():
                return current
            if self._active >= self._max_running and len(self._queue) >= self._max_queued:
                raise TooBusy(
                    _(
                        "{building} schedules are being built on this server right now and {waiting} are waiting; "
                        "try again in a minute (the wall keeps every mark meanwhile)."
                    ).format(building=self._active, waiting=len(self._queue)),
                    retry_after=30,
                )
            job = BuildJob(event_id=event_id, time_limit=time_limit or 0.0)
            self._jobs[event_id] = job
            if self._active >= self._max_running or self._queue:
                self._queue.append(job)
                job.waiting = len(self._queue)
            else:
                self._active += 1
            for proving in self._proving:  # a build gets the cores; a bound in the background gives way
                proving.set()
        self._spawn(self._run, job, organizer_id, keep_before_slot, name=f"schedule-build-{event_id}")
        return job

    def _spawn(self, target: Callable[..., None], *args: object, name: str) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def close(self, timeout: float = 10.0) -> None:
        """Stop every build and bound and wait (up to ``timeout`` s) for them to end: a stopped
        build saves the best schedule it found as the draft, and no worker process outlives us."""
        self.stop_all()
        deadline = time.monotonic() + timeout
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def stop(self, event_id: int) -> None:
        """Stop early; the best schedule found so far becomes the draft (a queued build just leaves the queue)."""
        job = self._jobs.get(event_id)
        if job is not None:
            with self._turn:
                job.stop.set()
                self._turn.notify_all()

    def stop_all(self) -> None:
        with self._turn:
            for job in list(self._jobs.values()):
                job.stop.set()
            self._turn.notify_all()

    def _wait_for_turn(self, job: BuildJob) -> bool:
        """Block until ``job`` may run (True) or is stopped while it waits (False)."""
        with self._turn:
            while job in self._queue:
                if job.stop.is_set():
                    self._queue.remove(job)
                    self._renumber()
                    return False
                if self._queue[0] is job and self._active < self._max_running:
                    self._queue.pop(0)
                    self._active += 1
                    self._renumber()
                    for proving in self._proving:  # a bound in the background gives way to this build
                        proving.set()
                    return True
                self._turn.wait(0.5)
            return True

    def _renumber(self) -> None:
        for place, waiting in enumerate(self._queue, start=1):
            waiting.waiting = place
        for job in self._jobs.values():
            if job not in self._queue:
                job.waiting = 0

    def _finished(self) -> None:
        with self._turn:
            self._active -= 1
            self._turn.notify_all()

    def _run(self, job: BuildJob, organizer_id: int | None, keep_before_slot: int | None) -> None:
        if not self._wait_for_turn(job):
            job.error = _("Stopped before it started: the previous draft is unchanged.")
            job.done = True
            return
        try:
            self._build(job, organizer_id, keep_before_slot)
        finally:
            self._finished()

    def _prove(self, job: BuildJob, instance: Instance, run_id: int) -> None:
        """After the draft is saved: prove how close it is to the best possible, in a worker process,
        each better bound written to the draft's stats as it comes. A new build (of any event in this
        process) or a stop ends it, so it never competes with a build for the cores."""

        def improved(progress: BoundProgress) -> None:
            if job.bound is None or progress.bound < job.bound:
                job.bound = max(progress.bound, job.attendance)
                with Session(self._engine) as session:
                    drafting.record_bound(session, run_id=run_id, bound=job.bound)

        stop = job.stop  # registered in _proving by _prove_in_background, under the lock
        try:
            prove_in_worker(instance, time_limit=self._bound_seconds, should_stop=stop.is_set, on_improve=improved)
        except Exception:  # the draft stands without a better bound; the console must not hear of it
            log.exception("proving a bound for event %s failed", job.event_id)
        finally:
            job.proving = False
            with self._lock:
                self._proving.remove(stop)

    def _build(self, job: BuildJob, organizer_id: int | None, keep_before_slot: int | None) -> None:
        """One build's steps (``app.domain.building``), its progress and outcome kept on ``job``."""
        job.started = time.monotonic()  # the time limit counts from here, not from the queue
        try:
            with Session(self._engine, expire_on_commit=False) as session:
                plan = building.plan_build(
                    session, event_id=job.event_id, organizer_id=organizer_id, keep_before_slot=keep_before_slot
                )
                solution = self._solve(job, plan)
                job.error = building.build_failure(session, plan, solution)
                if job.error is not None or solution.stats is None:
                    return
                run = building.save_build(session, plan, solution)
                job.version, job.moved = run.version, solution.moved
                job.attendance, job.upper_bound = solution.stats.attendance, solution.stats.upper_bound
                job.bound = solution.stats.proven_bound
                if solution.status is not Status.OPTIMAL:
                    self._prove_in_background(job, plan.instance, saved_id(run))
        except Exception as error:  # the console must hear about any failure, not a silent stop
            log.exception("schedule build for event %s failed", job.event_id)
            job.error = _("The build failed: {error}. The previous draft is unchanged.").format(
                error=error.__class__.__name__
            )
        finally:
            job.elapsed = time.monotonic() - job.started
            job.done = True

    def _solve(self, job: BuildJob, plan: building.BuildPlan) -> Solution:
        """Run the solver for what is left of the job's time, reporting progress on ``job``."""

        def progress(p: Progress) -> None:
            job.attendance, job.bound, job.upper_bound, job.elapsed = p.attendance, p.bound, p.upper_bound, p.elapsed

        if not job.time_limit:
            job.time_limit = suggested_time_limit(plan.instance, most=self._time_limit)
        # The clock started with the build: reading the event counts too.
        left = max(0.5, job.time_limit - (time.monotonic() - job.started))
        # In a worker process at a lower priority: the server's interpreter and the cores
        # stay the attendees' first (bench/build_load.py measures it).
        return solve_in_worker(
            plan.instance,
            Config(time_limit=left, workers=self._workers),
            previous=plan.previous,
            keep_before=plan.keep_before,
            on_progress=progress,
            stop=job.stop,
        )

    def _prove_in_background(self, job: BuildJob, instance: Instance, run_id: int) -> None:
        """Start proving a better bound for the draft, when bounds are on and no build waits."""
        if self._bound_seconds <= 0 or job.stop.is_set() or (job.bound is not None and job.bound <= job.attendance):
            return
        with self._lock:  # not while other builds wait for the cores
            job.proving = not self._queue
            if job.proving:
                self._proving.append(job.stop)
        if job.proving:
            self._spawn(self._prove, job, instance, run_id, name=f"schedule-bound-{job.event_id}")
