"""Static files are addressed by content, so a phone fetches each one once for the whole day."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from app.staticfiles import FOREVER, STATIC_DIR, file_version

STATIC_LINK = re.compile(r'(?:href|src)="(?:https?://[^/"]+)?(/static/[^"?]+)\?v=([0-9a-f]+)"')


def test_pages_link_static_files_by_their_content_hash(client: TestClient) -> None:
    links = STATIC_LINK.findall(client.get("/").text)
    paths = {path for path, _ in links}
    assert {"/static/app.css", "/static/app.js", "/static/vendor/htmx-2.0.11.min.js"} <= paths
    for path, version in links:
        assert version == file_version(STATIC_DIR, path.removeprefix("/static/")), path


def test_a_content_addressed_file_is_cached_for_good_and_others_are_revalidated(client: TestClient) -> None:
    version = file_version(STATIC_DIR, "app.css")
    current = client.get(f"/static/app.css?v={version}")
    assert current.status_code == 200
    assert current.headers["cache-control"] == FOREVER
    # Without the hash, or with a stale one from a page cached before an upgrade: served, but revalidated.
    for url in ("/static/app.css", "/static/app.css?v=0123456789ab"):
        answer = client.get(url)
        assert answer.status_code == 200 and answer.text == current.text
        assert answer.headers["cache-control"] == "no-cache"


def test_a_missing_static_file_is_a_plain_404(client: TestClient) -> None:
    assert file_version(STATIC_DIR, "../settings.py") == ""
    assert client.get("/static/nothing-here.css?v=abc").status_code == 404
