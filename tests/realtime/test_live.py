"""The websocket over a real uvicorn: marks arrive, gaps replay exactly, bad clients are cut off."""

from __future__ import annotations

import asyncio
import base64
import os
import re
import signal
import socket
import time

import httpx
import pytest
from websockets.exceptions import InvalidStatus

from tests.realtime.live import Server, board_sequence, listen, make_event, mark, run_async

pytestmark = pytest.mark.slow
COUNT = re.compile(r'id="count-(\d+)"><strong>(\d+)</strong>')


def test_mark_arrives_on_board_and_phone_wall(live_server: Server) -> None:
    event = make_event(live_server.url)
    start = board_sequence(live_server.url, event.code)
    stats = live_server.stats()
    prepared = stats["prepared"]
    # Full GC passes are the quiet collector's (on by default), reported per process.
    assert set(stats["gc"]) == {"passes", "freezes", "last_ms", "max_ms", "pauses"}

    async def scenario() -> None:
        board = await listen(live_server.ws_url, event.code, view="board", since=start)
        wall = await listen(live_server.ws_url, event.code, view="wall", since=start)
        await asyncio.sleep(0.2)
        topic = event.topic_ids[1]
        sequence = await asyncio.to_thread(mark, live_server.url, event.code, event.attendee_tokens[0], topic)
        assert sequence == start + 1
        frame = await board.wait_for(sequence)
        assert (frame.first, frame.last, frame.action) == (start, sequence, "delta")
        assert f'id="board-topic-{topic}"' in frame.text
        assert "Topic &lt;b&gt;1&lt;/b&gt; &amp; more" in frame.text  # escaped as on the page
        assert "<b>1</b>" not in frame.text
        phone = await wall.wait_for(sequence)
        assert f'<span class="count" id="count-{topic}"><strong>1</strong> mark</span>' in phone.text
        await board.close()
        await wall.close()

    run_async(scenario())
    # Both frames went out as bytes framed once per batch (app/realtime/wsserver.py), not through ASGI.
    assert live_server.stats()["prepared"] - prepared == 2


def test_reconnect_with_stale_since_gets_exactly_the_missed_events(live_server: Server) -> None:
    event = make_event(live_server.url)
    start = board_sequence(live_server.url, event.code)
    sequences = [mark(live_server.url, event.code, event.attendee_tokens[i], event.topic_ids[i % 2]) for i in range(3)]
    assert sequences == [start + 1, start + 2, start + 3]

    async def scenario() -> None:
        stale = await listen(live_server.ws_url, event.code, view="wall", since=start)
        current = await listen(live_server.ws_url, event.code, view="wall", since=sequences[-1])
        first = await stale.wait_for(sequences[-1])
        assert (first.first, first.last) == (start, sequences[-1])
        assert f'id="count-{event.topic_ids[0]}"><strong>2</strong>' in first.text
        await asyncio.sleep(0.5)
        assert current.frames == []  # nothing was missed: nothing is replayed
        later = await asyncio.to_thread(mark, live_server.url, event.code, event.attendee_tokens[4], event.topic_ids[3])
        await stale.wait_for(later)
        await current.wait_for(later)
        assert stale.covered() == [start + 1, start + 2, start + 3, later]
        assert current.covered() == [later]
        await stale.close()
        await current.close()

    run_async(scenario())


def test_a_phone_far_behind_is_caught_up_by_state_not_told_to_refetch(live_server: Server) -> None:
    """250 changes missed (more than the old replay limit of 200): the phone gets one delta with the
    current counts of what changed, and the board one delta; nobody GETs a whole wall again."""
    event = make_event(live_server.url, attendees=50, topics=5)
    start = board_sequence(live_server.url, event.code)
    pairs = [(token, topic) for token in event.attendee_tokens for topic in event.topic_ids][:250]
    for token, topic in pairs:
        mark(live_server.url, event.code, token, topic)
    now = board_sequence(live_server.url, event.code)
    assert now - start == 250

    async def scenario() -> None:
        wall = await listen(live_server.ws_url, event.code, view="wall", since=start)
        phone = await wall.wait_for(now)
        assert (phone.first, phone.last, phone.action) == (start, now, "delta")
        # Exactly the counts a phone loading its wall now shows, for every topic that was marked.
        page = (
            await asyncio.to_thread(
                httpx.get,
                f"{live_server.url}/e/{event.code}",
                headers={"Authorization": f"Bearer {event.attendee_tokens[0]}"},
            )
        ).text
        shown = dict(COUNT.findall(page))
        pushed = dict(COUNT.findall(phone.text))
        assert set(pushed) == {str(t) for t in event.topic_ids} and pushed == shown, (pushed, shown)
        board = await listen(live_server.ws_url, event.code, view="board", since=start)
        frame = await board.wait_for(now)
        assert (frame.first, frame.last, frame.action) == (start, now, "delta")
        assert 'id="board-main"' in frame.text
        await wall.close()
        await board.close()

    run_async(scenario())


def test_a_phone_with_no_sequence_gets_a_snapshot(live_server: Server) -> None:
    event = make_event(live_server.url, topics=4)
    now = board_sequence(live_server.url, event.code)

    async def scenario() -> None:
        board = await listen(live_server.ws_url, event.code, view="board", since=None)
        frame = await board.wait_for(now)
        assert (frame.first, frame.last, frame.action) == (0, now, "refresh")
        assert 'id="board-main"' in frame.text and 'id="board-phase"' in frame.text
        wall = await listen(live_server.ws_url, event.code, view="wall", since=None)
        phone = await wall.wait_for(now)
        assert (phone.action, phone.text.count("<div"), phone.text.endswith("</div>")) == (
            "refetch",
            1,
            True,
        )  # the phone GETs its own wall
        await board.close()
        await wall.close()

    run_async(scenario())


def _stalled_socket(port: int, code: str) -> socket.socket:
    """A websocket handshake, then never another read: a phone that froze mid-stream."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            f"GET /e/{code}/ws?view=board&since=0 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        head += sock.recv(1)
    assert head.startswith(b"HTTP/1.1 101")
    return sock


def test_a_client_that_stops_reading_does_not_delay_the_others(live_server: Server) -> None:
    event = make_event(live_server.url, attendees=40, topics=24)
    stalled = [_stalled_socket(live_server.port, event.code) for _ in range(3)]
    start = board_sequence(live_server.url, event.code)

    async def scenario() -> list[float]:
        boards = [await listen(live_server.ws_url, event.code, view="board", since=start) for _ in range(3)]
        delays = []
        async with httpx.AsyncClient(base_url=live_server.url, timeout=10) as http:
            for i in range(60):
                token = event.attendee_tokens[i % 40]
                topic = event.topic_ids[(i * 7) % 24]
                posted = time.monotonic()
                response = await http.put(
                    f"/api/v1/events/{event.code}/topics/{topic}/interest", headers={"Authorization": f"Bearer {token}"}
                )
                sequence = int(response.headers["x-board-sequence"])
                for board in boards:
                    frame = await board.wait_for(sequence, timeout=5)
                    delays.append(max(0.0, frame.at - posted))
                await asyncio.sleep(0.05)
        for board in boards:
            await board.close()
        return delays

    try:
        delays = run_async(scenario())
    finally:
        for sock in stalled:
            sock.close()
    assert max(delays) < 1.0, f"slowest delivery {max(delays):.3f}s"
    # (What happens to the stalled sockets themselves, overflow and close, is in test_hub.py.)


def test_garbage_or_oversized_frames_disconnect_only_that_client(live_server: Server) -> None:
    event = make_event(live_server.url)
    start = board_sequence(live_server.url, event.code)

    async def scenario() -> None:
        good = await listen(live_server.ws_url, event.code, since=start)
        chatty = await listen(live_server.ws_url, event.code, since=start)
        huge = await listen(live_server.ws_url, event.code, since=start)
        enormous = await listen(live_server.ws_url, event.code, since=start)
        await chatty.ws.send('{"HEADERS": {}, "vote": "all of them"}')
        await huge.ws.send("x" * 5_000)  # past the hub's 1 KB limit
        await enormous.ws.send("x" * 100_000)  # past uvicorn's 64 KB cap: never reaches the app
        for client in (chatty, huge, enormous):
            await asyncio.wait_for(client.task, 5)  # type: ignore[arg-type]
        assert chatty.close_code == 1008
        assert huge.close_code == 1009
        assert enormous.close_code == 1009
        sequence = await asyncio.to_thread(
            mark, live_server.url, event.code, event.attendee_tokens[0], event.topic_ids[0]
        )
        await good.wait_for(sequence)
        await good.ws.send("ping")  # the one thing a client may say
        second = await asyncio.to_thread(
            mark, live_server.url, event.code, event.attendee_tokens[1], event.topic_ids[0]
        )
        await good.wait_for(second)
        await good.close()

    run_async(scenario())
    assert live_server.stats()["garbage"] == 2


def test_websocket_from_another_origin_is_refused(live_server: Server) -> None:
    event = make_event(live_server.url)

    async def scenario() -> None:
        with pytest.raises(InvalidStatus) as refused:
            await listen(live_server.ws_url, event.code, origin="https://evil.example")
        assert refused.value.response.status_code == 403
        ours = await listen(live_server.ws_url, event.code, origin=live_server.url, since=0)
        await ours.wait_for(1)
        await ours.close()
        with pytest.raises(InvalidStatus):
            await listen(live_server.ws_url, "NOSUCH", origin=live_server.url)

    run_async(scenario())


def test_server_shutdown_closes_sockets_with_1012(live_server: Server) -> None:
    event = make_event(live_server.url)

    async def scenario() -> int | None:
        board = await listen(live_server.ws_url, event.code, since=0)
        await board.wait_for(1)
        await asyncio.to_thread(live_server.stop, signal.SIGTERM)
        await asyncio.wait_for(board.task, 10)  # type: ignore[arg-type]
        return board.close_code

    assert run_async(scenario()) == 1012


def test_my_day_is_told_to_refetch_when_the_schedule_is_published(live_server: Server) -> None:
    """A phone on "my day" hears a publish and refetches its own block; a mark elsewhere costs it nothing."""
    event = make_event(live_server.url)
    start = board_sequence(live_server.url, event.code)
    organizer = {"Authorization": f"Bearer {event.organizer_token}"}

    async def scenario() -> None:
        my_day = await listen(live_server.ws_url, event.code, view="my", since=start)
        await asyncio.sleep(0.2)
        marked = await asyncio.to_thread(
            mark, live_server.url, event.code, event.attendee_tokens[0], event.topic_ids[0]
        )
        quiet = await my_day.wait_for(marked)
        assert quiet.action == "delta" and 'data-target="#my-live"' in quiet.text
        async with httpx.AsyncClient(base_url=live_server.url, timeout=30) as http:
            started = await http.post(
                f"/api/v1/events/{event.code}/schedule/build", json={"time_limit": 2}, headers=organizer
            )
            assert started.status_code == 202
            for _ in range(300):
                status = (await http.get(f"/api/v1/events/{event.code}/schedule/build", headers=organizer)).json()
                if not status["running"]:
                    break
                await asyncio.sleep(0.1)
            published = await http.post(f"/api/v1/events/{event.code}/schedule/publish", json={}, headers=organizer)
            assert published.status_code == 200
            sequence = int(published.headers["x-board-sequence"])
            page = await http.get(
                f"/e/{event.code}/my",
                headers={"Authorization": f"Bearer {event.attendee_tokens[0]}", "HX-Request": "true"},
            )
        frame = await my_day.wait_for(sequence)
        assert frame.action in {"refetch", "reload"}
        assert page.status_code == 200 and 'id="my-live"' in page.text and "<html" not in page.text
        assert "Library" in page.text or "Room 2" in page.text, "the refetched block lists the attendee's rooms"
        await my_day.close()

    run_async(scenario())
