"""What the board's main area shows: the grid (or a talk on stage), the smackdown or the raffle."""

from __future__ import annotations

from sqlmodel import Session

from app.domain import audit, phases
from app.domain.changelog import record_change
from app.domain.changes import Change
from app.domain.errors import InvalidInput
from app.i18n import _
from app.models import Event, Organizer
from app.models.util import saved_id

# "" is the grid (a plenary's talk on stage still takes it over, as before).
MODES = ("", "smackdown", "raffle")


def set_board_mode(session: Session, *, event: Event, mode: str, actor: Organizer) -> Event:
    """Put the smackdown or the raffle on the board, or give it back to the grid."""
    phases.require_phase(event, "board_mode")
    if mode not in MODES:
        raise InvalidInput(_("mode: choose the grid, the smackdown or the raffle."), field="mode")
    if event.board_mode == mode:
        return event
    event.board_mode = mode
    session.add(event)
    audit.record(session, event=event, actor=actor, action="board_mode", detail=mode or "grid")
    record_change(session, event_id=saved_id(event), kind=Change.board_mode, payload={"mode": mode})
    session.commit()
    return event
