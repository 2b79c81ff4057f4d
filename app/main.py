"""create_app(settings): the one place routes, static files, templates and the database meet."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import Response

from app import logfilter, problems
from app.db import make_engine, upgrade_database
from app.domain.errors import DomainError, TooBusy
from app.domain.passwords import PasswordChecker
from app.i18n import _
from app.jobs import BuildJobs
from app.middleware import (
    BodyLimitMiddleware,
    LocaleMiddleware,
    PageHeadersMiddleware,
    RequestLimitMiddleware,
    SignInLaneMiddleware,
)
from app.realtime.broadcast import make_broadcast
from app.realtime.hub import Hub
from app.realtime.middleware import BoardSequenceMiddleware
from app.realtime.quietgc import QuietCollector
from app.routes import include_routers
from app.security import Signer, load_or_create_secret_key
from app.settings import Settings
from app.staticfiles import STATIC_DIR, VersionedStaticFiles
from app.templating import hx_retarget, is_htmx, make_templates
from app.throttle import Throttle, make_storage

log = logging.getLogger("twofeet")


def create_app(settings: Settings | None = None, *, migrate: bool = True) -> FastAPI:
    """Build the app for ``settings`` (read from the environment only when none is given)."""
    settings = settings or Settings()
    logfilter.install()  # the organizer link's ?key= never reaches the access log
    engine = make_engine(settings.DATABASE_URL, sqlite_synchronous=settings.SQLITE_SYNCHRONOUS)
    templates = make_templates()
    hub = Hub(
        engine=engine,
        env=templates.env,
        broadcast=make_broadcast(settings.BROADCAST_URL),
        window_s=settings.LIVE_WINDOW_MS / 1000,
        queue_size=settings.LIVE_QUEUE_SIZE,
        heartbeat_s=settings.LIVE_HEARTBEAT_S,
        send_timeout_s=settings.LIVE_SEND_TIMEOUT_S,
        sweep_s=settings.LIVE_SWEEP_S,
    )
    app = FastAPI(
        title="Two Feet",
        summary="The Edcamp wall on every phone and the projector, with a scheduler behind it.",
        version="0.1.0",
        lifespan=_lifespan(settings, engine, hub, migrate=migrate),
        docs_url=None,  # served by routes/home.py from the vendored Swagger UI (no CDN, no inline script)
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.templates = templates
    app.state.hub = hub
    app.state.gc = None  # the quiet collector, started with the app (lifespan)
    app.state.builds = BuildJobs(
        engine,
        time_limit=settings.SOLVER_TIME_LIMIT_S,
        max_time_limit=settings.SOLVER_MAX_TIME_LIMIT_S,
        max_running=settings.MAX_CONCURRENT_BUILDS,
        max_queued=settings.MAX_QUEUED_BUILDS,
        workers=settings.SOLVER_WORKERS,
        bound_seconds=settings.SOLVER_BOUND_SECONDS,
    )
    app.state.throttle = Throttle(make_storage(settings.BROADCAST_URL, namespace=settings.DATABASE_URL))
    app.mount("/static", VersionedStaticFiles(directory=STATIC_DIR), name="static")
    include_routers(app)
    _register_error_handlers(app)
    _add_middleware(app, settings)
    return app


def _lifespan(
    settings: Settings, engine: Engine, hub: Hub, *, migrate: bool
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Start-up (migrations, the secret key, the hub) and shut-down (builds, sockets, the engine)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if migrate and settings.MIGRATE_ON_START:
            await run_in_threadpool(upgrade_database, engine)
        secret = settings.SECRET_KEY or await run_in_threadpool(load_or_create_secret_key, engine)
        app.state.signer = Signer(secret)
        app.state.passwords = PasswordChecker(secret=secret, max_at_once=settings.PASSWORD_CHECKS_AT_ONCE)
        await hub.start()
        # Process-wide GC thresholds are the process's to set, so the app starts the collector
        # (``twofeet serve --python-gc`` leaves Python's own; why not by default: BENCHMARKS.md).
        # Each lifespan stops the collector it started (tests run one app in two clients at once).
        collector = QuietCollector(lambda: hub.last_activity) if settings.LIVE_QUIET_GC else None
        app.state.gc = collector
        if collector is not None:
            collector.start()
        try:
            yield
        finally:
            # A build in progress keeps its best schedule as the draft; no worker process outlives us.
            await run_in_threadpool(app.state.builds.close, 10.0)
            await hub.stop()  # sockets closed with 1012: clients reconnect and catch up
            if collector is not None:
                await collector.stop()
            engine.dispose()

    return lifespan


def _add_middleware(app: FastAPI, settings: Settings) -> None:
    """Each one added wraps the ones before: the last added sees a request first."""
    app.add_middleware(BoardSequenceMiddleware)
    app.add_middleware(RequestLimitMiddleware, limit=settings.MAX_CONCURRENT_REQUESTS)
    # Phones on school wifi: pages, htmx and Pico go out compressed (HTTP only; websockets pass through).
    app.add_middleware(GZipMiddleware, minimum_size=500, compresslevel=6)
    # Outside the request limit: a flood of sign-ins waits in its own lane, not in everyone's.
    app.add_middleware(
        SignInLaneMiddleware,
        limit=settings.SIGN_INS_AT_ONCE,
        retry_after=lambda address: app.state.throttle.retry_after(settings.LOGIN_RATE_PER_CLIENT, "sign-in", address),
    )
    # Outside the request limit: an oversized body is refused without taking a turn.
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.MAX_BODY_BYTES)
    app.add_middleware(PageHeadersMiddleware, secure_cookies=settings.SECURE_COOKIES)
    # Outermost: even a refusal made before any route (a body too large) is in the person's language.
    app.add_middleware(LocaleMiddleware)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def problem(
    status: int,
    title: str,
    detail: str,
    *,
    code: str,
    errors: list[dict[str, Any]] | None = None,
    field: str | None = None,
) -> JSONResponse:
    """An RFC 9457 problem details response (a lazy title or message is worded here: ``str``)."""
    body: dict[str, Any] = {"type": "about:blank", "title": str(title), "status": status, "detail": str(detail)}
    body["code"] = code
    if field:
        body["field"] = field
    if errors:
        body["errors"] = [{**error, "message": str(error["message"])} for error in errors]
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


def _html_error(request: Request, status: int, title: str, message: str) -> Response:
    templates = request.app.state.templates
    if is_htmx(request):
        # Shown in the page's alert area, whatever element asked.
        response = templates.TemplateResponse(
            request, "error.html", {"title": title, "message": message}, block_name="flash", status_code=status
        )
        response.headers.update(hx_retarget("#flash", "innerHTML"))
        return response
    return templates.TemplateResponse(request, "error.html", {"title": title, "message": message}, status_code=status)


def _register_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        response: Response
        if _wants_json(request):
            errors = [{"field": e.field, "message": e.message} for e in exc.field_errors]
            response = problem(
                exc.status_code, str(exc.title), exc.message, code=exc.code, field=exc.field, errors=errors
            )
        else:
            response = _html_error(request, exc.status_code, str(exc.title), exc.message)
        if isinstance(exc, TooBusy):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        broken = next((e for e in exc.errors() if e.get("type") == "json_invalid"), None)
        if broken is not None:  # not a value refused: the body is not JSON at all (the API documents 400)
            detail = problems.malformed_json(broken)
            title = _("Malformed JSON")
            if _wants_json(request):
                return problem(400, title, detail, code="malformed_json", errors=[{"field": "body", "message": detail}])
            return _html_error(request, 400, title, detail)
        errors = []
        for error in exc.errors():
            # rooms[1].capacity, as the domain's own refusals name a field
            field = problems.field_path(tuple(p for p in error.get("loc", ()) if p not in ("body", "query", "path")))
            errors.append({"field": field or "body", "message": problems.validation_message(error)})
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        if _wants_json(request):
            return problem(422, _("A value was refused"), detail, code="invalid", errors=errors)
        return _html_error(request, 422, _("A value was refused"), detail)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        title = problems.status_title(exc.status_code)
        phrase = HTTPStatus(exc.status_code).phrase
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != phrase else title
        if exc.status_code == 404:
            detail = _("There is nothing at this address. Check the link, or type the event's code on the home page.")
        response: Response
        if _wants_json(request):
            response = problem(exc.status_code, title, detail, code=problems.status_code_name(exc.status_code))
        else:
            response = _html_error(request, exc.status_code, title, detail)
        response.headers.update(exc.headers or {})  # a 405 says which methods are allowed (Allow)
        return response
