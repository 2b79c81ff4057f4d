"""Check-in pages: the door's QR link, "I'm here" on a session's page, undo, and refusals as pages."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models.closing import CheckIn
from tests.closing.checkin_day import checkin_day
from tests.pages.test_pages import csrf


def test_a_new_phone_scans_the_door_joins_and_is_checked_in(client: TestClient, session: Session) -> None:
    day = checkin_day(session)
    here = f"/e/{day.code}/rooms/{day.rooms['Library'].id}/here"
    first = client.get(here)
    assert first.status_code == 200
    assert f'name="next" value="{here}"' in first.text and "Join first" in first.text
    joined = client.post(
        f"/e/{day.code}/join", data={"name": "Ana", "next": here, "csrf_token": csrf(client)}, follow_redirects=False
    )
    assert joined.status_code == 303 and joined.headers["location"] == here
    page = client.get(here)
    assert page.status_code == 200
    assert "You're checked in" in page.text and "Math talks" in page.text
    assert "in the Library, since " in page.text and "1 here · 30 seats" in page.text
    assert client.get(here).text.count("Undo / not here") == 1  # a re-scan: the same check-in
    assert len(session.exec(select(CheckIn)).all()) == 1


def test_join_does_not_follow_a_next_outside_the_event(client: TestClient, session: Session) -> None:
    day = checkin_day(session)
    for bad in ("https://evil.example/", "//evil.example/x", "/e/OTHER1/board", f"/e/{day.code}/\\\\evil"):
        client.cookies.clear()
        client.get(f"/e/{day.code}")
        joined = client.post(
            f"/e/{day.code}/join", data={"next": bad, "csrf_token": csrf(client)}, follow_redirects=False
        )
        assert joined.headers["location"].endswith(f"/e/{day.code}"), bad


def test_i_am_here_moves_me_and_undo_puts_me_back(client: TestClient, session: Session) -> None:
    day = checkin_day(session)
    client.get(f"/e/{day.code}")
    client.post(f"/e/{day.code}/join", data={"csrf_token": csrf(client)})
    client.get(f"/e/{day.code}/rooms/{day.rooms['Library'].id}/here")
    robotics = f"/e/{day.code}/sessions/{day.topics['Robotics'].id}"
    before = client.get(robotics)
    assert ">I'm here</button>" in before.text and "You're checked in here" not in before.text
    tapped = client.post(f"{robotics}/here", data={"csrf_token": csrf(client)}, follow_redirects=False)
    assert tapped.status_code == 303 and tapped.headers["location"].endswith(f"{robotics}#check-in")
    after = client.get(robotics)
    assert "You're checked in here" in after.text and ">I'm here</button>" not in after.text
    rows = session.exec(select(CheckIn).order_by(CheckIn.id)).all()
    assert [(r.topic_id, r.left_at is None, r.source) for r in rows] == [
        (day.topics["Math talks"].id, False, "door"),
        (day.topics["Robotics"].id, True, "tap"),
    ]
    undone = client.post(f"/e/{day.code}/here/undo", data={"csrf_token": csrf(client)})
    assert "Check-in undone." in undone.text and "Math talks" in undone.text
    later = client.get(f"/e/{day.code}/sessions/{day.topics['Reading'].id}")
    assert ">I'm here</button>" not in later.text  # Reading ran at 9


def test_the_facilitator_sees_the_headcount_on_the_session_page(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    from tests.pages.test_live_fragments import _as

    day = checkin_day(session)
    client.get(f"/e/{day.code}")
    client.post(f"/e/{day.code}/join", data={"csrf_token": csrf(client)})
    client.get(f"/e/{day.code}/rooms/{day.rooms['Library'].id}/here")
    lead = _as(app, client, day.lead)
    page = client.get(f"/e/{day.code}/sessions/{day.topics['Math talks'].id}", headers=lead)
    assert "1 here · 30 seats" in page.text


def test_nothing_to_check_into_is_a_page_that_says_what_comes_next(client: TestClient, session: Session) -> None:
    day = checkin_day(session)
    client.get(f"/e/{day.code}")
    client.post(f"/e/{day.code}/join", data={"csrf_token": csrf(client)})
    hall = client.get(f"/e/{day.code}/rooms/{day.rooms['Hall'].id}/here")
    assert hall.status_code == 200
    assert "Nothing to check into here right now." in hall.text
    assert "Closing smackdown" in hall.text and "Check-in opens at 13:50" in hall.text
    unknown = client.get(f"/e/{day.code}/rooms/999999/here")
    assert unknown.status_code == 404 and "Traceback" not in unknown.text
    assert session.exec(select(CheckIn)).all() == []


def test_the_organizer_checks_in_by_hand_types_a_paper_count_and_removes_a_mistake(
    client: TestClient, session: Session
) -> None:
    day = checkin_day(session)
    client.get(f"/e/{day.code}/organize?key={day.created.secret}")
    page = client.get(f"/e/{day.code}/organize/attendance")
    assert page.status_code == 200 and "0 people have checked in today." in page.text
    assert '<option value="Ms. Rivera (#' in page.text
    token = csrf(client)
    math = f"{day.slots[1].id}:{day.topics['Math talks'].id}"
    hand = client.post(
        f"/e/{day.code}/organize/attendance/checkins",
        data={"attendee": "ms. rivera", "session": math, "csrf_token": token},
        follow_redirects=False,
    )
    assert hand.status_code == 303, hand.text
    after = client.get(hand.headers["location"])
    assert "Ms. Rivera is checked in." in after.text and "1 person has checked in today." in after.text
    nobody = client.post(
        f"/e/{day.code}/organize/attendance/checkins",
        data={"attendee": "Nobody <b>", "session": math, "csrf_token": token},
    )
    assert nobody.status_code == 422 and "nobody called Nobody &lt;b&gt; has joined." in nobody.text
    assert 'value="Nobody &lt;b&gt;"' in nobody.text  # what was typed stays
    bad_session = client.post(
        f"/e/{day.code}/organize/attendance/checkins",
        data={"attendee": "Ms. Rivera", "session": "x", "csrf_token": token},
    )
    assert bad_session.status_code == 422 and 'id="session-error"' in bad_session.text
    paper = client.post(
        f"/e/{day.code}/organize/attendance/paper",
        data={"slot_id": str(day.slots[2].id), "topic_id": "", "count": "150", "csrf_token": token},
        follow_redirects=False,
    )
    assert paper.status_code == 303
    assert 'value="150"' in client.get(paper.headers["location"]).text
    too_many = client.post(
        f"/e/{day.code}/organize/attendance/paper",
        data={"slot_id": str(day.slots[2].id), "topic_id": "", "count": "20000", "csrf_token": token},
    )
    assert too_many.status_code == 422 and "Count: a head count from 0 to 10000" in too_many.text
    row = session.exec(select(CheckIn)).one()
    removed = client.post(f"/e/{day.code}/organize/attendance/checkins/{row.id}/remove", data={"csrf_token": token})
    assert "Check-in removed." in removed.text and session.exec(select(CheckIn)).all() == []
    closing = client.get(f"/e/{day.code}/organize/closing")
    assert 'id="closing-attendance"' in closing.text and f"/e/{day.code}/organize/attendance" in closing.text


def test_attendance_pages_are_for_organizers(client: TestClient, session: Session) -> None:
    day = checkin_day(session)
    page = client.get(f"/e/{day.code}/organize/attendance", follow_redirects=False)
    assert page.status_code in (303, 401, 403)


def test_the_door_view_and_door_sign_carry_the_check_in_code(client: TestClient, session: Session) -> None:
    day = checkin_day(session)
    client.get(f"/e/{day.code}")
    client.post(f"/e/{day.code}/join", data={"csrf_token": csrf(client)})
    client.get(f"/e/{day.code}/rooms/{day.rooms['Library'].id}/here")
    door = client.get(f"/e/{day.code}/rooms/{day.rooms['Library'].id}")
    assert "Scan to check in" in door.text and "<svg" in door.text
    assert "1 here · 30 seats" in door.text
    client.get(f"/e/{day.code}/organize?key={day.created.secret}")
    signs = client.get(f"/e/{day.code}/print/doors")
    assert signs.text.count("Scan to check in") == 3


def test_i_am_here_for_a_session_not_running_says_so_in_words(client: TestClient, session: Session) -> None:
    day = checkin_day(session)
    client.get(f"/e/{day.code}")
    client.post(f"/e/{day.code}/join", data={"csrf_token": csrf(client)})
    refused = client.post(f"/e/{day.code}/sessions/{day.topics['Reading'].id}/here", data={"csrf_token": csrf(client)})
    assert refused.status_code == 200
    assert (
        '<p class="error-message" role="alert">Reading is not running now; check in when it starts.</p>' in refused.text
    )


def test_my_day_says_where_the_phone_is_checked_in_now(client: TestClient, session: Session) -> None:
    day = checkin_day(session)
    client.get(f"/e/{day.code}")
    client.post(f"/e/{day.code}/join", data={"csrf_token": csrf(client)})
    before = client.get(f"/e/{day.code}/my")
    assert 'id="my-checked-in"' not in before.text and "Nothing marked:" in before.text
    client.get(f"/e/{day.code}/rooms/{day.rooms['Library'].id}/here")
    after = client.get(f"/e/{day.code}/my")
    line = after.text.split('id="my-checked-in"', 1)[1].split("</p>", 1)[0]
    assert "Checked in:" in line and "Math talks" in line and "Library" in line
    assert f'href="/e/{day.code}/sessions/{day.topics["Math talks"].id}"' in line
    assert "Nothing marked:" not in after.text.split('id="my-checked-in"', 1)[1].split("</li>", 1)[0]
    spanish = client.get(f"/e/{day.code}/my", headers={"Accept-Language": "es"})
    assert "Asistencia registrada:" in spanish.text
