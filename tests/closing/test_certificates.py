"""Issuing, the survey gate, verifying and revoking PD certificates (the domain's rules)."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.domain import certificates
from app.domain.certificates import PdSettings
from app.domain.errors import InvalidInput, NotAllowed, NotFound, WrongPhase
from app.models import AuditEntry, EventFeedback, Phase
from tests.closing.certs import attendee_with_day, check_in, published_day
from tests.factories import make_attendee


def test_issuing_counts_the_keynote_and_a_moved_slot_once(session: Session) -> None:
    day = published_day(session)
    ana = attendee_with_day(session, day)
    cert = certificates.issue_certificate(session, event=day.event, attendee=ana, name="  Ana   García ")
    assert cert.name == "Ana García" and cert.minutes == 100
    assert [(i["start"], i["title"]) for i in cert.items] == [
        ("09:00", "Opening keynote"),
        ("10:00", "Sketchnotes · Robotics"),
    ]
    assert len(cert.code) == 8 and set(cert.code) <= set(certificates.ALPHABET)


def test_issuing_again_updates_the_name_and_hours_and_keeps_the_code(session: Session) -> None:
    day = published_day(session)
    ana = attendee_with_day(session, day)
    first = certificates.issue_certificate(session, event=day.event, attendee=ana, name="Ana")
    code = first.code
    check_in(session, day, ana, 2, "11:00", topic=2)
    again = certificates.issue_certificate(session, event=day.event, attendee=ana, name="Ana García")
    assert (again.id, again.code, again.name, again.minutes) == (first.id, code, "Ana García", 150)


def test_no_certificate_without_counted_time_and_the_refusal_says_why(session: Session) -> None:
    day = published_day(session)
    late = make_attendee(session, day.event, "Late")
    check_in(session, day, late, 1, "10:40", topic=0)  # 10 minutes, under the 15
    with pytest.raises(NotAllowed, match="at least 15 minutes"):
        certificates.issue_certificate(session, event=day.event, attendee=late, name="Late Comer")


def test_the_name_is_required_and_at_most_80_characters(session: Session) -> None:
    day = published_day(session)
    ana = attendee_with_day(session, day)
    with pytest.raises(InvalidInput, match="^name: ") as refused:
        certificates.issue_certificate(session, event=day.event, attendee=ana, name="   ")
    assert refused.value.field == "name"
    with pytest.raises(InvalidInput, match="80 characters"):
        certificates.issue_certificate(session, event=day.event, attendee=ana, name="x" * 81)
    assert certificates.issue_certificate(session, event=day.event, attendee=ana, name="é" * 80).name == "é" * 80


def test_the_survey_gate_refuses_until_the_exit_survey_is_answered(session: Session) -> None:
    day = published_day(session, survey=True)
    ana = attendee_with_day(session, day)
    with pytest.raises(NotAllowed, match="exit survey"):
        certificates.issue_certificate(session, event=day.event, attendee=ana, name="Ana")
    session.add(EventFeedback(event_id=day.event.id, attendee_id=ana.id, rating=5))  # type: ignore[arg-type]
    session.commit()
    assert certificates.issue_certificate(session, event=day.event, attendee=ana, name="Ana").minutes == 100


def test_certificates_wait_for_the_published_day_and_for_the_organizer_to_offer_them(session: Session) -> None:
    day = published_day(session)
    ana = attendee_with_day(session, day)
    off = PdSettings(False, "", "", "", "", 15, False)
    certificates.update_certificate_settings(session, event=day.event, settings=off, actor=day.created.organizer)
    with pytest.raises(NotAllowed, match="does not offer"):
        certificates.issue_certificate(session, event=day.event, attendee=ana, name="Ana")
    day.event.phase = Phase.scheduled
    with pytest.raises(WrongPhase, match="published"):
        certificates.issue_certificate(session, event=day.event, attendee=ana, name="Ana")


def test_settings_refusals_name_each_field(session: Session) -> None:
    day = published_day(session)
    bad = PdSettings(True, "p" * 121, "", "", "t" * 81, 0, False)
    with pytest.raises(InvalidInput) as refused:
        certificates.update_certificate_settings(session, event=day.event, settings=bad, actor=day.created.organizer)
    assert [e.field for e in refused.value.field_errors] == ["place", "issuer", "signer", "signer_title", "min_minutes"]
    session.refresh(day.event)
    assert day.event.pd_issuer == "Sunnyvale District"  # nothing of a refused form is saved


def test_codes_are_found_in_any_case_with_or_without_the_dash(session: Session) -> None:
    day = published_day(session)
    cert = certificates.issue_certificate(
        session, event=day.event, attendee=attendee_with_day(session, day), name="Ana"
    )
    shown = certificates.display_code(cert.code)
    assert shown[4] == "-" and len(shown) == 9
    for typed in (cert.code, shown, shown.lower(), f" {cert.code.lower()} "):
        assert certificates.find_certificate(session, event=day.event, typed=typed).id == cert.id
    assert certificates.normalize_code("abcd-ilo0") == "ABCD1100"
    with pytest.raises(NotFound):
        certificates.find_certificate(session, event=day.event, typed="ZZZZ-ZZZZ")
    with pytest.raises(NotFound):
        certificates.find_certificate(session, event=day.event, typed=cert.code[:6])


def test_revoking_needs_a_reason_is_audited_and_blocks_reissuing(session: Session) -> None:
    day = published_day(session)
    ana = attendee_with_day(session, day)
    cert = certificates.issue_certificate(session, event=day.event, attendee=ana, name="Ana")
    organizer = day.created.organizer
    with pytest.raises(InvalidInput, match="^reason: "):
        certificates.revoke_certificate(session, event=day.event, certificate_id=cert.id, reason=" ", actor=organizer)  # type: ignore[arg-type]
    certificates.revoke_certificate(
        session,
        event=day.event,
        certificate_id=cert.id,
        reason="Left at 9:15",
        actor=organizer,  # type: ignore[arg-type]
    )
    assert cert.revoked_at is not None and cert.revoked_reason == "Left at 9:15"
    audit = session.exec(select(AuditEntry).where(AuditEntry.action == "certificate_revoked")).one()
    assert "Left at 9:15" in audit.detail and certificates.display_code(cert.code) in audit.detail
    with pytest.raises(NotAllowed, match="revoked"):
        certificates.issue_certificate(session, event=day.event, attendee=ana, name="Ana")
    with pytest.raises(NotFound):
        certificates.revoke_certificate(session, event=day.event, certificate_id=999999, reason="x", actor=organizer)


def test_codes_are_unique_and_random() -> None:
    codes = {certificates.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == 8 and not set(c) & set("ILOU") for c in codes)
