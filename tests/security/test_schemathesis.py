"""Item 9: the API says what it accepts. /openapi.json describes the JSON API alone, and
schemathesis, run against a real server on each database, finds no server error and no answer the
schema does not describe (status, content type, body, headers, refusing what the schema refuses)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from tests.realtime.live import Server
from tests.security.helpers import create_event

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
        "negative_data_rejection",
        "unsupported_method",
    ]
)


def test_openapi_describes_the_api_alone(http: httpx.Client) -> None:
    schema = http.get("/openapi.json").json()
    assert schema["paths"] and all(path.startswith("/api/v1/") for path in schema["paths"])
    login = schema["paths"]["/api/v1/events/{code}/login"]["post"]["responses"]
    assert {"400", "401", "403", "413", "422", "429"} <= set(login)
    topic_id = next(
        p
        for p in schema["paths"]["/api/v1/events/{code}/topics/{topic_id}"]["patch"]["parameters"]
        if p["name"] == "topic_id"
    )
    assert topic_id["schema"]["maximum"] == 2**31 - 1 and topic_id["schema"]["minimum"] == 1


def test_schemathesis_finds_no_server_error_and_no_schema_violation(live: Server, tmp_path: Path) -> None:
    with httpx.Client(base_url=live.url, timeout=30) as http:
        event = create_event(http)
    config = tmp_path / "schemathesis.toml"
    # One real event and its organizer, so the cases reach the rules rather than a 404 or 401.
    config.write_text(
        f'headers = {{ Authorization = "Bearer {event.organizer_token}" }}\n[parameters]\ncode = "{event.code}"\n'
    )
    run = subprocess.run(
        [
            str(Path(sys.executable).with_name("st")),
            "--config-file",
            str(config),
            "run",
            f"{live.url}/openapi.json",
            "--checks",
            CHECKS,
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            "12",
            "--seed",
            "16",
            "--workers",
            "1",
            "--request-timeout",
            "30",
            "--no-color",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,  # its own files (.schemathesis) land there
    )
    summary = run.stdout[-3000:]
    assert run.returncode == 0, summary
    cases = [line for line in run.stdout.splitlines() if "generated" in line and "passed" in line]
    assert cases, summary
    generated = int(cases[-1].split()[0])
    assert generated >= 200, summary  # a few hundred cases, not a token run


def test_malformed_json_is_a_400_that_says_where(http: httpx.Client) -> None:
    """A body that is not JSON at all is the 400 the schema documents, not a 422 about a field."""
    event = create_event(http)
    for path, body in (
        ("/api/v1/events", '{"name": '),
        (f"/api/v1/events/{event.code}/login", "{bad"),
        (f"/api/v1/events/{event.code}/attendees", "[1, 2"),
    ):
        answer = http.post(path, content=body, headers={"Content-Type": "application/json"})
        assert answer.status_code == 400, (path, answer.status_code, answer.text)
        problem = answer.json()
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert problem["code"] == "malformed_json" and "not valid JSON near character" in problem["detail"]
    still = http.post("/api/v1/events", json={"name": 5})
    assert still.status_code == 422 and "name" in still.text, "a refused value stays a 422 naming its field"
