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

from app.models import Event, Prize, SurveyQuestion, saved_id
from app.models.closing import ISSUER_MAX, PRIZE_MAX, QUESTION_MAX, SIGNER_MAX, SURVEY_KINDS

#: Survey questions and prizes an imported file may add (a day has a handful of each).
ITEMS_MAX = 50
CHOICES_MAX = 12
CHOICE_MAX = 80
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
    if not isinstance(raw, dict) or raw.get("kind") not in SURVEY_KINDS:
        return None
    prompt = _text(raw.get("prompt"), QUESTION_MAX)
    if not prompt:
        return None
    choices: list[str] = []
    if raw["kind"] == "choice":
        listed = raw.get("choices")
        choices = [c for c in (_text(c, CHOICE_MAX) for c in (listed if isinstance(listed, list) else [])) if c]
        if not 2 <= len(choices) <= CHOICES_MAX or len(set(choices)) != len(choices):
            return None
    return SurveyQuestion(
        event_id=event_id,
        position=position,
        kind=raw["kind"],
        prompt=prompt,
        choices=choices,
        required=_flag(raw, "required", False),
    )


def _prize(raw: object, position: int, event_id: int) -> Prize | None:
    if not isinstance(raw, dict):
        return None
    name, sponsor = _text(raw.get("name"), PRIZE_MAX), _text(raw.get("sponsor", ""), PRIZE_MAX)
    if not name or sponsor is None:
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
    questions = [
        _question(q, n, event_id) for n, q in enumerate(listed[:ITEMS_MAX] if isinstance(listed, list) else [])
    ]
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
