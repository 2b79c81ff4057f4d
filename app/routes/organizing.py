"""The organizer's console page and the one way its forms are run.

Every console form does the same four things: parse its fields, call one domain function, and
either go back to the console (post/redirect/get) with a line saying what happened, or show the
console again at the form's section with the refusal beside it and what was typed kept. ``Console``
does those once; a route says only which form, which domain call and what to say.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import URL, FormData

from app.deps import CsrfToken, EventDep, FormDep, OrganizerDep, SessionDep
from app.domain import console
from app.domain.errors import DomainError, plain_messages
from app.models import Event, Organizer, Phase
from app.routes import forms
from app.routes.attendee import join_url
from app.routes.cookies import new_link_cookie_name
from app.templating import public_url, render

SECTIONS = ("overview", "topics", "people", "settings", "log")
F = TypeVar("F", bound=forms.FormModel)
R = TypeVar("R")
# What a console action says it did, and any query for the page after (such as what can be undone).
Done = str | tuple[str, dict[str, str]]


def organizer_link(request: Request, event: Event) -> str | None:
    """The organizer link made a moment ago (its secret rides in a short-lived cookie), else None."""
    secret = request.cookies.get(new_link_cookie_name(event.code))
    return secret_link(request, event, secret) if secret else None


def secret_link(request: Request, event: Event, secret: str) -> str:
    return str(URL(public_url(request, "organize", code=event.code)).include_query_params(key=secret))


@dataclass
class Console:
    """One organizer's request to the console: the page, the way back to it, and its forms."""

    request: Request
    session: Session
    event: Event
    organizer: Organizer
    csrf: str
    form: FormData

    def page(
        self,
        *,
        error: DomainError | None = None,
        section: str = "overview",
        notice: str | None = None,
        keep: bool = False,
        **extra: object,
    ) -> Response:
        """The console; ``section`` is the part shown first (a refusal shows the form it refuses),
        ``keep`` puts what the form held back in its fields."""
        link = organizer_link(self.request, self.event)
        context = {
            "event": self.event,
            "csrf": self.csrf,
            "join_link": join_url(self.request, self.event.code),
            "organizer_link": link,
            "phases": list(Phase),
            **console.console_page(
                self.session,
                event=self.event,
                link_pending=link is not None,
                undo=self.request.query_params.get("undo", ""),
            ),
            "error": error,
            "problems": plain_messages(error),
            "notice": notice,
            "section": section if section in SECTIONS else "overview",
            "open_form": "",
            "confirm_close": False,
            "me": self.organizer,
            "new_co_organizer": None,
            "paper_form": {},
            "typed": forms.kept(self.form) if keep else {},
            **extra,
        }
        return render(self.request, "organizer/console.html", context, status_code=error.status_code if error else 200)

    def back(self, done: str, anchor: str = "", **params: str) -> Response:
        """Post/redirect/get back to the console, with a line saying what happened."""
        url = self.request.url_for("organize", code=self.event.code).include_query_params(done=done, **params)
        return RedirectResponse(f"{url}{anchor}", status_code=303)

    def run(
        self, model: type[F], action: Callable[[F], Done], anchor: str, *, open_form: str = "", keep: bool = False
    ) -> Response:
        """Run one console form: ``action`` gets the parsed form and returns what to say. A refusal
        (of a field or by the domain) shows the console at ``anchor``'s section, the form still open."""

        def refused(error: DomainError) -> Response:
            opened = f"{open_form}-{forms.kept(self.form).get('topic_id', '')}" if open_form else ""
            return self.page(error=error, section=anchor.lstrip("#"), open_form=opened, keep=keep)

        def done(said: Done) -> Response:
            line, params = said if isinstance(said, tuple) else (said, {})
            return self.back(line, anchor, **params)

        return run_form(self.session, self.form, model, action, refused=refused, done=done)


def run_form(
    session: Session,
    form: FormData,
    model: type[F],
    action: Callable[[F], R],
    *,
    refused: Callable[[DomainError], Response],
    done: Callable[[R], Response],
) -> Response:
    """The organizer's forms, each page's alike: parse ``form`` as ``model``, run ``action`` on it and
    answer ``done`` with what it returns; a refusal, of a field or by the domain, leaves nothing
    half-done (the transaction is rolled back) and is answered by ``refused``."""
    try:
        result = action(model.parse(form))
    except DomainError as error:
        session.rollback()
        return refused(error)
    return done(result)


def _console(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Console:
    """A console form's post (every route taking a ``ConsoleDep`` is one)."""
    return Console(request, session, event, organizer, csrf, form)


ConsoleDep = Annotated[Console, Depends(_console)]
