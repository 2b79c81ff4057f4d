"""Refusals in the request's language: problem details, form pages and pydantic's own refusals.

With ``Accept-Language: es`` the API's ``title``, ``detail`` and each ``errors[].message`` are
Spanish, while ``status``, ``code`` and ``field`` stay as in English; without the header the same
request answers in English exactly as before.
"""

from __future__ import annotations

import copy
from typing import Any

from fastapi.testclient import TestClient

from tests.api.test_api import bearer, join, open_proposing, propose
from tests.factories import EVENT_BODY
from tests.pages.test_pages import EVENT_FORM, csrf

ES = {"Accept-Language": "es"}


def _both(client: TestClient, method: str, url: str, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The same request answered in English and in Spanish: same status, code and fields."""
    headers = kwargs.pop("headers", {})
    english = client.request(method, url, headers=headers, **kwargs)
    spanish = client.request(method, url, headers={**headers, **ES}, **kwargs)
    assert english.status_code == spanish.status_code, (english.text, spanish.text)
    assert spanish.headers["content-type"].startswith("application/problem+json")
    assert spanish.headers["content-language"] == "es"
    en, es = english.json(), spanish.json()
    assert (en["status"], en["code"], en.get("field")) == (es["status"], es["code"], es.get("field"))
    assert [e["field"] for e in en.get("errors", [])] == [e["field"] for e in es.get("errors", [])]
    assert en["title"] != es["title"] and en["detail"] != es["detail"]
    for a, b in zip(en.get("errors", []), es.get("errors", []), strict=True):
        assert a["message"] != b["message"], (a, b)
    return en, es


def _event(client: TestClient, **overrides: Any) -> dict[str, Any]:
    body = copy.deepcopy(EVENT_BODY)
    body.update(overrides)
    response = client.post("/api/v1/events", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_a_refused_event_is_told_in_spanish(client: TestClient) -> None:
    body = copy.deepcopy(EVENT_BODY)
    body["rooms"][1]["capacity"] = 0
    body["slots"][1] = {"start": "10:00", "end": "11:00"}
    en, es = _both(client, "POST", "/api/v1/events", json=body)
    assert en["title"] == "A value was refused" and es["title"] == "Se rechazó un valor"
    assert en["code"] == "invalid" and en["status"] == 422
    messages = {e["field"]: e["message"] for e in es["errors"]}
    assert messages["rooms[1].capacity"] == "las plazas deben ser un número entero de 1 a 10000."
    assert "rooms[1].capacity: las plazas deben ser un número entero de 1 a 10000." in es["detail"]
    assert messages["slots[1].start"] == "10:00–11:00 se solapa con la Franja 1 (09:30–10:20)."
    english = {e["field"]: e["message"] for e in en["errors"]}
    assert english["slots[1].start"] == "10:00 AM–11:00 AM overlaps Slot 1 (9:30 AM–10:20 AM)."


def test_a_topic_and_a_mark_refused_in_spanish(client: TestClient) -> None:
    created = _event(client, vote_budget=1)
    code = created["code"]
    open_proposing(client, created)
    token = join(client, code)
    first, second = propose(client, code, token, "Recess"), propose(client, code, token, "Podcasts")
    en, es = _both(client, "POST", f"/api/v1/events/{code}/topics", json={"title": "  "}, headers=bearer(token))
    assert es["errors"][0]["field"] == "title" and "al menos 1 carácter" in es["errors"][0]["message"]
    assert "at least 1 character" in en["errors"][0]["message"]
    marked = client.put(f"/api/v1/events/{code}/topics/{first['id']}/interest", headers=bearer(token))
    assert marked.status_code == 200, marked.text
    en, es = _both(client, "PUT", f"/api/v1/events/{code}/topics/{second['id']}/interest", headers=bearer(token))
    assert en["code"] == "budget_exhausted" and en["title"] == "No marks left"
    assert es["title"] == "No te quedan marcas"
    assert es["detail"] == "Ya usaste 1 marca, la única que tienes. Desmarca un tema para marcar este."


def test_not_found_malformed_json_and_pydantic_refusals_in_spanish(client: TestClient) -> None:
    en, es = _both(client, "GET", "/api/v1/events/ZZZZZZ")
    assert en["status"] == 404 and es["detail"].startswith("Ningún evento tiene el código 'ZZZZZZ'")
    en, es = _both(client, "GET", "/api/v1/nothing-here")
    assert (en["title"], es["title"]) == ("Not Found", "No encontrado") and en["code"] == "not_found"
    assert es["detail"].startswith("No hay nada en esta dirección")
    broken = {"content": '{"name": ', "headers": {"Content-Type": "application/json"}}
    en, es = _both(client, "POST", "/api/v1/events", **broken)
    assert en["code"] == "malformed_json" and "not valid JSON near character" in en["detail"]
    assert es["title"] == "JSON mal formado" and "no es JSON válido cerca del carácter" in es["detail"]
    wrong = {**copy.deepcopy(EVENT_BODY), "vote_budget": "many"}
    del wrong["name"]
    en, es = _both(client, "POST", "/api/v1/events", json=wrong)
    spanish = {e["field"]: e["message"] for e in es["errors"]}
    assert spanish == {"name": "este campo es obligatorio", "vote_budget": "escribe un número entero"}
    assert {e["field"]: e["message"] for e in en["errors"]}["name"] == "Field required"


def test_an_event_form_refused_in_spanish_shows_spanish_beside_the_field(client: TestClient) -> None:
    form = {**EVENT_FORM, "room_capacity": ["60", "lots"], "csrf_token": csrf(client)}
    page = client.post("/events", data=form, headers=ES)
    assert page.status_code == 422
    assert "Sala 2: las plazas deben ser un número entero de 1 a 10000" in page.text
    english = client.post("/events", data=form)
    assert "Room 2: seats must be a whole number from 1 to 10000" in english.text
