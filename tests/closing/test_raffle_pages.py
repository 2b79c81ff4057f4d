"""The raffle's pages: the organizer's prizes and draw, the board while it shows the raffle, the
public page with its proof, and a phone's ticket; refusals name their field and nothing leaks."""

from __future__ import annotations

import hashlib
import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.domain import events, raffle
from app.models import Attendee, Event
from app.models.closing import CheckIn
from tests.factories import make_attendee
from tests.pages.test_live_fragments import _as
from tests.pages.test_pages import create_event, csrf


def _post(client: TestClient, code: str, path: str, **data: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/e/{code}/organize/raffle{path}", data={**data, "csrf_token": csrf(client)}, follow_redirects=False
    )


def _event(client: TestClient, session: Session) -> tuple[str, Event, list[Attendee]]:
    code, _ = create_event(client)
    event = session.exec(select(Event).where(Event.code == code)).one()
    people = [make_attendee(session, event, name=n) for n in ("Ana <b>Ruiz</b>", "", "Bo")]
    slot = events.list_slots(session, event)[0]
    for person in people[:2]:
        session.add(CheckIn(event_id=event.id, attendee_id=person.id, slot_id=slot.id))  # type: ignore[arg-type]
    session.commit()
    return code, event, people


def test_the_organizer_lists_prizes_commits_draws_and_reveals(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    code, event, people = _event(client, session)
    closing = client.get(f"/e/{code}/organize/closing")
    assert f'href="/e/{code}/organize/raffle"' in closing.text and 'id="closing-raffle"' in closing.text
    page = client.get(f"/e/{code}/organize/raffle")
    assert page.status_code == 200 and "No prizes yet" in page.text and "2 people may win now." in page.text

    refused = _post(client, code, "/commit")
    assert refused.status_code == 409 and "Prizes: add at least one prize" in refused.text
    blank = _post(client, code, "/prizes", name=" ", sponsor="Books & Co")
    assert blank.status_code == 422 and "give the prize a name" in blank.text and 'value="Books &amp; Co"' in blank.text
    added = _post(client, code, "/prizes", name="A <i>book</i> voucher", sponsor="Books & Co")
    assert added.status_code == 303 and "organize/raffle?done=" in added.headers["location"]
    _post(client, code, "/prizes", name="Mug", sponsor="")
    shown = client.get(added.headers["location"])
    assert "A &lt;i&gt;book&lt;/i&gt; voucher" in shown.text and "<i>book</i>" not in shown.text

    client.post(f"/e/{code}/organize/board-mode", data={"mode": "raffle", "csrf_token": csrf(client)})
    board = client.get(f"/e/{code}/board")
    assert 'class="board-raffle"' in board.text and "The draw starts soon" in board.text

    assert _post(client, code, "/draw").status_code == 409
    assert _post(client, code, "/commit").status_code == 303
    draw = raffle.raffle_view(session, event=event).draw
    assert draw is not None and draw.tickets == sorted(p.id for p in people[:2])  # type: ignore[misc]
    board = client.get(f"/e/{code}/board")
    assert draw.seed_hash in board.text and draw.seed not in board.text
    public = client.get(f"/e/{code}/raffle")
    assert (
        draw.seed_hash in public.text and draw.seed not in public.text and "Shown after the last prize." in public.text
    )

    assert _post(client, code, "/draw").status_code == 303
    first = raffle.raffle_view(session, event=event).latest
    assert first is not None
    absent = _post(client, code, "/absent", win_id=str(first.win_id))
    assert absent.status_code == 303
    assert "was drawn instead" in client.get(absent.headers["location"]).text
    assert _post(client, code, "/draw").status_code == 409  # two tickets, both drawn: the mug stays undrawn
    view = raffle.raffle_view(session, event=event)
    board = client.get(f"/e/{code}/board").text
    winner = view.latest
    assert winner is not None
    assert (winner.name and "Ana &lt;b&gt;Ruiz&lt;/b&gt;" in board) or f"Ticket {winner.ticket}" in board
    assert "Come to the front!" in board

    assert _post(client, code, "/reveal").status_code == 303
    board = client.get(f"/e/{code}/board").text
    assert draw.seed in board and f"/e/{code}/raffle" in board
    public = client.get(f"/e/{code}/raffle").text
    assert draw.seed in public and hashlib.sha256(draw.seed.encode()).hexdigest() == draw.seed_hash
    picks = re.findall(r"<tr(?: class=\"is-absent\")?><td>(\d+)</td><td>(\d+)</td>", public)
    assert [int(t) for _, t in picks] == raffle.recompute(draw.seed, draw.tickets, 2)
    assert "1 prize was not drawn." in public


def test_a_phone_sees_its_ticket_why_it_cannot_win_and_what_it_won(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    code, event, people = _event(client, session)
    _post(client, code, "/prizes", name="Robot kit", sponsor="Makers")
    outsider = client.get(f"/e/{code}/raffle", headers=_as(app, client, people[2]))
    assert f"Your ticket: {people[2].id}" in outsider.text and "You cannot win yet." in outsider.text
    assert "Check in to a session" in outsider.text
    _post(client, code, "/rule", needs_checkin="1", needs_survey="1")
    lacking = client.get(f"/e/{code}/raffle", headers=_as(app, client, people[0])).text
    assert "Finish the exit survey." in lacking and f'href="/e/{code}/feedback"' in lacking
    _post(client, code, "/rule", needs_checkin="1")
    _post(client, code, "/commit")
    _post(client, code, "/draw")
    view = raffle.raffle_view(session, event=event)
    winner = next(p for p in people if p.id == view.latest.ticket)  # type: ignore[union-attr]
    won = client.get(f"/e/{code}/raffle", headers=_as(app, client, winner)).text
    assert "You won Robot kit! Go to the front." in won
    late = client.get(f"/e/{code}/raffle", headers=_as(app, client, people[2])).text
    assert "Your ticket is not in this draw" in late
    assert client.get(f"/e/{code}/raffle").status_code == 200  # anyone may read it, with no ticket


def test_raffle_refusals_name_the_field_and_never_500(client: TestClient, session: Session) -> None:
    code, _event_row, _ = _event(client, session)
    assert _post(client, code, "/prizes/remove", prize_id="999").status_code == 404
    assert _post(client, code, "/prizes/move", prize_id="abc").status_code == 422
    _post(client, code, "/prizes", name="Only")
    prize_id = re.search(r'name="prize_id" value="(\d+)"', client.get(f"/e/{code}/organize/raffle").text).group(1)  # type: ignore[union-attr]
    edge = _post(client, code, "/prizes/move", prize_id=prize_id, direction="up")
    assert edge.status_code == 409 and "is already first" in edge.text
    assert _post(client, code, "/reveal").status_code == 409
    assert _post(client, code, "/absent", win_id="1").status_code == 409
    client.cookies.clear()
    assert client.get(f"/e/{code}/organize/raffle").status_code in (401, 403, 303)


def test_a_bilingual_board_says_its_raffle_words_in_both_languages(client: TestClient, session: Session) -> None:
    code, event, people = _event(client, session)
    event.bilingual, event.language, event.board_mode = True, "es", "raffle"
    session.add(event)
    session.commit()
    _post(client, code, "/prizes", name="Kit de robótica", sponsor="Makers")
    before = client.get(f"/e/{code}/board").text
    assert '<span lang="es">El sorteo empieza pronto' in before and '<span lang="en">The draw starts soon' in before
    _post(client, code, "/commit")
    _post(client, code, "/draw")
    board = client.get(f"/e/{code}/board").text
    assert '<span lang="es">¡Pasa al frente!</span>' in board and '<span lang="en">Come to the front!</span>' in board
    assert '<span lang="es">donado por</span>' in board and "</span></span> Makers" in board
    assert "Kit de robótica" in board
