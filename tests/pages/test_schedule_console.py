"""The schedule workspace page: build with progress, the grid, a keyboard move, publish and undo."""

from __future__ import annotations

import re
import time

from fastapi.testclient import TestClient

from tests.pages.test_pages import create_event, csrf, set_phase


def _wait_for_build(client: TestClient, code: str) -> str:
    """Poll as the progress bar does; the last poll sends the browser to the new draft, announced."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        fragment = client.get(f"/e/{code}/organize/schedule/progress", headers={"HX-Request": "true"})
        if "HX-Redirect" in fragment.headers:
            assert fragment.headers["HX-Redirect"].startswith(f"/e/{code}/organize/schedule?done=")
            return client.get(fragment.headers["HX-Redirect"]).text
        assert "<progress" in fragment.text and "Stop and keep the best so far" in fragment.text
        time.sleep(0.1)
    raise AssertionError("the build did not finish")


def test_build_move_publish_and_undo_from_the_page(client: TestClient) -> None:
    code, _ = create_event(client)
    set_phase(client, code, "proposing")
    for title in ("Math talks", "Podcasts", "Recess", "Maker space", "Coding"):
        client.post(
            f"/e/{code}/organize/topics/paper", data={"title": title, "paper_marks": "3", "csrf_token": csrf(client)}
        )
    page = client.get(f"/e/{code}/organize/schedule")
    assert page.status_code == 200 and "Build schedule" in page.text and "No schedule yet" in page.text
    bad = client.post(f"/e/{code}/organize/schedule/build", data={"time_limit": "0", "csrf_token": csrf(client)})
    assert bad.status_code == 422 and "time_limit" in bad.text
    started = client.post(
        f"/e/{code}/organize/schedule/build",
        data={"time_limit": "3", "csrf_token": csrf(client)},
        headers={"HX-Request": "true"},
    )
    assert started.status_code == 200 and 'id="build-progress"' in started.text
    done = _wait_for_build(client, code)
    assert re.search(
        r'<p class="notice" role="status" id="schedule-notice" tabindex="-1">Built draft version 1 in', done
    )
    grid = client.get(f"/e/{code}/organize/schedule").text
    assert "Built draft version 1" not in grid, "announced once, not on every later visit"
    assert "Draft version 1" in grid and "Left out (1)" in grid and "Attendance" in grid
    placement = re.search(r'name="placement_id" value="(\d+)"', grid).group(1)  # type: ignore[union-attr]
    target = re.search(r'id="to-' + placement + r'"[^>]*>\s*<option value="(\d+:\d+)"', grid).group(1)  # type: ignore[union-attr]
    room_id, slot_id = target.split(":")
    preview = client.get(
        f"/e/{code}/organize/schedule/preview",
        params={"placement_id": placement, "room_id": room_id, "slot_id": slot_id},
        headers={"HX-Request": "true"},
    )
    assert preview.status_code == 200 and "Attendance" in preview.text and "<html" not in preview.text
    # The keyboard path's menu asks with the same ROOM:SLOT value the move form sends.
    keyboard = client.get(
        f"/e/{code}/organize/schedule/preview",
        params={"placement_id": placement, "cell": target},
        headers={"HX-Request": "true"},
    )
    assert keyboard.status_code == 200 and "Attendance" in keyboard.text and f'data-cell="{target}"' in keyboard.text
    nowhere = client.get(
        f"/e/{code}/organize/schedule/preview", params={"placement_id": placement}, headers={"HX-Request": "true"}
    )
    assert "Refused:</strong> cell: choose where the session goes" in nowhere.text
    moved = client.post(
        f"/e/{code}/organize/schedule/move",
        data={"placement_id": placement, "cell": target, "csrf_token": csrf(client)},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    assert moved.headers["location"].endswith(f"&focus=placement-{placement}#placement-{placement}")
    after = client.get(moved.headers["location"]).text
    assert "Moved" in after and f'id="placement-{placement}"' in after and "Built draft" not in after
    unchanged = client.post(
        f"/e/{code}/organize/schedule/move",  # a drop where nothing says where
        data={"placement_id": placement, "cell": "", "csrf_token": csrf(client)},
    )
    assert unchanged.status_code == 422 and "cell: choose where the session goes" in unchanged.text
    assert "is not a whole number" not in unchanged.text
    garbage = client.post(
        f"/e/{code}/organize/schedule/move",
        data={"placement_id": placement, "cell": "here", "csrf_token": csrf(client)},
    )
    assert garbage.status_code == 422 and "cell" in garbage.text
    published = client.post(
        f"/e/{code}/organize/schedule/publish", data={"announcement": "", "csrf_token": csrf(client)}
    )
    assert "is on the board and every phone" in published.text
    board = client.get(f"/e/{code}/board").text
    assert "Math talks" in board or "Podcasts" in board
    undone = client.post(f"/e/{code}/organize/schedule/undo", data={"csrf_token": csrf(client)})
    assert "Took it back" in undone.text and "Draft version 1" in undone.text
    client.post(f"/e/{code}/organize/schedule/publish", data={"announcement": "", "csrf_token": csrf(client)})
    placement = re.search(r'name="placement_id" value="(\d+)"', client.get(f"/e/{code}/organize/schedule").text)
    assert placement is None, "the published version is read-only until a draft is started"
    drafted = client.post(f"/e/{code}/organize/schedule/draft", data={"csrf_token": csrf(client)})
    assert "Draft version 2 started" in drafted.text and 'name="placement_id"' in drafted.text
    assert "Changes from the published version 1 (0)" in drafted.text
    log = client.get(f"/e/{code}/organize").text
    assert "published v1" in log and "took back v1" in log and "moved “" in log


def test_schedule_pages_need_the_organizer(client: TestClient) -> None:
    code, _ = create_event(client)
    client.cookies.delete(f"tf_o_{code}")
    assert client.get(f"/e/{code}/organize/schedule").status_code == 401
    refused = client.post(f"/e/{code}/organize/schedule/build", data={"csrf_token": csrf(client)})
    assert refused.status_code == 401


def test_progress_polled_on_a_worker_without_the_job_waits_for_the_draft(client: TestClient) -> None:
    """Behind a load balancer the poll can reach a worker that runs no build: it keeps polling
    until the new version is in the database, then refreshes the page."""
    code, _ = create_event(client)
    waiting = client.get(f"/e/{code}/organize/schedule/progress", params={"after": 0}, headers={"HX-Request": "true"})
    assert "on another server" in waiting.text and "every 700ms" in waiting.text
    assert "HX-Refresh" not in waiting.headers
    client.post(f"/e/{code}/organize/schedule/draft", data={"csrf_token": csrf(client)})  # version 1 lands
    landed = client.get(f"/e/{code}/organize/schedule/progress", params={"after": 0}, headers={"HX-Request": "true"})
    assert landed.headers.get("HX-Refresh") == "true"


def test_absurd_numbers_are_refused_not_crashes(client: TestClient) -> None:
    code, _ = create_event(client)
    token = csrf(client)
    huge = "99999999999999999999"
    for path, data in (
        ("schedule/place", {"topic_id": huge, "cell": "1:1"}),
        ("schedule/close-room", {"room_id": huge, "slot_id": "1"}),
        ("schedule/move", {"placement_id": "1", "cell": "1:²"}),
        ("topics/hide", {"topic_id": huge, "reason": "x"}),
        ("topics/paper", {"title": "Card", "paper_marks": "²"}),
    ):
        response = client.post(f"/e/{code}/organize/{path}", data={**data, "csrf_token": token})
        assert 400 <= response.status_code < 500, (path, response.status_code)
    preview = client.get(
        f"/e/{code}/organize/schedule/preview", params={"placement_id": huge, "room_id": 1, "slot_id": 1}
    )
    assert preview.status_code == 422
    api = client.put(f"/api/v1/events/{code}/topics/{huge}/interest")
    assert 400 <= api.status_code < 500
