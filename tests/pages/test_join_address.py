"""Every link people are given is built on the base URL, whatever address the browser used.

The browser here is TestClient, on ``testserver``; the base URL is ``http://10.9.8.7:8000``, a
string only (nothing is ever sent there). Links inside the pages are paths, so they work on any
address the page was opened on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.routes.qr import qr_image
from tests.conftest import make_settings
from tests.pages.test_pages import create_event, set_phase

BASE = "http://10.9.8.7:8000"


@pytest.fixture
def client_for(db_url: str) -> Iterator[object]:
    clients: list[TestClient] = []

    def make(base_url: str) -> TestClient:
        client = TestClient(create_app(make_settings(db_url, BASE_URL=base_url)))
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def test_qr_codes_and_shared_links_use_the_base_url_not_the_browsers_host(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(BASE)
    code, organizer_link = create_event(client)
    assert organizer_link.startswith(f"{BASE}/e/{code}/organize?key="), "the private link, to save and reopen"
    join = f"{BASE}/e/{code}"
    console = client.get(f"/e/{code}/organize").text
    assert f'<a href="{join}">{join}</a>' in console
    board = client.get(f"/e/{code}/board").text
    assert "10.9.8.7:8000/e/" + code in board and "testserver" not in board
    qr = client.get(f"/e/{code}/qr.svg")
    assert qr.content == qr_image(join), "the QR code encodes the base URL's join link"
    assert client.get(f"/e/{code}/print/poster").text.count(f"10.9.8.7:8000/e/{code}") >= 1
    api = client.get(f"/api/v1/events/{code}").json()["links"]
    assert api["join"] == join and api["board"] == f"{join}/board" and api["qr_svg"] == f"{join}/qr.svg"
    # Inside the pages, links are paths: they work on whichever address the page was opened on.
    hrefs = re.findall(r'(?:href|action|hx-get|hx-post|src)="([^"]+)"', console + board)
    absolute = {h for h in hrefs if "://" in h}
    assert absolute <= {join, organizer_link.replace("&", "&amp;")}, absolute
    assert "loopback-warning" not in console + board


def test_door_signs_and_calendar_links_use_the_base_url(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(BASE)
    code, _ = create_event(client)
    set_phase(client, code, "proposing")
    doors = client.get(f"/e/{code}/print/doors").text
    assert "<svg" in doors and "testserver" not in doors
    calendar = client.get(f"/e/{code}/calendar").text
    assert f"webcal://10.9.8.7:8000/e/{code}/schedule.ics" in calendar and "testserver" not in calendar


def test_qr_code_is_revalidated_so_a_new_base_url_shows_at_once(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(BASE)
    code, _ = create_event(client)
    first = client.get(f"/e/{code}/qr.svg")
    assert first.headers["cache-control"] == "no-cache"
    again = client.get(f"/e/{code}/qr.svg", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    moved = client_for("http://192.168.1.20:8000").get(
        f"/e/{code}/qr.svg", headers={"If-None-Match": first.headers["etag"]}
    )
    assert moved.status_code == 200 and moved.content == qr_image(f"http://192.168.1.20:8000/e/{code}")


def test_console_and_board_warn_plainly_when_the_join_address_is_loopback(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("http://localhost:8000")
    code, _ = create_event(client)
    console = client.get(f"/e/{code}/organize").text
    assert "Phones cannot open this join address: “localhost” is this computer&#39;s own name for itself." in console
    assert "<code>twofeet serve --base-url http://192.168.1.20:8000</code>" in console
    board = client.get(f"/e/{code}/board").text
    assert (
        '<p class="loopback-warning" role="alert">Phones cannot open “localhost”: restart Two Feet with '
        "--base-url and this computer&#39;s network address.</p>"
    ) in board
