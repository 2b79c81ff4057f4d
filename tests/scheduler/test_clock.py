"""The time limit is the clock's: from the call (or the command) to the answer, with every search
process gone by then, and a stop honoured at once. Reproducible runs ask for work instead."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.domain import eventfile, events, organizers
from app.models import Phase
from app.scheduler import Config, event_to_document, solve, suggested_time_limit, violations
from bench.sched_gen import generate
from tests.pages.test_pages import csrf

pytestmark = pytest.mark.slow


def _search_processes() -> list[str]:
    """Command lines of the scheduler's worker processes (run by this interpreter) still alive."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        # Ours only: another checkout's test run on the same machine has its own interpreter.
        if not cmdline.startswith(sys.executable):
            continue
        if any(f"app.scheduler.{name}" in cmdline for name in ("_worker", "_bound_worker", "_solve_worker")):
            found.append(f"{proc.name}: {cmdline}")
    return found


def test_the_command_answers_within_its_time_limit_and_leaves_no_search_running(tmp_path: Path) -> None:
    """`twofeet schedule --time-limit 5` on the bench's large day (600 people, 90 topics): 5 s on the
    clock from starting the command, within 5 % (it used to take 19 s for a limit of 10)."""
    assert not _search_processes(), "another test left search processes behind"
    path = tmp_path / "large.json"
    path.write_text(json.dumps(event_to_document(generate("large", 1))))
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "app.scheduler.command", str(path), "--time-limit", "5"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    wall = time.perf_counter() - began
    assert done.returncode == 0, done.stderr
    assert wall <= 5.25, f"{wall:.2f} s for --time-limit 5"
    doc = json.loads(done.stdout)
    assert doc["stats"]["attendance"] > 0 and doc["stats"]["sessions_run"] > 0
    assert not _search_processes(), "search processes outlived the command"


@pytest.mark.parametrize(("size", "seconds"), [("medium", 2.0), ("large", 3.0)])
def test_solve_keeps_the_clock_and_stops_its_search_processes(size: str, seconds: float) -> None:
    inst = generate(size, 2)
    began = time.perf_counter()
    sol = solve(inst, Config(time_limit=seconds))
    wall = time.perf_counter() - began
    assert wall <= seconds * 1.05, f"{wall:.2f} s for a limit of {seconds} s"
    assert sol.stats is not None and not violations(inst, sol.placements)
    assert not _search_processes()


def test_a_small_day_ends_as_soon_as_it_is_proven() -> None:
    inst = generate("small", 1)
    began = time.perf_counter()
    sol = solve(inst, Config(time_limit=20))
    assert sol.status.name == "OPTIMAL", sol.status
    assert time.perf_counter() - began < 10, "a proven day does not wait for the clock"


def test_the_default_time_follows_the_days_size() -> None:
    times = [suggested_time_limit(generate(size, 1)) for size in ("small", "medium", "large", "huge")]
    assert times == sorted(times) and times[0] <= 3 and 8 <= times[2] <= 15 and times[3] <= 40, times
    assert suggested_time_limit(generate("huge", 1), most=20) == 20


def test_reproducible_runs_count_work_not_seconds() -> None:
    inst = generate("small", 2)
    config = Config(work=0.5, time_limit=60, seed=4)
    assert solve(inst, config).placements == solve(inst, config).placements


def test_the_consoles_stop_button_ends_a_long_build_with_its_best_draft(client: TestClient, session: Session) -> None:
    imported = eventfile.import_event(session, event_to_document(generate("large", 3)))
    event = imported.created.event
    events.set_phase(session, event=event, phase=Phase.voting, actor=organizers.require_first_organizer(session, event))
    assert client.get(f"/e/{event.code}/organize?key={imported.created.secret}").status_code == 200
    console = client.get(f"/e/{event.code}/organize/schedule").text
    shown = re.search(r'id="time_limit"[^>]*value="(\d+)"', console)
    assert shown is not None and int(shown.group(1)) == suggested_time_limit(generate("large", 3)), (
        "the console offers the time the day's size calls for"
    )
    started = client.post(
        f"/e/{event.code}/organize/schedule/build",
        data={"time_limit": "60", "csrf_token": csrf(client)},
        headers={"HX-Request": "true"},
    )
    assert started.status_code == 200 and "Building the schedule" in started.text
    time.sleep(2)
    began = time.perf_counter()
    stopped = client.post(
        f"/e/{event.code}/organize/schedule/stop", data={"csrf_token": csrf(client)}, headers={"HX-Request": "true"}
    )
    assert stopped.status_code == 200
    while True:
        bar = client.get(f"/e/{event.code}/organize/schedule/progress?after=0", headers={"HX-Request": "true"})
        if "Building the schedule" not in bar.text:
            break
        assert time.perf_counter() - began < 5, "the build did not stop"
        time.sleep(0.1)
    assert time.perf_counter() - began < 5
    assert "Built draft version 1" in bar.text or bar.headers.get("HX-Redirect"), bar.text[:500]
    assert not _search_processes(), "the stopped build's search processes live on"
    page = client.get(f"/e/{event.code}/organize/schedule").text
    assert "Draft version 1" in page and "Sessions run" in page


def test_after_the_draft_a_better_bound_is_proven_in_the_background(db_url: str, tmp_path: Path) -> None:
    """The draft shows at once; a worker process then proves how close it is to the best possible,
    and the console says "within N % of it" (on the bench's medium days: about 1 % in 10 s)."""
    from app.main import create_app
    from tests.conftest import make_settings

    app = create_app(make_settings(db_url, SOLVER_BOUND_SECONDS=6))
    with TestClient(app) as client:
        with Session(app.state.engine) as session:
            imported = eventfile.import_event(session, event_to_document(generate("medium", 1)))
            events.set_phase(
                session,
                event=imported.created.event,
                phase=Phase.voting,
                actor=organizers.require_first_organizer(session, imported.created.event),
            )
            code, secret = imported.created.event.code, imported.created.secret
        client.get(f"/e/{code}/organize?key={secret}")
        started = client.post(
            f"/e/{code}/organize/schedule/build",
            data={"time_limit": "3", "csrf_token": csrf(client)},
            headers={"HX-Request": "true"},
        )
        assert started.status_code == 200
        job = app.state.builds.get(imported.created.event.id)
        deadline = time.monotonic() + 30
        while job.running:
            assert time.monotonic() < deadline
            time.sleep(0.2)
        trivial = job.upper_bound
        assert job.proving, "the bound goes on after the draft"
        shown = client.get(f"/e/{code}/organize/schedule/progress?proving=1", headers={"HX-Request": "true"})
        assert "Proving how close this draft is to the best possible" in shown.text
        assert "HX-Refresh" not in shown.headers
        page = client.get(f"/e/{code}/organize/schedule").text  # where the build's redirect lands
        assert "Proving how close this draft is to the best possible" in page and "?proving=1" in page
        assert '<p class="notice">Built draft version' not in page, "the page's own notice says it once"
        while job.proving:
            assert time.monotonic() < deadline, "the background bound outlived its time"
            time.sleep(0.2)
        assert job.bound is not None and job.attendance <= job.bound < trivial, (job.attendance, job.bound, trivial)
        done = client.get(f"/e/{code}/organize/schedule/progress?proving=1", headers={"HX-Request": "true"})
        assert done.headers.get("HX-Refresh") == "true", "the page reloads to show the final bound"
        page = client.get(f"/e/{code}/organize/schedule").text
        assert re.search(r"within \d+\.\d % of it, proven|this is it", page), page[:2000]
        assert not _search_processes()


def test_a_build_waiting_its_turn_says_so_in_the_console_and_can_be_cancelled(db_url: str) -> None:
    """One build at a time on this server: the second event's organizer sees where it stands."""
    from app.main import create_app
    from tests.conftest import make_settings

    app = create_app(make_settings(db_url, MAX_CONCURRENT_BUILDS=1, MAX_QUEUED_BUILDS=2))
    with TestClient(app) as first, TestClient(app) as second:
        codes, ids = [], []
        with Session(app.state.engine) as session:
            for client, seed in ((first, 1), (second, 2)):
                imported = eventfile.import_event(session, event_to_document(generate("medium", seed)))
                events.set_phase(
                    session,
                    event=imported.created.event,
                    phase=Phase.voting,
                    actor=organizers.require_first_organizer(session, imported.created.event),
                )
                codes.append(imported.created.event.code)
                ids.append(imported.created.event.id)
                client.get(f"/e/{codes[-1]}/organize?key={imported.created.secret}")
        running = first.post(
            f"/e/{codes[0]}/organize/schedule/build",
            data={"time_limit": "20", "csrf_token": csrf(first)},
            headers={"HX-Request": "true"},
        )
        assert "Building the schedule" in running.text
        waiting = second.post(
            f"/e/{codes[1]}/organize/schedule/build",
            data={"time_limit": "2", "csrf_token": csrf(second)},
            headers={"HX-Request": "true"},
        )
        assert "Waiting to build" in waiting.text and "this one starts next" in waiting.text, waiting.text[:800]
        assert "Its time starts when it does" in waiting.text and "Cancel this build" in waiting.text
        page = second.get(f"/e/{codes[1]}/organize/schedule").text
        assert "Waiting to build" in page and 'id="time_limit"' not in page, "no second build of the same event"
        cancelled = second.post(
            f"/e/{codes[1]}/organize/schedule/stop", data={"csrf_token": csrf(second)}, headers={"HX-Request": "true"}
        )
        deadline = time.monotonic() + 5
        while "Stopped before it started" not in cancelled.text:
            assert time.monotonic() < deadline, cancelled.text[:800]
            time.sleep(0.2)
            cancelled = second.get(f"/e/{codes[1]}/organize/schedule/progress", headers={"HX-Request": "true"})
        first.post(
            f"/e/{codes[0]}/organize/schedule/stop", data={"csrf_token": csrf(first)}, headers={"HX-Request": "true"}
        )
        job = app.state.builds.get(ids[0])
        deadline = time.monotonic() + 10
        while job.running:
            assert time.monotonic() < deadline
            time.sleep(0.2)
    assert not _search_processes()


def test_a_stop_reaches_a_worker_inside_a_cp_sat_stage() -> None:
    """The console's Stop must end a CP-SAT stage at once: a Python signal handler alone runs only
    when the stage ends. On the huge day with 60 s, the first CP-SAT run lasts about 3 s and starts
    right after the worker reports the greedy schedule; the stop comes 0.5 s after that report,
    inside it. (A fixed 1.5 s from the start was sometimes still in the worker's model building
    on a loaded machine, and then the whole of the finish came after the stop.) Seen only at the
    stage's end, the answer would come 2.5 s or more after the stop; seen at once, it comes after
    the finish (rooms, score: about half a second here)."""
    import threading

    from app.scheduler.remote import solve_in_worker

    inst = generate("huge", 1)
    stop = threading.Event()
    stopped_at: list[float] = []

    def stop_soon(_progress: object) -> None:
        if not stopped_at:
            stopped_at.append(time.perf_counter() + 0.5)
            threading.Timer(0.5, stop.set).start()

    sol = solve_in_worker(inst, Config(time_limit=60), stop=stop, on_progress=stop_soon)
    assert stopped_at, "the worker reported no progress"
    waited = time.perf_counter() - stopped_at[0]
    assert sol.stats is not None and not violations(inst, sol.placements)
    assert waited < 1.5, f"the worker answered {waited:.1f} s after the stop"
    assert not _search_processes()
