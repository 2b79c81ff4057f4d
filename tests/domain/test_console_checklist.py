"""The console's checklist: on the day, each plenary with talks is a step with a way to run it."""

from __future__ import annotations

from sqlmodel import Session

from app.domain import console, talks
from app.domain.demo import seed_demo
from app.models import Phase


def _plenary_tasks(db: Session, event) -> list[console.Task]:  # type: ignore[no-untyped-def]
    page = console.console_page(db, event=event, link_pending=False)
    view: console.ConsoleView = page["view"]  # type: ignore[assignment]
    return [task for task in view.checklist if task.link == "plenary"]


def test_a_plenary_with_talks_is_a_step_until_its_last_talk_has_ended(db: Session) -> None:
    created = seed_demo(db)
    event, boss = created.event, created.organizer
    (task,) = _plenary_tasks(db, event)
    opening, order = talks.plenaries(db, event=event)[0]
    assert task.slot_id == opening.id and task.done is False
    assert task.text == "Run Welcome and EdTalks at 08:45" and task.hint.startswith("4 talks:")
    for _talk in [*order, None]:  # every press of "Next talk", then back to the grid
        talks.next_talk(db, event=event, slot_id=opening.id, expected=None, actor=boss)  # type: ignore[arg-type]
    (task,) = _plenary_tasks(db, event)
    assert task.done is True


def test_no_step_for_a_plenary_without_talks_or_once_the_day_is_closed(db: Session) -> None:
    created = seed_demo(db)
    event, boss = created.event, created.organizer
    opening, order = talks.plenaries(db, event=event)[0]
    for talk in order:
        talks.remove_talk(db, event=event, talk_id=talk.id, actor=boss)  # type: ignore[arg-type]
    assert _plenary_tasks(db, event) == []
    talks.add_talk(db, event=event, slot_id=opening.id, speaker="Ms. Rivera", title="Wait time", minutes=10, actor=boss)  # type: ignore[arg-type]
    assert len(_plenary_tasks(db, event)) == 1
    event.phase = Phase.closed
    assert _plenary_tasks(db, event) == []
