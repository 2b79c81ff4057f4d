"""An attendee's own day: the topics they marked, lead or proposed, and, once the schedule is out,
where each of those sessions is, slot by slot."""

from __future__ import annotations

from sqlmodel import Session

from app.domain import checkins, talks, timetable, topics
from app.models import Attendee, Event


def my_day_view(session: Session, *, event: Event, attendee: Attendee) -> dict[str, object]:
    """What "My day" shows: ``mine`` (their topics, newest first, and ``views`` of them by id),
    the published ``grid``, ``day`` (each slot with the rooms holding one of their sessions; empty
    before publishing), ``off_wall`` (their own topics an organizer took off the wall), ``plenaries``
    (each plenary slot with its talks) and ``stage`` (the talk on stage now, if any)."""
    marked = [
        view
        for view in topics.wall(session, event=event, viewer=attendee, sort="newest").topics
        if view.marked or view.is_facilitator or view.is_author
    ]
    grid = timetable.grid(session, event=event)
    mine = {view.topic.id for view in marked}
    day = [
        (
            slot,
            [
                (room, cell)
                for room in grid.rooms
                if (cell := grid.cell(room, slot)) is not None and cell.topic.id in mine
            ],
        )
        for slot in (grid.slots if grid.published else [])
    ]
    # Where the phone is checked in now (the door's QR code or "I'm here"): what it came for.
    here = checkins.where_now(session, event=event, attendee=attendee) if grid.published else None
    return {
        "checked_in": checkins.describe(session, check_in=here) if here is not None else None,
        "mine": marked,
        "grid": grid,
        "day": day,
        "views": {view.topic.id: view for view in marked},
        "off_wall": topics.off_wall_for_author(session, event=event, author=attendee),
        # Keynotes and EdTalks are everyone's: each plenary with its running order, and who is on now.
        "plenaries": talks.plenaries(session, event=event),
        "stage": talks.on_stage(session, event=event),
    }
