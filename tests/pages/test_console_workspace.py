"""The console as a workspace: the saved-link step, the phase stepper and its next action, the
confirmation and undo of closing, and refusals in plain words beside their fields."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.pages.test_pages import EVENT_FORM, create_event, csrf, set_phase


def _phase(client: TestClient, code: str) -> str:
    return client.get(f"/api/v1/events/{code}").json()["phase"]


def test_a_new_event_shows_its_organizer_link_once_then_the_console(client: TestClient) -> None:
    made = client.post("/events", data={**EVENT_FORM, "csrf_token": csrf(client)}, follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"].endswith("/organize/start")
    step = client.get(made.headers["location"])
    code = re.search(r"/e/(\w+)/organize", made.headers["location"]).group(1)  # type: ignore[union-attr]
    link = re.search(r'id="organizer-link" readonly value="([^"]+)"', step.text)
    assert link and f"/e/{code}/organize?key=" in link.group(1)
    assert 'data-copy="organizer-link"' in step.text and "I've saved it" in step.text.replace("&#39;", "'")
    assert "You did not set a password" in step.text
    saved = client.post(f"/e/{code}/organize/start", data={"csrf_token": csrf(client)}, follow_redirects=False)
    assert saved.status_code == 303 and "/organize?done=" in saved.headers["location"]
    console = client.get(saved.headers["location"])
    assert link.group(1) not in console.text, "the link is not shown again"
    assert "Show the private organizer link" not in console.text
    assert re.search(r'class="task is-done" data-task="link"', console.text), "the checklist ticks it off"
    again = client.get(f"/e/{code}/organize/start", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"].endswith(f"/e/{code}/organize")


def test_before_it_is_saved_the_console_keeps_the_link_behind_a_show_button(client: TestClient) -> None:
    code, link = create_event(client)
    console = client.get(f"/e/{code}/organize").text
    shown = re.search(
        r'<details class="secret">\s*<summary>Show the private organizer link</summary>(.*?)</details>', console, re.S
    )
    assert shown and link in shown.group(1), "only inside the closed disclosure"
    assert console.count(link) == 1
    assert 'data-task="link"' in console and "Show it" in console


def test_the_stepper_marks_the_phase_and_offers_the_one_next_action(client: TestClient) -> None:
    code, _ = create_event(client)
    page = client.get(f"/e/{code}/organize").text
    steps = re.findall(r'<li class="step is-(\w+)"( aria-current="step")?>', page)
    assert [s[0] for s in steps] == ["current", "todo", "todo", "todo", "todo", "todo"]
    assert [bool(s[1]) for s in steps] == [True, False, False, False, False, False]
    assert re.search(
        r'name="phase" value="proposing">\s*<button type="submit" class="primary" id="next-action">'
        r"Open proposing</button>",
        page,
    )
    header = page[page.index('<header class="console-header">') : page.index("</header>")]
    assert header.count("primary") == 1, "one next action; the other phases are secondary, Close is danger"
    assert re.search(r'value="closed"><button type="submit" class="danger">Close the event…</button>', header)
    set_phase(client, code, "scheduled")
    page = client.get(f"/e/{code}/organize").text
    assert re.findall(r'<li class="step is-(\w+)"', page) == ["done"] * 3 + ["current"] + ["todo"] * 2
    assert re.search(
        rf'<a class="button primary" id="next-action" href="[^"]*/e/{code}/organize/schedule">'
        r"Build and publish the schedule</a>",
        page,
    )


def test_schedule_published_without_a_schedule_is_refused_in_plain_words(client: TestClient) -> None:
    code, _ = create_event(client)
    set_phase(client, code, "scheduled")
    refused = client.post(f"/e/{code}/organize/phase", data={"phase": "live", "csrf_token": csrf(client)})
    assert refused.status_code == 409
    assert "Nothing has been published yet" in refused.text and 'role="alert"' in refused.text
    assert _phase(client, code) == "scheduled"


def test_closing_asks_first_and_can_be_undone(client: TestClient) -> None:
    code, _ = create_event(client)
    set_phase(client, code, "voting")
    asked = client.post(f"/e/{code}/organize/phase", data={"phase": "closed", "csrf_token": csrf(client)})
    assert asked.status_code == 200 and "Close the event?" in asked.text
    assert re.search(r'name="confirm" value="yes">\s*<button type="submit" class="danger solid"', asked.text)
    assert _phase(client, code) == "voting", "one click closes nothing"
    closed = client.post(
        f"/e/{code}/organize/phase", data={"phase": "closed", "confirm": "yes", "csrf_token": csrf(client)}
    )
    assert closed.status_code == 200 and _phase(client, code) == "closed"
    assert "The event is closed" in closed.text and "Undo: reopen (back to “Marking only”)" in closed.text
    assert re.search(r'id="next-action">Reopen the event</button>', closed.text)
    reopened = client.post(f"/e/{code}/organize/reopen", data={"csrf_token": csrf(client)})
    assert reopened.status_code == 200 and _phase(client, code) == "voting"
    assert "Reopened: the event is in “Marking only” again." in reopened.text
    assert "Closed → Marking only (reopened)" in reopened.text, "the audit log says so"


def test_the_create_form_lists_every_problem_in_plain_words_beside_its_field(client: TestClient) -> None:
    form = {
        **EVENT_FORM,
        "name": "Edcamp Errors",
        "room_name": ["Library", "", "Gym"],
        "room_capacity": ["thirty", "", "25"],
        "room_features": ["projector", "", ""],
        "slot_start": ["09:30", "10:00"],
        "slot_end": ["09:00", "11:00"],
        "csrf_token": csrf(client),
    }
    page = client.post("/events", data=form)
    assert page.status_code == 422
    text = page.text
    assert "rooms[0]" not in text and "is not a whole number" not in text
    summary = re.search(r'<div class="error-summary" role="alert"[^>]*>(.*?)</div>', text, re.S)
    assert summary and "2 things to fix" in summary.group(1)
    assert re.findall(r'<li><a href="#([\w-]+)">', summary.group(1)) == ["room0-capacity", "slot0-end"]
    assert re.search(
        r'id="room0-capacity"[^>]*value="thirty"[^>]*aria-invalid="true" aria-describedby="room0-capacity-error"', text
    ), "the field keeps what was typed and points at its message"
    assert (
        '<small id="room0-capacity-error" class="field-error">Room 1: seats must be a whole number from 1 to 10000</small>'
        in text
    )
    assert (
        '<small id="slot0-end-error" class="field-error">Slot 1: the slot must end after it starts (9:30 AM)</small>'
        in text
    )
    assert 'value="Edcamp Errors"' in text and 'value="Gym"' in text and 'value="10:00"' in text
    assert "24-hour" not in text and "e.g. 9:30 AM to 10:20 AM" in text, "the hint reads like the time input"


def test_console_forms_refuse_every_field_at_once_and_keep_the_input(client: TestClient) -> None:
    code, _ = create_event(client)
    refused = client.post(
        f"/e/{code}/organize/settings",
        data={"vote_budget": "lots", "facilitator_limit": "0", "csrf_token": csrf(client)},
    )
    assert refused.status_code == 422
    assert (
        '<small id="vote-budget-error" class="field-error">Marks per attendee: &#39;lots&#39; is not a whole number</small>'
        in refused.text
    )
    assert re.search(r'id="vote-budget" name="vote_budget" inputmode="numeric" value="lots"', refused.text)
    assert 'class="console-section is-current" aria-labelledby="settings-heading"' in refused.text.replace(
        'id="settings" ', ""
    ), "the refusal opens on the form it refuses"
    limit = client.post(
        f"/e/{code}/organize/settings", data={"vote_budget": "0", "facilitator_limit": "99", "csrf_token": csrf(client)}
    )
    assert "Marks per attendee: give a number from 1 to 1000" in limit.text
    assert "Facilitators per topic: give a number from 1 to 20" in limit.text
