"""Item 8 (defence in depth), the parts that need no browser: safety headers on every answer, the
API docs served from the app, no organizer secret in the access log, guide.md sanitised."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
from markdown_it import MarkdownIt

from tests.realtime.live import ROOT, Server, free_port, server_env
from tests.security.helpers import create_event, csrf_from, published_event

HOSTILE_NOTES = (
    "Links and <script>alert('notes')</script> and <img src=x onerror=alert(2)>\n\n"
    "[click me](javascript:alert(3)) and [fine](https://example.org)\n\n[ref]: javascript:alert(4)\n"
)


def test_every_answer_carries_the_safety_headers(http: httpx.Client) -> None:
    event = create_event(http)
    for path in (
        "/",
        f"/e/{event.code}",
        f"/e/{event.code}/board",
        f"/api/v1/events/{event.code}",
        "/openapi.json",
        "/static/app.css",
        "/nowhere",
        "/api/docs",
    ):
        answer = http.get(path)
        assert answer.headers["x-content-type-options"] == "nosniff", path
        assert answer.headers["referrer-policy"] == "same-origin", path
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"], path


def test_api_docs_load_nothing_from_elsewhere(http: httpx.Client) -> None:
    page = http.get("/api/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith(("/", http.base_url.join("/").__str__())) for s in sources), sources
    assert "<script>" not in page.text  # no inline script: the page works under the CSP
    for source in sources:
        assert http.get(source).status_code == 200, source
    assert "cdn" not in page.text.lower()


def test_the_organizer_key_never_reaches_the_access_log(tmp_path: Path, database: str) -> None:
    from app.cli import uvicorn_command_line  # inline: only this test starts its own uvicorn

    port = free_port()
    log_path = tmp_path / "access.log"
    env = {**os.environ, **server_env(database), "PYTHONPATH": str(ROOT)}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "app.main:create_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                *uvicorn_command_line(),
                "--log-level",
                "info",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        server = Server(port, {}, log_path)
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(server.url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        with httpx.Client(base_url=server.url, timeout=30) as http:
            event = create_event(http)
            key = event.organize_link.split("key=", 1)[1]
            assert http.get(f"/e/{event.code}/organize", params={"key": key}).status_code == 303
            assert http.get(f"/e/{event.code}/organize", params={"key": "not-the-key"}).status_code == 403
            assert http.get(f"/e/{event.code}/board", params={"view": "grid"}).status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=30)
    text = log_path.read_text()
    assert f"/e/{event.code}/organize?[query withheld" in text, text[-2000:]
    assert key not in text and "not-the-key" not in text
    assert f"/e/{event.code}/board?view=grid" in text  # other queries are still logged as they were


def test_guide_markdown_is_sanitised_like_the_pages(live: Server, http: httpx.Client) -> None:
    event, topic_ids = published_event(http)
    with httpx.Client(base_url=live.url, timeout=30) as phone:
        page = f"/e/{event.code}"
        token = csrf_from(phone, page)
        assert phone.post(f"{page}/join", data={"name": "Ana", "csrf_token": token}).status_code == 303
        notes = f"{page}/sessions/{topic_ids[0]}/notes"
        token = csrf_from(phone, notes)
        saved = phone.post(notes, data={"text": HOSTILE_NOTES, "base_revision": "0", "csrf_token": token})
        assert saved.status_code == 303, saved.text[:500]
    guide = http.get(f"{page}/guide.md")
    assert guide.status_code == 200 and "alert(3)" in guide.text  # the notes are there, as text
    rendered = MarkdownIt("commonmark", {"html": True}).render(guide.text)
    assert "<script" not in rendered and "<img" not in rendered
    assert "javascript:" not in rendered.lower()
    assert 'href="https://example.org"' in rendered
