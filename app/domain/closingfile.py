"""The close of the day's set-up, carried by the event file and by "new event like this one".

The event file's ``closing`` extra (readers of ``twofeet.event/1`` ignore it) holds what an
organizer prepared, never what people did on the day:

    "closing": {
      "place": "Roosevelt High School, Fresno",
      "certificates": {"enabled": true, "issuer": "...", "signer": "...", "signer_title": "...",
                       "min_minutes": 15, "needs_survey": false},
      "raffle": {"needs_checkin": true, "needs_survey": false},
      "survey": [{"kind": "scale" | "choice" | "text", "prompt": "...", "choices": [...], "required": false}],
      "prizes": [{"name": "...", "sponsor": "..."}]
    }

Check-ins, certificates, survey answers, smackdown shares and raffle draws are the day's record of
people and stay out of it. Import is forgiving as the marking ``settings`` are: a value out of range
keeps the default, a malformed question or prize is left out. A new event like this one takes the
place, the certificate and raffle settings and the survey's questions; prizes are each day's own.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from app.domain import raffle_prizes, survey
from app.domain.errors import DomainError
from app.models import Event, Prize, SurveyQuestion, saved_id
from app.models.closing import ISSUER_MAX, SIGNER_MAX

#: Prizes an imported file may add (a day has a handful); questions stop where the console's do.
ITEMS_MAX = 50
MIN_MINUTES_MAX = 240


def _questions(session: Session, event: Event) -> list[SurveyQuestion]:
    query = select(SurveyQuestion).where(SurveyQuestion.event_id == event.id)
    return list(session.exec(query.order_by(col(SurveyQuestion.position), col(SurveyQuestion.id))))


def _prizes(session: Session, event: Event) -> list[Prize]:
    query = select(Prize).where(Prize.event_id == event.id)
    return list(session.exec(query.order_by(col(Prize.position), col(Prize.id))))


def export_closing(session: Session, *, event: Event) -> dict[str, Any]:
    """The ``closing`` extra of ``event``'s file."""
    return {
        "place": event.place,
        "certificates": {
            "enabled": event.pd_enabled,
            "issuer": event.pd_issuer,
            "signer": event.pd_signer,
            "signer_title": event.pd_signer_title,
            "min_minutes": event.pd_min_minutes,
            "needs_survey": event.pd_needs_survey,
        },
        "raffle": {"needs_checkin": event.raffle_needs_checkin, "needs_survey": event.raffle_needs_survey},
        "survey": [
            {"kind": q.kind, "prompt": q.prompt, "choices": list(q.choices), "required": q.required}
            for q in _questions(session, event)
        ],
        "prizes": [{"name": p.name, "sponsor": p.sponsor} for p in _prizes(session, event)],
    }


def _text(raw: object, limit: int) -> str | None:
    """One line of at most ``limit`` characters, or None."""
    if not isinstance(raw, str):
        return None
    text = " ".join(raw.split())
    return text if len(text) <= limit else None


def _flag(raw: dict[str, Any], key: str, default: bool) -> bool:
    value = raw.get(key)
    return value if isinstance(value, bool) else default


def _question(raw: object, position: int, event_id: int) -> SurveyQuestion | None:
    """A question of the file, checked as the console checks one (``survey.clean_question``)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("kind"), str) or not isinstance(raw.get("prompt"), str):
        return None
    listed = raw.get("choices", [])
    if not isinstance(listed, list) or not all(isinstance(choice, str) for choice in listed):
        return None
    try:
        text = survey.clean_question(kind=raw["kind"], prompt=raw["prompt"], choices=listed)
    except DomainError:
        return None
    return SurveyQuestion(
        event_id=event_id,
        position=position,
        kind=text.kind,
        prompt=text.prompt,
        choices=text.choices,
        required=_flag(raw, "required", False),
    )


def _prize(raw: object, position: int, event_id: int) -> Prize | None:
    """A prize of the file, checked as the console checks one (``raffle_prizes.clean_prize``)."""
    if not isinstance(raw, dict):
        return None
    name, sponsor = raw.get("name"), raw.get("sponsor", "")
    if not isinstance(name, str) or not isinstance(sponsor, str):
        return None
    try:
        name, sponsor = raffle_prizes.clean_prize(name=name, sponsor=sponsor)
    except DomainError:
        return None
    return Prize(event_id=event_id, position=position, name=name, sponsor=sponsor)


def apply_settings(event: Event, raw: object) -> None:
    """The place and the certificate and raffle settings of a ``closing`` extra, onto ``event``."""
    closing = raw if isinstance(raw, dict) else {}
    place = _text(closing.get("place", ""), 120)
    if place is not None:
        event.place = place
    pd = closing.get("certificates")
    pd = pd if isinstance(pd, dict) else {}
    event.pd_enabled = _flag(pd, "enabled", event.pd_enabled)
    for key, attr, limit in (
        ("issuer", "pd_issuer", ISSUER_MAX),
        ("signer", "pd_signer", SIGNER_MAX),
        ("signer_title", "pd_signer_title", SIGNER_MAX),
    ):
        text = _text(pd.get(key, ""), limit)
        if text is not None:
            setattr(event, attr, text)
    minutes = pd.get("min_minutes")
    if isinstance(minutes, int) and not isinstance(minutes, bool) and 0 <= minutes <= MIN_MINUTES_MAX:
        event.pd_min_minutes = minutes
    event.pd_needs_survey = _flag(pd, "needs_survey", event.pd_needs_survey)
    raffle = closing.get("raffle")
    raffle = raffle if isinstance(raffle, dict) else {}
    event.raffle_needs_checkin = _flag(raffle, "needs_checkin", event.raffle_needs_checkin)
    event.raffle_needs_survey = _flag(raffle, "needs_survey", event.raffle_needs_survey)


def add_items(session: Session, *, event: Event, raw: object, prizes: bool = True) -> None:
    """The survey's questions (and the prizes) of a ``closing`` extra, added to ``event`` (flushed)."""
    closing = raw if isinstance(raw, dict) else {}
    listed = closing.get("survey")
    event_id = saved_id(event)
    asked = listed[: survey.QUESTIONS_MAX] if isinstance(listed, list) else []
    questions = [_question(q, n, event_id) for n, q in enumerate(asked)]
    listed = closing.get("prizes") if prizes else None
    gifts = [_prize(p, n, event_id) for n, p in enumerate(listed[:ITEMS_MAX] if isinstance(listed, list) else [])]
    for row in (*questions, *gifts):
        if row is not None:
            session.add(row)


def copy_closing(session: Session, *, source: Event, event: Event) -> None:
    """What a new event like ``source`` keeps of its close: everything but the prizes."""
    extra = export_closing(session, event=source)
    apply_settings(event, extra)
    add_items(session, event=event, raw=extra, prizes=False)
