"""What a push carries: fragments rendered by the page templates for one batch of BoardEvents.

Runs in a worker thread (it reads the database and renders Jinja). Every fragment is a top-level
element with a stable id, which the htmx ws extension swaps out of band; user text is escaped by
the same autoescaping environment as the pages, because these are the pages' own blocks and macros.

Views (what a socket is showing):
- ``board``: the projector. Pushes carry whole blocks of ``board/board.html``.
- ``wall``: a phone's topic list. It is personal (marks, order), so pushes carry only the
  viewer-independent bits (counts, titles, facilitators, withdrawals, the announcement), and a
  "refetch" that makes the phone GET its own wall when more changed.
- ``room-<id>``: a door view; it refetches its own block (facilitators see buttons there).
- ``my``: a phone's "my day"; it refetches its own block when the schedule or a session changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment
from jinja2_fragments import render_block
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.requests import HTTPConnection

from app.domain import schedule, topics
from app.domain.board import changes_between
from app.models import Event, Topic
from app.templating import public_url

# Kinds after which a phone reloads its page: what it may do has changed.
RELOAD_KINDS = frozenset({"phase_changed", "settings_changed", "schedule_published"})
TOPIC_KINDS = frozenset({"topic_proposed", "topic_edited", "topic_withdrawn", "interest_changed",
                         "facilitators_changed"})
SESSION_KINDS = frozenset({"session_status", "popup_started"})
# Only the projector board shows its theme; phones and doors have nothing to redraw for it.
BOARD_ONLY_KINDS = frozenset({"board_theme"})
KNOWN_KINDS = RELOAD_KINDS | TOPIC_KINDS | SESSION_KINDS | BOARD_ONLY_KINDS | {"announcement"}
# Kinds no board, wall or door shows (session notes have their own page): only the sequence moves.
QUIET_KINDS = frozenset({"note"})

# The most wanted topics the board pages through (board.js: a few pages of ~12 at 1080p); the
# rest are counted on it ("and N more on your phone") and listed on the phones.
BOARD_TOPICS_MAX = 48


@dataclass
class Push:
    """One view's part of a batch: how the client should apply it, and the fragments."""

    action: str  # "delta" (swap the fragments), "refresh" (fragments are a full snapshot),
    #              "refetch" (GET the view's own block), "reload" (reload the page)
    body: str = ""
    target: str = ""


@dataclass
class Batch:
    """Fragments covering BoardEvents (first, last] of one event, per view."""

    first: int
    last: int
    pushes: dict[str, Push] = field(default_factory=dict)


def meta(first: int, last: int, push: Push) -> str:
    """The element every frame starts with: which sequence numbers it covers and what to do."""
    target = f' data-target="{push.target}"' if push.target else ""
    return (f'<div id="live-meta" hidden data-from="{first}" data-to="{last}" '
            f'data-action="{push.action}"{target}></div>')


def view_target(view: str) -> str:
    if view == "wall":
        return "#wall"
    if view.startswith("room-"):
        return "#door-main"
    if view == "my":
        return "#my-live"
    return ""


def board_context(session: Session, event: Event, request: HTTPConnection,
                  changed: set[str] | None = None) -> dict[str, Any]:
    """What ``board/board.html`` needs: the wall before publishing, the grid after."""
    grid = schedule.grid(session, event=event)
    wall = None if grid.published else topics.wall(session, event=event, viewer=None, sort="wanted")
    shown = wall.topics[:BOARD_TOPICS_MAX] if wall else []
    return {"request": request, "event": event, "grid": grid, "wall": wall, "shown": shown,
            "join_link": public_url(request, "event_page", code=event.code),
            "hidden_count": (len(wall.topics) - len(shown)) if wall else 0, "changed": changed or set(),
            "seq": event.board_sequence}


def _board_refresh(env: Environment, ctx: dict[str, Any]) -> str:
    return "".join(render_block(env, "board/board.html", block, **ctx)
                   for block in ("board_phase", "board_main", "board_announcement", "board_theme"))


@dataclass
class Changes:
    """What a run of BoardEvents touched, however long the run: its kinds, and per kind the topics.

    Built from ``board.changes_between`` (distinct rows, whatever the gap's length): the pushes
    carry the current state of what changed (counts, titles), never one fragment per change.
    """

    kinds: set[str] = field(default_factory=set)
    topics: dict[str, set[int]] = field(default_factory=dict)
    placements: set[int] = field(default_factory=set)

    def add(self, kind: str, topic_id: int | None, placement_id: int | None) -> None:
        if kind in QUIET_KINDS:
            return
        self.kinds.add(kind)
        if topic_id is not None:
            self.topics.setdefault(kind, set()).add(topic_id)
        if placement_id is not None:
            self.placements.add(placement_id)

    def changed_ids(self) -> set[str]:
        """As ``topic-<id>`` and ``placement-<id>``: what the board makes glow."""
        return ({f"topic-{i}" for ids in self.topics.values() for i in ids}
                | {f"placement-{i}" for i in self.placements})


def summarize(session: Session, *, event_id: int, after: int, last: int) -> Changes | None:
    """The changes (after, last] of an event, or None when the log does not hold all of them."""
    rows = changes_between(session, event_id=event_id, after=after, last=last)
    if rows is None:
        return None
    changes = Changes()
    for kind, topic_id, placement_id in rows:
        changes.add(kind, topic_id, placement_id)
    return changes


def _wall_delta(env: Environment, session: Session, event: Event, request: HTTPConnection,
                changes: Changes) -> Push:
    kinds = changes.kinds - BOARD_ONLY_KINDS
    if not kinds <= (TOPIC_KINDS | SESSION_KINDS | {"announcement"}):
        return Push("refetch", target="#wall")
    by_kind = changes.topics
    withdrawn = by_kind.get("topic_withdrawn", set())
    wanted = (by_kind.get("interest_changed", set()) | by_kind.get("topic_edited", set())
              | by_kind.get("facilitators_changed", set())) - withdrawn
    found = [t for t in (session.get(Topic, i) for i in sorted(wanted)) if t is not None and t.event_id == event.id]
    views = {v.topic.id: v for v in topics.topic_views(session, event=event, viewer=None, topics=found)}
    ctx = {
        "request": request,
        "event": event,
        "counts": [views[i] for i in sorted(by_kind.get("interest_changed", set())) if i in views
                   and views[i].count is not None],
        "titles": [views[i] for i in sorted(by_kind.get("topic_edited", set())) if i in views],
        "leads": [views[i] for i in sorted(by_kind.get("facilitators_changed", set())) if i in views],
        "withdrawn": sorted(withdrawn),
        "proposed": len(by_kind.get("topic_proposed", set())),
        "proposed_ids": sorted(by_kind.get("topic_proposed", set())),  # a phone showing them all says nothing
        "announcement": "announcement" in kinds,
    }
    return Push("delta", env.get_template("live/wall_push.html").render(ctx))


def render_batch(engine: Engine, env: Environment, request: HTTPConnection, *, event_id: int, after: int,
                 views: list[str], upto: int | None = None, refresh: bool = False) -> Batch | None:
    """The pushes for every view covering the event's BoardEvents after ``after``.

    None when nothing is new. However many changes the gap holds, a phone's wall gets a delta with
    the current state of what changed (see ``Changes``); a full snapshot only when ``refresh`` is
    asked or the log no longer holds the gap.
    """
    with Session(engine, expire_on_commit=False) as session:
        event = session.get(Event, event_id)
        if event is None:
            return None
        last = event.board_sequence if upto is None else min(upto, event.board_sequence)
        if last <= after and not refresh:
            return None
        changes = Changes()
        if not refresh:
            summary = summarize(session, event_id=event_id, after=after, last=last)
            if summary is None:
                refresh = True
            else:
                changes = summary
        kinds = changes.kinds
        phone_kinds = kinds - BOARD_ONLY_KINDS
        reload = bool(kinds & RELOAD_KINDS)
        batch = Batch(first=after, last=last)
        board_ctx: dict[str, Any] | None = None
        for view in views:
            if view == "board":
                board_ctx = board_ctx or board_context(session, event, request, changes.changed_ids())
                if refresh or reload or not kinds <= KNOWN_KINDS:
                    batch.pushes[view] = Push("refresh", _board_refresh(env, board_ctx))
                    continue
                parts = []
                if kinds & (TOPIC_KINDS | SESSION_KINDS):
                    parts.append(render_block(env, "board/board.html", "board_main", **board_ctx))
                if "announcement" in kinds:
                    parts.append(render_block(env, "board/board.html", "board_announcement", **board_ctx))
                if kinds & BOARD_ONLY_KINDS:
                    parts.append(render_block(env, "board/board.html", "board_theme", **board_ctx))
                batch.pushes[view] = Push("delta", "".join(parts))
            elif view == "wall":
                if reload:
                    batch.pushes[view] = Push("reload")
                elif refresh:
                    batch.pushes[view] = Push("refetch", target="#wall")
                else:
                    batch.pushes[view] = _wall_delta(env, session, event, request, changes)
            elif view == "my":  # "my day" is personal: it GETs its own block when the day changed
                relevant = refresh or reload or bool(
                    phone_kinds - {"interest_changed", "topic_proposed", "announcement"})
                # The announcement line sits above the day, the same for everyone: pushed as it is.
                body = (env.get_template("live/announcement.html").render(event=event)
                        if refresh or reload or "announcement" in kinds else "")
                batch.pushes[view] = Push("refetch" if relevant else "delta", body, target=view_target(view))
            else:  # a door view: it GETs its own block, which is personal (status buttons)
                relevant = refresh or reload or bool(phone_kinds - {"interest_changed", "topic_proposed"})
                batch.pushes[view] = Push("refetch" if relevant else "delta", target=view_target(view))
        return batch
