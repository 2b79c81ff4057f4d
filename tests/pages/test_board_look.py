"""The board's colours (the organizer's choice, and ?theme= on one screen), its layout choice, and the join poster."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.pages.test_pages import create_event, csrf


def test_organizer_picks_the_light_board(client: TestClient) -> None:
    code, _ = create_event(client)
    assert 'data-theme="dark"' in client.get(f"/e/{code}/board").text
    done = client.post(
        f"/e/{code}/organize/board-theme",
        data={"board_theme": "light", "csrf_token": csrf(client)},
        follow_redirects=False,
    )
    assert done.status_code == 303 and "board-look-heading" in done.headers["location"]
    board = client.get(f"/e/{code}/board").text
    assert 'data-theme="light"' in board and 'class="board"' in board  # the screen follows the organizer
    assert 'class="board theme-dark"' in client.get(f"/e/{code}/board?theme=dark").text  # unless held to one
    assert 'class="board theme-light"' in client.get(f"/e/{code}/board?theme=light").text
    assert 'class="board"' in client.get(f"/e/{code}/board?theme=%3Cb%3E").text  # anything else is ignored
    console = client.get(f"/e/{code}/organize").text
    assert 'value="light" checked' in console and "The board is light now." in client.get(done.headers["location"]).text


def test_board_theme_refuses_other_values_by_name(client: TestClient) -> None:
    code, _ = create_event(client)
    refused = client.post(f"/e/{code}/organize/board-theme", data={"board_theme": "neon", "csrf_token": csrf(client)})
    assert refused.status_code == 422 and "Board theme: choose dark or light" in refused.text
    # The refusal opens the section that holds the form, so the message is seen beside it.
    assert 'id="overview" class="console-section is-current"' in refused.text


def test_board_theme_needs_the_organizer(client: TestClient) -> None:
    code, _ = create_event(client)
    client.cookies.clear()
    refused = client.post(f"/e/{code}/organize/board-theme", data={"board_theme": "light", "csrf_token": csrf(client)})
    assert refused.status_code in (401, 403)


def test_join_poster_types_out_the_address(client: TestClient) -> None:
    code, _ = create_event(client)
    poster = client.get(f"/e/{code}/print/poster")
    assert poster.status_code == 200
    assert f'<p class="poster-code">{code}</p>' in poster.text
    assert f'<p class="poster-address">testserver/e/{code}</p>' in poster.text
    assert f'class="poster-qr" src="/e/{code}/qr.svg"' in poster.text  # the image encodes the base URL
    assert "print.css" in poster.text


def test_board_counts_the_topics_beyond_its_pages_honestly(client: TestClient) -> None:
    from sqlmodel import Session  # inline: only this test builds its wall through the domain

    from app.realtime.render import BOARD_TOPICS_MAX
    from tests.factories import make_attendee, make_event, make_topic

    app = client.app
    with Session(app.state.engine, expire_on_commit=False) as session:  # type: ignore[attr-defined]
        event = make_event(session).event
        author = make_attendee(session, event)
        for i in range(BOARD_TOPICS_MAX + 3):
            make_topic(session, event, author, title=f"Topic number {i + 1}")
    board = client.get(f"/e/{event.code}/board").text
    assert board.count('<li class="board-topic') == BOARD_TOPICS_MAX
    assert "and 3 more topics on your phone" in board
