"""Recording the changes that screens show, as numbered BoardEvents."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import bindparam, func, insert, text, update
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, col, select

from app.domain.changes import Change
from app.models import BoardEvent, Event, table_of
from app.models.util import utcnow

# Where a session collects the (event_id, sequence) pairs it wrote, for whoever publishes them after
# the commit (the realtime hub's after_commit hook); dropped on rollback.
BOARD_PENDING = "twofeet_board_pending"

# Built once, on the tables: every mark of the day runs these, and building a statement and its
# cache key on each call cost more than running it (py-spy, a mark POST on the development VM).
_events = table_of(Event)
_BUMP_SEQUENCE = (
    update(_events)
    .where(_events.c.id == bindparam("event"))
    .values(board_sequence=_events.c.board_sequence + 1)
    .returning(_events.c.board_sequence)
)
_APPEND = insert(table_of(BoardEvent))
# PostgreSQL: the bump and the append in one statement, so the event's row is held for one round
# trip less (every mark of an event waits for that row; see _take_turn below).
_BUMP_AND_APPEND = text(
    "WITH bumped AS (UPDATE event SET board_sequence = board_sequence + 1 WHERE id = :event"
    " RETURNING board_sequence)"
    " INSERT INTO board_event (event_id, sequence, kind, payload, created_at)"
    " SELECT :event, board_sequence, :kind, :payload, :created_at FROM bumped RETURNING sequence"
).bindparams(bindparam("payload", type_=table_of(BoardEvent).c.payload.type))


# PostgreSQL: the threads of this process that are about to bump an event's sequence take turns
# on a lock of ours first, held until their transaction ends. Every mark of an event updates that
# row; with dozens of request threads queued on its row lock, each commit woke them all while the
# holder waited for the GIL between its statements, and two workers fell far behind what was
# asked (BENCHMARKS.md, live board: 200 marks/s). Only
# a shortcut: the row lock keeps the sequence right, and a thread that has waited ``_TURN_WAIT_S``
# goes on without its turn (it might hold the row itself, through an earlier UPDATE of the event,
# while the turn's holder waits for that row).
_TURN = "twofeet_board_turn"
_TURN_WAIT_S = 0.5
_turns: dict[int, threading.Lock] = {}


def _take_turn(session: Session, event_id: int) -> None:
    if _TURN in session.info:
        return
    turn = _turns.get(event_id) or _turns.setdefault(event_id, threading.Lock())
    if turn.acquire(timeout=_TURN_WAIT_S):
        session.info[_TURN] = turn


@sa_event.listens_for(OrmSession, "after_transaction_end")
def _end_turn(session: OrmSession, transaction: Any) -> None:
    if transaction.parent is None:
        turn = session.info.pop(_TURN, None)
        if turn is not None:
            turn.release()


def record_change(session: Session, *, event_id: int, kind: Change, payload: dict[str, Any]) -> int:
    """Append a BoardEvent in the caller's transaction and return its sequence number.

    ``kind`` says which screens show the change and how (``changes.SCREENS``).

    The sequence bump locks the event row. The caller commits: the change and its BoardEvent land
    together or not at all. A plain INSERT, not an ORM add: every mark of the day comes through here.
    """
    if session.get_bind().dialect.name == "postgresql":
        _take_turn(session, event_id)
        sequence = session.execute(
            _BUMP_AND_APPEND, {"event": event_id, "kind": kind, "payload": payload, "created_at": utcnow()}
        ).scalar_one()
    else:  # SQLite: no data-modifying CTE
        sequence = session.execute(_BUMP_SEQUENCE, {"event": event_id}).scalar_one()
        session.execute(
            _APPEND,
            {"event_id": event_id, "sequence": sequence, "kind": kind, "payload": payload, "created_at": utcnow()},
        )
    loaded = session.identity_map.get(identity_key(Event, event_id))
    if loaded is not None:  # what the ORM's own synchronising did, at a fraction of its cost
        set_committed_value(loaded, "board_sequence", sequence)
    session.info.setdefault(BOARD_PENDING, []).append((event_id, sequence))
    return int(sequence)


def changes_between(
    session: Session, *, event_id: int, after: int, last: int
) -> list[tuple[str, int | None, int | None, int | None]] | None:
    """What the changes (after, last] of an event touched, as distinct (kind, topic id, placement id,
    second topic id: a merge's merged topic, an unmerge's former home).

    However many changes the gap holds, the answer is at most one row per kind and topic (or
    placement): catching a screen up on 2,000 marks costs about what 20 do. None when the log
    does not hold every change of the gap (only a full snapshot is exact then).
    """
    gap = (col(BoardEvent.event_id) == event_id, col(BoardEvent.sequence) > after, col(BoardEvent.sequence) <= last)
    if session.scalar(select(func.count()).select_from(BoardEvent).where(*gap)) != last - after:
        return None
    topic = BoardEvent.payload["topic_id"].as_integer()
    placement = BoardEvent.payload["placement_id"].as_integer()
    other = func.coalesce(BoardEvent.payload["merged_id"].as_integer(), BoardEvent.payload["from_id"].as_integer())
    return [
        (kind, topic_id, placement_id, other_id)
        for kind, topic_id, placement_id, other_id in session.execute(
            select(col(BoardEvent.kind), topic, placement, other).where(*gap).distinct()
        )
    ]
