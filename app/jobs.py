"""Schedule builds in the background: the solver runs on its own thread, never on the event loop,
and reports progress that the console polls.

One build per event at a time, per process. The job lives in the process that started it; a
scale-out deployment routes an event's organizer to one worker (sticky sessions) or accepts that
the progress bar shows only on the worker that runs the build (the draft lands in the database
either way).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlmodel import Session

from app.domain import drafting, events
from app.domain.errors import InvalidInput, TooBusy
from app.domain.eventfile import build_instance
from app.models import Organizer
from app.scheduler import Config, Progress, Status, solve

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

    @property
    def running(self) -> bool:
        return not self.done

    @property
    def percent(self) -> int:
        """Best attendance so far against the format's upper bound (the bar's 100 %)."""
        return round(100 * self.attendance / self.upper_bound) if self.upper_bound else 0

    @property
    def time_percent(self) -> int:
        return min(100, round(100 * self.elapsed / self.time_limit)) if self.time_limit else 100


class BuildJobs:
    """The builds of this process, by event."""

    def __init__(self, engine: Engine, *, time_limit: float, workers: int = 2, max_time_limit: float = 120.0,
                 max_running: int = 2) -> None:
        self._engine = engine
        self._time_limit = min(time_limit, max_time_limit)
        self.max_time_limit = max_time_limit
        self._max_running = max_running
        self._workers = workers
        self._jobs: dict[int, BuildJob] = {}
        self._lock = threading.Lock()

    def get(self, event_id: int) -> BuildJob | None:
        return self._jobs.get(event_id)

    def start(self, *, event_id: int, organizer_id: int | None, keep_before_slot: int | None = None,
              time_limit: float | None = None) -> BuildJob:
        """Start a build unless one is running for the event; returns the running job either way.

        Refused when the organizer asks for more time than this server gives a build (InvalidInput),
        or when the process already runs its share of builds for other events (TooBusy)."""
        if time_limit is not None and time_limit > self.max_time_limit:
            raise InvalidInput(f"time_limit: this server gives a build at most {self.max_time_limit:g} seconds.",
                               field="time_limit")
        with self._lock:
            current = self._jobs.get(event_id)
            if current is not None and current.running:
                return current
            running = sum(1 for job in self._jobs.values() if job.running)
            if running >= self._max_running:
                raise TooBusy(f"{running} schedules are being built on this server right now; "
                              "try again in a minute (the wall keeps every mark meanwhile).", retry_after=30)
            job = BuildJob(event_id=event_id, time_limit=time_limit or self._time_limit)
            self._jobs[event_id] = job
        thread = threading.Thread(target=self._run, args=(job, organizer_id, keep_before_slot),
                                  name=f"schedule-build-{event_id}", daemon=True)
        thread.start()
        return job

    def stop(self, event_id: int) -> None:
        """Stop early; the best schedule found so far becomes the draft."""
        job = self._jobs.get(event_id)
        if job is not None:
            job.stop.set()

    def stop_all(self) -> None:
        for job in list(self._jobs.values()):
            job.stop.set()

    def _run(self, job: BuildJob, organizer_id: int | None, keep_before_slot: int | None) -> None:
        def progress(p: Progress) -> None:
            job.attendance, job.bound, job.upper_bound, job.elapsed = p.attendance, p.bound, p.upper_bound, p.elapsed

        try:
            with Session(self._engine, expire_on_commit=False) as session:
                event = events.require_event_by_id(session, job.event_id)
                actor = session.get(Organizer, organizer_id) if organizer_id else None
                instance = build_instance(session, event)
                keep_before = drafting.slot_for_keep_before(session, event=event, slot_id=keep_before_slot)
                previous = drafting.previous_cells(session, event=event) if keep_before else None
                session.rollback()  # no transaction held open while the solver thinks
                solution = solve(instance, Config(time_limit=job.time_limit, workers=self._workers),
                                 previous=previous, keep_before=keep_before, on_progress=progress, stop=job.stop)
                if solution.status == Status.INFEASIBLE:
                    job.error = "These rules cannot all hold: " + "; ".join(
                        drafting.humanize(c, drafting.display_names(session, event)) for c in solution.conflicts)
                    return
                if solution.stats is None:
                    job.error = "No schedule was found in the time allowed. Try a longer build."
                    return
                note = f"re-solved keeping the slots before {keep_before_slot}" if keep_before else ""
                run = drafting.save_solution(session, event=event, instance=instance, solution=solution,
                                             actor=actor, note=note)
                job.version, job.moved = run.version, solution.moved
                job.attendance, job.upper_bound = solution.stats.attendance, solution.stats.upper_bound
                job.bound = solution.stats.proven_bound
        except Exception as error:  # the console must hear about any failure, not a silent stop
            log.exception("schedule build for event %s failed", job.event_id)
            job.error = f"The build failed: {error.__class__.__name__}. The previous draft is unchanged."
        finally:
            job.elapsed = time.monotonic() - job.started
            job.done = True
