"""Issue 19 through the JSON API: the event's languages and each topic's, refusals naming the field."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.test_api import assert_problem, bearer, create, join, open_proposing, propose
from tests.factories import EVENT_BODY


def test_an_event_is_created_read_and_changed_with_its_languages(client: TestClient) -> None:
    created = create(client, language="es", bilingual=True)
    code, headers = created["code"], bearer(created["organizer_token"])
    settings = client.get(f"/api/v1/events/{code}").json()["settings"]
    assert (settings["language"], settings["bilingual"]) == ("es", True)
    changed = client.patch(f"/api/v1/events/{code}", json={"language": "en"}, headers=headers)
    assert changed.status_code == 200, changed.text
    assert (changed.json()["language"], changed.json()["bilingual"]) == ("en", True)
    settings = client.get(f"/api/v1/events/{code}").json()["settings"]
    assert (settings["language"], settings["bilingual"]) == ("en", True)


def test_an_event_without_languages_is_english_and_not_bilingual(client: TestClient) -> None:
    settings = client.get(f"/api/v1/events/{create(client)['code']}").json()["settings"]
    assert (settings["language"], settings["bilingual"]) == ("en", False)


def test_an_unknown_event_language_is_refused_by_its_field(client: TestClient) -> None:
    assert_problem(client.post("/api/v1/events", json={**EVENT_BODY, "language": "fr"}), 422, field="language")
    created = create(client)
    refused = client.patch(
        f"/api/v1/events/{created['code']}", json={"language": "de"}, headers=bearer(created["organizer_token"])
    )
    assert_problem(refused, 422, field="language")


def test_a_topic_is_proposed_read_and_edited_with_its_language(client: TestClient) -> None:
    created = create(client)
    open_proposing(client, created)
    code = created["code"]
    token = join(client, code)
    assert propose(client, code, token, "Math talks")["language"] == "en"
    spanish = client.post(
        f"/api/v1/events/{code}/topics",
        json={"title": "Charlas de matemáticas"},
        headers={**bearer(token), "Accept-Language": "es-MX,es;q=0.9"},
    )
    assert spanish.status_code == 201, spanish.text
    assert spanish.json()["language"] == "es"
    both = propose(client, code, token, "Both ways", language="both")
    assert both["language"] == "both"
    edited = client.patch(f"/api/v1/events/{code}/topics/{both['id']}", json={"language": "en"}, headers=bearer(token))
    assert edited.status_code == 200, edited.text
    assert edited.json()["language"] == "en"
    listed = client.get(f"/api/v1/events/{code}/topics", headers=bearer(token)).json()["topics"]
    assert sorted(t["language"] for t in listed) == ["en", "en", "es"]


def test_an_unknown_topic_language_is_refused_by_its_field(client: TestClient) -> None:
    created = create(client)
    open_proposing(client, created)
    token = join(client, created["code"])
    refused = client.post(
        f"/api/v1/events/{created['code']}/topics", json={"title": "T", "language": "fr"}, headers=bearer(token)
    )
    assert_problem(refused, 422, field="language")
