"""The languages of an event and of its sessions: which there are, how each is checked, tagged and set.

An event has a main language (what a phone whose browser asks for neither language gets) and may be
bilingual. A topic is held in English, Spanish or both; its proposer says which (their page's
language unless they choose). A session held in both counts as held in each: a filter on Spanish
shows it, and it never needs a ``lang`` attribute on its title.
"""

from __future__ import annotations

from sqlmodel import Session

from app.domain import audit, phases
from app.domain.changelog import record_change
from app.domain.changes import Change
from app.domain.errors import InvalidInput
from app.i18n import _
from app.models import Event, Organizer, saved_id

#: An event's main language, as the interface speaks it.
EVENT_LANGUAGES = ("en", "es")
BOTH = "both"
#: The languages a session may be held in.
TOPIC_LANGUAGES = (*EVENT_LANGUAGES, BOTH)


def validate_event_language(raw: str | None, *, field_name: str = "language") -> str:
    """``raw`` as an event language (empty: English), or InvalidInput naming the field."""
    refusal = _("{field}: '{value}' is not a language of Two Feet; use en (English) or es (Spanish).")
    return _one_of(raw, EVENT_LANGUAGES, "en", field_name, refusal)


def validate_topic_language(raw: str | None, *, field_name: str = "language", default: str = "en") -> str:
    """``raw`` as a session's language (empty: ``default``), or InvalidInput naming the field."""
    refusal = _("{field}: '{value}' is not a language a session can be held in; use en, es or both.")
    return _one_of(raw, TOPIC_LANGUAGES, default, field_name, refusal)


def _one_of(raw: str | None, allowed: tuple[str, ...], default: str, field_name: str, refusal: str) -> str:
    text = (raw or "").strip().lower() or default
    if text not in allowed:
        raise InvalidInput(refusal.format(field=field_name, value=text[:20]), field=field_name)
    return text


def proposer_default(locale: str) -> str:
    """The language a new topic is held in unless its proposer says: the language of their page."""
    return locale if locale in EVENT_LANGUAGES else "en"


def held_in(topic_language: str, language: str | None) -> bool:
    """Whether a session in ``topic_language`` is held in ``language`` (None or empty: any)."""
    return not language or topic_language in (language, BOTH)


def filter_language(raw: str | None) -> str | None:
    """A ``?language=`` filter as asked (``es``, ``en``), or None for any (an unknown one is ignored)."""
    text = (raw or "").strip().lower()
    return text if text in EVENT_LANGUAGES else None


def set_event_language(session: Session, *, event: Event, language: str, bilingual: bool, actor: Organizer) -> Event:
    """The event's main language and whether its board and printed pages speak both (audited)."""
    phases.require_phase(event, "change_settings")
    event.language = validate_event_language(language)
    event.bilingual = bilingual
    session.add(event)
    audit.record(
        session,
        event=event,
        actor=actor,
        action="language",
        detail=f"main language {event.language}, {'bilingual' if bilingual else 'one language'}",
    )
    record_change(
        session,
        event_id=saved_id(event),
        kind=Change.settings_changed,
        payload={"language": event.language, "bilingual": bilingual},
    )
    session.commit()
    return event
