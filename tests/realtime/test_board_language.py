"""Live pushes in each reader's language, against a real server: a Spanish socket gets Spanish
fragments and an English one English, for the same change; a bilingual event's board gets both."""

from __future__ import annotations

import asyncio

import httpx
from websockets.asyncio.client import connect

from tests.realtime.live import Listener, Server, make_event, run_async


async def _listen(server: Server, code: str, view: str, headers: dict[str, str] | None = None) -> Listener:
    """A socket opened as a browser would: its cookie and Accept-Language on the handshake."""
    ws = await connect(f"{server.ws_url}/e/{code}/ws?view={view}", additional_headers=headers, open_timeout=10)
    listener = Listener(ws)
    listener.task = asyncio.create_task(listener._run())
    return listener


def _propose(server: Server, code: str, token: str, title: str) -> int:
    made = httpx.post(
        f"{server.url}/api/v1/events/{code}/topics",
        json={"title": title},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    made.raise_for_status()
    page = httpx.get(f"{server.url}/e/{code}/board", timeout=10).text
    return int(page.split('id="live-meta" hidden data-from="', 1)[1].split('"', 1)[0])


def test_spanish_and_english_sockets_get_their_own_words_for_the_same_change(live_server: Server) -> None:
    event = make_event(live_server.url, attendees=2, topics=1)

    async def scenario() -> dict[str, str]:
        sockets = {
            "board-es": await _listen(live_server, event.code, "board", {"Cookie": "twofeet_lang=es"}),
            "board-en": await _listen(live_server, event.code, "board"),
            "wall-es": await _listen(live_server, event.code, "wall", {"Accept-Language": "es-MX,es;q=0.9"}),
            "wall-en": await _listen(live_server, event.code, "wall", {"Accept-Language": "en-US"}),
        }
        sequence = _propose(live_server, event.code, event.attendee_tokens[1], "Huertos escolares")
        try:
            return {name: (await s.wait_for(sequence)).text for name, s in sockets.items()}
        finally:
            for s in sockets.values():
                await s.close()

    frames = run_async(scenario())
    assert "Huertos escolares" in frames["board-es"] and "Huertos escolares" in frames["board-en"]
    assert "Necesita quien lo facilite" in frames["board-es"] and "Needs a facilitator" not in frames["board-es"]
    assert "Needs a facilitator" in frames["board-en"] and "Necesita quien lo facilite" not in frames["board-en"]
    assert "Hay temas nuevos en el muro." in frames["wall-es"] and "New topics" not in frames["wall-es"]
    assert "New topics are on the wall." in frames["wall-en"] and "Hay temas" not in frames["wall-en"]


def test_a_bilingual_events_board_pushes_both_languages_main_first(live_server: Server) -> None:
    event = make_event(live_server.url, attendees=2, topics=1)
    httpx.patch(
        f"{live_server.url}/api/v1/events/{event.code}",
        json={"language": "es", "bilingual": True},
        headers={"Authorization": f"Bearer {event.organizer_token}"},
        timeout=10,
    ).raise_for_status()
    page = httpx.get(f"{live_server.url}/e/{event.code}/board", headers={"Accept-Language": "en"}, timeout=10).text
    assert '<html lang="es">' in page
    assert '<span lang="es">Código</span><span class="bi-2"> / <span lang="en">Code</span></span>' in page
    assert 'class="language-switch"' not in page  # the board's language follows the event

    async def scenario() -> str:
        # Whatever this browser asks for (English), a bilingual board speaks both, Spanish first.
        board = await _listen(live_server, event.code, "board", {"Cookie": "twofeet_lang=en"})
        sequence = _propose(live_server, event.code, event.attendee_tokens[0], "Robots & more")
        try:
            return (await board.wait_for(sequence)).text
        finally:
            await board.close()

    frame = run_async(scenario())
    assert "Robots &amp; more" in frame
    needs = '<span lang="es">Necesita quien lo facilite</span><span class="bi-2"> / <span lang="en">Needs a facilitator</span></span>'
    assert needs in frame


def test_a_board_follows_the_event_not_the_projectors_browser(live_server: Server) -> None:
    event = make_event(live_server.url, attendees=1, topics=1)
    httpx.patch(
        f"{live_server.url}/api/v1/events/{event.code}",
        json={"language": "es"},
        headers={"Authorization": f"Bearer {event.organizer_token}"},
        timeout=10,
    ).raise_for_status()
    board = f"{live_server.url}/e/{event.code}/board"
    spanish = httpx.get(board, headers={"Accept-Language": "en-US,en"}, timeout=10).text
    assert '<html lang="es">' in spanish and "Necesita quien lo facilite" in spanish
    assert "Needs a facilitator" not in spanish and "Setting up" not in spanish
    held = httpx.get(board + "?lang=en", timeout=10).text  # a screen held to English
    assert '<html lang="en">' in held and "Needs a facilitator" in held
    assert "view=board&amp;since=" in held and "&amp;lang=en" in held  # and its socket with it
    chosen = httpx.get(board, cookies={"twofeet_lang": "en"}, timeout=10).text
    assert '<html lang="en">' in chosen
