"""Organizer moderation: hide, restore, merge, duplicates, paper wall, facilitators, co-organizers, audit."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.domain import audit, events, marking, moderation, organizers, topics
from app.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from app.domain.eventfile import build_instance, export_event, import_event
from app.models import Organizer, TopicStatus
from tests.factories import make_attendee, make_event, make_topic


def _setup(db: Session):  # type: ignore[no-untyped-def]
    created = make_event(db)
    return created.event, created.organizer


def test_hide_shows_the_author_why_and_restore_puts_it_back(db: Session) -> None:
    event, boss = _setup(db)
    author = make_attendee(db, event, "Ana")
    topic = make_topic(db, event, author, title="Buy my product")
    with pytest.raises(InvalidInput) as no_reason:
        moderation.hide_topic(db, event=event, topic_id=topic.id, reason="  ", actor=boss)
    assert no_reason.value.field == "reason"
    moderation.hide_topic(db, event=event, topic_id=topic.id, reason="Sales pitches are not sessions", actor=boss)
    assert topic.status == TopicStatus.hidden and topic.status_reason == "Sales pitches are not sessions"
    assert [v.topic.id for v in topics.wall(db, event=event, viewer=author).topics] == []
    assert [t.id for t in moderation.hidden_topics(db, event=event)] == [topic.id]
    moderation.restore_topic(db, event=event, topic_id=topic.id, actor=boss)
    assert topic.status == TopicStatus.open and topic.status_reason == ""
    log = [e.action for e in audit.entries(db, event=event)]
    assert log[:2] == ["restore", "hide"]


def test_merge_unites_marks_so_someone_who_marked_both_counts_once(db: Session) -> None:
    event, boss = _setup(db)
    people = [make_attendee(db, event, f"P{i}") for i in range(4)]
    keep = make_topic(db, event, people[0], title="Math talks", facilitate=True)
    dup = make_topic(db, event, people[1], title="Math Talks!", facilitate=True)
    for person in people[:3]:
        marking.mark_topic(db, event=event, attendee=person, topic=keep)
    for person in people[1:]:
        marking.mark_topic(db, event=event, attendee=person, topic=dup)
    moderation.set_paper_marks(db, event=event, topic_id=dup.id, paper_marks="2", actor=boss)
    moderation.merge_topics(db, event=event, keep_id=keep.id, merge_id=dup.id, actor=boss)
    view = topics.topic_view(db, event=event, viewer=people[3], topic=keep)
    assert view.count == 4 + 2, "four distinct people plus two paper marks"
    assert view.marked, "the person who only marked the duplicate now has a mark on the survivor"
    assert sorted(view.facilitators) == ["P0", "P1"], "facilitators carry over"
    assert dup.status == TopicStatus.merged and dup.merged_into_id == keep.id
    assert topics.marks_used(db, attendee=people[1]) == 1
    with pytest.raises(Conflict):
        moderation.merge_topics(db, event=event, keep_id=keep.id, merge_id=dup.id, actor=boss)
    with pytest.raises(InvalidInput):
        moderation.merge_topics(db, event=event, keep_id=keep.id, merge_id=keep.id, actor=boss)


def test_likely_duplicates_and_similar_titles(db: Session) -> None:
    event, _ = _setup(db)
    author = make_attendee(db, event)
    a = make_topic(db, event, author, title="Thinking Classrooms in math")
    b = make_topic(db, event, author, title="thinking classrooms in Math!")
    make_topic(db, event, author, title="Recess for everyone")
    pairs = moderation.likely_duplicates(db, event=event)
    assert [(p.first.id, p.second.id) for p in pairs] == [(a.id, b.id)]
    similar = moderation.similar_topics(db, event=event, title="thinking classroom")
    assert {m.topic.id for m in similar} == {a.id, b.id}
    assert moderation.similar_topics(db, event=event, title="ab") == []


def test_paper_wall_counts_join_the_app_and_the_scheduler(db: Session) -> None:
    event, boss = _setup(db)
    topic = moderation.add_paper_topic(db, event=event, title="Genius hour", paper_marks="7", tags="k-5", actor=boss)
    assert topics.topic_view(db, event=event, viewer=None, topic=topic).count == 7
    with pytest.raises(InvalidInput) as bad:
        moderation.add_paper_topic(db, event=event, title="Card", paper_marks="lots", actor=boss)
    assert bad.value.field == "paper_marks"
    instance = build_instance(db, event)
    assert sum(1 for i in instance.interests if i.topic == f"t{topic.id}") == 7
    exported = export_event(db, event)
    assert exported["topics"][0]["paper_marks"] == 7 and not exported["interests"]
    copy = import_event(db, exported).created.event
    assert topics.wall(db, event=copy, viewer=None).topics[0].count == 7


def test_organizer_assigns_and_removes_facilitators_within_the_limit(db: Session) -> None:
    event, boss = _setup(db)
    events.update_settings(
        db, event=event, vote_budget=None, hide_counts=False, shuffle_topics=False, facilitator_limit=1, actor=boss
    )
    people = [make_attendee(db, event, n) for n in ("Kim", "Lee")]
    topic = make_topic(db, event, people[0])
    assert moderation.assign_facilitator(db, event=event, topic_id=topic.id, attendee_id=people[0].id, actor=boss)
    with pytest.raises(Conflict):
        moderation.assign_facilitator(db, event=event, topic_id=topic.id, attendee_id=people[1].id, actor=boss)
    assert moderation.remove_facilitator(db, event=event, topic_id=topic.id, attendee_id=people[0].id, actor=boss)
    assert moderation.assign_facilitator(db, event=event, topic_id=topic.id, attendee_id=people[1].id, actor=boss)
    other = make_event(db).event
    stranger = make_attendee(db, other, "Stranger")
    with pytest.raises(NotFound):
        moderation.assign_facilitator(db, event=event, topic_id=topic.id, attendee_id=stranger.id, actor=boss)
    with pytest.raises(InvalidInput):
        events.update_settings(
            db, event=event, vote_budget=None, hide_counts=False, shuffle_topics=False, facilitator_limit=0, actor=boss
        )


def test_co_organizers_sign_in_with_their_own_link_and_can_be_removed(db: Session) -> None:
    event, boss = _setup(db)
    helper, secret = organizers.invite(db, event=event, name="Jo", actor=boss)
    assert organizers.organizer_by_secret(db, event=event, secret=secret).id == helper.id
    with pytest.raises(InvalidInput):
        organizers.invite(db, event=event, name="jo", actor=boss)
    with pytest.raises(NotAllowed):  # nobody removes themselves (the first organizer can be removed: issue 16)
        organizers.remove(db, event=event, organizer_id=helper.id, actor=helper)
    other = make_event(db)
    with pytest.raises(NotAllowed):
        organizers.organizer_by_secret(db, event=other.event, secret=secret)
    organizers.remove(db, event=event, organizer_id=helper.id, actor=boss)
    assert db.get(Organizer, helper.id).removed_at is not None  # type: ignore[union-attr]
    assert organizers.list_organizers(db, event=event) == [boss]
    replacement, _ = organizers.invite(db, event=event, name="Cy", actor=boss)
    assert replacement.id != helper.id, "a new organizer never inherits a removed one's id"
    with pytest.raises(NotAllowed):
        organizers.organizer_by_secret(db, event=event, secret=secret)
    details = [e.detail for e in audit.entries(db, event=event)]
    # The removed organizer's link was tried and refused: that is audited too.
    assert details[:4] == ["a wrong organizer link", "invited Cy", "removed Jo", "invited Jo"]


def test_merge_keeps_the_chosen_title_and_undo_restores_both_topics_and_their_marks(db: Session) -> None:
    event, boss = _setup(db)
    people = [make_attendee(db, event, f"P{i}") for i in range(4)]
    first = make_topic(db, event, people[0], title="Math talks", tags=["k-5"], facilitate=True)
    second = make_topic(db, event, people[1], title="Number talks in math", tags=["6-8"], facilitate=True)
    for person in people[:3]:
        marking.mark_topic(db, event=event, attendee=person, topic=first)
    for person in people[1:]:
        marking.mark_topic(db, event=event, attendee=person, topic=second)
    moderation.set_paper_marks(db, event=event, topic_id=second.id, paper_marks="2", actor=boss)

    def state() -> dict[int, tuple[str, int, list[str], list[str], bool]]:
        return {
            t.id: (
                t.title,
                topics.topic_view(db, event=event, viewer=None, topic=t).count or 0,  # type: ignore[misc]
                sorted(topics.topic_view(db, event=event, viewer=None, topic=t).facilitators),
                list(t.tags),
                t.status == TopicStatus.open,
            )
            for t in (first, second)
        }

    before = state()
    # The organizer keeps the second title: the first topic is the one folded in.
    kept = moderation.merge_topics(db, event=event, keep_id=second.id, merge_id=first.id, actor=boss)
    assert kept.title == "Number talks in math"
    assert [v.topic.title for v in topics.wall(db, event=event, viewer=None).topics] == ["Number talks in math"]
    assert topics.topic_view(db, event=event, viewer=None, topic=second).count == 4 + 2
    # A mark made on the kept topic after the merge stays there.
    late = make_attendee(db, event, "Late")
    marking.mark_topic(db, event=event, attendee=late, topic=second)

    back, into = moderation.unmerge_topic(db, event=event, topic_id=first.id, actor=boss)
    assert (back.id, into.id) == (first.id, second.id)
    after = state()
    assert after[first.id] == before[first.id], "the folded-in topic has its own marks, lead and tags again"
    title, count, leads, tags, open_ = before[second.id]
    assert after[second.id] == (title, count + 1, leads, tags, open_), "the kept one as before, plus the late mark"
    assert topics.marks_used(db, attendee=people[1]) == 2, "someone who marked both has both marks again"
    assert [e.action for e in audit.entries(db, event=event)][:2] == ["unmerge", "merge"]
    with pytest.raises(Conflict):
        moderation.unmerge_topic(db, event=event, topic_id=first.id, actor=boss)


def test_unmerge_waits_until_the_topic_it_went_into_is_on_the_wall(db: Session) -> None:
    event, boss = _setup(db)
    a, b, c = (make_topic(db, event, None, title=t) for t in ("Recess", "Recess ideas", "Lunch duty"))
    moderation.merge_topics(db, event=event, keep_id=b.id, merge_id=a.id, actor=boss)
    moderation.merge_topics(db, event=event, keep_id=c.id, merge_id=b.id, actor=boss)
    with pytest.raises(Conflict) as refused:
        moderation.unmerge_topic(db, event=event, topic_id=a.id, actor=boss)
    assert "Recess ideas" in refused.value.message
    moderation.unmerge_topic(db, event=event, topic_id=b.id, actor=boss)
    moderation.unmerge_topic(db, event=event, topic_id=a.id, actor=boss)
    assert {v.topic.id for v in topics.wall(db, event=event, viewer=None).topics} == {a.id, b.id, c.id}
