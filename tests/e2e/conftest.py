"""Fixtures for the browser suite: a real ``twofeet serve`` on a loopback port and Debian's Chromium.

Playwright's own browser download cannot work here, so the suite drives ``/usr/bin/chromium``. Without
it the suite skips locally (with the reason) and fails under ``CI=true``, where ``.ci/run`` installs it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.realtime.live import free_port

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("TWOFEET_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ROOT / "docs" / "screenshots"
AXE = next((Path(__file__).parent / "vendor").glob("axe-*.min.js"))
PHONE = {"viewport": {"width": 390, "height": 780}, "device_scale_factor": 1, "is_mobile": True, "has_touch": True}
LAPTOP = {"viewport": {"width": 1280, "height": 800}}
PROJECTOR = {"viewport": {"width": 1280, "height": 720}, "color_scheme": "dark"}


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"the browser suite must run in CI, but {reason}", pytrace=False)
    pytest.skip(reason)


@dataclass
class DemoEvent:
    code: str
    secret: str


@dataclass
class LiveApp:
    """``twofeet serve`` in a subprocess, on a database first seeded by ``twofeet demo``.

    Its base URL (every printed link and QR code) is ``http://twofeet.test:PORT``, the way a real
    install uses its address on the school network, while the browsers open ``url`` on 127.0.0.1:
    links must never follow the address a browser happened to use. Chromium resolves the name to
    127.0.0.1 by itself (``--host-resolver-rules``), so nothing ever goes elsewhere.
    """

    url: str
    base_url: str
    morning: DemoEvent  # the demo event in the proposing phase (a full wall)
    published: DemoEvent  # the demo event whose schedule is out (grid, doors, my day)
    log: Path


LINK = re.compile(r"/e/(\w+)/organize\?key=(\S+)")
PUBLIC_NAME = "twofeet.test"  # reserved (RFC 6761): never resolves anywhere but in our browser


def _twofeet(*args: str) -> list[str]:
    return [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())", *args]


def _env() -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TWOFEET_SECRET_KEY": "e2e-secret",
        "TWOFEET_EVENT_CREATION_RATE": "10000/minute",
        "TWOFEET_LOGIN_RATE_PER_CLIENT": "10000/minute",
        "TWOFEET_LOGIN_RATE_PER_EVENT": "10000/minute",
        "TWOFEET_SQLITE_SYNCHRONOUS": "NORMAL",
        "TWOFEET_SOLVER_BOUND_SECONDS": "0",
    }
    env.pop("TWOFEET_BASE_URL", None)  # the command line says it
    return env


def serve(db: Path, log: Path, port: int, base_url: str) -> subprocess.Popen[bytes]:
    """``twofeet serve`` on loopback only, with ``base_url`` for its links; returns once it answers."""
    env = _env()
    url = f"http://127.0.0.1:{port}"
    with log.open("ab") as out:
        process = subprocess.Popen(
            _twofeet("serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port), "--base-url", base_url),
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 120  # a loaded CI machine starts slowly
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"twofeet serve exited early:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"twofeet serve did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.1)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    require_chromium()
    folder = tmp_path_factory.mktemp("e2e")
    db, log = folder / "e2e.db", folder / "server.log"
    port = free_port()
    url, base_url = f"http://127.0.0.1:{port}", f"http://{PUBLIC_NAME}:{port}"
    seeded = subprocess.run(
        _twofeet("demo", "--db", str(db), "--no-serve", "--port", str(port), "--base-url", base_url),
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    links = LINK.findall(seeded.stdout)
    assert len(links) == 2, seeded.stdout
    process = serve(db, log, port, base_url)
    try:
        yield LiveApp(url, base_url, DemoEvent(*links[0]), DemoEvent(*links[1]), log)
    finally:
        stop(process)


@pytest.fixture(scope="session")
def browser(live_app: LiveApp) -> Iterator[object]:
    from playwright.sync_api import sync_playwright  # inline: only this suite needs Playwright

    args = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    args.append(f"--host-resolver-rules=MAP {PUBLIC_NAME} 127.0.0.1")  # the base URL's name, here only
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=args)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _expect_timeout() -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
