"""Rooms and slots in the JSON API: add, change, reorder, close in a slot, remove (organizer).

A change with consequences (sessions that would lose their room or slot, a retimed slot with
sessions in it) is answered 409 with ``code: "confirm"``, the sessions and notes, and nothing
changed; the same request with ``?confirm=true`` makes it. Without consequences it is made at once.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from app.deps import EventDep, OrganizerDep, RowId, SessionDep
from app.domain import layout, layout_rooms, layout_slots
from app.domain.layout import Outcome
from app.i18n import _
from app.routes import schemas
from app.routes.api import RESPONSES

router = APIRouter(prefix="/api/v1", tags=["rooms and slots"])
Confirm = Annotated[bool, Query(description="make a change that has consequences (answered 409 without)")]


def _answer(outcome: Outcome, *, status: int = 200) -> Any:
    body = schemas.LayoutOut(
        done=outcome.done,
        summary=outcome.summary,
        message=outcome.message,
        affected=[schemas.AffectedOut(**vars(a)) for a in outcome.affected],
        notes=outcome.notes,
    )
    if outcome.done:
        return JSONResponse(body.model_dump(), status_code=status)
    problem = {
        "type": "about:blank",
        "title": _("Confirm the change"),
        "status": 409,
        "detail": _("{change}: this has consequences; send it again with ?confirm=true to make it.").format(
            change=outcome.summary
        ),
        "code": "confirm",
        **body.model_dump(),
    }
    return JSONResponse(problem, status_code=409, media_type="application/problem+json")


@router.post("/events/{code}/rooms", status_code=201, response_model=schemas.LayoutOut, responses=RESPONSES)
def api_room_add(body: schemas.RoomIn, session: SessionDep, event: EventDep, organizer: OrganizerDep) -> Any:
    """Add a room, last in the list."""
    outcome = layout_rooms.add_room(
        session, event=event, name=body.name, capacity=body.capacity, features=body.features, actor=organizer
    )
    return _answer(outcome, status=201)


@router.patch("/events/{code}/rooms/{room_id}", response_model=schemas.LayoutOut, responses=RESPONSES)
def api_room_change(
    room_id: RowId,
    body: schemas.RoomChange,
    session: SessionDep,
    event: EventDep,
    organizer: OrganizerDep,
    confirm: Confirm = False,
) -> Any:
    """Rename a room, change its seats or features (fields left out keep their value)."""
    room = layout.require_room(session, event, room_id)
    outcome = layout_rooms.edit_room(
        session,
        event=event,
        room_id=room_id,
        name=room.name if body.name is None else body.name,
        capacity=room.capacity if body.capacity is None else body.capacity,
        features=list(room.features) if body.features is None else body.features,
        actor=organizer,
        confirm=confirm,
    )
    return _answer(outcome)


@router.post("/events/{code}/rooms/{room_id}/move", response_model=schemas.LayoutOut, responses=RESPONSES)
def api_room_move(
    room_id: RowId, body: schemas.RoomMove, session: SessionDep, event: EventDep, organizer: OrganizerDep
) -> Any:
    """Move a room one place up or down the list every screen shows."""
    outcome = layout_rooms.move_room(session, event=event, room_id=room_id, direction=body.direction, actor=organizer)
    return _answer(outcome)


@router.put(
    "/events/{code}/rooms/{room_id}/unavailable/{slot_id}", response_model=schemas.LayoutOut, responses=RESPONSES
)
def api_room_close(
    room_id: RowId,
    slot_id: RowId,
    session: SessionDep,
    event: EventDep,
    organizer: OrganizerDep,
    confirm: Confirm = False,
) -> Any:
    """Mark a room unavailable in a slot (its session there loses the room)."""
    outcome = layout_rooms.set_room_available(
        session, event=event, room_id=room_id, slot_id=slot_id, available=False, actor=organizer, confirm=confirm
    )
    return _answer(outcome)


@router.delete(
    "/events/{code}/rooms/{room_id}/unavailable/{slot_id}", response_model=schemas.LayoutOut, responses=RESPONSES
)
def api_room_open(room_id: RowId, slot_id: RowId, session: SessionDep, event: EventDep, organizer: OrganizerDep) -> Any:
    """Make a room available in a slot again."""
    outcome = layout_rooms.set_room_available(
        session, event=event, room_id=room_id, slot_id=slot_id, available=True, actor=organizer
    )
    return _answer(outcome)


@router.delete("/events/{code}/rooms/{room_id}", response_model=schemas.LayoutOut, responses=RESPONSES)
def api_room_remove(
    room_id: RowId, session: SessionDep, event: EventDep, organizer: OrganizerDep, confirm: Confirm = False
) -> Any:
    """Remove a room (one that published sessions use closes until the draft is published)."""
    return _answer(layout_rooms.remove_room(session, event=event, room_id=room_id, actor=organizer, confirm=confirm))


@router.post("/events/{code}/slots", status_code=201, response_model=schemas.LayoutOut, responses=RESPONSES)
def api_slot_add(body: schemas.SlotNew, session: SessionDep, event: EventDep, organizer: OrganizerDep) -> Any:
    """Add a slot: sessions, a plenary or a break."""
    outcome = layout_slots.add_slot(
        session,
        event=event,
        start=body.start,
        end=body.end,
        kind=body.kind,
        title=body.title,
        room_id=body.room_id,
        actor=organizer,
    )
    return _answer(outcome, status=201)


@router.patch("/events/{code}/slots/{slot_id}", response_model=schemas.LayoutOut, responses=RESPONSES)
def api_slot_change(
    slot_id: RowId,
    body: schemas.SlotChange,
    session: SessionDep,
    event: EventDep,
    organizer: OrganizerDep,
    confirm: Confirm = False,
) -> Any:
    """Retime a slot, or change its kind, title or room (fields left out keep their value)."""
    slot = layout.require_slot(session, event, slot_id)
    given = body.model_dump(exclude_unset=True)
    kind = given.get("kind") or slot.kind.value
    keeps = kind != "sessions"  # a slot made sessions leaves its title and room unless given
    outcome = layout_slots.edit_slot(
        session,
        event=event,
        slot_id=slot_id,
        start=given.get("start") or slot.start,
        end=given.get("end") or slot.end,
        kind=kind,
        title=given["title"] if "title" in given else (slot.title if keeps else ""),
        room_id=given["room_id"] if "room_id" in given else (slot.room_id if keeps else None),
        actor=organizer,
        confirm=confirm,
    )
    return _answer(outcome)


@router.delete("/events/{code}/slots/{slot_id}", response_model=schemas.LayoutOut, responses=RESPONSES)
def api_slot_remove(
    slot_id: RowId, session: SessionDep, event: EventDep, organizer: OrganizerDep, confirm: Confirm = False
) -> Any:
    """Remove a slot (the one running now keeps its sessions; a plenary's talks go with it)."""
    return _answer(layout_slots.remove_slot(session, event=event, slot_id=slot_id, actor=organizer, confirm=confirm))
