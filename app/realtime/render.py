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

Each view is rendered once per language its sockets read (``wall@es``, ``board@en``: see
:func:`view_key`), so a Spanish phone never receives an English fragment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment
from jinja2_fragments import render_block
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.requests import HTTPConnection

from app import i18n
from app.domain import headcounts, raffle, rows, smackdown, talks, timetable, topics
from app.domain.changelog import changes_between
from app.domain.changes import MINE, Change, Effect, View, effect
from app.models import Event, Topic
from app.models.util import utcnow
from app.templating import public_url

# Which block of ``board/board.html`` a board delta of each kind redraws (see changes.SCREENS).
BOARD_BLOCKS: dict[Change, str] = {
    **dict.fromkeys(
        (
            Change.topic_proposed,
            Change.topic_edited,
            Change.topic_withdrawn,
            Change.topic_hidden,
            Change.topic_restored,
            Change.topics_merged,
            Change.interest_changed,
            Change.facilitators_changed,
            Change.session_status,
            Change.popup_started,
            Change.talks_changed,
            Change.stage_changed,
            Change.checked_in,
            Change.smackdown_changed,
            Change.raffle_changed,
            Change.board_mode,
        ),
        "board_main",
    ),
    Change.announcement: "board_announcement",
    Change.board_theme: "board_theme",
}

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
    # A delta that a phone whose own mark or offer to lead is on one of these topics takes as a
    # refetch of ``target`` instead (``app.js``): the change moved something personal.
    mine: tuple[int, ...] = ()


@dataclass
class Batch:
    """Fragments covering BoardEvents (first, last] of one event, per view."""

    first: int
    last: int
    pushes: dict[str, Push] = field(default_factory=dict)


def meta(first: int, last: int, push: Push) -> str:
    """The element every frame starts with: which sequence numbers it covers and what to do."""
    target = f' data-target="{push.target}"' if push.target else ""
    mine = f' data-mine="{" ".join(map(str, push.mine))}"' if push.mine else ""
    return (
        f'<div id="live-meta" hidden data-from="{first}" data-to="{last}" '
        f'data-action="{push.action}"{target}{mine}></div>'
    )


def view_key(view: str, locale: str) -> str:
    """What a socket's channel groups it by: the view and the language it is read in."""
    return f"{view}@{locale}"


def split_view(key: str) -> tuple[str, str]:
    """``("wall", "es")`` from ``wall@es`` (a key without a language reads in English)."""
    view, _, locale = key.partition("@")
    return view, locale or i18n.DEFAULT_LOCALE


def view_target(view: str) -> str:
    view = split_view(view)[0]
    if view == "wall":
        return "#wall"
    if view.startswith("room-"):
        return "#door-main"
    if view == "my":
        return "#my-live"
    return ""


def board_context(
    session: Session, event: Event, request: HTTPConnection, changed: set[str] | None = None
) -> dict[str, Any]:
    """What ``board/board.html`` needs: the wall before publishing, the grid after."""
    grid = timetable.grid(session, event=event)
    wall = None if grid.published else topics.wall(session, event=event, viewer=None, sort="wanted")
    shown = wall.topics[:BOARD_TOPICS_MAX] if wall else []
    return {
        "request": request,
        "event": event,
        "grid": grid,
        "wall": wall,
        "shown": shown,
        "join_link": public_url(request, "event_page", code=event.code),
        "hidden_count": (len(wall.topics) - len(shown)) if wall else 0,
        "changed": changed or set(),
        "seq": event.board_sequence,
        # A plenary on stage takes the board's main area: the speaker, the time left, who is next.
        "stage": talks.on_stage(session, event=event),
        # The current slot's "12 / 30" and the "room for more" derived from it.
        "headcounts": headcounts.headcounts(session, event=event, grid=grid),
        # The smackdown on the board (an organizer put it there): who is up, the countdown, who is next.
        "smackdown": smackdown.smackdown_view(session, event=event) if event.board_mode == "smackdown" else None,
        "server_now": utcnow().isoformat(),
        # The raffle takes the main area while the organizer shows it: the draw, and where to check it.
        "raffle": {
            "view": raffle.raffle_view(session, event=event),
            "link": public_url(request, "raffle_page", code=event.code),
        }
        if event.board_mode == "raffle"
        else None,
    }


def _board_refresh(env: Environment, ctx: dict[str, Any]) -> str:
    return "".join(
        render_block(env, "board/board.html", block, **ctx)
        for block in ("board_phase", "board_main", "board_announcement", "board_theme")
    )


@dataclass
class Changes:
    """What a run of BoardEvents touched, however long the run: its kinds, and per kind the topics.

    Built from ``changelog.changes_between`` (distinct rows, whatever the gap's length): the pushes
    carry the current state of what changed (counts, titles), never one fragment per change.
    """

    kinds: set[str] = field(default_factory=set)
    topics: dict[str, set[int]] = field(default_factory=dict)
    placements: set[int] = field(default_factory=set)
    # Per kind, the second topic a change names (a merge's merged topic, an unmerge's former home).
    others: dict[str, set[int]] = field(default_factory=dict)

    def add(self, kind: str, topic_id: int | None, placement_id: int | None, other_id: int | None = None) -> None:
        if kind == Change.note:  # no screen shows it: only the sequence moves
            return
        self.kinds.add(kind)
        if topic_id is not None:
            self.topics.setdefault(kind, set()).add(topic_id)
        if other_id is not None:
            self.others.setdefault(kind, set()).add(other_id)
        if placement_id is not None:
            self.placements.add(placement_id)

    def ids(self, *kinds: Change, others: bool = False) -> set[int]:
        """The topics changes of ``kinds`` named (or their second topics)."""
        named = self.others if others else self.topics
        return set().union(*(named.get(kind, set()) for kind in kinds))

    def changed_ids(self) -> set[str]:
        """As ``topic-<id>`` and ``placement-<id>``: what the board makes glow."""
        return {f"topic-{i}" for ids in self.topics.values() for i in ids} | {f"placement-{i}" for i in self.placements}


def summarize(session: Session, *, event_id: int, after: int, last: int) -> Changes | None:
    """The changes (after, last] of an event, or None when the log does not hold all of them."""
    touched = changes_between(session, event_id=event_id, after=after, last=last)
    if touched is None:
        return None
    changes = Changes()
    for kind, topic_id, placement_id, other_id in touched:
        changes.add(kind, topic_id, placement_id, other_id)
    return changes


def _wall_delta(env: Environment, ctx: dict[str, Any], changes: Changes) -> Push:
    """The part of a phone's wall that is the same for everyone (see ``changes.SCREENS``)."""
    # A kind's own topic is in ``topics``; a merge's merged topic and an unmerge's former home in ``others``.
    mine = tuple(
        sorted(
            set().union(*(changes.ids(kind, others=key != "topic_id") for kind, keys in MINE.items() for key in keys))
        )
    )
    return Push(
        "delta",
        env.get_template("live/wall_push.html").render(ctx),
        target=view_target("wall") if mine else "",
        mine=mine,
    )


def _wall_context(session: Session, event: Event, request: HTTPConnection, changes: Changes) -> dict[str, Any]:
    """What a wall delta shows, read once per batch whatever the languages it is rendered in."""
    C = Change
    gone = changes.ids(C.topic_withdrawn, C.topic_hidden) | changes.ids(C.topics_merged, others=True)
    back = changes.ids(C.topic_restored)
    # A merge changes the kept topic's count and leads; an unmerge those of the topic it left.
    moved = changes.ids(C.topics_merged) | changes.ids(C.topic_restored, others=True)
    counted = (changes.ids(C.interest_changed) | moved) - gone
    led = (changes.ids(C.facilitators_changed) | moved) - gone
    titled = changes.ids(C.topic_edited) - gone
    found = [
        t for t in (rows.find(session, Topic, i, event=event) for i in sorted(counted | led | titled)) if t is not None
    ]
    views = {v.topic.id: v for v in topics.topic_views(session, event=event, viewer=None, topics=found)}
    proposed = changes.ids(C.topic_proposed) | back
    return {
        "request": request,
        "event": event,
        "counts": [views[i] for i in sorted(counted) if i in views and views[i].count is not None],
        "titles": [views[i] for i in sorted(titled) if i in views],
        "leads": [views[i] for i in sorted(led) if i in views],
        "withdrawn": sorted(gone - back),
        "proposed": len(proposed),
        "proposed_ids": sorted(proposed),  # a phone showing them all says nothing
        "announcement": C.announcement in changes.kinds,
    }


def render_batch(
    engine: Engine,
    env: Environment,
    request: HTTPConnection,
    *,
    event_id: int,
    after: int,
    views: list[str],
    upto: int | None = None,
    refresh: bool = False,
) -> Batch | None:
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
        changes = None if refresh else summarize(session, event_id=event_id, after=after, last=last)
        if changes is None:  # asked for, or the log no longer holds the gap
            refresh, changes = True, Changes()
        batch = Batch(first=after, last=last)
        # What a view shows is read once for all its languages (views hold no words, the templates
        # word them); each language renders it (``wall@es``: see view_key).
        read: dict[str, dict[str, Any]] = {}
        for key in views:
            view, locale = split_view(key)
            with i18n.using(locale):
                batch.pushes[key] = _view_push(
                    env, session, event, request, view=view, changes=changes, refresh=refresh, read=read
                )
        return batch


def _view_push(
    env: Environment,
    session: Session,
    event: Event,
    request: HTTPConnection,
    *,
    view: str,
    changes: Changes,
    refresh: bool,
    read: dict[str, dict[str, Any]],
) -> Push:
    """What ``view`` needs for ``changes`` (a snapshot, a refetch or a reload when ``refresh``)."""
    kinds = changes.kinds
    # A full redraw: asked for, or what people may do changed (the phones reload).
    full = refresh or effect(kinds, View.board) >= Effect.refetch
    if view == "board":
        if "board" not in read:
            read["board"] = board_context(session, event, request, changes.changed_ids())
        return _board_push(env, read["board"], changes, full=full)
    if view == "wall":
        wall = effect(kinds, View.wall)
        if wall == Effect.reload:
            return Push("reload")
        if refresh or wall == Effect.refetch:
            return Push("refetch", target=view_target(view))
        if "wall" not in read:
            read["wall"] = _wall_context(session, event, request, changes)
        return _wall_delta(env, read["wall"], changes)
    if view == "my":  # "my day" is personal: it GETs its own block when the day changed
        relevant = refresh or effect(kinds, View.my) >= Effect.refetch
        # The announcement line sits above the day, the same for everyone: pushed as it is.
        body = (
            env.get_template("live/announcement.html").render(event=event)
            if full or Change.announcement in kinds
            else ""
        )
        return Push("refetch" if relevant else "delta", body, target=view_target(view))
    # A door view: it GETs its own block, which is personal (status buttons).
    relevant = refresh or effect(kinds, View.door) >= Effect.refetch
    return Push("refetch" if relevant else "delta", target=view_target(view))


def _board_push(env: Environment, ctx: dict[str, Any], changes: Changes, *, full: bool) -> Push:
    """The projector's push: every block when ``full``, else the blocks the changes' kinds redraw."""
    if full:
        return Push("refresh", _board_refresh(env, ctx))
    kinds = changes.kinds
    blocks = dict.fromkeys(BOARD_BLOCKS[Change(k)] for k in sorted(kinds) if effect({k}, View.board) == Effect.delta)
    return Push("delta", "".join(render_block(env, "board/board.html", block, **ctx) for block in blocks))
