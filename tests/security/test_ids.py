"""Item 4: an id of 2^63 or more (or 2^31 on PostgreSQL's integers) in any path answers 404 or 422,
never 500, on both databases."""

from __future__ import annotations

import httpx
import pytest

from tests.realtime.live import Server
from tests.security.helpers import create_event, csrf_from, join, set_phase

HUGE = [str(2**63), str(2**63 + 12345), str(2**31), "99999999999999999999999999", "-9223372036854775809", "0"]


@pytest.mark.parametrize("huge", HUGE)
def test_huge_ids_in_paths_never_answer_500(live: Server, huge: str) -> None:
    with httpx.Client(base_url=live.url, timeout=30) as api:
        event = create_event(api)
        set_phase(api, event, "proposing")
        attendee = join(api, event)
        e = f"/api/v1/events/{event.code}"
        for method, path, body in [
            ("PATCH", f"{e}/topics/{huge}", {"title": "x"}),
            ("DELETE", f"{e}/topics/{huge}", None),
            ("PUT", f"{e}/topics/{huge}/interest", None),
            ("DELETE", f"{e}/topics/{huge}/interest", None),
            ("PUT", f"{e}/topics/{huge}/facilitators/me", None),
            ("DELETE", f"{e}/topics/{huge}/facilitators/me", None),
        ]:
            who = event.organizer if path.endswith(huge) else attendee
            answer = api.request(method, path, json=body, headers=who)
            assert answer.status_code in (404, 422), (method, path, answer.status_code, answer.text[:200])
    with httpx.Client(base_url=live.url, timeout=30) as phone:
        page = f"/e/{event.code}"
        token = csrf_from(phone, page)
        phone.post(f"{page}/join", data={"name": "Ana", "csrf_token": token})
        for path in [
            f"{page}/rooms/{huge}",
            f"{page}/sessions/{huge}",
            f"{page}/sessions/{huge}/notes",
            f"{page}/sessions/{huge}/notes/history",
            f"{page}/sessions/{huge}/feedback",
            f"{page}/topics/{huge}/edit",
        ]:
            answer = phone.get(path)
            assert answer.status_code in (404, 422), (path, answer.status_code, answer.text[:200])
        for path in [
            f"{page}/rooms/{huge}/popup",
            f"{page}/placements/{huge}/status",
            f"{page}/resources/{huge}/remove",
            f"{page}/topics/{huge}/mark",
            f"{page}/topics/{huge}/lead",
            f"{page}/topics/{huge}/withdraw",
            f"{page}/topics/{huge}/edit",
            f"{page}/sessions/{huge}/notes",
            f"{page}/sessions/{huge}/resources",
            f"{page}/sessions/{huge}/feedback",
        ]:
            answer = phone.post(
                path,
                data={
                    "csrf_token": token,
                    "title": "Pop-up",
                    "status": "full",
                    "url": "https://example.org",
                    "label": "x",
                    "text": "x",
                },
            )
            assert answer.status_code in (303, 404, 422), (path, answer.status_code, answer.text[:200])
            assert answer.status_code != 303 or "/e/" in answer.headers["location"]
