"""PD certificates over HTTP: the organizer's settings and list, an attendee's certificate as PDF and
printable page, the public check (nothing but name, hours, event), revoking, CSV and zip."""

from __future__ import annotations

import csv
import io
import re
import zipfile

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlmodel import Session, select

from app.domain import certificates
from app.models import Attendee, Certificate
from app.security import CSRF_COOKIE
from tests.closing.certs import Day, attendee_with_day, published_day


def _as_attendee(app: FastAPI, client: TestClient, attendee: Attendee) -> dict[str, str]:
    client.get("/")
    token = app.state.signer.attendee_token(event_id=attendee.event_id, attendee_id=attendee.id)
    return {"Authorization": f"Bearer {token}", "X-CSRF-Token": client.cookies.get(CSRF_COOKIE) or ""}


def _as_organizer(app: FastAPI, client: TestClient, day: Day) -> dict[str, str]:
    client.get("/")
    organizer = day.created.organizer
    token = app.state.signer.organizer_token(
        event_id=day.event.id, organizer_id=organizer.id, version=organizer.token_version
    )
    return {"Authorization": f"Bearer {token}", "X-CSRF-Token": client.cookies.get(CSRF_COOKIE) or ""}


def _issue(app: FastAPI, client: TestClient, day: Day, attendee: Attendee, name: str, lang: str = "en") -> Certificate:
    headers = _as_attendee(app, client, attendee)
    client.cookies.set("twofeet_lang", lang)
    posted = client.post(
        f"/e/{day.event.code}/my/certificate", data={"name": name}, headers=headers, follow_redirects=False
    )
    assert posted.status_code == 303, posted.text
    return certificates.certificate_of(Session(app.state.engine), attendee=attendee)  # type: ignore[return-value]


def _pdf_text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    assert len(reader.pages) == 1
    return " ".join(reader.pages[0].extract_text().split())


def test_an_attendee_sees_the_hours_types_a_name_and_gets_the_pdf_and_printable_page(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    day = published_day(session)
    ana = attendee_with_day(session, day)
    code, headers = day.event.code, _as_attendee(app, client, ana)
    page = client.get(f"/e/{code}/my/certificate", headers=headers)
    assert page.status_code == 200
    assert 'id="cert-total">1.67 hours<' in page.text and "Sketchnotes · Robotics" in page.text

    refused = client.post(f"/e/{code}/my/certificate", data={"name": " "}, headers=headers)
    assert refused.status_code == 422
    assert 'id="name-error"' in refused.text and "name: type your name" in refused.text

    cert = _issue(app, client, day, ana, "Zoë Ångström-Núñez")
    shown = certificates.display_code(cert.code)
    done = client.get(f"/e/{code}/my/certificate?done=1", headers=headers)
    assert shown in done.text and "Download the PDF" in done.text

    pdf = client.get(f"/e/{code}/my/certificate.pdf", headers=headers)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert f'filename="certificate-{shown}-zoe-angstrom-nunez.pdf"' in pdf.headers["content-disposition"]
    text = _pdf_text(pdf.content)
    for expected in ("Zoë Ångström-Núñez", "1.67 hours", "Edcamp Test", "March 13, 2027", "Lincoln Middle School",
                     "Sunnyvale District", "María López", "Opening keynote", "Sketchnotes · Robotics", shown,
                     f"http://testserver/e/{code}/certificates/{shown}"):  # fmt: skip
        assert expected in text, (expected, text)

    printable = client.get(f"/e/{code}/my/certificate/print", headers=headers)
    assert printable.status_code == 200
    assert 'class="cert-name" id="cert-name">Zoë Ångström-Núñez<' in printable.text
    assert "<svg" in printable.text and f"/e/{code}/certificates/{shown}" in printable.text


def test_the_pdf_and_page_are_in_spanish_for_a_spanish_phone(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    day = published_day(session)
    ana = attendee_with_day(session, day)
    cert = _issue(app, client, day, ana, "Ana García", lang="es")
    headers = _as_attendee(app, client, ana)
    client.cookies.set("twofeet_lang", "es")
    text = _pdf_text(client.get(f"/e/{day.event.code}/my/certificate.pdf", headers=headers).content)
    assert "Ana García" in text and "1,67 horas" in text and "13 de marzo de 2027" in text
    assert "Certificado" in text and certificates.display_code(cert.code) in text
    page = client.get(f"/e/{day.event.code}/my/certificate/print", headers=headers)
    assert "1,67 horas" in page.text and '<html lang="es"' in page.text


def test_the_public_page_confirms_name_hours_and_event_and_nothing_else(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    day = published_day(session)
    ana = attendee_with_day(session, day)
    cert = _issue(app, client, day, ana, "Ana <b>García</b>")
    client.cookies.clear()
    shown = certificates.display_code(cert.code)
    for typed in (shown, shown.lower(), cert.code):
        page = client.get(f"/e/{day.event.code.lower()}/certificates/{typed}")
        assert page.status_code == 200
        assert "Valid certificate" in page.text and "Ana &lt;b&gt;García&lt;/b&gt;" in page.text
        assert "1.67 hours" in page.text and "Edcamp Test · March 13, 2027" in page.text
        for secret in ("Sketchnotes", "Robotics", "Opening keynote", "Lincoln", "Sunnyvale", "María", "attendee"):
            assert secret not in page.text, secret
        assert re.findall(r"<dt>(.*?)</dt>", page.text) == ["Name", "Hours", "Event", "Code"]
    client.cookies.set("twofeet_lang", "es")
    spanish = client.get(f"/e/{day.event.code}/certificates/{shown}").text
    assert "Certificado válido" in spanish and "1,67 horas" in spanish and "13 de marzo de 2027" in spanish
    client.cookies.clear()
    unknown = client.get(f"/e/{day.event.code}/certificates/ZZZZ-ZZZZ")
    assert unknown.status_code == 404 and "Not valid: no such certificate" in unknown.text


def test_a_revoked_certificate_fails_verification_and_its_pdf_is_gone(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    day = published_day(session)
    ana = attendee_with_day(session, day)
    cert = _issue(app, client, day, ana, "Ana García")
    org = _as_organizer(app, client, day)
    code = day.event.code
    refused = client.post(f"/e/{code}/organize/certificates/{cert.id}/revoke", data={"reason": ""}, headers=org)
    assert refused.status_code == 422 and "reason: say why" in refused.text
    revoked = client.post(
        f"/e/{code}/organize/certificates/{cert.id}/revoke",
        data={"reason": "Not there"},
        headers=org,
        follow_redirects=False,
    )
    assert revoked.status_code == 303
    listed = client.get(f"/e/{code}/organize/certificates", headers=org)
    assert "Revoked" in listed.text and "Not there" in listed.text
    client.cookies.clear()
    page = client.get(f"/e/{code}/certificates/{certificates.display_code(cert.code)}")
    assert page.status_code == 410 and "Not valid: this certificate was revoked" in page.text
    assert "Ana García" not in page.text and "1.67" not in page.text and "Not there" not in page.text
    mine = client.get(f"/e/{code}/my/certificate.pdf", headers=_as_attendee(app, client, ana), follow_redirects=False)
    assert mine.status_code == 303


def test_settings_form_refuses_by_field_and_keeps_what_was_typed(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    day = published_day(session)
    org = _as_organizer(app, client, day)
    url = f"/e/{day.event.code}/organize/certificates/settings"
    form = {"enabled": "1", "issuer": "", "signer": "Ms Signer", "signer_title": "", "place": "Gym", "min_minutes": "x"}
    refused = client.post(url, data=form, headers=org)
    assert refused.status_code == 422
    assert 'id="min_minutes-error"' in refused.text and 'value="Ms Signer"' in refused.text
    form["min_minutes"] = "20"
    refused = client.post(url, data=form, headers=org)
    assert (
        refused.status_code == 422
        and 'id="issuer-error"' in refused.text
        and "required while certificates" in refused.text
    )
    form["issuer"] = "County Office"
    saved = client.post(url, data=form, headers=org, follow_redirects=False)
    assert saved.status_code == 303
    session.refresh(day.event)
    assert (day.event.pd_issuer, day.event.pd_min_minutes, day.event.place) == ("County Office", 20, "Gym")
    closing = client.get(f"/e/{day.event.code}/organize/closing", headers=org)
    assert 'id="closing-certificates"' in closing.text and "issued by County Office" in closing.text


def test_csv_and_zip_hold_every_certificate(app: FastAPI, client: TestClient, session: Session) -> None:
    day = published_day(session)
    names = ["=cmd|' /C calc'!A0", "Ana García", "Bea"]
    for name in names:
        _issue(app, client, day, attendee_with_day(session, day, name[:10]), name)
    bea = session.exec(select(Certificate).where(Certificate.name == "Bea")).one()
    certificates.revoke_certificate(
        session, event=day.event, certificate_id=bea.id, reason="Duplicate", actor=day.created.organizer
    )  # type: ignore[arg-type]
    org = _as_organizer(app, client, day)
    got = client.get(f"/e/{day.event.code}/organize/certificates.csv", headers=org)
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(got.text)))
    assert [row["name"] for row in table] == ["'=cmd|' /C calc'!A0", "Ana García", "Bea"]
    assert {row["hours"] for row in table} == {"1.67"}
    assert all(re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", row["code"]) for row in table)
    assert table[2]["revoked"] and table[2]["revoked_reason"] == "Duplicate" and not table[1]["revoked"]
    assert re.fullmatch(r"2027-03-\d\d \d\d:\d\d|\d{4}-\d\d-\d\d \d\d:\d\d", table[0]["issued"])

    zipped = client.get(f"/e/{day.event.code}/organize/certificates.zip", headers=org)
    assert zipped.status_code == 200 and zipped.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(zipped.content))
    assert archive.testzip() is None
    files = sorted(archive.namelist())
    assert len(files) == 2 and all(f.startswith("certificate-") and f.endswith(".pdf") for f in files)  # Bea's revoked
    texts = [_pdf_text(archive.read(f)) for f in files]
    assert any("Ana García" in t for t in texts) and all("1.67 hours" in t for t in texts)


def test_organizer_pages_need_the_organizer(client: TestClient, session: Session) -> None:
    day = published_day(session)
    for path in ("organize/certificates", "organize/certificates.csv", "organize/certificates.zip"):
        assert client.get(f"/e/{day.event.code}/{path}", follow_redirects=False).status_code in (303, 401, 403)
