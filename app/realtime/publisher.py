"""From a commit to the live hub: the one way a recorded change sets off the screens.

The guarantee: a change reaches screens only after its transaction commits, and each event's
changes in sequence order. How:

1. ``domain.changelog.record_change`` numbers the change (the event's board sequence, bumped under
   the event row's lock) and notes ``(event_id, sequence)`` in ``session.info`` under
   ``BOARD_PENDING``. The domain knows nothing else of screens.
2. After the commit, ``_after_commit`` (a SQLAlchemy session event, installed for the engine by
   ``install_commit_hook``) takes the highest sequence per event and hands it to the hub that
   serves the engine, thread-safely (routes run in worker threads). A rollback drops the notes:
   nothing is published for a change that did not happen.
3. The hub wakes the event's channel and the other processes (``broadcast``); the channel reads
   the log from the last sequence it rendered, so a signal can be late or merged but never
   out of order.

The same hook tells ``middleware.BoardSequenceMiddleware`` which sequences the current HTTP
request committed, for its ``X-Board-Sequence`` header.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from contextvars import ContextVar
from typing import Protocol

from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as OrmSession  # the base class all sessions share
from sqlmodel import Session

from app.domain.changelog import BOARD_PENDING


class Listener(Protocol):
    """What the hook hands committed changes to (the live hub)."""

    def notify_threadsafe(self, event_id: int, sequence: int) -> None: ...


_hubs: weakref.WeakKeyDictionary[Engine, Listener] = weakref.WeakKeyDictionary()
# Set per HTTP request by ``BoardSequenceMiddleware``: the sequences this request committed.
request_sequences: ContextVar[list[int] | None] = ContextVar("twofeet_request_sequences", default=None)


def _after_commit(session: Session) -> None:
    pending: list[tuple[int, int]] = session.info.pop(BOARD_PENDING, [])
    if not pending:
        return
    latest: dict[int, int] = {}
    for event_id, sequence in pending:
        latest[event_id] = max(sequence, latest.get(event_id, 0))
    sequences = request_sequences.get()
    if sequences is not None:
        sequences.extend(latest.values())
    # The session's Engine, or the Connection's it runs on (an Engine's ``engine`` is itself).
    hub = _hubs.get(session.get_bind().engine)
    if hub is None:
        return
    for event_id, sequence in latest.items():
        hub.notify_threadsafe(event_id, sequence)


def _after_rollback(session: Session) -> None:
    session.info.pop(BOARD_PENDING, None)


_LISTENERS: list[tuple[str, Callable[..., None]]] = [
    ("after_commit", _after_commit),
    ("after_rollback", _after_rollback),
]


def install_commit_hook(engine: Engine, hub: Listener) -> None:
    """Publish every committed BoardEvent of ``engine``'s sessions to ``hub``."""
    _hubs[engine] = hub
    for name, listener in _LISTENERS:
        if not sa_event.contains(OrmSession, name, listener):
            sa_event.listen(OrmSession, name, listener)


def uninstall_commit_hook(engine: Engine) -> None:
    _hubs.pop(engine, None)
