"""Check-in in the JSON API: an attendee checks into what runs now in a room, or into a session."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, model_validator
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.deps import SessionDep, SignerDep, authenticated_attendee
from app.domain import checkins, events
from app.domain.errors import ID_MAX
from app.routes import schemas
from app.routes.api import RESPONSES
from app.security import Signer

router = APIRouter(prefix="/api/v1", tags=["api"])


class CheckInIn(schemas.Body):
    room_id: int | None = Field(default=None, ge=1, le=ID_MAX, description="the room one stands in (the door sign)")
    topic_id: int | None = Field(default=None, ge=1, le=ID_MAX, description='the session one is in ("I\'m here")')

    @model_validator(mode="after")
    def _one_of(self) -> CheckInIn:
        if (self.room_id is None) == (self.topic_id is None):
            raise ValueError("give room_id or topic_id, one of them")
        return self


class CheckInSlot(BaseModel):
    id: int
    start: str = Field(examples=["10:00"], description="HH:MM in the event's time zone")
    end: str = Field(examples=["10:50"])


class CheckInSession(BaseModel):
    topic_id: int | None = Field(description="null: the slot's plenary")
    title: str


class CheckInRoom(BaseModel):
    id: int
    name: str
    capacity: int


class CheckInOut(BaseModel):
    id: int
    slot: CheckInSlot
    session: CheckInSession
    room: CheckInRoom | None
    since: datetime = Field(description="when this check-in began (UTC)")
    source: str = Field(description="door (a room) or tap (a session)")


def _check_in(request: Request, session: Session, signer: Signer, code: str, body: CheckInIn) -> Response:
    """The whole check-in in one worker thread: the event, the attendee, the write, the answer."""
    event = events.require_event(session, code)
    attendee = authenticated_attendee(request, event, session, signer)
    source = "door" if body.room_id is not None else "tap"
    row = checkins.check_in(
        session, event=event, attendee=attendee, room_id=body.room_id, topic_id=body.topic_id, source=source
    )
    target = checkins.describe(session, check_in=row)
    slot, room = target.slot, target.room
    out = CheckInOut(
        id=row.id or 0,
        slot=CheckInSlot(id=row.slot_id, start=slot.start, end=slot.end),
        session=CheckInSession(topic_id=row.topic_id, title=str(target.title)),
        room=CheckInRoom(id=room.id or 0, name=room.name, capacity=room.capacity) if room else None,
        since=checkins.as_utc(row.at),
        source=row.source,
    )
    return JSONResponse(out.model_dump(mode="json"), status_code=201)


@router.post("/events/{code}/checkins", status_code=201, response_model=CheckInOut, responses=RESPONSES)
async def api_check_in(
    code: str, body: CheckInIn, request: Request, session: SessionDep, signer: SignerDep
) -> Response:
    """Check in to what runs now in ``room_id`` (or into the session ``topic_id``), in the slot
    running now or starting within ten minutes. Moving to another session of the same slot ends the
    check-in one had (both times are kept); checking in again where one already is changes nothing
    and answers the same check-in."""
    return await run_in_threadpool(_check_in, request, session, signer, code, body)
