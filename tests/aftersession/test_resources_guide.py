"""Resources per session, and the resource guide: page, Markdown and CSV, escaping and print CSS."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.domain import exports, notes
from app.domain.errors import InvalidInput, NotAllowed
from tests.aftersession.helpers import as_attendee, as_organizer, csrf, live_event


@pytest.mark.parametrize(
    "raw",
    ["javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://files.example/x", "not a link", "", "vbscript:msgbox"],
)
def test_unsafe_or_empty_links_are_refused(raw: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        notes.clean_url(raw)
    assert refused.value.field == "url"


def test_a_bare_address_becomes_https() -> None:
    assert notes.clean_url("  padlet.com/abc?x=1 ") == "https://padlet.com/abc?x=1"
    assert notes.clean_url("http://example.org/a") == "http://example.org/a"


def test_only_the_sharer_or_an_organizer_removes_a_resource(db: Session) -> None:
    live = live_event(db)
    resource = notes.add_resource(
        db, event=live.event, topic=live.topics[0], by=live.people[0], url="https://example.org/slides", line="Slides"
    )
    with pytest.raises(NotAllowed):
        notes.remove_resource(db, event=live.event, resource_id=resource.id, by=live.people[1])  # type: ignore[arg-type]
    notes.remove_resource(db, event=live.event, resource_id=resource.id, by=None, organizer=True)  # type: ignore[arg-type]
    assert notes.list_resources(db, event=live.event) == []


def _fill(session: Session) -> object:
    live = live_event(session, titles=("Math <talks> & more", '=HYPERLINK("http://x")', "Read-alouds"))
    notes.add_resource(
        session,
        event=live.event,
        topic=live.topics[0],
        by=live.people[0],
        url="https://example.org/slides",
        line="Slides <with> *stars*",
    )
    notes.add_resource(
        session, event=live.event, topic=live.topics[1], by=live.people[1], url="padlet.com/wall", line="@SUM(1+1)"
    )
    notes.save_note(
        session,
        event=live.event,
        topic=live.topics[0],
        author=live.people[1],
        text="- Number talks daily\n- <script>alert(1)</script>",
        base_revision=0,
    )
    return live


def test_resource_guide_page_groups_by_slot_and_room_and_escapes(client: TestClient, session: Session) -> None:
    live = _fill(session)
    page = client.get(f"/e/{live.code}/guide")  # type: ignore[attr-defined]
    assert page.status_code == 200
    text = page.text
    nine, ten = text.index(">09:00–09:50</h3>"), text.index(">10:00–10:50</h3>")
    assert (
        nine < text.index("Math &lt;talks&gt; &amp; more") < text.index("=HYPERLINK") < ten < text.index("Read-alouds")
    )
    assert "Room 1</span>" in text and "Room 2</span>" in text
    assert "Slides &lt;with&gt; *stars*" in text and "<script>alert(1)" not in text
    assert "<li>Number talks daily</li>" in text and "Notes by Mr. Chen" in text
    assert "aftersession.css" in text and "download>Markdown</a>" in text


def test_resource_guide_markdown_download(client: TestClient, session: Session) -> None:
    live = _fill(session)
    response = client.get(f"/e/{live.code}/guide.md")  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/markdown")
    assert f'filename="{live.code}-resource-guide.md"' in response.headers["content-disposition"]  # type: ignore[attr-defined]
    body = response.text
    assert body.startswith("# Edcamp Test: resource guide\n")
    assert "## 09:00–09:50" in body and "## 10:00–10:50" in body
    assert "### Room 1: Math \\<talks\\> & more" in body
    assert "- <https://example.org/slides> — Slides \\<with\\> \\*stars\\*" in body
    assert "> - Number talks daily" in body and "Notes (by Mr. Chen):" in body


def test_resource_guide_csv_download_is_formula_safe(client: TestClient, session: Session) -> None:
    live = _fill(session)
    response = client.get(f"/e/{live.code}/guide.csv")  # type: ignore[attr-defined]
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["slot"], r["room"], r["kind"]) for r in rows] == [
        ("09:00–09:50", "Room 1", "notes"),
        ("09:00–09:50", "Room 1", "resource"),
        ("09:00–09:50", "Room 2", "resource"),
    ]
    assert rows[1]["url"] == "https://example.org/slides" and rows[1]["by"] == "Ms. Rivera"
    assert rows[2]["session"] == '\'=HYPERLINK("http://x")' and rows[2]["text"] == "'@SUM(1+1)"
    assert rows[0]["text"] == "'- Number talks daily\n- <script>alert(1)</script>"


def test_csv_cells_that_look_like_formulas_become_text() -> None:
    assert [exports.csv_cell(v) for v in ["=1+1", "+1", "-2", "@x", "\tx", "plain", 3, None]] == [
        "'=1+1",
        "'+1",
        "'-2",
        "'@x",
        "'\tx",
        "plain",
        "3",
        "",
    ]


def test_sharing_a_link_from_the_page_and_removing_it(app: FastAPI, client: TestClient, session: Session) -> None:
    live = live_event(session)
    topic = live.topics[0]
    token = csrf(client)
    url = f"/e/{live.code}/sessions/{topic.id}/resources"
    bad = client.post(
        url,
        data={"url": "javascript:alert(1)", "line": "kept <line>", "csrf_token": token},
        headers=as_attendee(app, live.people[0]),
    )
    assert bad.status_code == 422 and "starts with https://" in bad.text
    assert 'value="kept &lt;line&gt;"' in bad.text, "what was typed is kept, escaped"
    good = client.post(
        url,
        data={"url": "example.org/deck", "line": "The deck", "csrf_token": token},
        headers=as_attendee(app, live.people[0]),
        follow_redirects=False,
    )
    assert good.status_code == 303
    page = client.get(f"/e/{live.code}/sessions/{topic.id}/notes", headers=as_attendee(app, live.people[1]))
    assert 'href="https://example.org/deck"' in page.text and "shared by Ms. Rivera" in page.text
    assert "Remove" not in page.text.split('id="resources"')[1].split("</ul>")[0], "not theirs to remove"
    resource_id = notes.list_resources(session, event=live.event)[0].id
    refused = client.post(
        f"/e/{live.code}/resources/{resource_id}/remove",
        data={"csrf_token": token},
        headers=as_attendee(app, live.people[1]),
    )
    assert refused.status_code == 403
    removed = client.post(
        f"/e/{live.code}/resources/{resource_id}/remove",
        data={"csrf_token": token},
        headers=as_organizer(app, live.created),
        follow_redirects=False,
    )
    assert removed.status_code == 303
    assert notes.list_resources(session, event=live.event) == []
