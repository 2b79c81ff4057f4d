"""The smackdown's pages: a phone joins the queue, the organizer runs it, the board shows who is up
and who is next, and the resource guide (HTML, Markdown, CSV) keeps every share, escaped."""

from __future__ import annotations

import csv
import io
import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Event, Phase, SmackdownShare
from tests.pages.test_pages import create_event, csrf, join

EVIL = '<script>alert("x")</script>'


def _live(client: TestClient, session: Session, **settings: object) -> tuple[str, Event]:
    code, _ = create_event(client)
    event = session.exec(select(Event).where(Event.code == code)).one()
    event.phase = Phase.live
    for key, value in settings.items():
        setattr(event, key, value)
    session.add(event)
    session.commit()
    return code, event


def _post(client: TestClient, path: str, /, **data: str):  # type: ignore[no-untyped-def]
    return client.post(path, data={**data, "csrf_token": csrf(client)}, follow_redirects=False)


def _phone(app: FastAPI, code: str, name: str) -> TestClient:
    phone = TestClient(app)
    join(phone, code, name)
    return phone


def test_a_phone_joins_sees_its_place_edits_and_leaves(app: FastAPI, client: TestClient, session: Session) -> None:
    code, _event = _live(client, session)
    phone = _phone(app, code, "Ana Ruiz")
    closed = phone.get(f"/e/{code}/smackdown")
    assert "The queue is not open yet" in closed.text
    assert f'href="/e/{code}/smackdown"' not in phone.get(f"/e/{code}/my").text

    assert _post(client, f"/e/{code}/organize/smackdown/open", open="1").status_code == 303
    assert f'href="/e/{code}/smackdown"' in phone.get(f"/e/{code}/my").text  # the nav offers it while open
    page = phone.get(f"/e/{code}/smackdown")
    assert 'value="Ana Ruiz"' in page.text  # the name to show starts as the display name

    refused = _post(phone, f"/e/{code}/smackdown", title="", url="javascript:alert(1)", why="ok", name="Ana")
    assert refused.status_code == 422
    assert 'id="smack-title-error"' in refused.text and 'id="smack-url-error"' in refused.text
    assert 'value="ok"' in refused.text  # what was typed stays

    other = _phone(app, code, "Ben")
    assert _post(other, f"/e/{code}/smackdown", title="Flip", url="", why="", name="").status_code == 303
    joined = _post(phone, f"/e/{code}/smackdown", title="Padlet", url="padlet.com/x", why="Exit tickets", name="Ana")
    assert joined.status_code == 303
    mine = phone.get(joined.headers["location"])
    assert "You&#39;re #2 in the queue" in mine.text or "You're #2 in the queue" in mine.text
    assert 'value="https://padlet.com/x"' in mine.text

    edited = _post(phone, f"/e/{code}/smackdown", title="Padlet walls", url="", why="", name="")
    assert edited.status_code == 303
    share = session.exec(select(SmackdownShare).where(SmackdownShare.title == "Padlet walls")).one()
    assert share.name == "" and share.position == 2

    left = _post(phone, f"/e/{code}/smackdown/withdraw")
    assert left.status_code == 303
    session.refresh(share)
    assert share.state == "removed"


def test_joining_needs_a_joined_phone(app: FastAPI, client: TestClient, session: Session) -> None:
    code, _event = _live(client, session, smackdown_open=True)
    stranger = TestClient(app)
    assert "Join the event" in stranger.get(f"/e/{code}/smackdown").text
    refused = _post(stranger, f"/e/{code}/smackdown", title="x", url="", why="", name="")
    assert refused.status_code == 401


def test_the_organizer_runs_it_and_the_board_shows_who_is_up_and_next(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    code, event = _live(client, session, smackdown_open=True, board_mode="smackdown")
    for name, title in (("Ana", "Padlet"), ("", "Flip"), ("Cy", "Kahoot")):
        _post(_phone(app, code, name or "Anon"), f"/e/{code}/smackdown", title=title, url="", why="", name=name)

    board = client.get(f"/e/{code}/board").text
    assert "Smackdown: join from your phone" in board and f"/e/{code}/smackdown/qr.svg" in board
    assert client.get(f"/e/{code}/smackdown/qr.svg").headers["content-type"].startswith("image/svg")

    run = client.get(f"/e/{code}/organize/smackdown")
    assert run.status_code == 200 and "Start: first share" in run.text
    assert _post(client, f"/e/{code}/organize/smackdown/next", expected="0").status_code == 303
    board = client.get(f"/e/{code}/board").text
    main = board[board.index('id="board-main"') :]
    assert 'id="smack-name" class="smack-name">Ana<' in main
    assert "Padlet" in main and 'data-minutes="2"' in main and "data-ends-at=" in main
    assert re.search(r"Next</span> <strong>A teacher</strong> · <span class=\"smack-next-title\">Flip", main)
    assert "2 in the queue" in main

    # A second organizer's page still showed nobody up: refused, nobody skipped.
    twice = _post(client, f"/e/{code}/organize/smackdown/next", expected="0")
    assert twice.status_code == 409 and "Ana is up now" in twice.text

    flip = session.exec(select(SmackdownShare).where(SmackdownShare.title == "Flip")).one()
    moved = _post(client, f"/e/{code}/organize/smackdown/move", share_id=str(flip.id), direction="down")
    assert moved.status_code == 303 and "focus=down-" in moved.headers["location"]
    assert f'id="share-{flip.id}"' in client.get(moved.headers["location"]).text
    board = client.get(f"/e/{code}/board").text
    assert re.search(r"Next</span> <strong>Cy</strong> · <span class=\"smack-next-title\">Kahoot", board)


def test_the_phone_shows_who_is_up_and_the_closing_page_counts(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    code, _event = _live(client, session, smackdown_open=True)
    phone = _phone(app, code, "Ana")
    _post(phone, f"/e/{code}/smackdown", title="Padlet", url="", why="", name="Ana")
    closing = client.get(f"/e/{code}/organize/closing").text
    assert 'id="closing-smackdown"' in closing and "1 waiting" in closing and "Close the queue" in closing
    _post(client, f"/e/{code}/organize/smackdown/next", expected="0")
    assert (
        "You&#39;re up now" in phone.get(f"/e/{code}/smackdown").text
        or "You're up now" in phone.get(f"/e/{code}/smackdown").text
    )


def test_the_guide_holds_every_share_escaped(app: FastAPI, client: TestClient, session: Session) -> None:
    code, event = _live(client, session, smackdown_open=True)
    phone = _phone(app, code, "Ana")
    url = "https://example.org/a_(b)?q=<x>"
    _post(phone, f"/e/{code}/smackdown", title=EVIL, url="https://example.org/a_(b)", why="Why *not* [x](y)", name=EVIL)
    _post(_phone(app, code, "Ben"), f"/e/{code}/smackdown", title="Still waiting", url="", why="", name="Ben")
    assert EVIL not in client.get(f"/e/{code}/guide").text  # nothing shared yet
    _post(client, f"/e/{code}/organize/smackdown/next", expected="0")

    html = client.get(f"/e/{code}/guide").text
    assert 'id="guide-smackdown"' in html
    assert EVIL not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert 'href="https://example.org/a_(b)"' in html and "Still waiting" not in html

    md = client.get(f"/e/{code}/guide.md").text
    assert "## Smackdown" in md and "<script>" not in md
    assert "<https://example.org/a_%28b%29>" in md and r"Why \*not\* \[x\]\(y\)" in md

    rows = list(csv.reader(io.StringIO(client.get(f"/e/{code}/guide.csv").text.lstrip("\ufeff"))))
    shared = [r for r in rows if "smackdown" in r]
    assert len(shared) == 1
    assert shared[0][3].lstrip("'") == EVIL and shared[0][5] == "https://example.org/a_(b)"
    assert url  # the link as typed (without the query) is what the guide keeps


def test_a_bilingual_board_says_its_own_words_in_both_languages(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    code, _event = _live(client, session, smackdown_open=True, board_mode="smackdown", bilingual=True, language="es")
    join_screen = client.get(f"/e/{code}/board").text
    assert '<span lang="es">Smackdown: únete desde tu móvil</span>' in join_screen
    assert '<span lang="en">Smackdown: join from your phone</span>' in join_screen
    _post(_phone(app, code, "Ana"), f"/e/{code}/smackdown", title="Padlet", url="", why="", name="")
    _post(_phone(app, code, "Ben"), f"/e/{code}/smackdown", title="Flip", url="", why="", name="Ben")
    _post(client, f"/e/{code}/organize/smackdown/next", expected="0")
    board = client.get(f"/e/{code}/board").text
    main = board[board.index('id="board-main"') :]
    assert '<span lang="es">Un/a docente</span>' in main and '<span lang="en">A teacher</span>' in main
    assert '<span lang="es">Siguiente</span>' in main and '<span lang="en">Next</span>' in main
    assert 'data-over="&lt;span lang=&#34;es&#34;&gt;fuera de tiempo' in main  # stage.js shows both past 2:00
    assert "Padlet" in main and "<strong>Ben</strong>" in main


def test_a_moved_share_keeps_the_keyboard_on_its_button(app: FastAPI, client: TestClient, session: Session) -> None:
    code, _event = _live(client, session, smackdown_open=True)
    for name in ("Ana", "Ben"):
        _post(_phone(app, code, name), f"/e/{code}/smackdown", title=f"{name}'s tool", url="", why="", name=name)
    ben = session.exec(select(SmackdownShare).where(SmackdownShare.name == "Ben")).one()
    moved = _post(client, f"/e/{code}/organize/smackdown/move", share_id=str(ben.id), direction="up")
    page = client.get(moved.headers["location"]).text
    assert "Moved Ben up." in page
    up = re.search(r'<button[^>]*aria-label="Move Ben up"[^>]*>', page)
    down = re.search(r'<button[^>]*aria-label="Move Ben down"[^>]*>', page)
    assert up and "disabled" in up.group(0) and "autofocus" not in up.group(0)  # now first: up is off
    assert down and "autofocus" in down.group(0)  # so the keyboard waits on the other arrow
    assert page.index("1. Ben") < page.index("2. Ana")
    refused = _post(client, f"/e/{code}/organize/smackdown/move", share_id=str(ben.id), direction="up")
    assert refused.status_code == 409 and "it is already first" in refused.text
