"""The organizer's Closing page and what the board's main area shows (the grid, the smackdown, the raffle)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import BoardEvent, Event, Phase
from tests.pages.test_pages import create_event, csrf


def _board_mode_posted(client: TestClient, code: str, mode: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/e/{code}/organize/board-mode", data={"mode": mode, "csrf_token": csrf(client)}, follow_redirects=False
    )


def test_the_closing_page_is_in_the_console_nav_and_switches_the_board(client: TestClient, session: Session) -> None:
    code, _ = create_event(client)
    console = client.get(f"/e/{code}/organize")
    assert f'href="/e/{code}/organize/closing"' in console.text
    page = client.get(f"/e/{code}/organize/closing")
    assert page.status_code == 200
    assert 'aria-current="page">Closing the day<' in page.text

    shown = _board_mode_posted(client, code, "smackdown")
    assert shown.status_code == 303
    assert "/organize/closing?done=" in shown.headers["location"]
    event = session.exec(select(Event).where(Event.code == code)).one()
    session.refresh(event)
    assert event.board_mode == "smackdown"
    assert 'class="board-smackdown"' in client.get(f"/e/{code}/board").text
    kinds = session.exec(select(BoardEvent.kind).where(BoardEvent.event_id == event.id)).all()
    assert "board_mode" in kinds

    after = client.get(shown.headers["location"])
    assert "The board shows the smackdown." in after.text
    assert re.search(r'value="smackdown" aria-pressed="true"', after.text)

    assert _board_mode_posted(client, code, "").status_code == 303
    session.refresh(event)
    assert event.board_mode == ""


def test_an_unknown_board_mode_is_refused_with_the_field_named(client: TestClient) -> None:
    code, _ = create_event(client)
    refused = _board_mode_posted(client, code, "fireworks")
    assert refused.status_code == 422
    assert "mode: choose the grid, the smackdown or the raffle." in refused.text


def test_the_board_mode_waits_for_an_open_event(client: TestClient, session: Session) -> None:
    code, _ = create_event(client)
    event = session.exec(select(Event).where(Event.code == code)).one()
    event.phase = Phase.closed
    session.add(event)
    session.commit()
    refused = _board_mode_posted(client, code, "raffle")
    assert refused.status_code == 409


def test_the_smackdown_and_raffle_pages_put_themselves_on_the_board_and_come_back(
    client: TestClient, session: Session
) -> None:
    code, _ = create_event(client)
    event = session.exec(select(Event).where(Event.code == code)).one()
    for part, page in (("smackdown", "smackdown"), ("raffle", "raffle")):
        before = client.get(f"/e/{code}/organize/{page}")
        assert f'id="{part}-on-board"' in before.text and f"The board is not showing the {part}." in before.text
        shown = client.post(
            f"/e/{code}/organize/board-mode",
            data={"mode": part, "back": part, "csrf_token": csrf(client)},
            follow_redirects=False,
        )
        assert shown.status_code == 303 and f"/e/{code}/organize/{page}?done=" in shown.headers["location"]
        session.refresh(event)
        assert event.board_mode == part
        after = client.get(shown.headers["location"])
        assert f'id="{part}-on-board"' not in after.text
    elsewhere = client.post(
        f"/e/{code}/organize/board-mode",
        data={"mode": "", "back": "https://example.com/", "csrf_token": csrf(client)},
        follow_redirects=False,
    )
    assert elsewhere.headers["location"].startswith(f"http://testserver/e/{code}/organize/closing?")
