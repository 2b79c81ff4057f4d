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
