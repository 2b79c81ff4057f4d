"""Feedback: one editable answer per attendee, phases, organizer-only results with an SVG chart, CSV."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.domain import events, feedback, organizers
from app.domain.errors import InvalidInput, NotFound, WrongPhase
from app.models import EventFeedback, Phase, SessionFeedback
from tests.aftersession.helpers import as_attendee, as_organizer, csrf, live_event
from tests.factories import make_topic


def test_answering_again_edits_the_one_answer(db: Session) -> None:
    live = live_event(db)
    topic, person = live.topics[0], live.people[1]
    feedback.give_session_feedback(db, event=live.event, topic=topic, attendee=person, rating=2, will_try="Maybe")
    feedback.give_session_feedback(
        db, event=live.event, topic=topic, attendee=person, rating="5", will_try="Number talks"
    )
    rows = db.scalars(select(SessionFeedback).where(SessionFeedback.topic_id == topic.id)).all()
    assert [(r.attendee_id, r.rating, r.will_try) for r in rows] == [(person.id, 5, "Number talks")]
    feedback.give_event_feedback(db, event=live.event, attendee=person, rating=3)
    feedback.give_event_feedback(db, event=live.event, attendee=person, rating=4, will_try="Exit tickets")
    day = db.scalars(select(EventFeedback).where(EventFeedback.event_id == live.event.id)).all()
    assert [(r.rating, r.will_try) for r in day] == [(4, "Exit tickets")]


@pytest.mark.parametrize("rating", [0, 6, "", "five", "3.5", None])
def test_ratings_outside_one_to_five_are_refused(db: Session, rating: object) -> None:
    live = live_event(db)
    with pytest.raises(InvalidInput) as refused:
        feedback.give_session_feedback(
            db, event=live.event, topic=live.topics[0], attendee=live.people[0], rating=rating
        )  # type: ignore[arg-type]
    assert refused.value.field == "rating"


def test_feedback_waits_for_the_schedule_and_needs_a_placed_session(db: Session) -> None:
    live = live_event(db, publish=False)
    with pytest.raises(WrongPhase):
        feedback.give_event_feedback(db, event=live.event, attendee=live.people[0], rating=4)
    live = live_event(db)
    events.set_phase(
        db, event=live.event, phase=Phase.proposing, actor=organizers.require_first_organizer(db, live.event)
    )
    extra = make_topic(db, live.event, live.people[0], title="Not placed")
    events.set_phase(db, event=live.event, phase=Phase.live, actor=organizers.require_first_organizer(db, live.event))
    with pytest.raises(NotFound):
        feedback.give_session_feedback(db, event=live.event, topic=extra, attendee=live.people[0], rating=4)
    events.set_phase(db, event=live.event, phase=Phase.closed, actor=organizers.require_first_organizer(db, live.event))
    feedback.give_session_feedback(db, event=live.event, topic=live.topics[0], attendee=live.people[0], rating=4)


def test_results_count_each_rating_in_schedule_order(db: Session) -> None:
    live = live_event(db)
    for person, rating in zip(live.people, (5, 4, 5), strict=True):
        feedback.give_session_feedback(db, event=live.event, topic=live.topics[0], attendee=person, rating=rating)
    feedback.give_session_feedback(
        db, event=live.event, topic=live.topics[2], attendee=live.people[0], rating=1, will_try="Nothing"
    )
    results = feedback.results(db, event=live.event)
    assert [r.topic.title for r in results.sessions] == ["Math talks", "Project-based science", "Read-alouds"]
    first = results.sessions[0].ratings
    assert (first.counts, first.total, round(first.mean or 0, 2)) == ({1: 0, 2: 0, 3: 0, 4: 1, 5: 2}, 3, 4.67)
    assert results.sessions[1].ratings.total == 0 and results.sessions[2].ratings.will_try == ["Nothing"]


class _Svg(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bars: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "rect" and "chart-bar" in (values.get("class") or ""):
            self.bars.append(values)


def test_only_organizers_see_results_with_a_chart_and_escaped_answers(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    live = live_event(session)
    token = csrf(client)
    url = f"/e/{live.code}/sessions/{live.topics[0].id}/feedback"
    for person, rating in zip(live.people, ("5", "5", "3"), strict=True):
        response = client.post(
            url,
            data={"rating": rating, "will_try": f"<b>Try</b> {person.name}", "csrf_token": token},
            headers=as_attendee(app, person),
            follow_redirects=False,
        )
        assert response.status_code == 303
    for who in ({}, as_attendee(app, live.people[0])):
        assert client.get(f"/e/{live.code}/organize/feedback", headers=who).status_code == 401
        assert client.get(f"/e/{live.code}/organize/feedback.csv", headers=who).status_code == 401
    page = client.get(f"/e/{live.code}/organize/feedback", headers=as_organizer(app, live.created))
    assert page.status_code == 200
    assert "<strong>4.3</strong> out of 5 from 3 answers" in page.text
    assert "&lt;b&gt;Try&lt;/b&gt; Ms. Rivera" in page.text and "<b>Try</b>" not in page.text
    chart = page.text.split('aria-labelledby="chart-' + str(live.topics[0].id), 1)[1].split("</svg>", 1)[0]
    parser = _Svg()
    parser.feed(chart)
    assert [(b["class"], b["width"]) for b in parser.bars] == [
        ("chart-bar chart-bar-5", "240.0"),
        ("chart-bar chart-bar-4", "0.0"),
        ("chart-bar chart-bar-3", "120.0"),
        ("chart-bar chart-bar-2", "0.0"),
        ("chart-bar chart-bar-1", "0.0"),
    ]
    assert "5: 2 answers; 4: 0 answers; 3: 1 answer" in chart


def test_the_form_shows_my_answer_to_edit(app: FastAPI, client: TestClient, session: Session) -> None:
    live = live_event(session)
    me = as_attendee(app, live.people[1])
    client.post(
        f"/e/{live.code}/feedback",
        data={"rating": "4", "will_try": "Gallery walks", "csrf_token": csrf(client)},
        headers=me,
    )
    form = client.get(f"/e/{live.code}/feedback", headers=me)
    assert 'value="4" required checked' in form.text and ">Gallery walks</textarea>" in form.text
    assert "Change my answer" in form.text
    refused = client.post(
        f"/e/{live.code}/feedback", data={"rating": "9", "will_try": "kept", "csrf_token": csrf(client)}, headers=me
    )
    assert refused.status_code == 422 and ">kept</textarea>" in refused.text and "from 1" in refused.text


def test_feedback_csv_is_anonymous_and_complete(app: FastAPI, client: TestClient, session: Session) -> None:
    live = live_event(session)
    feedback.give_event_feedback(session, event=live.event, attendee=live.people[0], rating=5, will_try="=cmd()")
    feedback.give_session_feedback(
        session, event=live.event, topic=live.topics[1], attendee=live.people[1], rating=3, will_try="Labs, outside"
    )
    response = client.get(f"/e/{live.code}/organize/feedback.csv", headers=as_organizer(app, live.created))
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["scope"], r["title"], r["room"], r["slot"], r["rating"], r["will_try"]) for r in rows] == [
        ("event", "Edcamp Test", "", "", "5", "'=cmd()"),
        ("session", "Project-based science", "Room 2", "09:00–09:50", "3", "Labs, outside"),
    ]
    assert "Ms. Rivera" not in response.text and "Mr. Chen" not in response.text
