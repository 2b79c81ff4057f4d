"""Plenaries in the JSON API: each plenary's running order of talks, editing it, and running it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from app.deps import EventDep, OrganizerDep, RowId, SessionDep
from app.domain import talks
from app.models import Talk, TimeSlot, saved_id
from app.models.event import TALK_BIO_MAX, TALK_MINUTES_MAX, TALK_SPEAKER_MAX, TALK_TITLE_MAX
from app.routes.api import RESPONSES
from app.routes.schemas import Body, UserText

router = APIRouter(prefix="/api/v1", tags=["plenaries"])


class TalkIn(Body):
    speaker: Annotated[UserText, Field(max_length=TALK_SPEAKER_MAX)]
    title: Annotated[UserText, Field(max_length=TALK_TITLE_MAX)]
    minutes: int = Field(default=15, ge=1, le=TALK_MINUTES_MAX)
    bio: Annotated[UserText, Field(max_length=TALK_BIO_MAX)] = ""


class MoveIn(Body):
    direction: Literal["up", "down"]


class NextIn(Body):
    expected_talk_id: int | None = Field(
        default=None,
        ge=0,
        le=2**31 - 1,
        description="the talk the client saw on stage (0: none); if another press came first the "
        "call is refused with a 409, so two presses never skip a speaker. Omitted: no check",
    )


class TalkOut(BaseModel):
    id: int
    slot_id: int
    position: int
    speaker: str
    title: str
    minutes: int
    bio: str
    started_at: datetime | None
    ended_at: datetime | None


class PlenaryOut(BaseModel):
    slot_id: int
    start: str
    end: str
    title: str
    talks: list[TalkOut]


class StageOut(BaseModel):
    """A plenary as it runs: ``now`` is on the board (null: the board shows the programme)."""

    slot_id: int
    now: TalkOut | None
    next: TalkOut | None
    ends_at: datetime | None = Field(description="when the talk on stage should end (its start plus its minutes)")


def _talk_out(talk: Talk) -> TalkOut:
    return TalkOut(
        id=saved_id(talk),
        slot_id=talk.slot_id,
        position=talk.position,
        speaker=talk.speaker,
        title=talk.title,
        minutes=talk.minutes,
        bio=talk.bio,
        started_at=talks.as_utc(talk.started_at) if talk.started_at else None,
        ended_at=talks.as_utc(talk.ended_at) if talk.ended_at else None,
    )


def _plenary_out(slot: TimeSlot, running: list[Talk]) -> PlenaryOut:
    return PlenaryOut(
        slot_id=saved_id(slot), start=slot.start, end=slot.end, title=slot.title, talks=[_talk_out(t) for t in running]
    )


def _stage_out(stage: talks.Stage) -> StageOut:
    return StageOut(
        slot_id=saved_id(stage.slot),
        now=_talk_out(stage.now) if stage.now else None,
        next=_talk_out(stage.next) if stage.next else None,
        ends_at=stage.ends_at,
    )


@router.get("/events/{code}/plenaries", response_model=list[PlenaryOut], responses=RESPONSES)
def api_plenaries(session: SessionDep, event: EventDep) -> Any:
    """Every plenary slot in the order of the day, with its running order of talks."""
    return [_plenary_out(slot, running) for slot, running in talks.plenaries(session, event=event)]


@router.post("/events/{code}/plenaries/{slot_id}/talks", status_code=201, response_model=TalkOut, responses=RESPONSES)
def api_talk_add(body: TalkIn, session: SessionDep, event: EventDep, slot_id: RowId, organizer: OrganizerDep) -> Any:
    """Add a talk at the end of a plenary's running order (organizer); only plenary slots hold talks."""
    talk = talks.add_talk(session, event=event, slot_id=slot_id, actor=organizer, **body.model_dump())
    return _talk_out(talk)


@router.put("/events/{code}/talks/{talk_id}", response_model=TalkOut, responses=RESPONSES)
def api_talk_edit(body: TalkIn, session: SessionDep, event: EventDep, talk_id: RowId, organizer: OrganizerDep) -> Any:
    """Replace a talk's speaker, title, minutes and bio (organizer)."""
    talk = talks.edit_talk(session, event=event, talk_id=talk_id, actor=organizer, **body.model_dump())
    return _talk_out(talk)


@router.delete("/events/{code}/talks/{talk_id}", status_code=204, responses=RESPONSES)
def api_talk_remove(session: SessionDep, event: EventDep, talk_id: RowId, organizer: OrganizerDep) -> Response:
    """Take a talk out of its plenary (organizer); the talk on stage is refused with a 409."""
    talks.remove_talk(session, event=event, talk_id=talk_id, actor=organizer)
    return Response(status_code=204)


@router.post("/events/{code}/talks/{talk_id}/move", response_model=PlenaryOut, responses=RESPONSES)
def api_talk_move(body: MoveIn, session: SessionDep, event: EventDep, talk_id: RowId, organizer: OrganizerDep) -> Any:
    """Move a talk up or down its running order (organizer); returns the plenary's new order."""
    talk = talks.move_talk(session, event=event, talk_id=talk_id, direction=body.direction, actor=organizer)
    slot = talks.require_plenary(session, event=event, slot_id=talk.slot_id)
    return _plenary_out(slot, talks.talks_of(session, slot=slot))


@router.get("/events/{code}/plenaries/{slot_id}/stage", response_model=StageOut, responses=RESPONSES)
def api_stage(session: SessionDep, event: EventDep, slot_id: RowId) -> Any:
    """Who is on stage in this plenary now, and who is next."""
    return _stage_out(talks.stage(session, event=event, slot_id=slot_id))


@router.post("/events/{code}/plenaries/{slot_id}/next", response_model=StageOut, responses=RESPONSES)
def api_next_talk(body: NextIn, session: SessionDep, event: EventDep, slot_id: RowId, organizer: OrganizerDep) -> Any:
    """ "Next talk" (organizer): the talk on stage ends, the next starts; after the last, the board
    shows the programme again (``now`` is null)."""
    stage = talks.next_talk(session, event=event, slot_id=slot_id, expected=body.expected_talk_id, actor=organizer)
    return _stage_out(stage)


@router.post("/events/{code}/plenaries/{slot_id}/stop", response_model=StageOut, responses=RESPONSES)
def api_stop_plenary(session: SessionDep, event: EventDep, slot_id: RowId, organizer: OrganizerDep) -> Any:
    """End the talk on stage now (organizer): the board shows the programme again."""
    return _stage_out(talks.back_to_grid(session, event=event, slot_id=slot_id, actor=organizer))
