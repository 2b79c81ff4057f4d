"""Publishing the draft and taking a publish back.

Publishing stamps the draft; a publish during the day carries over what has happened (sessions
ended, pop-ups running) and lists what moved. Undoing a publish takes the stamp off the newest
published version, so the one before it is back on the board.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from app.domain import audit, drafting, events, phases
from app.domain.changelog import record_change
from app.domain.changes import Change
from app.domain.drafting import current_draft, placements_of, schedule_view
from app.domain.errors import Conflict
from app.domain.timetable import current_and_next, published_run
from app.i18n import _
from app.models import (
    Event,
    Organizer,
    Phase,
    Placement,
    Room,
    ScheduleRun,
    SessionStatus,
    Topic,
    TopicStatus,
    saved_id,
)
from app.models.util import utcnow


def publish(
    session: Session, *, event: Event, actor: Organizer, announcement: str | None = None, now: datetime | None = None
) -> ScheduleRun:
    """The draft goes to the board and every phone at once; refused while it breaks a rule.

    ``now`` (default: the clock) decides which slot is running, for pop-ups carried over.
    """
    phases.require_phase(event, "publish_schedule")
    draft = current_draft(session, event=event)
    if draft is None:
        raise Conflict(_("There is no draft to publish. Build a schedule first."))
    previous = published_run(session, event=event)
    if previous is not None:
        _carry_the_day(session, event=event, old=previous, new=draft, now=now)
    view = schedule_view(session, event=event, run=draft)
    if view.problems or not view.cells:
        session.rollback()  # what the day carried over is applied only with the publish
        if view.problems:
            raise Conflict(_("The draft cannot be published yet: {why}").format(why=" ".join(view.problems)))
        raise Conflict(_("The draft is empty. Build a schedule or place sessions first."))
    moved = drafting.moves_between(session, previous, draft) if previous else []
    draft.published_at = utcnow()
    # What the board said and the phase before, so undoing this publish can put them back.
    draft.stats = {
        **draft.stats,
        **view.stats,
        "moves": moved,
        "before": {"announcement": event.announcement, "phase": event.phase.value},
    }
    session.add(draft)
    event.phase = Phase.live
    if announcement is not None:
        event.announcement = " ".join(announcement.split())[:280]
    elif moved:
        event.announcement = _("Schedule changed: {moves}").format(moves="; ".join(moved))[:280]
    session.add(event)
    record_change(
        session,
        event_id=saved_id(event),
        kind=Change.schedule_published,
        payload={"schedule_run_id": draft.id, "version": draft.version},
    )
    audit.record(
        session,
        event=event,
        actor=actor,
        action="publish",
        detail=f"published v{draft.version}" + (f" ({len(moved)} changes)" if previous else ""),
    )
    session.commit()
    return draft


def _carry_the_day(session: Session, *, event: Event, old: ScheduleRun, new: ScheduleRun, now: datetime | None) -> None:
    """What happened under the published version stays when a new one replaces it mid-day.

    A session left where it was keeps its "full / room for more / ended early" and stays marked a
    pop-up if it was one (a draft copies only topic, room, slot and pin). A pop-up started after
    the draft was made is added to it, unless it was cancelled or its room has since been closed.
    A pop-up running now whose room the draft gives to another session refuses the publish, naming
    both, rather than vanish from the board while people sit in it; one that is over (an earlier
    slot, or ended early) gives way. A pop-up the organizer took out of a draft made after it
    started stays out: that was a decision. Everything is checked before anything changes.
    """
    rows = placements_of(session, new)
    by_topic = {p.topic_id: p for p in rows}
    by_cell = {(p.room_id, p.slot_id): p for p in rows}
    rooms = {saved_id(r): r for r in events.list_rooms(session, event)}
    running, _next = current_and_next(event, events.list_slots(session, event), now)
    kept: list[tuple[Placement, Placement]] = []
    added: list[Placement] = []
    for before in placements_of(session, old):
        same = by_topic.get(before.topic_id)
        if same is not None and (same.room_id, same.slot_id) == (before.room_id, before.slot_id):
            kept.append((same, before))
        elif (
            before.is_popup
            and same is None
            and _pop_up_joins(session, before, draft=new, rooms=rooms, by_cell=by_cell, running=running)
        ):
            added.append(before)
            by_cell[(before.room_id, before.slot_id)] = before
    for same, before in kept:
        same.is_popup = same.is_popup or before.is_popup
        if same.status == SessionStatus.scheduled:
            same.status, same.status_at = before.status, before.status_at
        session.add(same)
    for before in added:
        session.add(
            Placement(
                schedule_run_id=saved_id(new),
                topic_id=before.topic_id,
                room_id=before.room_id,
                slot_id=before.slot_id,
                is_popup=True,
                status=before.status,
                status_at=before.status_at,
            )
        )
    session.flush()


def _pop_up_joins(
    session: Session,
    before: Placement,
    *,
    draft: ScheduleRun,
    rooms: dict[int, Room],
    by_cell: dict[tuple[int, int], Placement],
    running: int | None,
) -> bool:
    """Whether a published pop-up that ``draft`` lacks is added to it (see ``_carry_the_day``).

    Raises Conflict when it is running now in a room the draft gives to another session.
    """
    topic = session.get(Topic, before.topic_id)
    room = rooms.get(before.room_id)
    if (
        topic is None
        or topic.status != TopicStatus.open
        or topic.created_at < draft.created_at
        or room is None
        or before.slot_id in room.unavailable_slots
    ):
        return False
    taken = by_cell.get((before.room_id, before.slot_id))
    if taken is None:
        return True
    if before.slot_id != running or before.status == SessionStatus.ended_early:
        return False  # over: it gives way
    other = session.get(Topic, taken.topic_id)
    raise Conflict(
        _(
            "The pop-up session “{popup}” is running in {room} now, and this draft puts “{other}” there. "
            "Move that session to another room, or mark the pop-up ended early, then publish."
        ).format(popup=topic.title, room=room.name, other=other.title if other else _("another session")),
        field="room_id",
    )


def undo_publish(session: Session, *, event: Event, actor: Organizer, version: int | None = None) -> ScheduleRun | None:
    """Take back the last publish: the version before it is on the board again (or none), with the
    announcement and phase from before. ``version`` names the publish being undone, so a second
    click (or a colleague's undo a moment earlier) is refused rather than undoing one more.
    The withdrawn version is kept; it becomes the draft unless a newer draft exists."""
    latest = published_run(session, event=event)
    if latest is None:
        raise Conflict(_("Nothing has been published yet, so there is nothing to undo."))
    if version is not None and latest.version != version:
        raise Conflict(
            _(
                "Version {version} is no longer the published one (version {latest} is); "
                "reload the page to see what is live."
            ).format(version=version, latest=latest.version)
        )
    latest.published_at = None
    session.add(latest)
    session.flush()
    now_live = published_run(session, event=event)
    before = latest.stats.get("before") or {}
    event.announcement = str(before.get("announcement", event.announcement))
    previous_phase = before.get("phase")
    if now_live is None:
        event.phase = (
            Phase(previous_phase)
            if previous_phase in {p.value for p in Phase} and previous_phase != "live"
            else Phase.scheduled
        )
    session.add(event)
    record_change(
        session,
        event_id=saved_id(event),
        kind=Change.schedule_published,
        payload={
            "schedule_run_id": now_live.id if now_live else None,
            "version": now_live.version if now_live else None,
            "undone": latest.version,
        },
    )
    audit.record(
        session,
        event=event,
        actor=actor,
        action="unpublish",
        detail=f"took back v{latest.version}" + (f"; v{now_live.version} is live again" if now_live else ""),
    )
    session.commit()
    return now_live
