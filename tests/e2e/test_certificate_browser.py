"""PD certificates in a real browser, at a person's pace: the organizer types the settings; a 375 px
phone, checked in to both slots (rows written as the door would), types its name with pauses, gets
its certificate, downloads the PDF (it parses, with the name and hours), opens the printable page
(one sheet in print, A4 and Letter) and the public check its QR code points to. Screenshots of the
printed certificate and of the check on a phone go to test-artifacts/certificates/."""

from __future__ import annotations

import io
import re
import sqlite3
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from tests.e2e.conftest import ARTIFACTS, LiveApp
from tests.e2e.events import join_on_phone, make_event, organizer_page
from tests.e2e.pages import axe, describe, screenshot, serious

pytestmark = pytest.mark.slow

SMALL_PHONE = {
    "viewport": {"width": 375, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
SHOTS = ARTIFACTS / "certificates"
PAUSE_MS = 700
NAME = "Zoë Ångström-Núñez"


def _check_in_both_slots(db: Path, code: str, name: str) -> None:
    """As the door's QR code would: the attendee in a session of each slot, from its start (09:30 and
    10:30 in Chicago, 15:30 and 16:30 UTC)."""
    with sqlite3.connect(db, timeout=30) as con:
        event_id, attendee_id = con.execute(
            "SELECT e.id, a.id FROM event e JOIN attendee a ON a.event_id = e.id WHERE e.code = ? AND a.name = ?",
            (code, name),
        ).fetchone()
        slots = con.execute("SELECT id, start FROM time_slot WHERE event_id = ? ORDER BY start", (event_id,)).fetchall()
        topics = [row[0] for row in con.execute("SELECT id FROM topic WHERE event_id = ? ORDER BY id", (event_id,))]
        for (slot_id, start), topic_id in zip(slots, topics, strict=False):
            hours, minutes = (int(x) for x in start.split(":"))
            at = f"2027-03-13 {hours + 6:02d}:{minutes:02d}:00.000000"
            con.execute(
                "INSERT INTO check_in (event_id, attendee_id, slot_id, topic_id, source, at) VALUES (?, ?, ?, ?, 'door', ?)",
                (event_id, attendee_id, slot_id, topic_id, at),
            )


def _settings(org: Page) -> None:
    org.get_by_label("Offer PD certificates to attendees").check()
    for label, text in (
        ("Issuing organization", "Valley Teachers Network"),
        ("Signer's name", "María López"),
        ("Signer's title", "Director of Professional Learning"),
        ("Place", "Lincoln Middle School"),
    ):
        org.get_by_label(label).press_sequentially(text, delay=15)
    org.get_by_role("button", name="Save the settings").click()
    expect(org.locator("#certificates-notice")).to_have_text("Certificate settings saved.")


def test_a_phone_gets_its_certificate_prints_it_and_checks_it(live_app: LiveApp, browser: Browser) -> None:  # noqa: F811
    event = make_event(live_app.url, name="Edcamp Valley", phase="proposing")
    lead = event.attendee("Lead")
    event.propose(lead, "Sketchnoting in science", facilitate=True)
    event.propose(lead, "Podcasts with seventh graders", facilitate=True)
    event.build()
    event.publish()
    org = organizer_page(browser, event, "/certificates")
    _settings(org)

    phone = join_on_phone(browser, live_app.url, event.code, NAME, **SMALL_PHONE)
    _check_in_both_slots(live_app.log.parent / "e2e.db", event.code, NAME)
    phone.goto(f"{live_app.url}/e/{event.code}/my")
    phone.get_by_role("link", name="My PD certificate").tap()
    expect(phone.locator("#cert-total")).to_have_text("1.67 hours")  # two 50-minute slots
    field = phone.get_by_label("Your name, as it should be printed")
    field.fill("")
    field.press_sequentially("Zoë Ångström", delay=60)
    phone.wait_for_timeout(PAUSE_MS)  # a person checking the spelling
    field.press_sequentially("-Núñez", delay=60)
    phone.get_by_role("button", name="Get my certificate").tap()
    expect(phone.locator("#certificate-done")).to_be_visible()
    code = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}", phone.locator(".cert-code").inner_text()).group(0)  # type: ignore[union-attr]
    assert not serious(found := axe(phone)), describe(found)
    screenshot(phone, SHOTS / "my-certificate-phone.png", full_page=True)

    with phone.expect_download() as download:
        phone.get_by_role("button", name="Download the PDF").tap()
    text = " ".join(PdfReader(io.BytesIO(Path(download.value.path()).read_bytes())).pages[0].extract_text().split())
    assert NAME in text and "1.67 hours" in text and code in text and "Valley Teachers Network" in text
    assert download.value.suggested_filename == f"certificate-{code}-zoe-angstrom-nunez.pdf"

    phone.get_by_role("button", name="Open the printable page").tap()
    expect(phone.locator("#cert-name")).to_have_text(NAME)
    phone.emulate_media(media="print")
    screenshot(phone, SHOTS / "printable-phone-print-media.png", full_page=True)
    for paper in ("A4", "Letter"):
        printed = PdfReader(io.BytesIO(phone.pdf(format=paper, print_background=True)))
        assert len(printed.pages) == 1, paper
        assert NAME in printed.pages[0].extract_text()
    phone.emulate_media(media="screen")
    desk = browser.new_context(viewport={"width": 1000, "height": 1300}).new_page()
    desk.context.add_cookies(phone.context.cookies())
    desk.goto(phone.url)
    desk.emulate_media(media="print")
    screenshot(desk, SHOTS / "printable-a4-print-media.png", full_page=True)
    desk.context.close()

    verify = f"{live_app.base_url}/e/{event.code}/certificates/{code}"
    assert verify in phone.content()  # the printed link and QR use the install's public address
    stranger = browser.new_context(**SMALL_PHONE).new_page()  # type: ignore[arg-type]
    stranger.goto(f"{live_app.base_url}/e/{event.code.lower()}/certificates/{code.replace('-', '').lower()}")
    expect(stranger.locator("#check-state")).to_contain_text("Valid certificate")
    expect(stranger.locator("#check-name")).to_have_text(NAME)
    expect(stranger.locator("#check-hours")).to_have_text("1.67 hours")
    expect(stranger.locator("#check-event")).to_have_text("Edcamp Valley · March 13, 2027")
    assert "Sketchnoting" not in stranger.content()
    assert not serious(found := axe(stranger)), describe(found)
    screenshot(stranger, SHOTS / "check-valid-phone.png", full_page=True)

    org.reload()
    org.get_by_label(f"Why revoke the certificate of {NAME}").press_sequentially("Signed in for a friend", delay=10)
    org.get_by_role("button", name=re.compile("^Revoke")).click()
    expect(org.locator("#certificates-notice")).to_contain_text(f"Certificate {code} revoked.")
    stranger.reload()
    expect(stranger.locator("#check-state")).to_contain_text("Not valid: this certificate was revoked")
    assert NAME not in stranger.content()
    screenshot(stranger, SHOTS / "check-revoked-phone.png", full_page=True)
    screenshot(org, SHOTS / "organizer-list.png", full_page=True)
    for page in (phone, stranger, org):
        page.context.close()
