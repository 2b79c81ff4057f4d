"""ASGI middleware, written against the raw ASGI interface rather than ``BaseHTTPMiddleware``.

``BaseHTTPMiddleware`` runs every request through an extra task and a streaming wrapper; at 50
marks a second on a laptop that also feeds 2,000 sockets, that overhead was measurable.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

from babel.numbers import format_decimal
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import HTTPConnection
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import i18n
from app.i18n import _, ngettext
from app.security import CSRF_COOKIE

# Scripts only from our own files: no inline <script>, no on*= or hx-on handlers, no eval (htmx's
# allowEval is off). Inline style attributes stay allowed (a grid cell's colour, htmx's indicator
# style); everything else comes from the app itself, as events run on school wifi anyway.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class PageHeadersMiddleware:
    """Sets the CSRF cookie a page asked for (``request.state.new_csrf``) and two safety headers."""

    def __init__(self, app: ASGIApp, *, secure_cookies: bool) -> None:
        self.app = app
        self.secure_cookies = secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                new_token = (scope.get("state") or {}).get("new_csrf")
                if new_token and CSRF_COOKIE not in HTTPConnection(scope).cookies:
                    cookie = Response()
                    cookie.set_cookie(
                        CSRF_COOKIE,
                        new_token,
                        httponly=True,
                        samesite="lax",
                        secure=self.secure_cookies,
                        max_age=60 * 60 * 24 * 30,
                    )
                    headers.append("set-cookie", cookie.headers["set-cookie"])
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                # No page of ours may be framed (clickjacking a "Publish" or "Remove access" button).
                headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                headers.setdefault("X-Frame-Options", "DENY")
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RequestLimitMiddleware:
    """At most ``limit`` HTTP requests inside the app at once; the rest wait here, holding nothing.

    Sync routes hop between worker threads (dependencies, then the handler) while their database
    session keeps its pooled connection. Under a burst (a room of phones marking at once on a busy
    laptop) more requests than threads can each hold a connection while waiting for a thread, and
    the threads wait for connections: a deadlock broken only by the pool timeout. Bounding the
    requests in flight below both pools prevents it; websockets are not counted.
    """

    def __init__(self, app: ASGIApp, limit: int = 32) -> None:
        self.app = app
        self.semaphore = asyncio.Semaphore(limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        async with self.semaphore:
            await self.app(scope, receive, send)


class BodyLimitMiddleware:
    """Refuses a request body larger than ``max_bytes`` with 413, before the app parses any of it.

    A declared Content-Length over the limit is answered at once, without reading the body; a
    chunked body (no length) is counted as it arrives and cut off at the limit, so a client cannot
    stream ten megabytes of JSON into the parser by leaving the length out.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _message(self) -> str:
        limit = format_decimal(self.max_bytes, locale=i18n.current())
        return _("The request is too large: at most {limit} bytes are accepted.").format(limit=limit)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        detail = self._message()
        if scope.get("path", "").startswith("/api/"):
            body = json.dumps(
                {
                    "type": "about:blank",
                    "title": _("Content Too Large"),
                    "status": 413,
                    "detail": detail,
                    "code": "too_large",
                }
            ).encode()
            media = "application/problem+json"
        else:
            body, media = detail.encode(), "text/plain; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", media.encode()),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = next((value for name, value in scope["headers"] if name == b"content-length"), None)
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(scope, send)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # Raised inside the route's body parsing: the app's own handler answers 413.
                    raise StarletteHTTPException(413, detail=self._message())
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except StarletteHTTPException as error:
            if error.status_code != 413 or started:
                raise
            await self._refuse(scope, send)


class SignInLaneMiddleware:
    """Organizer sign-ins (``POST …/login``) go through a lane of their own, ``limit`` wide.

    A burst of password guesses otherwise fills every slot of RequestLimitMiddleware, and the board,
    phones and the console queue behind it. Here the guesses wait their turn among themselves,
    holding nothing, while everyone else's requests go straight on. An address already past its
    sign-in limit (``retry_after(address)`` > 0) is answered 429 here, before the app parses the
    body or reads the database, so a client that ignores 429 costs next to nothing.
    """

    def __init__(self, app: ASGIApp, *, limit: int, retry_after: Callable[[str], int]) -> None:
        self.app = app
        self.semaphore = asyncio.Semaphore(limit)
        self.retry_after = retry_after

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"].endswith("/login"):
            client = scope.get("client")
            wait = self.retry_after(client[0] if client else "unknown")
            if wait:
                await _too_many(scope, send, wait)
                return
            async with self.semaphore:
                await self.app(scope, receive, send)
            return
        await self.app(scope, receive, send)


async def _too_many(scope: Scope, send: Send, wait: int) -> None:
    detail = ngettext(
        "Too many wrong passwords from this address; try again in {wait} second, or use the organizer link.",
        "Too many wrong passwords from this address; try again in {wait} seconds, or use the organizer link.",
        wait,
    ).format(wait=wait)
    if scope["path"].startswith("/api/"):
        body = json.dumps(
            {
                "type": "about:blank",
                "title": _("Too many requests"),
                "status": 429,
                "detail": detail,
                "code": "too_many_requests",
            }
        ).encode()
        media = "application/problem+json"
    else:
        body, media = detail.encode(), "text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [
                (b"content-type", media.encode()),
                (b"content-length", str(len(body)).encode()),
                (b"retry-after", str(wait).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class LocaleMiddleware:
    """Answers each request and socket in its person's language (``app/i18n.py``).

    The language is chosen here, before any route runs, from the ``twofeet_lang`` cookie and
    ``Accept-Language``; a route that reads the event fills in its main language when neither
    said (``deps.get_event``). Pages say which language they are in (``Content-Language``) and
    that it depends on those two headers (``Vary``), so no cache hands a Spanish page to English.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        choice = i18n.negotiate(connection.cookies.get(i18n.LANG_COOKIE), connection.headers.get("accept-language"))
        scope.setdefault("state", {})["locale"] = choice
        token = i18n.begin(choice)

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Language", choice.locale)
                headers.add_vary_header("Accept-Language")
                headers.add_vary_header("Cookie")
            await send(message)

        try:
            await self.app(scope, receive, send_with_language if scope["type"] == "http" else send)
        finally:
            i18n.end(token)
