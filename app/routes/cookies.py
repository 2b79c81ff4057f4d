"""Setting the signed cookies that identify an attendee's device or an organizer's login, and the language cookie."""

from __future__ import annotations

from starlette.responses import Response

from app.i18n import LANG_COOKIE
from app.models import Attendee, Event, Organizer
from app.security import Signer, attendee_cookie_name, organizer_cookie_name
from app.settings import Settings

YEAR = 60 * 60 * 24 * 365


def set_attendee_cookie(
    response: Response, *, signer: Signer, settings: Settings, event: Event, attendee: Attendee
) -> None:
    assert event.id is not None and attendee.id is not None
    response.set_cookie(
        attendee_cookie_name(event.code),
        signer.attendee_token(event_id=event.id, attendee_id=attendee.id),
        max_age=YEAR,
        httponly=True,
        samesite="lax",
        secure=settings.SECURE_COOKIES,
    )


def set_organizer_cookie(
    response: Response, *, signer: Signer, settings: Settings, event: Event, organizer: Organizer
) -> None:
    assert event.id is not None and organizer.id is not None
    response.set_cookie(
        organizer_cookie_name(event.code),
        signer.organizer_token(event_id=event.id, organizer_id=organizer.id, version=organizer.token_version),
        max_age=round(settings.ORGANIZER_SESSION_DAYS * 86400),
        httponly=True,
        samesite="lax",
        secure=settings.SECURE_COOKIES,
    )


def clear_organizer_cookie(response: Response, *, event: Event) -> None:
    response.delete_cookie(organizer_cookie_name(event.code))


def new_link_cookie_name(code: str) -> str:
    return f"tf_link_{code}"


def set_new_link_cookie(response: Response, *, settings: Settings, event: Event, secret: str) -> None:
    """Carries a freshly made organizer secret to the next page of the same browser, briefly."""
    response.set_cookie(
        new_link_cookie_name(event.code),
        secret,
        max_age=600,
        httponly=True,
        samesite="strict",
        secure=settings.SECURE_COOKIES,
        path=f"/e/{event.code}/organize",
    )


def clear_new_link_cookie(response: Response, *, event: Event) -> None:
    """The organizer has saved the link: it is not shown again."""
    response.delete_cookie(new_link_cookie_name(event.code), path=f"/e/{event.code}/organize")


def set_language_cookie(response: Response, locale: str, *, secure: bool) -> None:
    """The language a person chose on this browser, for every event and every page (a year)."""
    response.set_cookie(LANG_COOKIE, locale, max_age=YEAR, httponly=True, samesite="lax", secure=secure)
