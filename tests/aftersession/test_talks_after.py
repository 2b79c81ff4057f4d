"""Talks on phones and after: the talk page, "my day", the resource guide, and feedback on a talk."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.domain import events, exports, organizers, talk_feedback, talks
from app.domain.errors import InvalidInput, NotFound, WrongPhase
from app.models import Phase, Talk, TalkFeedback
from tests.aftersession.helpers import LiveEvent, as_attendee, as_organizer, csrf, live_event
from tests.factories import make_event, make_plenary


def _with_talks(db: Session, *, publish: bool = True) -> tuple[LiveEvent, list[Talk]]:
    """A published event (2 rooms, 2 slots) whose second slot is made a plenary of two EdTalks."""
    live = live_event(db, publish=publish)
    organizer = organizers.require_first_organizer(db, live.event)
    plenary = make_plenary(db, live.event, slot=1, title="EdTalks")
    made = [
        talks.add_talk(
            db, event=live.event, slot_id=plenary.id, speaker="Ana <Ruiz>", title="Play & math", minutes=15,  # type: ignore[arg-type]
            bio="Teaches 4th grade.\nLoves <b>puzzles</b>.", actor=organizer,
        ),
        talks.add_talk(
            db, event=live.event, slot_id=plenary.id, speaker="Ben Okafor", title="Exit tickets", minutes=10,  # type: ignore[arg-type]
            actor=organizer,
        ),
    ]  # fmt: skip
    return live, made


def test_feedback_on_a_talk_is_one_editable_answer(db: Session) -> None:
    live, (ana, _) = _with_talks(db)
    person = live.people[0]
    talk_feedback.give_talk_feedback(db, event=live.event, talk=ana, attendee=person, rating=3, will_try="Maybe")
    talk_feedback.give_talk_feedback(db, event=live.event, talk=ana, attendee=person, rating="5", will_try="Puzzles")
    answers = db.scalars(select(TalkFeedback).where(TalkFeedback.talk_id == ana.id)).all()
    assert [(a.attendee_id, a.rating, a.will_try) for a in answers] == [(person.id, 5, "Puzzles")]
    with pytest.raises(InvalidInput) as refused:
        talk_feedback.give_talk_feedback(db, event=live.event, talk=ana, attendee=person, rating=6)
    assert refused.value.field == "rating"
    other = make_event(db, name="Another day")
    elsewhere = make_plenary(db, other.event, slot=0)
    stranger = talks.add_talk(
        db,
        event=other.event,
        slot_id=elsewhere.id,
        speaker="Dee",
        title="Elsewhere",
        minutes=5,
        actor=other.organizer,  # type: ignore[arg-type]
    )
    with pytest.raises(NotFound):
        talk_feedback.give_talk_feedback(db, event=live.event, talk=stranger, attendee=person, rating=4)
    results = talk_feedback.results(db, event=live.event)
    assert [(r.talk.speaker, r.ratings.total, r.ratings.will_try) for r in results] == [
        ("Ana <Ruiz>", 1, ["Puzzles"]),
        ("Ben Okafor", 0, []),
    ]


def test_feedback_on_a_talk_follows_the_session_feedback_phases(db: Session) -> None:
    live, (ana, _) = _with_talks(db, publish=False)
    with pytest.raises(WrongPhase):
        talk_feedback.give_talk_feedback(db, event=live.event, talk=ana, attendee=live.people[0], rating=4)
    organizer = organizers.require_first_organizer(db, live.event)
    events.set_phase(db, event=live.event, phase=Phase.closed, actor=organizer)
    answer = talk_feedback.give_talk_feedback(db, event=live.event, talk=ana, attendee=live.people[0], rating=4)
    assert answer.rating == 4


def test_the_talk_page_and_its_feedback_form(app: FastAPI, client: TestClient, session: Session) -> None:
    live, (ana, ben) = _with_talks(session)
    who = as_attendee(app, live.people[1])
    page = client.get(f"/e/{live.code}/talks/{ana.id}", headers=who)
    assert page.status_code == 200
    assert "Ana &lt;Ruiz&gt;" in page.text and "Play &amp; math" in page.text and "<Ruiz>" not in page.text
    assert "Loves &lt;b&gt;puzzles&lt;/b&gt;." in page.text and "EdTalks · " in page.text
    assert f"/e/{live.code}/talks/{ana.id}/feedback" in page.text and f"/talks/{ben.id}" in page.text
    assert client.get(f"/e/{live.code}/talks/999999").status_code == 404
    form = client.get(f"/e/{live.code}/talks/{ana.id}/feedback", headers=who).text
    assert "How was “Play &amp; math” by Ana &lt;Ruiz&gt;?" in form
    token = csrf(client)
    refused = client.post(
        f"/e/{live.code}/talks/{ana.id}/feedback",
        data={"rating": "9", "will_try": "Number <i>talks</i>", "csrf_token": token},
        headers=who,
    )
    assert refused.status_code == 422 and 'id="rating-error"' in refused.text
    assert "Number &lt;i&gt;talks&lt;/i&gt;</textarea>" in refused.text  # what was typed is kept
    saved = client.post(
        f"/e/{live.code}/talks/{ana.id}/feedback",
        data={"rating": "4", "will_try": "Number talks", "csrf_token": token},
        headers=who,
    )
    assert (
        saved.status_code == 200 and "your answer is saved" in saved.text and 'value="4" required checked' in saved.text
    )
    org = as_organizer(app, live.created)
    results = client.get(f"/e/{live.code}/organize/feedback", headers=org).text
    assert "Keynotes and EdTalks" in results and "Ana &lt;Ruiz&gt;: Play &amp; math" in results
    assert "4.0</strong> out of 5 from 1 answer" in results
    rows = list(csv.DictReader(io.StringIO(client.get(f"/e/{live.code}/organize/feedback.csv", headers=org).text)))
    talk_rows = [r for r in rows if r["scope"] == "talk"]
    assert [(r["title"], r["slot"], r["rating"], r["will_try"], r["talk_id"]) for r in talk_rows] == [
        ("Ana <Ruiz>: Play & math", "10:00–10:50", "4", "Number talks", str(ana.id))
    ]
    assert all(live.people[1].name not in value for r in rows for value in r.values())  # anonymous


def test_my_day_lists_the_plenary_and_who_is_on_stage(app: FastAPI, client: TestClient, session: Session) -> None:
    live, (ana, ben) = _with_talks(session)
    who = as_attendee(app, live.people[2])
    day = client.get(f"/e/{live.code}/my", headers=who).text
    section = day[day.index(f'id="my-plenary-{ana.slot_id}"') :]
    assert section.index("Ana &lt;Ruiz&gt;") < section.index("Ben Okafor") < section.index("</ol>")
    assert "Now on stage" not in day
    talks.next_talk(session, event=live.event, slot_id=ana.slot_id, expected=0, actor=live.created.organizer)
    day = client.get(f"/e/{live.code}/my", headers=who).text
    assert 'class="now-on-stage"' in day and f'href="/e/{live.code}/talks/{ana.id}"><strong>Ana &lt;Ruiz&gt;' in day


def test_the_resource_guide_lists_the_talks_under_their_plenary(client: TestClient, session: Session) -> None:
    live, _ = _with_talks(session)
    page = client.get(f"/e/{live.code}/guide").text
    plenary = page[page.index("10:00–10:50 · EdTalks") :]
    assert plenary.index("Play &amp; math") < plenary.index("Exit tickets")
    assert "Loves &lt;b&gt;puzzles&lt;/b&gt;." in plenary and "Ana &lt;Ruiz&gt; · 15 min" in plenary
    markdown = exports.guide_markdown(session, event=live.event)
    assert "## 10:00–10:50 · EdTalks" in markdown and "### Ana \\<Ruiz\\>: Play & math" in markdown
    rows = list(csv.DictReader(io.StringIO(exports.guide_csv(session, event=live.event))))
    assert [(r["slot"], r["kind"], r["session"], r["by"]) for r in rows if r["kind"] == "talk"] == [
        ("10:00–10:50", "talk", "Play & math", "Ana <Ruiz>"),
        ("10:00–10:50", "talk", "Exit tickets", "Ben Okafor"),
    ]
