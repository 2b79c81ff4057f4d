"""Signed tokens for attendees and organizers, and CSRF tokens for forms.

An attendee's cookie and bearer token are the same signed value ``[event_id, attendee_id]``; an
organizer's are ``[event_id, organizer_id, token_version]`` under another salt, so one can never
pass as the other. An organizer's token is also timed: it expires, and it stops working as soon as
the organizer's ``token_version`` is bumped (a new organizer link, removal, signing out).
"""

from __future__ import annotations

import hmac
import math
import secrets

from itsdangerous import BadSignature, URLSafeSerializer, URLSafeTimedSerializer
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.models import InstanceSetting

CSRF_COOKIE = "tf_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def attendee_cookie_name(code: str) -> str:
    return f"tf_a_{code}"


def organizer_cookie_name(code: str) -> str:
    return f"tf_o_{code}"


class Signer:
    """Makes and reads the signed tokens of one install."""

    def __init__(self, secret_key: str) -> None:
        self._attendee = URLSafeSerializer(secret_key, salt="twofeet.attendee")
        # v2: versioned and timed; tokens of the first form (no version, no expiry) no longer sign in.
        self._organizer = URLSafeTimedSerializer(secret_key, salt="twofeet.organizer.v2")
        # Read-only: a calendar app holds this in its subscription URL, so it grants nothing else.
        self._calendar = URLSafeSerializer(secret_key, salt="twofeet.calendar")

    def attendee_token(self, *, event_id: int, attendee_id: int) -> str:
        return self._attendee.dumps([event_id, attendee_id])

    def organizer_token(self, *, event_id: int, organizer_id: int, version: int = 0) -> str:
        return self._organizer.dumps([event_id, organizer_id, version])

    def read_attendee(self, token: str | None, *, event_id: int) -> int | None:
        return _read(self._attendee, token, event_id)

    def read_organizer(self, token: str | None, *, event_id: int, max_age_s: float) -> tuple[int, int] | None:
        """``(organizer_id, token_version)`` from a token of this event no older than ``max_age_s``."""
        found = self.read_organizer_sign_in(token, max_age_s=max_age_s)
        if found is not None and found[0] == event_id:
            return found[1], found[2]
        return None

    def read_organizer_sign_in(self, token: str | None, *, max_age_s: float) -> tuple[int, int, int] | None:
        """``(event_id, organizer_id, token_version)`` from a token no older than ``max_age_s``, of
        whichever event: the caller checks the event, and the version against the organizer's."""
        if not token or len(token) > 200:
            return None
        try:
            # Token ages are whole seconds: ``age > floor(limit)`` is ``age > limit``.
            value = self._organizer.loads(token, max_age=math.floor(max_age_s))
        except BadSignature:  # SignatureExpired included
            return None
        if (
            isinstance(value, list)
            and len(value) == 3
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        ):
            return value[0], value[1], value[2]
        return None

    def calendar_token(self, *, event_id: int, attendee_id: int) -> str:
        return self._calendar.dumps([event_id, attendee_id])

    def read_calendar(self, token: str | None, *, event_id: int) -> int | None:
        return _read(self._calendar, token, event_id)


def _read(serializer: URLSafeSerializer, token: str | None, event_id: int) -> int | None:
    if not token or len(token) > 200:
        return None
    try:
        value = serializer.loads(token)
    except BadSignature:
        return None
    if (
        isinstance(value, list)
        and len(value) == 2
        and value[0] == event_id
        and isinstance(value[1], int)
        and not isinstance(value[1], bool)
    ):
        return value[1]
    return None


def new_csrf_token() -> str:
    return secrets.token_urlsafe(24)


def csrf_matches(cookie: str | None, sent: str | None) -> bool:
    return bool(cookie) and bool(sent) and hmac.compare_digest(str(cookie), str(sent))


def load_or_create_secret_key(engine: Engine) -> str:
    """The install's secret key, kept in the database so cookies survive restarts and workers agree."""
    with Session(engine) as session:
        row = session.scalars(select(InstanceSetting).where(InstanceSetting.key == "secret_key")).first()
        if row is not None:
            return row.value
        session.add(InstanceSetting(key="secret_key", value=secrets.token_urlsafe(48)))
        try:
            session.commit()
        except IntegrityError:  # another worker made it first
            session.rollback()
        row = session.scalars(select(InstanceSetting).where(InstanceSetting.key == "secret_key")).one()
        return row.value
