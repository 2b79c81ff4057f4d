"""The front door: what Two Feet is, create an event, type a join code."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from app import i18n
from app.deps import (
    CsrfChecked,
    CsrfToken,
    EventCreationLimited,
    FormDep,
    OrganizedEvents,
    PasswordsDep,
    SessionDep,
    SettingsDep,
    SignerDep,
)
from app.domain import events
from app.domain.errors import DomainError, plain_messages
from app.i18n import _
from app.models import Event
from app.routes import forms
from app.routes.cookies import set_language_cookie, set_new_link_cookie, set_organizer_cookie
from app.templating import render

router = APIRouter()


@router.get("/healthz", name="healthz", include_in_schema=False)
def healthz(session: SessionDep) -> dict[str, str]:
    """For container health checks and load balancers: the process answers and the database too."""
    events.ping(session)
    return {"status": "ok"}


@router.get("/healthz/logins", name="login_health", include_in_schema=False)
async def login_health(passwords: PasswordsDep) -> dict[str, int]:
    """This process's organizer password checks: running now, the most at once, done, refused as busy."""
    stats = passwords.stats
    return {"running": stats.running, "peak": stats.peak, "checks": stats.checks, "refused": stats.refused}


@router.get("/lang", name="set_language", include_in_schema=False)
def set_language(request: Request, settings: SettingsDep, to: str = "", next: str = "/") -> Response:
    """The language switch on every page: remember ``to`` on this browser and go back to ``next``."""
    # Only a path on this site: never an open redirect to another host ("//evil", "/\\evil").
    back = next if next.startswith("/") and not next.startswith(("//", "/\\")) else "/"
    response = RedirectResponse(back, status_code=303)
    if to in i18n.LOCALES:
        set_language_cookie(response, to, secure=settings.SECURE_COOKIES)
    return response


@router.get("/api/docs", name="api_docs", include_in_schema=False)
def api_docs(request: Request) -> Response:
    """The API's browsable docs: Swagger UI, served by the app itself."""
    return request.app.state.templates.TemplateResponse(request, "api_docs.html", {})


def _home(request: Request, csrf: str, organized: list[Event], status_code: int = 200, **context: object) -> Response:
    """The home page, with the events this browser organizes."""
    values: dict[str, object] = {
        "csrf": csrf,
        "form": {},
        "error": None,
        "problems": {},
        "join_error": None,
        "organized": organized,
    }
    response = render(request, "home.html", {**values, **context}, status_code=status_code)
    # It lists this browser's own events: never kept by a shared cache, nor shown from one.
    response.headers["Cache-Control"] = "private, no-store"
    return response


@router.get("/", name="home")
def home_page(request: Request, csrf: CsrfToken, organized: OrganizedEvents) -> Response:
    """What Two Feet is; the events this browser organizes; create an event; join one by code."""
    return _home(request, csrf, organized)


@router.post("/events", name="event_create", dependencies=[CsrfChecked, EventCreationLimited])
def event_create(
    request: Request,
    session: SessionDep,
    signer: SignerDep,
    settings: SettingsDep,
    csrf: CsrfToken,
    form: FormDep,
    passwords: PasswordsDep,
    organized: OrganizedEvents,
) -> Response:
    """Create an event from the home page form, then show its organizer link once."""
    try:
        typed = forms.NewEventForm.parse(form)
        created = events.create_event(
            session,
            name=typed.name,
            date=typed.date,
            timezone=typed.timezone,
            rooms=typed.rooms(),
            slots=typed.slots(),
            language=typed.language,
            bilingual=typed.bilingual,
            password=typed.password or None,
            passwords=passwords,
        )
    except DomainError as error:
        return _home(
            request, csrf, organized, error.status_code, form=form, error=error, problems=plain_messages(error)
        )
    event = created.event
    response = RedirectResponse(request.url_for("organizer_saved_link", code=event.code), status_code=303)
    set_organizer_cookie(response, signer=signer, settings=settings, event=event, organizer=created.organizer)
    # The secret exists only now (the database keeps its hash): the next page shows it once.
    set_new_link_cookie(response, settings=settings, event=event, secret=created.secret)
    return response


@router.post("/join", name="join_code", dependencies=[CsrfChecked])
def join_by_code(
    request: Request, session: SessionDep, csrf: CsrfToken, form: FormDep, organized: OrganizedEvents
) -> Response:
    """Go to the event whose code was typed on the home page."""
    code = forms.CodeForm.parse(form).code
    event = events.get_event(session, code) if code.strip() else None
    if event is None:
        message = (
            _("code: please type the 6-character code from the poster.")
            if not code.strip()
            else _("code: no event has the code '{code}'. Check the poster and try again.").format(
                code=events.normalize_code(code)[:12]
            )
        )
        return _home(request, csrf, organized, 404 if code.strip() else 422, join_error=message, join_code=code[:12])
    return RedirectResponse(request.url_for("event_page", code=event.code), status_code=303)
