"""The schedule in the JSON API: start a build, read the draft or the published schedule, publish."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from app.deps import CurrentOrganizer, EventDep, OrganizerDep, SessionDep
from app.domain import building, drafting, publishing
from app.domain.errors import NotFound
from app.i18n import _
from app.jobs import BuildJob, BuildJobs
from app.models import saved_id
from app.routes.api import RESPONSES
from app.routes.schemas import Body, UserText

router = APIRouter(prefix="/api/v1", tags=["schedule"])


class BuildIn(Body):
    time_limit: int | None = Field(
        default=None,
        ge=1,
        le=600,
        description="seconds; the install's default if omitted. A server refuses more "
        "than its TWOFEET_SOLVER_MAX_TIME_LIMIT_S (120 by default) with a 422 "
        "naming this field",
    )
    keep_before: int | None = Field(
        default=None, ge=1, le=2**31 - 1, description="slot id: keep the published schedule before it"
    )


class BuildOut(BaseModel):
    running: bool
    queued: bool = Field(default=False, description="waiting for another event's build to end on this server")
    waiting: int = Field(
        default=0,
        description="its place in the queue, from 1 (it starts next, when the build "
        "running now ends); 0 when not queued",
    )
    time_limit: float = Field(default=0.0, description="wall-clock seconds the build has; 0 until it starts")
    attendance: int
    bound: int | None
    upper_bound: int
    elapsed: float
    error: str | None = None
    version: int | None = None
    moved: int | None = None


class SessionOut(BaseModel):
    placement_id: int
    topic_id: int
    title: str
    room_id: int
    slot_id: int
    facilitators: list[str]
    expected_headcount: float
    pinned: bool


class ScheduleOut(BaseModel):
    version: int
    published: bool
    stats: dict[str, Any]
    sessions: list[SessionOut]
    left_out: list[dict[str, Any]]
    problems: list[str]


class PublishIn(Body):
    announcement: UserText | None = Field(default=None, max_length=280)


def _build_out(job: BuildJob) -> BuildOut:
    return BuildOut(
        running=job.running,
        queued=job.queued,
        waiting=job.waiting if job.queued else 0,
        time_limit=job.time_limit,
        attendance=job.attendance,
        bound=job.bound,
        upper_bound=job.upper_bound,
        elapsed=round(job.elapsed, 2),
        error=job.error,
        version=job.version,
        moved=job.moved,
    )


@router.post("/events/{code}/schedule/build", status_code=202, response_model=BuildOut, responses=RESPONSES)
def api_schedule_build(
    body: BuildIn, request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep
) -> Any:
    """Start building a draft in the background; poll GET .../schedule/build for progress."""
    building.check_build(session, event=event, keep_before_slot=body.keep_before)
    jobs: BuildJobs = request.app.state.builds
    job = jobs.start(
        event_id=saved_id(event),
        organizer_id=organizer.id,
        keep_before_slot=body.keep_before,
        time_limit=float(body.time_limit) if body.time_limit else None,
    )
    return _build_out(job)


@router.get("/events/{code}/schedule/build", response_model=BuildOut, responses=RESPONSES)
def api_schedule_build_status(request: Request, event: EventDep, organizer: OrganizerDep) -> Any:
    """The running (or last) build's progress on this server."""
    job = request.app.state.builds.get(event.id)
    if job is None:
        raise NotFound(_("No build has run for this event on this server."))
    return _build_out(job)


@router.get("/events/{code}/schedule", response_model=ScheduleOut, responses=RESPONSES)
def api_schedule(session: SessionDep, event: EventDep, organizer: CurrentOrganizer) -> Any:
    """The draft (organizers) or the published schedule (anyone)."""
    run = drafting.current_draft(session, event=event) if organizer is not None else None
    run = run or drafting.published_run(session, event=event)
    if run is None:
        raise NotFound(_("No schedule has been published yet."))
    view = drafting.schedule_view(session, event=event, run=run)
    return ScheduleOut(
        version=run.version,
        published=run.published_at is not None,
        stats=view.stats,
        sessions=[
            SessionOut(
                placement_id=saved_id(c.placement),
                topic_id=saved_id(c.topic),
                title=c.topic.title,
                room_id=c.placement.room_id,
                slot_id=c.placement.slot_id,
                facilitators=c.facilitators,
                expected_headcount=c.headcount,
                pinned=c.placement.pinned,
            )
            for c in view.cells.values()
        ],
        left_out=[{"topic_id": t.id, "title": t.title, "reason": reason} for t, reason in view.left_out]
        if organizer is not None
        else [],
        problems=view.problems if organizer is not None else [],
    )


@router.post("/events/{code}/schedule/publish", response_model=ScheduleOut, responses=RESPONSES)
def api_schedule_publish(body: PublishIn, session: SessionDep, event: EventDep, organizer: OrganizerDep) -> Any:
    """Publish the draft to the board and every phone."""
    publishing.publish(session, event=event, actor=organizer, announcement=body.announcement)
    return api_schedule(session, event, organizer)
