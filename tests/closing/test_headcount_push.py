"""A check-in reaches a connected board with the new headcount, against a real server, in English and
in Spanish; the push and a reload of the board show the same numbers."""

from __future__ import annotations

import asyncio
import re

import httpx
from sqlmodel import Session
from websockets.asyncio.client import connect

from app.db import make_engine
from app.domain import attendees, events, eventspec, organizers
from app.models import Phase
from app.security import Signer
from tests.clock import midday_zone
from tests.factories import make_topic, publish_cells
from tests.realtime.conftest import live_server  # noqa: F401  (the fixture)
from tests.realtime.live import Listener, Server, run_async

COUNT = re.compile(r'<td id="cell-(\d+)-\d+"[^>]*>(?:(?!</td>).)*?data-here="(\d+)" data-seats="(\d+)"', re.S)


def _day(server: Server) -> tuple[str, list[int], list[str]]:
    """A day of today whose one slot runs all day (so it has settled): two rooms, a session in each,
    and four people with their tokens; made in the server's own database file."""
    url = server.env["TWOFEET_DATABASE_URL"]
    engine = make_engine(url)
    zone, local = midday_zone()
    with Session(engine, expire_on_commit=False) as session:
        created = events.create_event(
            session,
            name="Edcamp Headcounts",
            date=local.date().isoformat(),
            timezone=zone,
            rooms=[eventspec.RoomSpec("Library", 30, []), eventspec.RoomSpec("Gym", 8, [])],
            slots=[eventspec.SlotSpec("00:00", "23:59")],
        )
        event = created.event
        events.set_phase(
            session, event=event, phase=Phase.proposing, actor=organizers.require_first_organizer(session, event)
        )
        people = [attendees.join_event(session, event=event, name=f"Teacher {i}") for i in range(4)]
        topics = [make_topic(session, event, people[i], title=t) for i, t in enumerate(("Math talks", "Robots"))]
        rooms = [r.id for r in events.list_rooms(session, event)]
        slot = events.list_slots(session, event)[0]
        publish_cells(session, created, [(topics[i].id, rooms[i], slot.id) for i in range(2)])  # type: ignore[misc]
        signer = Signer(server.env["TWOFEET_SECRET_KEY"])
        tokens = [signer.attendee_token(event_id=event.id, attendee_id=p.id) for p in people]  # type: ignore[arg-type]
    engine.dispose()
    return event.code, rooms, tokens  # type: ignore[return-value]


def _check_in(server: Server, code: str, token: str, room: int) -> int:
    answer = httpx.post(
        f"{server.url}/api/v1/events/{code}/checkins",
        json={"room_id": room},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert answer.status_code == 201, answer.text
    return int(answer.headers["x-board-sequence"])


def _counts(html: str) -> dict[int, tuple[int, int]]:
    return {int(room): (int(here), int(seats)) for room, here, seats in COUNT.findall(html)}


def test_a_check_in_reaches_the_board_with_the_new_headcount_in_english_and_spanish(
    live_server: Server,  # noqa: F811
) -> None:
    code, rooms, tokens = _day(live_server)
    library, gym = rooms
    _check_in(live_server, code, tokens[0], library)

    async def scenario() -> dict[str, str]:
        boards = {}
        for lang in ("en", "es"):
            ws = await connect(f"{live_server.ws_url}/e/{code}/ws?view=board&lang={lang}", open_timeout=10)
            boards[lang] = Listener(ws)
            boards[lang].task = asyncio.create_task(boards[lang]._run())
        await asyncio.sleep(0.2)  # connected before the check-ins
        _check_in(live_server, code, tokens[1], library)
        _check_in(live_server, code, tokens[2], gym)
        sequence = _check_in(live_server, code, tokens[0], gym)  # the rule of two feet: Library → Gym
        try:
            return {lang: (await b.wait_for(sequence)).text for lang, b in boards.items()}
        finally:
            for b in boards.values():
                await b.close()

    frames = run_async(scenario())
    # Library: 30 seats, one left (moved) of two; Gym: 8 seats, two.
    assert _counts(frames["en"]) == {library: (1, 30), gym: (2, 8)}
    assert _counts(frames["es"]) == _counts(frames["en"])
    assert "1 person here, 30 seats" in frames["en"] and "2 people here, 8 seats" in frames["en"]
    assert "1 persona aquí, 30 asientos" in frames["es"] and "2 personas aquí, 8 asientos" in frames["es"]
    assert "Room for more" in frames["en"] and "Hay sitio" in frames["es"]  # the Library: 1 of 30
    reloaded = httpx.get(f"{live_server.url}/e/{code}/board", timeout=10).text
    assert _counts(reloaded) == _counts(frames["en"])  # the push and a reload agree
    spanish = httpx.get(f"{live_server.url}/e/{code}/board?lang=es", timeout=10).text
    assert "1 persona aquí, 30 asientos" in spanish
