"""ASGI middleware, written against the raw ASGI interface rather than ``BaseHTTPMiddleware``.

``BaseHTTPMiddleware`` runs every request through an extra task and a streaming wrapper; at 50
marks a second on a laptop that also feeds 2,000 sockets, that overhead was measurable.
"""

from __future__ import annotations

import asyncio

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.security import CSRF_COOKIE


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
                    cookie.set_cookie(CSRF_COOKIE, new_token, httponly=True, samesite="lax",
                                      secure=self.secure_cookies, max_age=60 * 60 * 24 * 30)
                    headers.append("set-cookie", cookie.headers["set-cookie"])
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
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
