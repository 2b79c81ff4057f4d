"""Starting from an earlier event in the JSON API: a new event like this one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import Field

from app.deps import EventCreationLimited, EventDep, OrganizerDep, SessionDep, SignerDep
from app.domain import eventspec, series
from app.models import saved_id
from app.routes import schemas
from app.routes.api import RESPONSES, event_links

router = APIRouter(prefix="/api/v1", tags=["api"])


class EventCopy(schemas.Body):
    name: schemas.UserText = Field(
        default="", max_length=eventspec.NAME_MAX, description="the new event's name; empty or omitted: the same name"
    )
    date: schemas.UserText = Field(max_length=10, examples=["2028-03-11"], description="the new event's day")


@router.post(
    "/events/{code}/copy",
    status_code=201,
    response_model=schemas.EventCreated,
    responses=RESPONSES,
    dependencies=[EventCreationLimited],
)
def api_event_copy(
    body: EventCopy, request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, signer: SignerDep
) -> Any:
    """A new event like this one (organizer): its rooms, slots (kinds, titles, rooms), each plenary's
    talks and marking rules, on ``date``, in the setup phase. Never its attendees, other organizers,
    topics, marks, claims, notes, feedback, schedules, announcements or audit log. Returns the new
    event's join code, an organizer token (for the organizer who asked) and its links, as creating
    an event does."""
    created = series.copy_event(session, source=event, actor=organizer, date=body.date, name=body.name)
    new = created.event
    token = signer.organizer_token(
        event_id=saved_id(new), organizer_id=saved_id(created.organizer), version=created.organizer.token_version
    )
    return schemas.EventCreated(code=new.code, organizer_token=token, links=event_links(request, new, created.secret))
