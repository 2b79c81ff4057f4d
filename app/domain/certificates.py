"""PD-hours certificates: the organizer's settings, issuing one to an attendee, verifying and revoking.

Hours come from the check-ins (``CheckIn``; written by the check-in part of the day) through the
pure count in :mod:`app.domain.pdhours`. An attendee types the name to print and gets one
certificate (issuing again updates the name and hours and keeps the code). Each has a short code,
8 characters of Crockford's base32 (no I, L, O or U: nothing to misread), printed as ``XXXX-XXXX``
with a QR code to the public page, which confirms the name, hours and event and nothing else. A
revoked certificate stays in the list (with its reason) and its public page says it is not valid.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.domain import audit, feedback, phases, rows, talks
from app.domain.errors import InvalidInput, NotAllowed, NotFound, about
from app.domain.eventspec import Collect
from app.domain.pdhours import Presence, SlotSpan, Tally, at_local, aware, count_minutes, zone_of
from app.domain.text import control_character, strip_bidi
from app.i18n import _
from app.models import Attendee, Certificate, CheckIn, Event, Organizer, Topic, saved_id
from app.models.closing import CERT_NAME_MAX, ISSUER_MAX, SIGNER_MAX
from app.models.util import utcnow

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32
CODE_LENGTH = 8
PLACE_MAX = 120
REASON_MAX = 200
MIN_MINUTES_MAX = 240


# Codes --------------------------------------------------------------------------------------------


def new_code() -> str:
    """A fresh random code (8 characters, 40 bits), not yet checked for uniqueness."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def display_code(code: str) -> str:
    """``ABCD1234`` as people read and type it: ``ABCD-1234``."""
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code


def normalize_code(typed: str) -> str:
    """What a person typed or a QR code carried, as stored: upper case, without dashes or spaces,
    the look-alikes read as Crockford reads them (I and L are 1, O is 0)."""
    plain = "".join(ch for ch in typed.upper() if ch not in "- ")
    return plain.translate(str.maketrans("ILO", "110"))


# Settings -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PdSettings:
    """The organizer's certificate settings as a form sends them."""

    enabled: bool
    place: str
    issuer: str
    signer: str
    signer_title: str
    min_minutes: int
    needs_survey: bool


def _line(found: Collect, name: str, value: str, limit: int, *, required: bool = False) -> str:
    text = strip_bidi(value).strip()
    bad = control_character(text)
    if bad is not None:
        found.add(name, _("contains a control character ({character}); remove it and try again.").format(character=bad))
    elif len(text) > limit:
        found.add(name, _("keep it to {limit} characters.").format(limit=limit))
    elif required and not text:
        found.add(name, _("required while certificates are offered; type it, or turn certificates off."))
    return text


def update_certificate_settings(session: Session, *, event: Event, settings: PdSettings, actor: Organizer) -> Event:
    """Turn certificates on or off and say who issues them, where, and how hours count."""
    phases.require_phase(event, "manage_certificates")
    found = Collect()
    place = _line(found, "place", settings.place, PLACE_MAX)
    issuer = _line(found, "issuer", settings.issuer, ISSUER_MAX, required=settings.enabled)
    signer = _line(found, "signer", settings.signer, SIGNER_MAX, required=settings.enabled)
    title = _line(found, "signer_title", settings.signer_title, SIGNER_MAX)
    if not 1 <= settings.min_minutes <= MIN_MINUTES_MAX:
        found.add("min_minutes", _("give a number of minutes from 1 to {limit}.").format(limit=MIN_MINUTES_MAX))
    found.raise_any()
    event.pd_enabled, event.place, event.pd_issuer, event.pd_signer = settings.enabled, place, issuer, signer
    event.pd_signer_title, event.pd_min_minutes = title, settings.min_minutes
    event.pd_needs_survey = settings.needs_survey
    session.add(event)
    audit.record(
        session,
        event=event,
        actor=actor,
        action="certificate_settings",
        detail=f"{'on' if settings.enabled else 'off'}, issuer {issuer!r}, signer {signer!r}, "
        f"{settings.min_minutes} min per slot, survey {'required' if settings.needs_survey else 'optional'}",
    )
    session.commit()
    return event


# Hours --------------------------------------------------------------------------------------------


def _day(event: Event, presences: list[Presence]) -> date | None:
    """The event's date; without one, the local day of the first check-in."""
    try:
        return date.fromisoformat(event.date)
    except ValueError:
        first = min((aware(p.at) for p in presences), default=None)
        return first.astimezone(zone_of(event.timezone)).date() if first else None


def _spans(session: Session, event: Event, day: date) -> list[SlotSpan]:
    zone, by_slot, spans = zone_of(event.timezone), talks.talks_by_slot(session, event=event), []
    for slot in rows.slots(session, event):
        start, end = at_local(day, slot.start, zone), at_local(day, slot.end, zone)
        if start is None or end is None:
            continue
        said = tuple(f"{t.title} — {t.speaker}" if t.title else t.speaker for t in by_slot.get(saved_id(slot), []))
        title = slot.title or slot.kind.label
        spans.append(SlotSpan(saved_id(slot), start, end, slot.kind, title, said, (slot.start, slot.end)))
    return spans


def tally_for(session: Session, *, event: Event, attendee: Attendee) -> Tally:
    """What the attendee's check-ins count for, by the event's rule."""
    checkins = list(session.scalars(select(CheckIn).where(CheckIn.attendee_id == attendee.id)))
    topic_ids = {c.topic_id for c in checkins if c.topic_id is not None}
    titles = {
        saved_id(t): t.title for t in session.scalars(select(Topic).where(col(Topic.id).in_(topic_ids)))
    }  # fmt: skip
    presences = [Presence(c.slot_id, c.at, c.left_at, titles.get(c.topic_id) if c.topic_id else None) for c in checkins]
    day = _day(event, presences)
    if day is None:
        return Tally(counted=[], minutes=0)
    return count_minutes(_spans(session, event, day), presences, min_minutes=event.pd_min_minutes)


# Issuing ------------------------------------------------------------------------------------------


def certificate_of(session: Session, *, attendee: Attendee) -> Certificate | None:
    """The attendee's certificate, if one was issued."""
    return session.scalars(select(Certificate).where(Certificate.attendee_id == attendee.id)).first()


def survey_done(session: Session, *, attendee: Attendee) -> bool:
    """Whether the attendee has answered the exit survey (the survey's own rule, the raffle's too)."""
    return feedback.survey_done(session, attendee_id=saved_id(attendee))


def clean_name(name: str) -> str:
    """The name to print: required, one line, at most 80 characters."""
    text = " ".join(strip_bidi(name).split())
    bad = control_character(name.replace("\n", " ").replace("\r", " ").replace("\t", " "))
    if bad is not None:
        message = _("contains a control character ({character}); remove it and try again.").format(character=bad)
        raise InvalidInput(about("name", message), field="name")
    if not text:
        raise InvalidInput(_("name: type your name as it should be printed."), field="name")
    if len(text) > CERT_NAME_MAX:
        raise InvalidInput(_("name: keep it to {limit} characters.").format(limit=CERT_NAME_MAX), field="name")
    return text


def _unique_code(session: Session) -> str:
    for _try in range(20):
        code = new_code()
        if session.scalars(select(Certificate.id).where(Certificate.code == code)).first() is None:
            return code
    raise RuntimeError("no free certificate code after 20 tries")  # 2**40 codes: never, in practice


def issue_certificate(session: Session, *, event: Event, attendee: Attendee, name: str) -> Certificate:
    """Issue (or bring up to date) the attendee's certificate with the name to print."""
    phases.require_phase(event, "get_certificate")
    if not event.pd_enabled:
        raise NotAllowed(_("This event does not offer PD certificates. Ask the organizers if you need one."))
    printed = clean_name(name)
    existing = certificate_of(session, attendee=attendee)
    if existing is not None and existing.revoked_at is not None:
        raise NotAllowed(_("The organizers revoked your certificate. Ask them if you think it is a mistake."))
    if event.pd_needs_survey and not survey_done(session, attendee=attendee):
        raise NotAllowed(
            _("Answer the exit survey first (two minutes): the organizers ask for it before certificates.")
        )
    tally = tally_for(session, event=event, attendee=attendee)
    if tally.minutes <= 0:
        raise NotAllowed(
            _(
                "No time counts yet, so there is no certificate to issue. A session or plenary counts when you "
                "were checked in for at least {minutes} minutes of it: scan the QR code at the door or tap "
                "“I'm here” on the session's page, or ask an organizer to check you in."
            ).format(minutes=event.pd_min_minutes)
        )
    certificate = existing or Certificate(
        event_id=saved_id(event), attendee_id=attendee.id, code=_unique_code(session), name=printed
    )
    certificate.name, certificate.minutes, certificate.items = printed, tally.minutes, tally.items
    certificate.issued_at = utcnow()
    session.add(certificate)
    try:
        session.commit()
    except IntegrityError:  # the same phone twice at once: the other request issued it; update that one
        session.rollback()
        if existing is not None:
            raise
        return issue_certificate(session, event=event, attendee=attendee, name=name)
    return certificate


# Verifying and revoking ---------------------------------------------------------------------------


def find_certificate(session: Session, *, event: Event, typed: str) -> Certificate:
    """The event's certificate with this code (as typed: any case, with or without the dash)."""
    code = normalize_code(typed)
    found = session.scalars(
        select(Certificate).where(Certificate.event_id == event.id, Certificate.code == code)
    ).first()  # fmt: skip
    if found is None or len(code) != CODE_LENGTH:
        raise NotFound(_("No certificate of this event has the code {code}. Check the code and try again.").format(
            code=display_code(code[:CODE_LENGTH])
        ))  # fmt: skip
    return found


def certificates_of(session: Session, *, event: Event) -> list[Certificate]:
    """Every certificate issued at the event, by name."""
    query = (
        select(Certificate).where(Certificate.event_id == event.id).order_by(col(Certificate.name), col(Certificate.id))
    )
    return list(session.scalars(query))


def revoke_certificate(
    session: Session, *, event: Event, certificate_id: int, reason: str, actor: Organizer
) -> Certificate:
    """Revoke a certificate, with the reason (audited); its public page then says it is not valid."""
    phases.require_phase(event, "manage_certificates")
    certificate = rows.require(
        session,
        Certificate,
        certificate_id,
        event=event,
        field="certificate_id",
        message=_("That certificate is not in this event's list. Reload the page."),
    )
    why = " ".join(strip_bidi(reason).split())
    if control_character(reason.replace("\n", " ").replace("\r", " ")) is not None:
        raise InvalidInput(_("reason: contains a control character; remove it and try again."), field="reason")
    if not why:
        raise InvalidInput(_("reason: say why it is revoked (the audit log keeps it)."), field="reason")
    if len(why) > REASON_MAX:
        raise InvalidInput(_("reason: keep it to {limit} characters.").format(limit=REASON_MAX), field="reason")
    if certificate.revoked_at is None:
        certificate.revoked_at, certificate.revoked_reason = utcnow(), why
        session.add(certificate)
        audit.record(
            session,
            event=event,
            actor=actor,
            action="certificate_revoked",
            detail=f"{display_code(certificate.code)} ({certificate.name}): {why}",
        )
        session.commit()
    return certificate
