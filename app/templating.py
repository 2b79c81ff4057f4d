"""One Jinja2 environment for pages and the fragments htmx swaps (and the hub pushes)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from fastapi import Request
from jinja2 import pass_context
from jinja2_fragments.fastapi import Jinja2Blocks
from markupsafe import Markup
from starlette.datastructures import URL
from starlette.requests import HTTPConnection
from starlette.responses import Response

from app import bilingual, i18n
from app.addresses import loopback_warning
from app.domain.attendees import names_line
from app.domain.drafting import gap_percent
from app.domain.notes import render_markdown
from app.domain.timetable import event_now
from app.i18n import _
from app.models import Phase, SlotKind
from app.staticfiles import STATIC_DIR, file_version

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def make_templates() -> Jinja2Blocks:
    templates = Jinja2Blocks(directory=str(TEMPLATES_DIR))
    env = templates.env
    # gettext in templates, new-style: ``_("%(n)s marks", n=n)`` escapes its values (app/i18n.py).
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by the i18n extension
        gettext=i18n.gettext, ngettext=i18n.ngettext, pgettext=i18n.pgettext, newstyle=True
    )
    env.globals["current_locale"] = i18n.current
    env.globals["in_locale"] = i18n.in_locale
    env.globals["bilingual"] = bilingual.bilingual  # a shared screen's words, in both languages when the event is
    env.globals["bilingual_n"] = bilingual.bilingual_n
    env.globals["NATIVE_NAMES"] = i18n.NATIVE_NAMES
    env.globals["LOCALES"] = i18n.LOCALES
    env.globals["switch_language_url"] = _switch_language_url
    # ``n|number`` as the language writes it (1.234 / 1,234); ``|number('0.0')`` keeps one decimal (4,0 / 4.0).
    env.filters["number"] = lambda n, pattern=None: (
        format_decimal(n, format=pattern, locale=i18n.current()) if isinstance(n, int | float) else n
    )
    env.globals["Phase"] = Phase
    env.globals["SlotKind"] = SlotKind
    env.filters["hhmm"] = lambda dt: dt.strftime("%H:%M") if isinstance(dt, datetime) else dt
    # Sanitised by nh3 inside render_markdown, hence safe to mark as Markup.
    env.filters["markdown"] = lambda text: Markup(render_markdown(text or ""))
    env.filters["event_time"] = lambda dt, event: (
        format_datetime(event_now(event, dt), "EEE HH:mm", locale=i18n.current()) if dt else ""
    )
    env.filters["localtime"] = _localtime
    env.filters["long_date"] = long_date
    env.globals["url_for"] = _versioned_static(_page_url)
    env.globals["public_url"] = _public_url_in_template
    env.globals["join_warning"] = _join_warning
    env.filters["field_id"] = field_id
    env.filters["features"] = features_line
    env.filters["names"] = names_line  # "Ms. Rivera and 2 others": the one wording of who leads
    env.globals["gap_percent"] = gap_percent  # "within 2.1 % of the best possible", on the page and the bar
    return templates


#: Paths remembered per app: enough for every link of a few large events' pages.
_PATHS_KEPT = 50_000


def url_path_for(app: Any, name: str, /, **params: Any) -> str:
    """``app.url_path_for``, remembered.

    The framework's own walks every route (and every included router) in turn, about 150 µs
    here; a phone's wall of 260 topics asks some 1,300 times, which was four fifths of rendering
    it. A path depends only on the route's name and its parameters, so each is worked out once
    (the memory is emptied when it holds more than :data:`_PATHS_KEPT`)."""
    paths: dict[tuple[str, tuple[tuple[str, Any], ...]], str] | None = getattr(app.state, "_paths", None)
    if paths is None or len(paths) > _PATHS_KEPT:
        paths = app.state._paths = {}
    key = (name, tuple(sorted(params.items())))
    try:
        return paths[key]
    except KeyError:
        path = paths[key] = str(app.url_path_for(name, **params))
        return path
    except TypeError:  # a parameter that cannot be a key
        return str(app.url_path_for(name, **params))


@pass_context
def _page_url(context: Any, name: str, /, **params: Any) -> URL:
    """A link within the app, as a path: it works on whatever address the browser used to get
    here, and a pushed fragment is the same for every socket, whichever host it connected to."""
    request: HTTPConnection = context["request"]
    path = url_path_for(request.app, name, **params)
    return URL(str(request.scope.get("root_path", "")).rstrip("/") + path)


def public_url(request: HTTPConnection, name: str, /, **params: Any) -> str:
    """An address to print, share or put in a QR code: built on the install's BASE_URL, never
    on the host this browser happened to use (a projector on localhost, a phone on another name)."""
    base: str = request.app.state.settings.BASE_URL
    return base.rstrip("/") + url_path_for(request.app, name, **params)


@pass_context
def _public_url_in_template(context: Any, name: str, /, **params: Any) -> str:
    return public_url(context["request"], name, **params)


@pass_context
def _join_warning(context: Any, *, short: bool = False) -> str | None:
    """What to say when phones cannot reach the join address (a loopback one), else None."""
    base: str = context["request"].app.state.settings.BASE_URL
    return loopback_warning(base, short=short)


@pass_context
def _switch_language_url(context: Any, locale: str) -> str:
    """The language switch's link: remember ``locale``, then back to this page (its address, if a GET)."""
    request: HTTPConnection = context["request"]
    here = request.url.path
    if request.scope.get("method", "GET") == "GET" and request.url.query:
        here += "?" + request.url.query
    elif request.scope.get("method", "GET") != "GET":  # a refused form: back to the page it was on
        referer = urlsplit(request.headers.get("referer", ""))
        here = referer.path or "/"
    root = str(request.scope.get("root_path", "")).rstrip("/")
    return root + url_path_for(request.app, "set_language") + "?" + urlencode({"to": locale, "next": root + here})


def _versioned_static(url_for: Any) -> Any:
    """``url_for('static', path=...)`` with the file's content hash, so phones may cache it for good."""

    @pass_context
    def versioned(context: Any, name: str, /, **params: Any) -> Any:
        url = url_for(context, name, **params)
        if name == "static" and (version := file_version(STATIC_DIR, str(params.get("path", "")))):
            url = url.include_query_params(v=version)
        return url

    return versioned


_ROW_FIELD = re.compile(r"^(room|slot)s\[(\d+)\](?:\.(\w+))?$")


def field_id(field: str) -> str:
    """The id of the input a field path names on a form: ``rooms[1].capacity`` -> ``room1-capacity``."""
    row = _ROW_FIELD.match(field)
    if row:
        return f"{row.group(1)}{row.group(2)}-{row.group(3) or ('name' if row.group(1) == 'room' else 'start')}"
    return {"rooms": "room0-name", "slots": "slot0-start"}.get(field, field.replace("_", "-"))


def features_line(features: list[str]) -> str:
    """A room's features as a line: the organizers' own words as typed, ours worded ("step-free")."""
    return ", ".join(_("step-free") if feature == "step_free" else feature for feature in features)


def long_date(iso: str) -> str:
    """An event's ``2027-03-13`` as people say it, in the request's language: ``Saturday, March 13,
    2027``, ``sábado, 13 de marzo de 2027`` (as given if it is no date)."""
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    return format_date(day, format="full", locale=i18n.current())


def _localtime(moment: datetime, timezone: str) -> str:
    """A stored UTC time as the event's wall clock, e.g. 09:42."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(ZoneInfo(timezone)).strftime("%H:%M")
    except (ZoneInfoNotFoundError, ValueError):
        return moment.strftime("%H:%M UTC")


def is_htmx(request: Request) -> bool:
    """A request made by htmx, not a history restore (which needs the whole page)."""
    return request.headers.get("hx-request") == "true" and request.headers.get("hx-history-restore-request") != "true"


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    block: str | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    """The whole page, or only ``block`` when htmx asked; always ``Vary: HX-Request``."""
    templates: Jinja2Blocks = request.app.state.templates
    context = {"request": request, **context}
    if block is not None and is_htmx(request):
        response = templates.TemplateResponse(request, template, context, block_name=block, status_code=status_code)
    else:
        response = templates.TemplateResponse(request, template, context, status_code=status_code)
    response.headers["Vary"] = "HX-Request"
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


# htmx's response headers by what they ask of the browser (https://htmx.org/reference/#response_headers).


def hx_retarget(target: str, swap: str = "outerHTML") -> dict[str, str]:
    """Put this answer at ``target`` (a CSS selector), swapped as ``swap``, not where the request said."""
    return {"HX-Retarget": target, "HX-Reswap": swap}


def hx_refresh() -> dict[str, str]:
    """Reload the whole page."""
    return {"HX-Refresh": "true"}


def hx_redirect(url: str) -> dict[str, str]:
    """Go to ``url`` as a full page load."""
    return {"HX-Redirect": url}
