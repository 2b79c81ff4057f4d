"""Recording the changes that screens show, as numbered BoardEvents."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session

from app.models import BoardEvent, Event


def record_change(session: Session, *, event_id: int, kind: str, payload: dict[str, Any]) -> BoardEvent:
    """Append a BoardEvent in the caller's transaction; the sequence bump locks the event row.

    The caller commits: the change and its BoardEvent land together or not at all.
    """
    sequence = session.execute(
        update(Event)
        .where(Event.id == event_id)  # type: ignore[arg-type]
        .values(board_sequence=Event.board_sequence + 1)
        .returning(Event.board_sequence)
    ).scalar_one()
    change = BoardEvent(event_id=event_id, sequence=sequence, kind=kind, payload=payload)
    session.add(change)
    return change


def changes_since(session: Session, *, event_id: int, after: int, limit: int = 500) -> list[BoardEvent]:
    """The BoardEvents of an event with a sequence above ``after``, oldest first."""
    rows = session.scalars(
        select(BoardEvent)
        .where(BoardEvent.event_id == event_id, BoardEvent.sequence > after)  # type: ignore[arg-type]
        .order_by(BoardEvent.sequence)  # type: ignore[arg-type]
        .limit(limit)
    )
    return list(rows)
