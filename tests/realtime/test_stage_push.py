"""A plenary on a real server: "next talk" reaches the projector board and the phones' "my day" live."""

from __future__ import annotations

import asyncio

import httpx
from sqlmodel import Session

from app.db import make_engine
from app.domain import events
from tests.factories import make_plenary
from tests.realtime.live import Server, board_sequence, listen, make_event, run_async


def _press(base: str, code: str, org: str, slot_id: int, path: str = "next") -> int:
    response = httpx.post(
        f"{base}/api/v1/events/{code}/plenaries/{slot_id}/{path}",
        json={} if path == "next" else None,
        headers={"Authorization": f"Bearer {org}"},
        timeout=10,
    )
    response.raise_for_status()
    return int(response.headers["x-board-sequence"])


def test_next_talk_puts_the_speaker_on_the_board_and_then_the_programme_again(live_server: Server) -> None:
    event = make_event(live_server.url, attendees=1, topics=2)
    engine = make_engine(live_server.env["TWOFEET_DATABASE_URL"])
    with Session(engine, expire_on_commit=False) as session:
        plenary = make_plenary(session, events.require_event(session, event.code), slot=0, title="EdTalks").id
    engine.dispose()
    assert plenary is not None
    org = {"Authorization": f"Bearer {event.organizer_token}"}
    for speaker, title in (("Ana <Ruiz>", "Play & math"), ("Ben Okafor", "Exit tickets")):
        body = {"speaker": speaker, "title": title, "minutes": 15}
        added = httpx.post(
            f"{live_server.url}/api/v1/events/{event.code}/plenaries/{plenary}/talks", json=body, headers=org
        )
        assert added.status_code == 201, added.text
    start = board_sequence(live_server.url, event.code)

    async def scenario() -> None:
        board = await listen(live_server.ws_url, event.code, view="board", since=start)
        other = await listen(live_server.ws_url, event.code, view="board", since=start)
        my = await listen(live_server.ws_url, event.code, view="my", since=start)
        await asyncio.sleep(0.2)
        first = await asyncio.to_thread(_press, live_server.url, event.code, event.organizer_token, plenary)
        for screen in (board, other):
            frame = await screen.wait_for(first)
            assert frame.action == "delta" and 'class="board-stage"' in frame.text
            assert "Ana &lt;Ruiz&gt;" in frame.text and "Play &amp; math" in frame.text  # escaped as on the page
            assert "<Ruiz>" not in frame.text
            assert "data-ends-at=" in frame.text and "Next</span> <strong>Ben Okafor" in frame.text
        assert 'data-action="refetch"' in (await my.wait_for(first)).text  # "my day" says who is on stage
        second = await asyncio.to_thread(_press, live_server.url, event.code, event.organizer_token, plenary)
        frame = await board.wait_for(second)
        assert "Ben Okafor" in frame.text and "Last talk" in frame.text and "Ana &lt;Ruiz&gt;" not in frame.text
        late = await listen(live_server.ws_url, event.code, view="board")  # a board that connects mid-talk
        snapshot = await late.wait_for(second)
        assert snapshot.action == "refresh" and 'class="board-stage"' in snapshot.text and "Ben Okafor" in snapshot.text
        await late.close()
        back = await asyncio.to_thread(_press, live_server.url, event.code, event.organizer_token, plenary)
        frame = await board.wait_for(back)
        assert 'id="board-main"' in frame.text and "board-stage" not in frame.text  # the board's own view again
        for screen in (board, other, my):
            await screen.close()

    run_async(scenario())
    page = httpx.get(f"{live_server.url}/e/{event.code}/board", timeout=10).text
    assert "board-stage" not in page
