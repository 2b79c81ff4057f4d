"""The exit survey: the standard answers, the organizer's own questions (scale, choice, text), one
response per attendee, the gate other parts read, results without removed questions."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.domain import feedback, organizers, survey, survey_results
from app.domain.errors import Conflict, InvalidInput, NotFound, WrongPhase
from app.models import EventFeedback
from tests.aftersession.helpers import LiveEvent, live_event


def _questions(db: Session, live: LiveEvent) -> tuple[int, int, int]:
    boss = organizers.require_first_organizer(db, live.event)
    scale = survey.add_question(db, event=live.event, kind="scale", prompt="Was lunch good?", actor=boss)
    choice = survey.add_question(
        db, event=live.event, kind="choice", prompt="Next time?", choices="Spring\nFall\n fall \n\n", actor=boss
    )
    text = survey.add_question(db, event=live.event, kind="text", prompt="Anything else?", required=True, actor=boss)
    return saved(scale.id), saved(choice.id), saved(text.id)


def saved(value: int | None) -> int:
    assert value is not None
    return value


def test_a_full_response_is_kept_and_a_second_replaces_it(db: Session) -> None:
    live = live_event(db)
    scale, choice, text = _questions(db, live)
    assert survey.require_question(db, event=live.event, question_id=choice).choices == ["Spring", "Fall"]
    person = live.people[0]
    assert not feedback.survey_done(db, attendee_id=saved(person.id))
    feedback.give_event_feedback(
        db,
        event=live.event,
        attendee=person,
        rating="5",
        practice="4",
        connected="",
        will_try="Exit tickets",
        keep="The lunch",
        change="More water",
        answers={str(scale): "3", str(choice): "Fall", str(text): "Thanks", "999": "ignored"},
    )
    feedback.give_event_feedback(
        db, event=live.event, attendee=person, rating=4, connected="5", answers={str(text): "Still thanks"}
    )
    rows = db.scalars(select(EventFeedback).where(EventFeedback.event_id == live.event.id)).all()
    assert [(r.rating, r.practice, r.connected, r.keep, r.answers) for r in rows] == [
        (4, None, 5, "", {str(text): "Still thanks"})
    ]
    assert feedback.survey_done(db, attendee_id=saved(person.id))
    assert not feedback.survey_done(db, attendee_id=saved(live.people[1].id))
    assert feedback.survey_done_ids(db, event_id=saved(live.event.id)) == {person.id}


@pytest.mark.parametrize(
    ("standard", "field"),
    [
        ({"rating": "6"}, "rating"),
        ({"rating": ""}, "rating"),
        ({"practice": "0"}, "practice"),
        ({"connected": "yes"}, "connected"),
        ({"keep": "x" * 1001}, "keep"),
        ({"change": "x" * 1001}, "change"),
    ],
)
def test_a_standard_answer_out_of_bounds_is_refused_by_name(db: Session, standard: dict[str, str], field: str) -> None:
    live = live_event(db)
    with pytest.raises(InvalidInput) as refused:
        feedback.give_event_feedback(db, event=live.event, attendee=live.people[0], **{"rating": "3", **standard})  # type: ignore[arg-type]
    assert refused.value.field == field
    assert db.scalars(select(EventFeedback)).all() == []  # no response until a valid one


@pytest.mark.parametrize(
    ("which", "value", "says"),
    [
        (0, "6", "choose from 1 to 5"),
        (0, "2.5", "choose from 1 to 5"),
        (1, "Winter", "choose one of its answers"),
        (2, "", "needs an answer"),
        (2, "y" * 1001, "at most 1000 characters"),
    ],
)
def test_answers_to_own_questions_are_checked_by_kind(db: Session, which: int, value: str, says: str) -> None:
    live = live_event(db)
    ids = _questions(db, live)
    answers = {str(ids[0]): "2", str(ids[1]): "Spring", str(ids[2]): "ok"} | {str(ids[which]): value}
    with pytest.raises(InvalidInput) as refused:
        feedback.give_event_feedback(db, event=live.event, attendee=live.people[0], rating=4, answers=answers)
    assert refused.value.field == f"q{ids[which]}"
    assert says in refused.value.message
    assert not feedback.survey_done(db, attendee_id=saved(live.people[0].id))


def test_questions_are_added_edited_moved_and_removed(db: Session) -> None:
    live = live_event(db)
    boss = organizers.require_first_organizer(db, live.event)
    scale, choice, text = _questions(db, live)
    survey.move_question(db, event=live.event, question_id=text, direction="up", actor=boss)
    assert [q.id for q in survey.questions(db, event=live.event)] == [scale, text, choice]
    with pytest.raises(Conflict):
        survey.move_question(db, event=live.event, question_id=scale, direction="up", actor=boss)
    survey.edit_question(db, event=live.event, question_id=scale, kind="text", prompt="  Lunch?  ", actor=boss)
    edited = survey.require_question(db, event=live.event, question_id=scale)
    assert (edited.kind, edited.prompt, edited.required) == ("text", "Lunch?", False)
    survey.remove_question(db, event=live.event, question_id=scale, actor=boss)
    with pytest.raises(NotFound):
        survey.require_question(db, event=live.event, question_id=scale)


@pytest.mark.parametrize(
    ("kind", "prompt", "choices", "field"),
    [
        ("stars", "Q", "", "kind"),
        ("scale", "   ", "", "prompt"),
        ("text", "x" * 201, "", "prompt"),
        ("choice", "Pick", "Only one", "choices"),
        ("choice", "Pick", "Same\nsame", "choices"),
        ("choice", "Pick", "a\n" + "b" * 81, "choices"),
    ],
)
def test_a_malformed_question_is_refused_by_name(db: Session, kind: str, prompt: str, choices: str, field: str) -> None:
    live = live_event(db)
    boss = organizers.require_first_organizer(db, live.event)
    with pytest.raises(InvalidInput) as refused:
        survey.add_question(db, event=live.event, kind=kind, prompt=prompt, choices=choices, actor=boss)
    assert refused.value.field == field


def test_a_removed_question_leaves_the_results_and_the_table(db: Session) -> None:
    live = live_event(db)
    boss = organizers.require_first_organizer(db, live.event)
    scale, choice, text = _questions(db, live)
    for person, (value, pick) in zip(live.people, [("5", "Fall"), ("4", "Fall"), ("5", "")], strict=True):
        feedback.give_event_feedback(
            db,
            event=live.event,
            attendee=person,
            rating=value,
            keep="<b>snacks</b>",
            answers={str(scale): value, str(choice): pick, str(text): "fine"},
        )
    view = survey_results.results(db, event=live.event)
    assert view.responses == 3
    by_key = {q.key: q for q in view.questions}
    assert by_key["rating"].ratings.counts == {1: 0, 2: 0, 3: 0, 4: 1, 5: 2}
    assert by_key["practice"].ratings.total == 0
    assert by_key[str(choice)].choices == [("Spring", 0), ("Fall", 2)]
    assert by_key["keep"].texts == ["<b>snacks</b>"] * 3
    survey.remove_question(db, event=live.event, question_id=scale, actor=boss)
    after = survey_results.results(db, event=live.event)
    assert str(scale) not in {q.key for q in after.questions}
    table = survey_results.table(db, event=live.event)
    assert table.header[-2:] == ["Next time?", "Anything else?"]
    assert [row[-2:] for row in table.rows] == [["Fall", "fine"], ["Fall", "fine"], ["", "fine"]]


def test_the_survey_waits_for_the_schedule_and_edits_in_any_phase(db: Session) -> None:
    live = live_event(db, publish=False)
    with pytest.raises(WrongPhase):
        feedback.give_event_feedback(db, event=live.event, attendee=live.people[0], rating=4)
    boss = organizers.require_first_organizer(db, live.event)
    assert survey.add_question(db, event=live.event, kind="text", prompt="Early?", actor=boss).id
