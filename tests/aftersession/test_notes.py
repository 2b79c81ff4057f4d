"""Session notes: safe Markdown, attributed revisions, history, clashes, phases and permissions."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.domain import events, notes, organizers
from app.domain.errors import Conflict, WrongPhase
from app.models import BoardEvent, Phase
from tests.aftersession.helpers import as_attendee, csrf, live_event
from tests.factories import make_attendee, make_event

HOSTILE = """# Plan
<script>alert('x')</script>
<img src=x onerror="alert(1)">
<iframe src="https://evil.example"></iframe>
[click me](javascript:alert(document.cookie))
[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
<a href="#" onclick="steal()">raw link</a>
![pixel](https://tracker.example/p.gif)
[fine](https://example.org/slides "Slides")
"""


class _Tags(HTMLParser):
    """Every element and attribute the browser would build from some HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]


def elements(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def test_render_markdown_makes_hostile_input_harmless() -> None:
    html = notes.render_markdown(HOSTILE)
    found = elements(html)
    assert set(found.tags) <= {"h4", "p", "a"}, found.tags
    assert {name for name, _ in found.attributes} <= {"href", "title", "rel"}
    assert [value for name, value in found.attributes if name == "href"] == ["https://example.org/slides"]
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in html, "raw HTML is shown as text, not run"
    assert '<a href="https://example.org/slides" title="Slides" rel="noopener noreferrer nofollow ugc">fine</a>' in html
    assert html.startswith("<h4>Plan</h4>"), "headings start below the page's own h1 to h3"


def test_render_markdown_keeps_the_useful_parts() -> None:
    html = notes.render_markdown("**bold** and *em*\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n`code`")
    assert "<strong>bold</strong>" in html and "<em>em</em>" in html
    assert "<ul>\n<li>one</li>" in html and "<table>" in html and "<code>code</code>" in html


def test_save_note_keeps_every_revision_with_its_author(db: Session) -> None:
    live = live_event(db)
    topic = live.topics[0]
    notes.save_note(db, event=live.event, topic=topic, author=live.people[0], text="First", base_revision=0)
    notes.save_note(db, event=live.event, topic=topic, author=live.people[2], text="First\n\nSecond", base_revision=1)
    view = notes.notes_view(db, event=live.event, topic=topic, with_history=True)
    assert (view.text, view.revision, view.author) == ("First\n\nSecond", 2, "")
    assert [(r.number, r.text, r.author) for r in view.history] == [
        (2, "First\n\nSecond", ""),
        (1, "First", "Ms. Rivera"),
    ]
    kinds = db.scalars(select(BoardEvent.kind).where(BoardEvent.event_id == live.event.id)).all()
    assert kinds.count("note") == 2, "each save is a BoardEvent, written with the change, for the live hub"


def test_saving_over_a_stale_version_is_a_conflict_and_changes_nothing(db: Session) -> None:
    live = live_event(db)
    topic = live.topics[0]
    notes.save_note(db, event=live.event, topic=topic, author=live.people[0], text="Mine", base_revision=0)
    with pytest.raises(Conflict):
        notes.save_note(db, event=live.event, topic=topic, author=live.people[1], text="Theirs", base_revision=0)
    assert notes.notes_view(db, event=live.event, topic=topic).text == "Mine"


def test_saving_the_same_text_adds_no_revision(db: Session) -> None:
    live = live_event(db)
    topic = live.topics[0]
    notes.save_note(db, event=live.event, topic=topic, author=live.people[0], text="Same", base_revision=0)
    notes.save_note(db, event=live.event, topic=topic, author=live.people[1], text="Same", base_revision=1)
    assert notes.notes_view(db, event=live.event, topic=topic).revision == 1


def test_restoring_a_revision_saves_it_as_the_newest(db: Session) -> None:
    live = live_event(db)
    topic = live.topics[0]
    notes.save_note(db, event=live.event, topic=topic, author=live.people[0], text="Good notes", base_revision=0)
    notes.save_note(db, event=live.event, topic=topic, author=live.people[1], text="vandalised", base_revision=1)
    notes.restore_revision(db, event=live.event, topic=topic, author=live.people[2], number=1, base_revision=2)
    view = notes.notes_view(db, event=live.event, topic=topic, with_history=True)
    assert (view.text, view.revision) == ("Good notes", 3)
    assert [r.text for r in view.history] == ["Good notes", "vandalised", "Good notes"]


def test_notes_are_read_only_once_the_event_closes(db: Session) -> None:
    live = live_event(db)
    events.set_phase(db, event=live.event, phase=Phase.closed, actor=organizers.require_first_organizer(db, live.event))
    with pytest.raises(WrongPhase) as refused:
        notes.save_note(db, event=live.event, topic=live.topics[0], author=live.people[0], text="late", base_revision=0)
    assert "readable" in refused.value.message


def test_notes_page_shows_hostile_markdown_harmless_and_attributes_the_edit(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    live = live_event(session)
    topic = live.topics[0]
    url = f"/e/{live.code}/sessions/{topic.id}/notes"
    saved = client.post(
        url,
        data={"text": HOSTILE, "base_revision": "0", "csrf_token": csrf(client)},
        headers=as_attendee(app, live.people[0]),
        follow_redirects=False,
    )
    assert saved.status_code == 303 and saved.headers["location"].endswith(f"{url}#notes")
    page = client.get(url, headers=as_attendee(app, live.people[1]))
    assert page.status_code == 200
    shown = elements(page.text.split('id="notes-view"', 1)[1].split('class="note-editor"', 1)[0])
    assert "script" not in shown.tags and "iframe" not in shown.tags and "img" not in shown.tags
    assert not [n for n, _ in shown.attributes if n.startswith("on")]
    assert not [v for n, v in shown.attributes if n == "href" and not v.startswith(("https:", f"/e/{live.code}/"))]
    assert "saved by Ms. Rivera" in page.text and "Version 1" in page.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page.text.split("<textarea")[1], (
        "the editor escapes too"
    )
    history = client.get(f"{url}/history")
    assert history.status_code == 200 and "Version 1" in history.text and "Ms. Rivera" in history.text
    assert "<script>alert" not in history.text


def test_a_stale_save_from_the_page_keeps_the_typed_text(app: FastAPI, client: TestClient, session: Session) -> None:
    live = live_event(session)
    url = f"/e/{live.code}/sessions/{live.topics[0].id}/notes"
    token = csrf(client)
    client.post(
        url, data={"text": "First", "base_revision": "0", "csrf_token": token}, headers=as_attendee(app, live.people[0])
    )
    clash = client.post(
        url,
        data={"text": "My <b>careful</b> notes", "base_revision": "0", "csrf_token": token},
        headers=as_attendee(app, live.people[1]),
    )
    assert clash.status_code == 409
    assert "My &lt;b&gt;careful&lt;/b&gt; notes" in clash.text and "while you were editing" in clash.text
    assert 'name="base_revision" value="1"' in clash.text


def test_live_notes_answer_204_until_they_change(app: FastAPI, client: TestClient, session: Session) -> None:
    live = live_event(session)
    topic = live.topics[0]
    live_url = f"/e/{live.code}/sessions/{topic.id}/notes/live"
    assert client.get(live_url, params={"after": 0}, headers={"HX-Request": "true"}).status_code == 204
    notes.save_note(session, event=live.event, topic=topic, author=live.people[0], text="**Now**", base_revision=0)
    fragment = client.get(live_url, params={"after": 0}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and fragment.text.lstrip().startswith('<div id="notes-view"')
    assert "<strong>Now</strong>" in fragment.text and "after=1" in fragment.text


def test_strangers_and_attendees_of_another_event_cannot_write(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    live = live_event(session)
    other = make_event(session, name="Another Edcamp")
    outsider = make_attendee(session, other.event, "Outsider")
    url = f"/e/{live.code}/sessions/{live.topics[0].id}/notes"
    token = csrf(client)
    anonymous = client.post(url, data={"text": "hi", "base_revision": "0", "csrf_token": token})
    assert anonymous.status_code == 401
    foreign = client.post(
        url, data={"text": "hi", "base_revision": "0", "csrf_token": token}, headers=as_attendee(app, outsider)
    )
    assert foreign.status_code == 401
    resource = client.post(
        f"/e/{live.code}/sessions/{live.topics[0].id}/resources",
        data={"url": "https://x.org", "csrf_token": token},
        headers=as_attendee(app, outsider),
    )
    assert resource.status_code == 401
    without_csrf = client.post(url, data={"text": "hi", "base_revision": "0"}, headers=as_attendee(app, live.people[0]))
    assert without_csrf.status_code == 403
    assert notes.notes_view(session, event=live.event, topic=live.topics[0]).revision == 0
