from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select
from sqlmodel import Session

from app.domain import changelog, claims, events, marking, organizers, topics
from app.domain.changelog import record_change
from app.domain.errors import BudgetExhausted, Conflict, WrongPhase
from app.models import BoardEvent, Interest, Phase
from tests.factories import make_attendee, make_event, make_topic


def _interests(db: Session, attendee_id: int) -> int:
    return db.scalar(select(func.count()).select_from(Interest).where(Interest.attendee_id == attendee_id)) or 0


def test_mark_twice_keeps_one_mark(db: Session) -> None:
    event = make_event(db).event
    person = make_attendee(db, event)
    topic = make_topic(db, event, person)
    assert marking.mark_topic(db, event=event, attendee=person, topic=topic) is True
    assert marking.mark_topic(db, event=event, attendee=person, topic=topic) is False
    assert _interests(db, person.id) == 1
    assert marking.unmark_topic(db, event=event, attendee=person, topic=topic) is True
    assert marking.unmark_topic(db, event=event, attendee=person, topic=topic) is False
    assert _interests(db, person.id) == 0


def test_budget_refuses_the_mark_beyond_it(db: Session) -> None:
    event = make_event(db).event
    events.update_settings(
        db,
        event=event,
        vote_budget=2,
        hide_counts=False,
        shuffle_topics=False,
        actor=organizers.require_first_organizer(db, event),
    )
    person = make_attendee(db, event)
    made = [make_topic(db, event, person, title=f"T{i}") for i in range(3)]
    marking.mark_topic(db, event=event, attendee=person, topic=made[0])
    marking.mark_topic(db, event=event, attendee=person, topic=made[1])
    with pytest.raises(BudgetExhausted) as caught:
        marking.mark_topic(db, event=event, attendee=person, topic=made[2])
    assert "all 2 of your marks" in caught.value.message
    # Re-marking a marked topic is not a new mark, so it is fine at the limit.
    assert marking.mark_topic(db, event=event, attendee=person, topic=made[0]) is False
    # A withdrawn topic gives its marks back.
    topics.withdraw_topic(db, event=event, topic=made[1], by=person)
    assert marking.mark_topic(db, event=event, attendee=person, topic=made[2]) is True


def test_marking_is_refused_outside_marking_phases(db: Session) -> None:
    event = make_event(db).event
    person = make_attendee(db, event)
    topic = make_topic(db, event, person)
    events.set_phase(db, event=event, phase=Phase.scheduled, actor=organizers.require_first_organizer(db, event))
    with pytest.raises(WrongPhase) as caught:
        marking.mark_topic(db, event=event, attendee=person, topic=topic)
    assert "Marking topics is not possible" in caught.value.message


def test_mark_writes_a_numbered_board_event(db: Session) -> None:
    event = make_event(db).event
    person = make_attendee(db, event)
    topic = make_topic(db, event, person)
    marking.mark_topic(db, event=event, attendee=person, topic=topic)
    last = db.scalars(
        select(BoardEvent).where(BoardEvent.event_id == event.id).order_by(BoardEvent.sequence.desc())
    ).first()
    assert last is not None
    assert (last.kind, last.payload) == ("interest_changed", {"topic_id": topic.id})
    sequences = list(
        db.scalars(select(BoardEvent.sequence).where(BoardEvent.event_id == event.id).order_by(BoardEvent.sequence))
    )
    assert sequences == list(range(1, len(sequences) + 1))


def test_budget_holds_under_fifty_concurrent_marks(engine: sa.Engine, db: Session) -> None:
    event = make_event(db).event
    events.update_settings(
        db,
        event=event,
        vote_budget=5,
        hide_counts=False,
        shuffle_topics=False,
        actor=organizers.require_first_organizer(db, event),
    )
    person = make_attendee(db, event)
    made = [make_topic(db, event, person, title=f"Topic {i}") for i in range(50)]
    barrier = threading.Barrier(50)
    outcomes: list[str] = []
    lock = threading.Lock()

    def tap(topic_id: int) -> None:
        # Wait before taking a connection: fifty threads holding connections at a
        # barrier would outnumber the pool and wait on each other forever.
        barrier.wait()
        with Session(engine, expire_on_commit=False) as own:
            own_event = events.require_event(own, event.code)
            own_person = own.get(type(person), person.id)
            own_topic = topics.require_topic(own, event=own_event, topic_id=topic_id)
            try:
                marking.mark_topic(own, event=own_event, attendee=own_person, topic=own_topic)
                result = "marked"
            except BudgetExhausted:
                result = "refused"
            with lock:
                outcomes.append(result)

    threads = [threading.Thread(target=tap, args=(t.id,)) for t in made]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["marked"] * 5 + ["refused"] * 45
    assert _interests(db, person.id) == 5


def test_facilitator_limit(db: Session) -> None:
    created = make_event(db)
    event = created.event
    people = [make_attendee(db, event) for _ in range(4)]
    topic = make_topic(db, event, people[0], facilitate=True)
    assert claims.claim_topic(db, event=event, attendee=people[0], topic=topic) is False
    claims.claim_topic(db, event=event, attendee=people[1], topic=topic)
    claims.claim_topic(db, event=event, attendee=people[2], topic=topic)
    with pytest.raises(Conflict):
        claims.claim_topic(db, event=event, attendee=people[3], topic=topic)
    assert claims.release_claim(db, event=event, attendee=people[1], topic=topic) is True
    assert claims.claim_topic(db, event=event, attendee=people[3], topic=topic) is True
    view = topics.topic_view(db, event=event, viewer=people[3], topic=topic)
    assert view.is_facilitator and len(view.facilitators) == 3


def test_marks_of_an_event_take_turns_only_until_their_transaction_ends(db: Session) -> None:
    """On PostgreSQL a mark takes its event's turn before the sequence bump; a commit or a rollback
    gives it back, so the next mark of the event never waits for one that has ended."""
    event = make_event(db).event
    people = [make_attendee(db, event) for _ in range(3)]
    topic = make_topic(db, event, people[0])
    postgres = db.get_bind().dialect.name == "postgresql"
    marking.mark_topic(db, event=event, attendee=people[1], topic=topic)  # commits
    assert changelog._TURN not in db.info
    record_change(db, event_id=event.id, kind="announcement", payload={"text": "x"})  # type: ignore[arg-type]
    assert (changelog._TURN in db.info) is postgres
    db.rollback()
    assert changelog._TURN not in db.info
    turn = changelog._turns.get(event.id)  # type: ignore[arg-type]
    assert turn is not None or not postgres
    if turn is not None:
        assert turn.acquire(blocking=False), "a rolled-back transaction kept its event's turn"
        turn.release()
    marking.mark_topic(db, event=event, attendee=people[2], topic=topic)
    if turn is not None:
        assert turn.acquire(blocking=False), "a committed mark kept its event's turn"
        turn.release()
