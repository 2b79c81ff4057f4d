"""Co-organizers: several people run one event, each with their own sign-in link."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlmodel import Session

from app.domain import audit
from app.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound, known_id
from app.domain.events import hash_secret, require_first_organizer
from app.models import Event, Organizer
from app.models.util import utcnow

NAME_MAX = 60
ORGANIZERS_MAX = 20


def clean_name(raw: str | None) -> str:
    name = " ".join((raw or "").split())
    if not name:
        raise InvalidInput("name: who is this organizer? A first name is enough.", field="name")
    if len(name) > NAME_MAX:
        raise InvalidInput(f"name: at most {NAME_MAX} characters.", field="name")
    return name


def list_organizers(session: Session, *, event: Event) -> list[Organizer]:
    return list(session.scalars(select(Organizer).where(Organizer.event_id == event.id,
                                                        Organizer.removed_at.is_(None))  # type: ignore[union-attr]
                                .order_by(Organizer.id)))


def invite(session: Session, *, event: Event, name: str, actor: Organizer) -> tuple[Organizer, str]:
    """A new co-organizer and their private sign-in link's secret (returned once, stored hashed)."""
    clean = clean_name(name)
    existing = list_organizers(session, event=event)
    if len(existing) >= ORGANIZERS_MAX:
        raise Conflict(f"An event can have at most {ORGANIZERS_MAX} organizers.")
    if any(o.name.lower() == clean.lower() for o in existing):
        raise InvalidInput(f"name: there is already an organizer called '{clean}'.", field="name")
    secret = secrets.token_urlsafe(18)
    organizer = Organizer(event_id=event.id, name=clean, secret_hash=hash_secret(secret))  # type: ignore[arg-type]
    session.add(organizer)
    audit.record(session, event=event, actor=actor, action="co_organizer", detail=f"invited {clean}")
    session.commit()
    return organizer, secret


def remove(session: Session, *, event: Event, organizer_id: int, actor: Organizer) -> Organizer:
    """Take an organizer's access away, with every sign-in they made (cookies, API tokens).

    The first organizer can be removed too (a hand-over): the event's own link was theirs, so it
    is replaced by one nobody knows, and the next organizer in line holds it from then on (they
    make a new one from the console to see it)."""
    organizer = session.get(Organizer, organizer_id) if known_id(organizer_id) else None
    if organizer is None or organizer.event_id != event.id or organizer.removed_at is not None:
        raise NotFound(f"Organizer {organizer_id} does not run this event.", field="organizer_id")
    if organizer.id == actor.id:
        raise NotAllowed("You cannot remove yourself; ask another organizer.")
    if organizer.id == require_first_organizer(session, event).id:
        event.organizer_secret_hash = hash_secret(secrets.token_urlsafe(18))
        session.add(event)
    # Keep the row: its id stays taken, so their old cookie or token can never sign in as anyone.
    organizer.removed_at = utcnow()
    organizer.secret_hash = organizer.password_hash = organizer.password_tag = None
    organizer.token_version += 1
    session.add(organizer)
    audit.record(session, event=event, actor=actor, action="co_organizer", detail=f"removed {organizer.name}")
    session.commit()
    return organizer


def sign_out_everywhere(session: Session, *, event: Event, organizer: Organizer) -> None:
    """Signing out ends every sign-in this organizer made, on every browser and every API token."""
    organizer.token_version += 1
    session.add(organizer)
    audit.record(session, event=event, actor=organizer, action="sign_out", detail="signed out everywhere")
    session.commit()


def rename(session: Session, *, event: Event, organizer: Organizer, name: str) -> Organizer:
    """The name other organizers see in the audit log."""
    organizer.name = clean_name(name)
    session.add(organizer)
    session.commit()
    return organizer
