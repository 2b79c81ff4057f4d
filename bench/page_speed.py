"""Phone pages on a slow network: time to first render and to a working mark button.

    flock /tmp/twofeet-bench.lock .venv/bin/python bench/page_speed.py --runs 5

Starts ``twofeet serve`` on a fresh demo database (the demo's full wall: 25 topics), then drives
Debian's Chromium (``/usr/bin/chromium``) as a phone (390x780, touch) with DevTools throttling:
the network as slow 3G (400 kbit/s down and up, 400 ms round trip) and the CPU 4x slower. Each run
is a new phone: it joins unthrottled, then loads each page throttled and measures

* first render: the page's first-contentful-paint;
* mark ready: a mark button is visible and enabled with htmx loaded (a tap would be handled);
* mark confirmed: that button tapped, and the server's answer swapped in (``aria-pressed`` true).

All times are from the start of the navigation (``performance.now()``). Prints the median of the
runs per page; "cold" loads start with an empty browser cache, "warm" ones keep it.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}
CPU_SLOWDOWN = 4
PHONE = {"viewport": {"width": 390, "height": 780}, "is_mobile": True, "has_touch": True}

READY = """() => {
  const b = document.querySelector('.mark-button[aria-pressed="false"]');
  if (!window.htmx || document.readyState === 'loading' || !b || b.disabled) return false;
  const r = b.getBoundingClientRect();
  return r.width > 0 && r.height > 0 ? performance.now() : false;
}"""
FCP = """() => new Promise(resolve => {
  const found = performance.getEntriesByName('first-contentful-paint')[0];
  if (found) return resolve(found.startTime);
  new PerformanceObserver(list => resolve(list.getEntries()[0].startTime)).observe({type: 'paint', buffered: true});
})"""


def _twofeet(*args: str) -> list[str]:
    return [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())", *args]


def start_server(folder: Path) -> tuple[subprocess.Popen[bytes], str, str]:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TWOFEET_SECRET_KEY": "bench", "TWOFEET_BASE_URL": url}
    db = folder / "speed.db"
    seeded = subprocess.run(
        _twofeet("demo", "--db", str(db), "--no-serve", "--port", str(port), "--base-url", url),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    code = re.findall(r"\(code (\w+)\)", seeded.stdout)[0]  # the morning event: proposing, a full wall
    log = (folder / "server.log").open("wb")
    server = subprocess.Popen(
        _twofeet("serve", "--db", str(db), "--port", str(port), "--base-url", url),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return server, url, code
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("twofeet serve did not start")


def measure(page: Page, url: str, *, cold: bool, mark: bool) -> dict[str, float]:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    if cold:
        cdp.send("Network.clearBrowserCache")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    try:
        page.goto(url, wait_until="commit", timeout=120_000)
        result = {"fcp": float(page.evaluate(FCP))}
        if mark:
            result["ready"] = float(page.wait_for_function(READY, timeout=120_000, polling=50).json_value())
            button = page.locator('.mark-button[aria-pressed="false"]').first
            form_id = button.evaluate("b => b.closest('article').id")
            button.tap()
            page.wait_for_function(
                """id => { const b = document.querySelector('#' + id + ' .mark-button');
                           return b && b.getAttribute('aria-pressed') === 'true' && !b.classList.contains('is-pending'); }""",
                arg=form_id,
                timeout=120_000,
                polling=50,
            )
            result["confirmed"] = float(page.evaluate("() => performance.now()"))
        return result
    finally:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
        cdp.send(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
        )
        cdp.detach()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="phones (runs) per page; the median is printed")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="twofeet-speed-"))
    server, base, code = start_server(folder)
    pages = [
        ("join page (cold)", f"{base}/e/{code}", True, False),
        ("topic wall (cold)", f"{base}/e/{code}", True, True),
        ("topic wall (warm)", f"{base}/e/{code}", False, True),
        ("my day (warm)", f"{base}/e/{code}/my", False, False),
    ]
    samples: dict[str, list[dict[str, float]]] = {name: [] for name, *_ in pages}
    try:
        with sync_playwright() as playwright:
            launch_args = ["--no-sandbox"] if os.geteuid() == 0 else []
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=launch_args)
            for run in range(args.runs):
                context = browser.new_context(**PHONE)
                page = context.new_page()
                for name, url, cold, mark in pages:
                    if name.startswith("topic wall (cold)"):  # join unthrottled, then load the wall
                        page.get_by_role("button", name="Join the wall").click()
                        page.wait_for_selector(".mark-button")
                    samples[name].append(measure(page, url, cold=cold, mark=mark))
                context.close()
                print(f"run {run + 1}/{args.runs} done", file=sys.stderr, flush=True)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=15)
        shutil.rmtree(folder, ignore_errors=True)

    def median(name: str, key: str) -> str:
        values = [s[key] for s in samples[name] if key in s]
        return f"{statistics.median(values) / 1000:.2f} s" if values else "–"

    print(f"Slow 3G (400 kbit/s, 400 ms RTT), CPU 4x slower; median of {args.runs} runs\n")
    print("| page | first render | mark ready | mark confirmed |")
    print("|---|---|---|---|")
    for name, *_ in pages:
        print(f"| {name} | {median(name, 'fcp')} | {median(name, 'ready')} | {median(name, 'confirmed')} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
