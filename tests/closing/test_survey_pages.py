"""The exit survey's pages: the phone form (refusals keep what was typed, a thank-you after), the
organizer's questions, the results and the CSV (anonymous, headers in the organizer's language)."""

from __future__ import annotations

import csv
import io

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.domain import feedback, organizers, survey
from app.models import Event, Phase
from tests.aftersession.helpers import as_attendee, as_organizer, csrf, live_event
from tests.pages.test_pages import create_event


def test_the_phone_survey_keeps_a_refused_answer_and_thanks_after(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    live = live_event(session)
    boss = organizers.require_first_organizer(session, live.event)
    pick = survey.add_question(
        session,
        event=live.event,
        kind="choice",
        prompt="Come back <next> year?",
        choices="Yes\nMaybe",
        required=True,
        actor=boss,
    )
    me = as_attendee(app, live.people[0])
    page = client.get(f"/e/{live.code}/feedback", headers=me)
    assert page.status_code == 200
    assert "<legend>I will change my practice." in page.text
    assert "Come back &lt;next&gt; year?" in page.text
    assert 'type="radio" name="rating" value="5" required' in page.text
    token = csrf(client)
    typed = {"rating": "5", "practice": "4", "keep": "The <i>hallway</i> chats", "csrf_token": token}
    refused = client.post(f"/e/{live.code}/feedback", data=typed, headers=me, follow_redirects=False)
    assert refused.status_code == 422
    assert f'id="q{pick.id}-error"' in refused.text and "needs an answer" in refused.text
    assert "The &lt;i&gt;hallway&lt;/i&gt; chats</textarea>" in refused.text
    assert 'name="practice" value="4" checked' in refused.text
    assert not feedback.survey_done(session, attendee_id=live.people[0].id or 0)

    sent = client.post(
        f"/e/{live.code}/feedback", data=typed | {f"q{pick.id}": "Maybe"}, headers=me, follow_redirects=False
    )
    assert sent.status_code == 303
    thanks = client.get(sent.headers["location"], headers=me)
    assert "Thank you!" in thanks.text and "Change my answers" in thanks.text
    assert f'name="q{pick.id}" value="Maybe" required checked' in thanks.text
    assert feedback.survey_done(session, attendee_id=live.people[0].id or 0)


def test_organizers_add_move_edit_and_remove_questions(app: FastAPI, client: TestClient, session: Session) -> None:
    live = live_event(session)
    boss = as_organizer(app, live.created)
    token = csrf(client)
    base = f"/e/{live.code}/organize/survey"
    assert client.get(base).status_code == 401
    added = client.post(
        f"{base}/add",
        data={"kind": "scale", "prompt": "Snacks?", "csrf_token": token},
        headers=boss,
        follow_redirects=False,
    )
    assert added.status_code == 303 and "done=" in added.headers["location"]
    client.post(f"{base}/add", data={"kind": "text", "prompt": "More?", "csrf_token": token}, headers=boss)
    refused = client.post(
        f"{base}/add",
        data={"kind": "choice", "prompt": "Room?", "choices": "Library", "csrf_token": token},
        headers=boss,
    )
    assert refused.status_code == 422
    assert 'id="choices-error"' in refused.text and 'value="Room?"' in refused.text
    first, second = survey.questions(session, event=live.event)
    client.post(f"{base}/move", data={"question_id": second.id, "direction": "up", "csrf_token": token}, headers=boss)
    session.expire_all()
    assert [q.prompt for q in survey.questions(session, event=live.event)] == ["More?", "Snacks?"]
    client.post(
        f"{base}/edit",
        data={
            "question_id": first.id,
            "kind": "choice",
            "prompt": "Snacks",
            "choices": "Yes\nNo",
            "required": "on",
            "csrf_token": token,
        },
        headers=boss,
    )
    client.post(f"{base}/remove", data={"question_id": second.id, "csrf_token": token}, headers=boss)
    session.expire_all()
    [left] = survey.questions(session, event=live.event)
    assert (left.prompt, left.kind, left.choices, left.required) == ("Snacks", "choice", ["Yes", "No"], True)
    page = client.get(base, headers=boss)
    assert "0 responses so far." in page.text and "Snacks" in page.text
    closing = client.get(f"/e/{live.code}/organize/closing", headers=boss)
    assert 'id="closing-survey"' in closing.text and f"/e/{live.code}/organize/survey/results" in closing.text


def test_results_and_csv_are_anonymous_and_escaped(app: FastAPI, client: TestClient, session: Session) -> None:
    live = live_event(session)
    boss = organizers.require_first_organizer(session, live.event)
    pick = survey.add_question(
        session, event=live.event, kind="choice", prompt="=Again?", choices="Yes\nNo", actor=boss
    )
    for person, rating in zip(live.people, (5, 4, 2), strict=True):
        feedback.give_event_feedback(
            session,
            event=live.event,
            attendee=person,
            rating=rating,
            change="<script>x</script>",
            answers={str(pick.id): "Yes"},
        )
    org = as_organizer(app, live.created)
    assert (
        client.get(f"/e/{live.code}/organize/survey/results", headers=as_attendee(app, live.people[0])).status_code
        == 401
    )
    page = client.get(f"/e/{live.code}/organize/survey/results", headers=org)
    assert page.status_code == 200
    assert "3 responses" in page.text
    assert 'class="rating-chart"' in page.text
    assert "&lt;script&gt;x&lt;/script&gt;" in page.text and "<script>x</script>" not in page.text
    assert '<meter min="0" max="3" value="3"' in page.text
    assert "Ms. Rivera" not in page.text
    download = client.get(f"/e/{live.code}/organize/survey.csv", headers=org)
    assert download.headers["content-disposition"] == f'attachment; filename="{live.code}-survey.csv"'
    rows = list(csv.reader(io.StringIO(download.text)))
    assert rows[0] == [
        "response",
        "updated_at",
        "overall_value",
        "will_change_practice",
        "connected_other_schools",
        "will_try",
        "keep",
        "change",
        "'=Again?",
    ]
    assert [(r[0], r[2], r[-1]) for r in rows[1:]] == [("1", "5", "Yes"), ("2", "4", "Yes"), ("3", "2", "Yes")]
    assert "Rivera" not in download.text and "Chen" not in download.text
    spanish = client.get(f"/e/{live.code}/organize/survey.csv", headers=org | {"Accept-Language": "es"})
    assert next(csv.reader(io.StringIO(spanish.text)))[2] == "valor_general"


def test_a_closed_events_survey_does_not_offer_joining_to_a_stranger(client: TestClient, session: Session) -> None:
    code, _ = create_event(client)
    event = session.exec(select(Event).where(Event.code == code)).one()
    event.phase = Phase.closed
    session.add(event)
    session.commit()
    stranger = client.get(f"/e/{code}/feedback")  # the organizer's browser: no attendee here
    assert "Join the event</a>" not in stranger.text
    assert "only those who joined on the day can still give feedback" in stranger.text
