"""The demo events a newcomer sees first."""

from __future__ import annotations

from sqlmodel import Session

from app.domain import drafting, topics
from app.domain.demo import seed_demo, seed_demo_live
from app.models import Phase, SessionStatus


def test_demo_has_a_full_wall(db: Session) -> None:
    created = seed_demo(db)
    wall = topics.wall(db, event=created.event, viewer=None, sort="wanted")
    assert len(wall.topics) == 25 and wall.topics[0].count and wall.topics[0].count > wall.topics[-1].count  # type: ignore[operator]


def test_live_demo_has_a_published_grid_with_a_full_session(db: Session) -> None:
    created = seed_demo_live(db, time_limit=1)
    event = created.event
    assert event.phase == Phase.live
    view = drafting.schedule_view(db, event=event)
    assert view.published is not None and view.cells and not view.problems
    assert any(c.placement.status == SessionStatus.full for c in view.cells.values())
    assert any(c.facilitators for c in view.cells.values())


def test_demo_opens_with_a_plenary_of_talks_that_fills_its_slot(db: Session) -> None:
    from app.domain import rows, talks  # noqa: PLC0415 - only this test reads the programme
    from app.models import SlotKind  # noqa: PLC0415 - as above

    event = seed_demo(db).event
    opening = next(s for s in rows.slots(db, event) if s.kind == SlotKind.plenary)
    order = talks.talks_of(db, slot=opening)
    assert [t.speaker for t in order][:2] == ["Demo organizer", "Ms. Rivera"] and len(order) == 4
    hours, minutes = (int(x) for x in opening.start.split(":"))
    end_hours, end_minutes = (int(x) for x in opening.end.split(":"))
    assert sum(t.minutes for t in order) == (end_hours - hours) * 60 + end_minutes - minutes
