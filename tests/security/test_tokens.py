"""Item 2: a leaked organizer link can be cut off. Rotating the link, removing an organizer (the
first one too) and signing out revoke every browser session and API token made from it; tokens
expire."""

from __future__ import annotations

import re
import time

import httpx

from tests.realtime.live import Server
from tests.security.conftest import StartServer
from tests.security.helpers import ApiEvent, create_event, csrf_from, organizer_browser

LINK = re.compile(r"/organize\?key=([\w-]+)")


def _export(http: httpx.Client, code: str, token: str | None = None) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return http.get(f"/api/v1/events/{code}/export", headers=headers).status_code


def _in_console(browser: httpx.Client, code: str) -> bool:
    page = browser.get(f"/e/{code}/organize")
    assert page.status_code == 200
    return 'id="organizers"' in page.text


def _post(browser: httpx.Client, event: ApiEvent, path: str, **data: str) -> httpx.Response:
    token = csrf_from(browser, f"/e/{event.code}/organize")
    return browser.post(f"/e/{event.code}/organize{path}", data={**data, "csrf_token": token})


def _token_by_key(http: httpx.Client, code: str, key: str) -> str:
    answer = http.post(f"/api/v1/events/{code}/login", json={"key": key})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["organizer_token"])


def _invite(owner: httpx.Client, event: ApiEvent, name: str) -> tuple[int, str]:
    answer = _post(owner, event, "/organizers", name=name)
    assert answer.status_code == 200, answer.text[:300]
    key = LINK.findall(answer.text)[-1]
    ids = re.findall(r'name="organizer_id" value="(\d+)"', answer.text)
    return int(ids[-1]), key


def test_a_new_link_revokes_every_session_and_token_made_from_the_old_one(live: Server, http: httpx.Client) -> None:
    event = create_event(http)
    old_key = event.organize_link.split("key=", 1)[1]
    leaked_token = _token_by_key(http, event.code, old_key)
    leaked_browser = organizer_browser(live.url, event)
    owner = organizer_browser(live.url, event)
    with leaked_browser, owner:
        assert _export(http, event.code, leaked_token) == 200 and _in_console(leaked_browser, event.code)
        assert _post(owner, event, "/link").status_code == 303
        assert _export(http, event.code, leaked_token) == 401
        assert _export(http, event.code, event.organizer_token) == 401
        assert not _in_console(leaked_browser, event.code)
        assert http.post(f"/api/v1/events/{event.code}/login", json={"key": old_key}).status_code == 403
        assert _in_console(owner, event.code)  # the one who made the new link stays signed in


def test_removing_a_co_organizer_revokes_their_sessions_and_tokens(live: Server, http: httpx.Client) -> None:
    event = create_event(http)
    with organizer_browser(live.url, event) as owner:
        helper_id, key = _invite(owner, event, "Sam")
        token = _token_by_key(http, event.code, key)
        with httpx.Client(base_url=live.url, timeout=30) as helper:
            assert helper.get(f"/e/{event.code}/organize", params={"key": key}).status_code == 303
            assert _in_console(helper, event.code) and _export(http, event.code, token) == 200
            assert _post(owner, event, "/organizers/remove", organizer_id=str(helper_id)).status_code == 303
            assert not _in_console(helper, event.code)
            assert _export(http, event.code, token) == 401


def test_signing_out_revokes_every_sign_in_of_that_organizer(live: Server, http: httpx.Client) -> None:
    event = create_event(http)
    key = event.organize_link.split("key=", 1)[1]
    token = _token_by_key(http, event.code, key)
    laptop, phone = organizer_browser(live.url, event), organizer_browser(live.url, event)
    with laptop, phone:
        assert _in_console(phone, event.code)
        assert _post(laptop, event, "/logout").status_code == 303
        assert not _in_console(laptop, event.code) and not _in_console(phone, event.code)
        assert _export(http, event.code, token) == 401
        assert _export(http, event.code, _token_by_key(http, event.code, key)) == 200  # signing in again works


def test_the_first_organizer_can_hand_over_and_be_removed(live: Server, http: httpx.Client) -> None:
    event = create_event(http)
    first_key = event.organize_link.split("key=", 1)[1]
    with organizer_browser(live.url, event) as owner:
        _helper_id, key = _invite(owner, event, "Sam")
    with httpx.Client(base_url=live.url, timeout=30) as helper:
        assert helper.get(f"/e/{event.code}/organize", params={"key": key}).status_code == 303
        page = helper.get(f"/e/{event.code}/organize").text
        ids = re.findall(r'name="organizer_id" value="(\d+)"', page)
        assert ids, "the first organizer has a 'Remove access' button for the others"
        first_id = min(int(i) for i in ids)
        assert _post(helper, event, "/organizers/remove", organizer_id=str(first_id)).status_code == 303
        assert _export(http, event.code, event.organizer_token) == 401
        assert http.post(f"/api/v1/events/{event.code}/login", json={"key": first_key}).status_code == 403
        assert _in_console(helper, event.code)
        # The next organizer now holds the event's link: a new one signs in as them.
        assert _post(helper, event, "/link").status_code == 303
        console = helper.get(f"/e/{event.code}/organize").text
        new_key = LINK.findall(console)[0]
        assert new_key not in (first_key, key)
        assert _export(http, event.code, _token_by_key(http, event.code, new_key)) == 200


def test_organizer_tokens_expire(start_server: StartServer) -> None:
    server = start_server(TWOFEET_ORGANIZER_SESSION_DAYS=str(2 / 86400))  # two seconds
    with httpx.Client(base_url=server.url, timeout=30) as http:
        event = create_event(http)
        assert _export(http, event.code, event.organizer_token) == 200
        time.sleep(3.5)  # the expiry itself is what is tested
        assert _export(http, event.code, event.organizer_token) == 401
