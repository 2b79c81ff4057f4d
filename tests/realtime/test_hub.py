"""The hub in-process, with fake sockets: coalescing, overflow into a catch-up, stalled sockets closed."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from fastapi import FastAPI
from sqlmodel import Session
from starlette.websockets import WebSocketState
from websockets.frames import Frame, Opcode
from websockets.streams import StreamReader

from app.domain import marking
from app.main import create_app
from app.models import Event
from app.realtime.hub import Hub
from app.realtime.wsserver import PREPARED
from tests.conftest import make_settings
from tests.factories import make_attendee, make_event, make_topic
from tests.realtime.live import META, run_async


class FakeSocket:
    """Enough of a Starlette WebSocket for the hub; ``stuck`` makes every send hang."""

    def __init__(self, app: FastAPI, *, stuck: bool = False) -> None:
        self.scope: dict[str, Any] = {
            "type": "websocket",
            "scheme": "ws",
            "server": ("testserver", 80),
            "path": "/",
            "headers": [(b"host", b"testserver")],
            "query_string": b"",
            "root_path": "",
            "app": app,
            "router": app.router,
        }
        self.stuck = stuck
        self.sent: list[str] = []
        self.close_code: int | None = None
        self.application_state = WebSocketState.CONNECTED
        self._gone = asyncio.Event()

    async def send_text(self, text: str) -> None:
        if self.stuck:
            await asyncio.Event().wait()
        self.sent.append(text)

    async def receive(self) -> dict[str, Any]:
        await self._gone.wait()
        return {"type": "websocket.disconnect", "code": 1000}

    async def close(self, code: int = 1000) -> None:
        self.close_code = code
        self.application_state = WebSocketState.DISCONNECTED
        self._gone.set()

    def covered(self) -> list[int]:
        numbers: list[int] = []
        for text in self.sent:
            found = META.search(text)
            if found:
                numbers.extend(range(int(found.group(1)) + 1, int(found.group(2)) + 1))
        return numbers


def _event_with_people(app: FastAPI, n: int) -> tuple[Event, list[Any], Any, int]:
    """An event with ``n`` attendees and one topic; returns them and the board sequence so far."""
    with Session(app.state.engine, expire_on_commit=False) as session:
        event = make_event(session).event
        people = [make_attendee(session, event) for _ in range(n)]
        topic = make_topic(session, event, people[0])
        start = session.get(Event, event.id).board_sequence  # type: ignore[union-attr]
    return event, people, topic, start


def _mark_everyone(app: FastAPI, event: Event, people: list[Any], topic: Any, *, pause_s: float = 0.0) -> int:
    """Each person marks ``topic`` (``pause_s`` apart); returns the board sequence after the last."""
    with Session(app.state.engine, expire_on_commit=False) as session:
        current = session.get(Event, event.id)
        assert current is not None
        for person in people:
            marking.mark_topic(session, event=current, attendee=person, topic=topic)
            time.sleep(pause_s)
        session.refresh(current)
        return current.board_sequence


def test_hub_coalesces_marks_and_refreshes_then_closes_a_stalled_socket(sqlite_url: str) -> None:
    app = create_app(
        make_settings(sqlite_url, LIVE_WINDOW_MS=50, LIVE_QUEUE_SIZE=2, LIVE_SEND_TIMEOUT_S=0.5, LIVE_HEARTBEAT_S=60)
    )
    hub: Hub = app.state.hub
    event, people, topic, start = _event_with_people(app, 30)

    async def scenario() -> tuple[FakeSocket, FakeSocket, int]:
        await hub.start()
        fast, slow = FakeSocket(app), FakeSocket(app, stuck=True)
        serving = [
            asyncio.create_task(hub.serve(ws, event_id=event.id, view="board", since=start))  # type: ignore[arg-type]
            for ws in (fast, slow)
        ]  # type: ignore[arg-type]
        await asyncio.sleep(0.05)
        last = await asyncio.to_thread(_mark_everyone, app, event, people, topic)
        for _ in range(100):
            if fast.covered() and fast.covered()[-1] == last and slow.close_code is not None:
                break
            await asyncio.sleep(0.05)
        await fast.close()
        await asyncio.gather(*serving)
        await hub.stop()
        return fast, slow, last

    fast, slow, last = run_async(scenario())
    assert fast.covered() == list(range(start + 1, last + 1))  # every mark, once, in order
    assert len(fast.sent) < last - start  # coalesced: fewer frames than marks
    assert slow.close_code == 1013  # stalled past the send timeout: "try again later"
    assert hub.stats.stalled == 1


class SlowSocket(FakeSocket):
    """A phone on a weak signal: every send takes a while, but it never stops reading."""

    async def send_text(self, text: str) -> None:
        await asyncio.sleep(0.15)
        self.sent.append(text)


def test_a_phone_whose_queue_overflows_is_caught_up_by_state_not_told_to_refetch(sqlite_url: str) -> None:
    app = create_app(make_settings(sqlite_url, LIVE_WINDOW_MS=10, LIVE_QUEUE_SIZE=2, LIVE_HEARTBEAT_S=60))
    hub: Hub = app.state.hub
    event, people, topic, start = _event_with_people(app, 30)

    async def scenario() -> tuple[SlowSocket, int]:
        await hub.start()
        # Among 150 quick phones, one slow one is a straggler the renders do not wait for.
        slow, quick = SlowSocket(app), [FakeSocket(app) for _ in range(150)]
        serving = [
            asyncio.create_task(hub.serve(ws, event_id=event.id, view="wall", since=start))  # type: ignore[arg-type]
            for ws in (slow, *quick)
        ]
        await asyncio.sleep(0.05)
        # A render per mark or two: more frames than the slow phone's queue holds.
        last = await asyncio.to_thread(_mark_everyone, app, event, people, topic, pause_s=0.02)
        for _ in range(100):
            if slow.covered() and slow.covered()[-1] == last:
                break
            await asyncio.sleep(0.05)
        for ws in (slow, *quick):
            await ws.close()
        await asyncio.gather(*serving)
        await hub.stop()
        return slow, last

    slow, last = run_async(scenario())
    assert hub.stats.overflows >= 1, "the test did not overflow the slow phone's queue"
    assert slow.covered() == list(range(start + 1, last + 1))  # every change, once, in order
    actions = [found.group(3) for found in (META.search(text) for text in slow.sent) if found]
    assert set(actions) == {"delta"}, actions  # never "refetch": no GET of the whole wall
    assert f"<strong>{len(people)}</strong>" in slow.sent[-1]  # the count as it is now


class PreparedSocket(FakeSocket):
    """A socket whose server offers prepared frames (app/realtime/wsserver.py), and can decline them."""

    def __init__(self, app: FastAPI) -> None:
        super().__init__(app)
        self.accepting = True
        self.prepared = 0
        self.scope["extensions"] = {PREPARED: {"write": self.write}}

    def write(self, frame: bytes) -> bool:
        if not self.accepting:
            return False  # over the high-water mark: the hub must queue and send through ASGI
        self.sent.append(_text_of(frame))
        self.prepared += 1
        return True


def _text_of(frame: bytes) -> str:
    """Parse one whole frame with websockets' own (sans-I/O) parser: a server frame, so unmasked."""
    reader = StreamReader()
    reader.feed_data(frame)
    reader.feed_eof()
    parser = Frame.parse(reader.read_exact, mask=False)
    try:
        while True:
            next(parser)
    except StopIteration as done:
        parsed: Frame = done.value
    assert parsed.opcode is Opcode.TEXT and parsed.fin and not reader.buffer  # one frame, nothing after it
    return parsed.data.decode()


def test_prepared_frames_go_out_whole_and_fall_back_to_the_queue_when_declined(sqlite_url: str) -> None:
    app = create_app(make_settings(sqlite_url, LIVE_WINDOW_MS=20, LIVE_HEARTBEAT_S=60))
    hub: Hub = app.state.hub
    event, people, topic, start = _event_with_people(app, 6)

    def mark(person: Any) -> int:
        with Session(app.state.engine, expire_on_commit=False) as session:
            current = session.get(Event, event.id)
            assert current is not None
            marking.mark_topic(session, event=current, attendee=person, topic=topic)
            session.refresh(current)
            return current.board_sequence

    async def until_covered(sockets: list[PreparedSocket], last: int) -> None:
        for _ in range(200):
            if all(s.covered() and s.covered()[-1] == last for s in sockets):
                return
            await asyncio.sleep(0.02)
        raise AssertionError(f"not delivered up to {last}: {[s.covered() for s in sockets]}")

    async def scenario() -> tuple[PreparedSocket, PreparedSocket, int]:
        await hub.start()
        steady, busy = PreparedSocket(app), PreparedSocket(app)
        serving = [
            asyncio.create_task(hub.serve(ws, event_id=event.id, view="board", since=start))  # type: ignore[arg-type]
            for ws in (steady, busy)
        ]
        await asyncio.sleep(0.05)
        last = await asyncio.to_thread(mark, people[1])
        await until_covered([steady, busy], last)
        busy.accepting = False  # its write buffer fills: frames must queue behind each other, in order
        for person in people[2:4]:
            last = await asyncio.to_thread(mark, person)
            await until_covered([steady, busy], last)
        busy.accepting = True
        last = await asyncio.to_thread(mark, people[4])
        await until_covered([steady, busy], last)
        for ws in (steady, busy):
            await ws.close()
        await asyncio.gather(*serving)
        await hub.stop()
        return steady, busy, last

    steady, busy, last = run_async(scenario())
    for ws in (steady, busy):
        assert ws.covered() == list(range(start + 1, last + 1))  # every mark once, in order, either way
        assert all(f'id="board-topic-{topic.id}"' in text for text in ws.sent)
    assert steady.prepared == len(steady.sent) == 4  # all four batches as prepared bytes
    assert busy.prepared == 2 and len(busy.sent) == 4  # two declined, sent through ASGI instead
    assert hub.stats.prepared == 6
