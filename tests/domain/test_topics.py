from __future__ import annotations

import pytest
from sqlmodel import Session

from app.domain import audit, events, marking, organizers, topics
from app.domain.errors import InvalidInput, NotAllowed, WrongPhase
from app.models import Phase, TopicStatus
from tests.factories import make_attendee, make_event, make_topic


def test_propose_trims_title_and_cleans_tags(db: Session) -> None:
    event = make_event(db).event
    author = make_attendee(db, event, "Ana")
    topic = make_topic(db, event, author, title="  Math   talks  ", tags="K-5, math, Math, #science")
    assert topic.title == "Math talks"
    assert topic.tags == ["K-5", "math", "science"]


@pytest.mark.parametrize(("title", "field"), [("", "title"), ("   ", "title"), ("x" * 121, "title")])
def test_propose_refuses_bad_title(db: Session, title: str, field: str) -> None:
    event = make_event(db).event
    with pytest.raises(InvalidInput) as caught:
        make_topic(db, event, make_attendee(db, event), title=title)
    assert caught.value.field == field


def test_propose_accepts_120_characters_and_refuses_long_description(db: Session) -> None:
    event = make_event(db).event
    author = make_attendee(db, event)
    assert len(make_topic(db, event, author, title="x" * 120).title) == 120
    with pytest.raises(InvalidInput) as caught:
        make_topic(db, event, author, title="ok", description="d" * 1001)
    assert caught.value.field == "description"


def test_propose_outside_proposing_phase_says_what_is_possible(db: Session) -> None:
    event = make_event(db, phase=Phase.voting).event
    with pytest.raises(WrongPhase) as caught:
        make_topic(db, event, make_attendee(db, event))
    assert "'voting' phase" in caught.value.message
    assert "you can still mark" in caught.value.message


def test_only_the_author_edits_until_voting_closes(db: Session) -> None:
    event = make_event(db).event
    author, other = make_attendee(db, event), make_attendee(db, event)
    topic = make_topic(db, event, author)
    with pytest.raises(NotAllowed):
        topics.edit_topic(db, event=event, topic=topic, by=other, title="Hijacked")
    topics.edit_topic(db, event=event, topic=topic, by=author, title="Number talks")
    assert topic.title == "Number talks"
    events.set_phase(db, event=event, phase=Phase.voting, actor=organizers.require_first_organizer(db, event))
    topics.edit_topic(db, event=event, topic=topic, by=author, description="still open")
    events.set_phase(db, event=event, phase=Phase.scheduled, actor=organizers.require_first_organizer(db, event))
    with pytest.raises(WrongPhase):
        topics.edit_topic(db, event=event, topic=topic, by=author, title="Too late")
    with pytest.raises(WrongPhase):
        topics.withdraw_topic(db, event=event, topic=topic, by=author)
    organizer = organizers.require_first_organizer(db, event)
    topics.edit_topic(db, event=event, topic=topic, by=None, organizer=organizer, title="Fixed by organizer")
    db.refresh(topic)
    assert topic.title == "Fixed by organizer"
    assert [(e.action, e.detail) for e in audit.entries(db, event=event)][0] == (
        "edit",
        "edited “Number talks” (now “Fixed by organizer”)",
    )


def test_withdrawn_topic_leaves_the_wall(db: Session) -> None:
    event = make_event(db).event
    author = make_attendee(db, event)
    topic = make_topic(db, event, author)
    topics.withdraw_topic(db, event=event, topic=topic, by=author)
    assert topic.status == TopicStatus.withdrawn
    assert topics.wall(db, event=event, viewer=author).topics == []


def test_hidden_counts_until_voting_closes(db: Session) -> None:
    event = make_event(db).event
    events.update_settings(
        db,
        event=event,
        vote_budget=None,
        hide_counts=True,
        shuffle_topics=False,
        actor=organizers.require_first_organizer(db, event),
    )
    viewer = make_attendee(db, event)
    topic = make_topic(db, event, viewer)
    marking.mark_topic(db, event=event, attendee=viewer, topic=topic)
    wall = topics.wall(db, event=event, viewer=viewer)
    assert [v.count for v in wall.topics] == [None]
    assert "wanted" not in wall.sorts
    assert topics.wall(db, event=event, viewer=None, organizer=True).topics[0].count == 1
    events.set_phase(db, event=event, phase=Phase.scheduled, actor=organizers.require_first_organizer(db, event))
    assert [v.count for v in topics.wall(db, event=event, viewer=viewer).topics] == [1]


def test_shuffled_order_is_stable_per_attendee_and_differs_between_them(db: Session) -> None:
    event = make_event(db).event
    events.update_settings(
        db,
        event=event,
        vote_budget=None,
        hide_counts=False,
        shuffle_topics=True,
        actor=organizers.require_first_organizer(db, event),
    )
    author = make_attendee(db, event)
    for i in range(12):
        make_topic(db, event, author, title=f"Topic {i}")
    viewers = [make_attendee(db, event) for _ in range(4)]
    orders = [[v.topic.id for v in topics.wall(db, event=event, viewer=p).topics] for p in viewers]
    again = [[v.topic.id for v in topics.wall(db, event=event, viewer=p).topics] for p in viewers]
    assert orders == again
    assert len({tuple(o) for o in orders}) > 1
    assert all(sorted(o) == sorted(orders[0]) for o in orders)
    assert topics.wall(db, event=event, viewer=viewers[0]).sort == "shuffled"


def test_sort_by_most_wanted_and_filter_by_tag(db: Session) -> None:
    event = make_event(db).event
    people = [make_attendee(db, event) for _ in range(3)]
    low = make_topic(db, event, people[0], title="Low", tags="math")
    high = make_topic(db, event, people[0], title="High", tags="science")
    for person in people:
        marking.mark_topic(db, event=event, attendee=person, topic=high)
    marking.mark_topic(db, event=event, attendee=people[0], topic=low)
    wall = topics.wall(db, event=event, viewer=people[1], sort="wanted")
    assert [(v.topic.title, v.count) for v in wall.topics] == [("High", 3), ("Low", 1)]
    assert [v.topic.title for v in topics.wall(db, event=event, viewer=people[1], sort="newest").topics] == [
        "High",
        "Low",
    ]
    assert [v.topic.title for v in topics.wall(db, event=event, viewer=people[1], tag="MATH").topics] == ["Low"]
    assert wall.tags == ["math", "science"]
