"""ASGI middleware of the live board."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.realtime.publisher import request_sequences


class BoardSequenceMiddleware:
    """Adds ``X-Board-Sequence`` to responses of requests that committed a board change.

    Clients (and the load benchmark) use it to know which pushed frame reflects their action.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sequences: list[int] = []
        token = request_sequences.set(sequences)

        async def send_with_sequence(message: Message) -> None:
            if message["type"] == "http.response.start" and sequences:
                headers = list(message.get("headers", []))
                headers.append((b"x-board-sequence", str(max(sequences)).encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_sequence)
        finally:
            request_sequences.reset(token)
