"""The HTML pages through httpx: forms, cookies, CSRF, escaping and friendly errors."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from app.security import CSRF_COOKIE


def csrf(client: TestClient) -> str:
    """Load the home page once so the browser holds a CSRF cookie, and return its value."""
    client.get("/")
    token = client.cookies.get(CSRF_COOKIE)
    assert token
    return token


EVENT_FORM = {
    "name": "Edcamp Pages",
    "date": "2027-03-13",
    "timezone": "America/Chicago",
    "room_name": ["Library", "Room 12"],
    "room_capacity": ["60", "25"],
    "room_features": ["projector, accessible", ""],
    "slot_start": ["09:30", "10:30"],
    "slot_end": ["10:20", "11:20"],
}


def create_event(client: TestClient, **overrides: object) -> tuple[str, str]:
    """Create an event through the home page form; returns (code, organizer link)."""
    form = {**EVENT_FORM, **overrides, "csrf_token": csrf(client)}
    response = client.post("/events", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    console = client.get(response.headers["location"])
    assert console.status_code == 200
    code = re.search(r"/e/([A-Z2-9]{6})/organize", response.headers["location"]).group(1)  # type: ignore[union-attr]
    link = re.search(r"(https?://[^\s\"<]+/e/" + code + r"/organize\?key=[\w-]+)", console.text)
    assert link, "the console shows the organizer's private link once"
    return code, link.group(1)


def set_phase(client: TestClient, code: str, phase: str) -> None:
    response = client.post(
        f"/e/{code}/organize/phase", data={"phase": phase, "csrf_token": csrf(client)}, follow_redirects=False
    )
    assert response.status_code in (200, 303), response.text


def join(client: TestClient, code: str, name: str = "") -> None:
    response = client.post(f"/e/{code}/join", data={"name": name, "csrf_token": csrf(client)}, follow_redirects=False)
    assert response.status_code == 303, response.text


def test_home_page_explains_and_offers_both_doors(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert 'name="code"' in page.text and '/events"' in page.text
    assert '<html lang="en"' in page.text and 'name="viewport"' in page.text


def test_organizer_creates_an_event_and_gets_links_code_and_qr(client: TestClient) -> None:
    code, link = create_event(client)
    console = client.get(f"/e/{code}/organize").text
    assert code in console and f"/e/{code}" in console
    qr = client.get(f"/e/{code}/qr.svg")
    assert qr.status_code == 200 and qr.headers["content-type"].startswith("image/svg+xml")
    assert qr.text.startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in qr.text, (
        "a standalone image needs its namespace"
    )
    assert "Library" in console


def test_organizer_link_signs_in_on_a_new_device_and_a_wrong_key_is_refused(client: TestClient) -> None:
    code, link = create_event(client)
    path = link.split("testserver", 1)[1]
    client.cookies.clear()
    wrong = client.get(path[:-2] + "zz")
    assert wrong.status_code == 403 and "organizer" in wrong.text.lower()
    assert "Traceback" not in wrong.text
    client.cookies.clear()
    right = client.get(path)
    assert right.status_code == 200 and "phase" in right.text.lower()
    assert client.get(f"/e/{code}/organize").status_code == 200


def test_event_form_errors_name_the_field_and_keep_what_was_typed(client: TestClient) -> None:
    page = client.post("/events", data={**EVENT_FORM, "room_capacity": ["60", "lots"], "csrf_token": csrf(client)})
    assert page.status_code == 422
    assert "rooms[1].capacity" in page.text or "Room 12" in page.text
    assert 'value="Edcamp Pages"' in page.text, "what was typed stays in the form"
    zone = client.post("/events", data={**EVENT_FORM, "timezone": "Nowhere/Land", "csrf_token": csrf(client)})
    assert zone.status_code == 422 and "timezone" in zone.text.lower()


def test_forms_without_the_csrf_token_are_refused(client: TestClient) -> None:
    csrf(client)
    refused = client.post("/events", data=EVENT_FORM)
    assert refused.status_code == 403
    assert "expired" in refused.text and "Traceback" not in refused.text
    forged = client.post("/events", data={**EVENT_FORM, "csrf_token": "not-the-cookie"})
    assert forged.status_code == 403


def test_joining_sets_a_cookie_and_the_same_phone_stays_the_same_attendee(client: TestClient) -> None:
    code, _ = create_event(client)
    set_phase(client, code, "proposing")
    client.cookies.clear()
    join_page = client.get(f"/e/{code}")
    assert join_page.status_code == 200 and f'/e/{code}/join"' in join_page.text
    join(client, code, "Dana")
    cookie = client.cookies.get(f"tf_a_{code}")
    assert cookie
    join(client, code, "")  # the same phone taps join again
    assert client.cookies.get(f"tf_a_{code}") == cookie
    wall = client.get(f"/e/{code}")
    assert "Dana" in wall.text
    assert 'name="title"' in wall.text


def test_typing_the_code_on_the_home_page_finds_the_event(client: TestClient) -> None:
    code, _ = create_event(client)
    found = client.post("/join", data={"code": f" {code.lower()} ", "csrf_token": csrf(client)}, follow_redirects=False)
    assert found.status_code == 303 and found.headers["location"].endswith(f"/e/{code}")
    missing = client.post("/join", data={"code": "QQQQQQ", "csrf_token": csrf(client)})
    assert missing.status_code == 404 and "QQQQQQ" in missing.text


def test_user_text_is_escaped_everywhere(client: TestClient) -> None:
    code, _ = create_event(client)
    set_phase(client, code, "proposing")
    join(client, code, "<b>Bold</b>")
    nasty = '<script>alert("x")</script>'
    response = client.post(
        f"/e/{code}/topics",
        data={
            "title": nasty,
            "description": "<img src=x onerror=alert(1)>",
            "tags": "<i>math</i>",
            "csrf_token": csrf(client),
        },
    )
    assert response.status_code in (200, 303)
    for path in (f"/e/{code}", f"/e/{code}/board", f"/e/{code}/organize"):
        page = client.get(path).text
        assert nasty not in page and "<img src=x" not in page and "<b>Bold</b>" not in page, path
    wall = client.get(f"/e/{code}").text
    assert "&lt;script&gt;" in wall


def test_proposal_errors_show_on_the_form(client: TestClient) -> None:
    code, _ = create_event(client)
    set_phase(client, code, "proposing")
    join(client, code)
    blank = client.post(
        f"/e/{code}/topics",
        data={"title": "   ", "description": "x", "csrf_token": csrf(client)},
        headers={"HX-Request": "true"},
    )
    assert blank.status_code == 422
    assert blank.headers["HX-Retarget"] == "#propose"
    assert 'aria-invalid="true"' in blank.text and "title-error" in blank.text
    assert ">x</textarea>" in blank.text, "the description typed so far is kept"


def test_marking_from_the_phone_page_with_htmx_returns_the_card(client: TestClient) -> None:
    code, _ = create_event(client)
    set_phase(client, code, "proposing")
    join(client, code)
    client.post(f"/e/{code}/topics", data={"title": "Math talks", "csrf_token": csrf(client)})
    topic_id = re.search(r"/topics/(\d+)/mark", client.get(f"/e/{code}").text).group(1)  # type: ignore[union-attr]
    token = csrf(client)
    card = client.post(
        f"/e/{code}/topics/{topic_id}/mark",
        data={"action": "mark"},
        headers={"HX-Request": "true", "X-CSRF-Token": token},
    )
    assert card.status_code == 200
    assert "<html" not in card.text, "htmx gets a fragment, not a page"
    assert 'aria-pressed="true"' in card.text
    again = client.post(
        f"/e/{code}/topics/{topic_id}/mark",
        data={"action": "mark"},
        headers={"HX-Request": "true", "X-CSRF-Token": token},
    )
    assert again.status_code == 200 and 'aria-pressed="true"' in again.text, "a retried tap never flips it back"
    unmarked = client.post(
        f"/e/{code}/topics/{topic_id}/mark",
        data={"action": "unmark"},
        headers={"HX-Request": "true", "X-CSRF-Token": token},
    )
    assert 'aria-pressed="false"' in unmarked.text


def test_a_tap_updates_the_marks_left_line_on_the_wall(client: TestClient) -> None:
    code, _ = create_event(client)  # this browser is the organizer, and joins as an attendee too
    set_phase(client, code, "proposing")
    join(client, code)
    for title in ("Math talks", "Recess"):
        client.post(f"/e/{code}/topics", data={"title": title, "csrf_token": csrf(client)})
    ids = list(dict.fromkeys(re.findall(r"/topics/(\d+)/mark", client.get(f"/e/{code}").text)))
    assert len(ids) == 2
    token = csrf(client)

    def tap(topic_id: str, action: str) -> str:
        card = client.post(
            f"/e/{code}/topics/{topic_id}/mark",
            data={"action": action},
            headers={"HX-Request": "true", "X-CSRF-Token": token},
        )
        assert card.status_code == 200, card.text
        line = re.search(r'<p id="marks-left"[^>]*hx-swap-oob="true">([^<]*)</p>', card.text)
        assert line, "the card carries the marks-left line out of band"
        return line.group(1)

    assert tap(ids[0], "mark") == "Mark as many as you like"  # no budget set
    client.post(f"/e/{code}/organize/settings", data={"vote_budget": "3", "csrf_token": token})
    assert tap(ids[1], "mark") == "1 of 3 marks left"
    assert tap(ids[0], "unmark") == "2 of 3 marks left"


def test_someone_else_cannot_edit_or_withdraw_my_topic(client: TestClient) -> None:
    code, _ = create_event(client)
    set_phase(client, code, "proposing")
    join(client, code)
    client.post(f"/e/{code}/topics", data={"title": "Mine", "csrf_token": csrf(client)})
    topic_id = re.search(r"/topics/(\d+)/mark", client.get(f"/e/{code}").text).group(1)  # type: ignore[union-attr]
    client.cookies.delete(f"tf_a_{code}")
    client.cookies.delete(f"tf_o_{code}")
    join(client, code, "Other")
    edit = client.post(f"/e/{code}/topics/{topic_id}/edit", data={"title": "Hijacked", "csrf_token": csrf(client)})
    assert edit.status_code == 403
    withdraw = client.post(f"/e/{code}/topics/{topic_id}/withdraw", data={"csrf_token": csrf(client)})
    assert withdraw.status_code == 403
    assert "Mine" in client.get(f"/e/{code}").text


def test_unknown_pages_are_friendly_404s(client: TestClient) -> None:
    page = client.get("/e/QQQQQQ")
    assert page.status_code == 404 and "<html" in page.text and "Traceback" not in page.text
    api = client.get("/api/v1/nothing-here")
    assert api.status_code == 404


def test_healthz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
