"""Organizers: signing in (the event's link, a co-organizer's link, a password), and several
people running one event, each with their own sign-in link."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from sqlalchemy import or_
from sqlmodel import Session, col, select

from app.domain import audit, rows
from app.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from app.domain.passwords import PasswordChecker, verify_untracked
from app.i18n import _
from app.models import Event, Organizer, saved_id
from app.models.util import utcnow

NAME_MAX = 60
ORGANIZERS_MAX = 20
PASSWORD_MIN = 8
PASSWORD_MAX = 200

_hasher = PasswordHasher()


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def clean_name(raw: str | None) -> str:
    name = " ".join((raw or "").split())
    if not name:
        raise InvalidInput(_("name: who is this organizer? A first name is enough."), field="name")
    if len(name) > NAME_MAX:
        raise InvalidInput(_("name: at most {n} characters.").format(n=NAME_MAX), field="name")
    return name


def list_organizers(session: Session, *, event: Event) -> list[Organizer]:
    return list(
        session.scalars(
            select(Organizer)
            .where(Organizer.event_id == event.id, col(Organizer.removed_at).is_(None))
            .order_by(col(Organizer.id))
        )
    )


def invite(session: Session, *, event: Event, name: str, actor: Organizer) -> tuple[Organizer, str]:
    """A new co-organizer and their private sign-in link's secret (returned once, stored hashed)."""
    clean = clean_name(name)
    existing = list_organizers(session, event=event)
    if len(existing) >= ORGANIZERS_MAX:
        raise Conflict(_("An event can have at most {n} organizers.").format(n=ORGANIZERS_MAX))
    if any(o.name.lower() == clean.lower() for o in existing):
        raise InvalidInput(_("name: there is already an organizer called '{name}'.").format(name=clean), field="name")
    secret = secrets.token_urlsafe(18)
    organizer = Organizer(event_id=saved_id(event), name=clean, secret_hash=hash_secret(secret))
    session.add(organizer)
    audit.record(session, event=event, actor=actor, action="co_organizer", detail=f"invited {clean}")
    session.commit()
    return organizer, secret


def remove(session: Session, *, event: Event, organizer_id: int, actor: Organizer) -> Organizer:
    """Take an organizer's access away, with every sign-in they made (cookies, API tokens).

    The first organizer can be removed too (a hand-over): the event's own link was theirs, so it
    is replaced by one nobody knows, and the next organizer in line holds it from then on (they
    make a new one from the console to see it)."""
    organizer = rows.find(session, Organizer, organizer_id, event=event)
    if organizer is None or organizer.removed_at is not None:
        raise NotFound(rows.MISSING[Organizer].format(id=organizer_id), field="organizer_id")
    if organizer.id == actor.id:
        raise NotAllowed(_("You cannot remove yourself; ask another organizer."))
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
    """The name other organizers see in the audit log (only an organizer of ``event`` is renamed there)."""
    if organizer.event_id != event.id:
        raise NotFound(_("There is no such organizer in this event."))
    organizer.name = clean_name(name)
    session.add(organizer)
    session.commit()
    return organizer


# --- signing in ---------------------------------------------------------------------------------


def check_password_rules(password: str) -> None:
    if len(password) < PASSWORD_MIN:
        raise InvalidInput(_("password: at least {n} characters.").format(n=PASSWORD_MIN), field="password")
    if len(password) > PASSWORD_MAX:
        raise InvalidInput(_("password: at most {n} characters.").format(n=PASSWORD_MAX), field="password")


def hash_password(password: str, passwords: PasswordChecker | None = None) -> str:
    check_password_rules(password)
    return passwords.hash(password) if passwords is not None else _hasher.hash(password)


def organizer_by_secret(session: Session, *, event: Event, secret: str, source: str = "") -> Organizer:
    """The organizer whose link holds ``secret``: the event's link is the first organizer's.

    A refused link (an old one after "make a new link", a removed co-organizer's, a guess) is written
    to the audit log with ``source`` (the client's address), as a wrong password is."""
    refusal = NotAllowed(
        _(
            "That organizer link is not valid for this event. Use the link you were given "
            "when the event was created, or sign in with the password."
        )
    )
    if secret:
        hashed = hash_secret(secret)
        if hmac.compare_digest(hashed, event.organizer_secret_hash):
            return require_first_organizer(session, event)
        co_organizer = session.scalars(
            select(Organizer).where(
                Organizer.event_id == event.id, Organizer.secret_hash == hashed, col(Organizer.removed_at).is_(None)
            )
        ).first()
        if co_organizer is not None:
            return co_organizer
    audit.record_failed_login(
        session, event=event, detail=f"a wrong organizer link{f' from {source}' if source else ''}"
    )
    session.commit()
    raise refusal


def organizer_by_password(
    session: Session, *, event: Event, password: str, passwords: PasswordChecker | None = None, source: str = ""
) -> Organizer:
    """The organizer whose password matches; NotAllowed otherwise (the same message either way).

    With ``passwords`` only the hashes whose keyed tag matches are checked (about one; see
    app/domain/passwords.py), plus any stored before tags existed; a success stores the missing
    tag. A failure is written to the audit log with ``source`` (the client's address)."""
    refusal = NotAllowed(_("That password is not right for this event."), field="password")
    query = select(Organizer).where(
        Organizer.event_id == event.id, col(Organizer.password_hash).is_not(None), col(Organizer.removed_at).is_(None)
    )
    tag = passwords.tag(event_id=saved_id(event), password=password) if passwords is not None and password else None
    if passwords is not None:
        query = query.where(or_(col(Organizer.password_tag) == tag, col(Organizer.password_tag).is_(None)))
    candidates = list(session.scalars(query.order_by(col(Organizer.id))))
    for organizer in candidates if password else []:
        matched = (
            passwords.verify(organizer.password_hash or "", password)
            if passwords is not None
            else verify_untracked(organizer.password_hash or "", password)
        )
        if matched:
            if passwords is not None and organizer.password_tag != tag:
                organizer.password_tag = tag
                session.add(organizer)
                session.commit()
            return organizer
    audit.record_failed_login(session, event=event, detail=f"a wrong password{f' from {source}' if source else ''}")
    session.commit()
    raise refusal


def set_organizer_password(
    session: Session, *, organizer: Organizer, password: str, passwords: PasswordChecker | None = None
) -> Organizer:
    """Set or change the password an organizer can sign in with."""
    organizer.password_hash = hash_password(password, passwords)
    organizer.password_tag = (
        passwords.tag(event_id=organizer.event_id, password=password) if passwords is not None else None
    )
    session.add(organizer)
    session.commit()
    return organizer


def require_first_organizer(session: Session, event: Event) -> Organizer:
    """The organizer who holds the event's own link: the earliest one not removed."""
    organizer = session.scalars(
        select(Organizer)
        .where(Organizer.event_id == event.id, col(Organizer.removed_at).is_(None))
        .order_by(col(Organizer.id))
    ).first()
    if organizer is None:
        raise NotFound(_("This event has no organizer."))
    return organizer


def get_organizer(session: Session, *, event: Event, organizer_id: int) -> Organizer | None:
    organizer = rows.find(session, Organizer, organizer_id, event=event)
    return None if organizer is None or organizer.removed_at is not None else organizer


def rotate_organizer_secret(session: Session, *, event: Event, actor: Organizer) -> str:
    """A new secret for the organizer link; returns it once, keeps only its hash.

    The link is the first organizer's: every sign-in made with it (browser cookies, API tokens)
    is revoked with it, by bumping that organizer's token version."""
    secret = secrets.token_urlsafe(18)
    event.organizer_secret_hash = hash_secret(secret)
    session.add(event)
    holder = require_first_organizer(session, event)
    holder.token_version += 1
    session.add(holder)
    audit.record(
        session,
        event=event,
        actor=actor,
        action="link",
        detail="made a new organizer link; the old one stopped working",
    )
    session.commit()
    return secret


# --- the events one browser organizes -------------------------------------------------------------


@dataclass(frozen=True)
class SignIn:
    """An organizer sign-in that a browser holds, its signature already checked: the event (the
    code its cookie is named by, and the id it signs), the organizer and the token's version."""

    code: str
    event_id: int
    organizer_id: int
    version: int


def organized_events(session: Session, *, sign_ins: list[SignIn]) -> list[Event]:
    """The events these sign-ins still open, the latest date first. One that no longer would (its
    organizer removed or signed out everywhere, the event's link renewed, the event gone) is left
    out without a word, as the console would refuse it."""
    if not sign_ins:
        return []
    held = {(s.event_id, s.organizer_id, s.version, s.code) for s in sign_ins}
    found = session.execute(
        select(Event, Organizer)
        .join(Organizer, col(Organizer.event_id) == col(Event.id))
        .where(col(Organizer.id).in_([s.organizer_id for s in sign_ins]), col(Organizer.removed_at).is_(None))
    )
    current = {
        saved_id(event): event
        for event, organizer in found
        if (saved_id(event), saved_id(organizer), organizer.token_version, event.code) in held
    }
    return sorted(current.values(), key=lambda event: (event.date, saved_id(event)), reverse=True)
