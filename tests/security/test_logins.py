"""Item 1: password guessing cannot exhaust the server. Attempts are limited per client address and
per event (429 with Retry-After); at most N argon2 checks run at once; a sign-in checks about one
hash however many organizers hold passwords; failures are audited; the owner still gets in (by the
link at once, by the password after the window). The flood itself is measured by
bench/login_flood.py (BENCHMARKS.md)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.security.conftest import StartServer
from tests.security.helpers import count_rows, create_event, csrf_from, organizer_browser

PASSWORD = "correct horse battery"


def _login(http: httpx.Client, code: str, password: str, address: str | None = None) -> httpx.Response:
    headers = {"X-Forwarded-For": address} if address else {}
    return http.post(f"/api/v1/events/{code}/login", json={"password": password}, headers=headers)


def test_guesses_get_429_per_address_and_per_event_and_the_link_still_works(
    start_server: StartServer, database: str
) -> None:
    server = start_server(TWOFEET_LOGIN_RATE_PER_CLIENT="4/minute", TWOFEET_LOGIN_RATE_PER_EVENT="7/minute")
    with httpx.Client(base_url=server.url, timeout=30) as http:
        event = create_event(http, password=PASSWORD)
        audited = count_rows(database, "audit_entry")
        answers = [_login(http, event.code, f"guess number {i}", "10.0.0.1").status_code for i in range(6)]
        assert answers == [403, 403, 403, 403, 429, 429]
        refused = _login(http, event.code, "guess number 7", "10.0.0.1")
        assert 0 < int(refused.headers["retry-after"]) <= 60
        assert refused.headers["content-type"] == "application/problem+json"
        assert "organizer link" in refused.json()["detail"]
        # Another address has its own allowance, until the event's runs out for everyone.
        answers = [_login(http, event.code, f"other guess {i}", "10.0.0.2").status_code for i in range(4)]
        assert answers == [403, 403, 403, 429]
        assert _login(http, event.code, PASSWORD, "10.0.0.3").status_code == 429
        # Each wrong password that was checked left an audit line; the refused ones cost nothing.
        assert count_rows(database, "audit_entry") - audited == 7
        key = event.organize_link.split("key=", 1)[1]
        by_link = http.post(
            f"/api/v1/events/{event.code}/login", json={"key": key}, headers={"X-Forwarded-For": "10.0.0.3"}
        )
        assert by_link.status_code == 200, by_link.text


def test_the_right_password_works_again_after_the_lockout_window(start_server: StartServer) -> None:
    server = start_server(
        TWOFEET_LOGIN_RATE_PER_CLIENT="3 per 3 seconds", TWOFEET_LOGIN_RATE_PER_EVENT="3 per 3 seconds"
    )
    with httpx.Client(base_url=server.url, timeout=30) as http:
        event = create_event(http, password=PASSWORD)
        for i in range(3):
            assert _login(http, event.code, f"wrong {i}").status_code == 403
        locked = _login(http, event.code, PASSWORD)
        assert locked.status_code == 429
        time.sleep(int(locked.headers["retry-after"]) + 0.5)  # the window itself is what is tested
        assert _login(http, event.code, PASSWORD).status_code == 200


def test_at_most_n_password_checks_run_at_once(start_server: StartServer) -> None:
    server = start_server(TWOFEET_PASSWORD_CHECKS_AT_ONCE="2")
    with httpx.Client(base_url=server.url, timeout=60) as http:
        event = create_event(http, password=PASSWORD)
        before = http.get("/healthz/logins").json()
        with ThreadPoolExecutor(16) as pool:
            statuses = list(pool.map(lambda _i: _login(http, event.code, PASSWORD).status_code, range(16)))
        stats = http.get("/healthz/logins").json()
    assert set(statuses) <= {200, 429} and 200 in statuses, statuses
    assert stats["peak"] <= 2, stats
    assert stats["checks"] - before["checks"] == statuses.count(200), (stats, statuses)
    assert stats["refused"] - before["refused"] == statuses.count(429), (stats, statuses)


def _checks(http: httpx.Client) -> int:
    return int(http.get("/healthz/logins").json()["checks"])


def test_a_sign_in_checks_one_hash_with_twenty_organizers(start_server: StartServer, database: str) -> None:
    import sqlalchemy as sa  # inline: only this test reaches into the rows

    server = start_server()
    with httpx.Client(base_url=server.url, timeout=60) as http:
        event = create_event(http, password=PASSWORD)
        owner = organizer_browser(server.url, event)
        with owner:
            console = f"/e/{event.code}/organize"
            links = []
            for i in range(19):
                token = csrf_from(owner, console)
                invited = owner.post(f"{console}/organizers", data={"name": f"Helper {i}", "csrf_token": token})
                assert invited.status_code == 200, invited.text[:300]
                links.append(invited.text.split("organize?key=", 1)[1].split('"', 1)[0].split("<", 1)[0])
        for i, key in enumerate(links):
            with httpx.Client(base_url=server.url, timeout=30) as helper:
                assert helper.get(f"/e/{event.code}/organize", params={"key": key}).status_code == 303
                token = csrf_from(helper, f"/e/{event.code}/organize")
                saved = helper.post(
                    f"/e/{event.code}/organize/password", data={"password": f"helper password {i}", "csrf_token": token}
                )
                assert saved.status_code == 200 and "Password saved" in saved.text, saved.text[:300]
        assert count_rows(database, "organizer") >= 20
        before = _checks(http)
        for i in range(5):
            assert _login(http, event.code, f"a wrong guess {i}").status_code == 403
        assert _checks(http) - before <= 2  # was 20 a guess: every organizer's hash
        before = _checks(http)
        assert _login(http, event.code, "helper password 7").status_code == 200
        assert _checks(http) - before <= 2
        # An organizer whose password was set before the tag existed still signs in, and gets a tag.
        engine = sa.create_engine(database)
        with engine.begin() as connection:
            connection.execute(sa.text("update organizer set password_tag = null where name = 'Helper 3'"))
        assert _login(http, event.code, "helper password 3").status_code == 200
        with engine.connect() as connection:
            tag = connection.execute(sa.text("select password_tag from organizer where name = 'Helper 3'")).scalar()
        engine.dispose()
        assert tag is not None


def _failed_logins(database: str) -> list[str]:
    import sqlalchemy as sa  # inline: only this test reads the audit lines themselves

    engine = sa.create_engine(database)
    try:
        with engine.connect() as connection:
            return list(
                connection.execute(
                    sa.text("select detail from audit_entry where action = 'login_failed' order by id")
                ).scalars()
            )
    finally:
        engine.dispose()


def test_a_refused_organizer_link_is_audited_with_its_address(start_server: StartServer, database: str) -> None:
    """An old link after "make a new link", or a guessed one, leaves an audit line as a wrong password does."""
    server = start_server()
    with httpx.Client(base_url=server.url, timeout=30) as http:
        event = create_event(http)
        before = len(_failed_logins(database))
        wrong = http.post(
            f"/api/v1/events/{event.code}/login", json={"key": "not-the-link"}, headers={"X-Forwarded-For": "10.0.0.9"}
        )
        assert wrong.status_code == 403, wrong.text
        page = http.get(
            f"/e/{event.code}/organize", params={"key": "also-not-it"}, headers={"X-Forwarded-For": "10.0.0.8"}
        )
        assert page.status_code == 403 and "not valid for this event" in page.text
        details = _failed_logins(database)[before:]
        assert details == ["a wrong organizer link from 10.0.0.9", "a wrong organizer link from 10.0.0.8"], details
