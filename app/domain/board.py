"""Recording the changes that screens show, as numbered BoardEvents."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, insert, text, update
from sqlalchemy.orm.util import identity_key
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session

from app.models import BoardEvent, Event
from app.models.util import utcnow


# Where a session collects the (event_id, sequence) pairs it wrote, for whoever publishes them after
# the commit (the realtime hub's after_commit hook); dropped on rollback.
BOARD_PENDING = "twofeet_board_pending"

# Built once, on the tables: every mark of the day runs these, and building a statement and its
# cache key on each call cost more than running it (py-spy, a mark POST on the development VM).
_events = Event.__table__  # type: ignore[attr-defined]
_BUMP_SEQUENCE = (update(_events).where(_events.c.id == bindparam("event"))
                  .values(board_sequence=_events.c.board_sequence + 1).returning(_events.c.board_sequence))
_APPEND = insert(BoardEvent.__table__)  # type: ignore[attr-defined]
# PostgreSQL: the bump and the append in one statement, so the event's row is held for one round
# trip less (every mark of an event waits for that row; see app/db.py, _serialise_writers).
_BUMP_AND_APPEND = text(
    "WITH bumped AS (UPDATE event SET board_sequence = board_sequence + 1 WHERE id = :event"
    " RETURNING board_sequence)"
    " INSERT INTO board_event (event_id, sequence, kind, payload, created_at)"
    " SELECT :event, board_sequence, :kind, :payload, :created_at FROM bumped RETURNING sequence"
).bindparams(bindparam("payload", type_=BoardEvent.__table__.c.payload.type))  # type: ignore[attr-defined]


def record_change(session: Session, *, event_id: int, kind: str, payload: dict[str, Any]) -> int:
    """Append a BoardEvent in the caller's transaction and return its sequence number.

    The sequence bump locks the event row. The caller commits: the change and its BoardEvent land
    together or not at all. A plain INSERT, not an ORM add: every mark of the day comes through here.
    """
    if session.get_bind().dialect.name == "postgresql":
        sequence = session.execute(_BUMP_AND_APPEND, {"event": event_id, "kind": kind, "payload": payload,
                                                      "created_at": utcnow()}).scalar_one()
    else:  # SQLite: no data-modifying CTE
        sequence = session.execute(_BUMP_SEQUENCE, {"event": event_id}).scalar_one()
        session.execute(_APPEND, {"event_id": event_id, "sequence": sequence, "kind": kind, "payload": payload,
                                  "created_at": utcnow()})
    loaded = session.identity_map.get(identity_key(Event, event_id))
    if loaded is not None:  # what the ORM's own synchronising did, at a fraction of its cost
        set_committed_value(loaded, "board_sequence", sequence)
    session.info.setdefault(BOARD_PENDING, []).append((event_id, sequence))
    return int(sequence)
