"""uvicorn's websocket protocol, plus one capability the live board needs: a prepared broadcast.

A board update is the same text for thousands of sockets. Through ASGI every socket pays for its
own ``websocket.send``: a message dict through each middleware, the protocol's checks, framing,
UTF-8 encoding and a write, about 55 µs a socket on the development VM (more than half the CPU of
a fan-out to 2,000 phones). Frames from a server are never masked, so the framed bytes are the
same for every socket: this protocol offers the hub a synchronous ``write`` of bytes framed once
per batch, through an ASGI scope extension, and declines (returns False) whenever the ordinary
path must be used instead: the socket is closing, its write buffer is over the high-water mark,
or it negotiated an extension (compression) that would change the framing.

``app.cli.UVICORN_OPTIONS`` selects it (``ws=``); under any other server (the test client, another
ASGI server) the extension is absent and the hub sends every frame through ASGI as before.
"""

from __future__ import annotations

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.frames import Frame, Opcode
from websockets.http11 import Request
from websockets.protocol import State

#: The scope extension's name: ``scope["extensions"][PREPARED]["write"](frame) -> bool``.
PREPARED = "twofeet.prepared_frames"
#: What of the protocol's own state the prepared write reads (pyproject.toml pins uvicorn for it).
_UVICORN_STATE = ("response", "conn", "writable", "close_sent", "transport")


def prepare_text(text: str) -> bytes:
    """``text`` as one unmasked, uncompressed websocket text frame (what a server sends)."""
    return Frame(Opcode.TEXT, text.encode()).serialize(mask=False)


class BoardWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's sans-I/O websocket protocol with the prepared-frame extension in each scope."""

    def handle_connect(self, event: Request) -> None:
        super().handle_connect(event)
        scope = getattr(self, "scope", None)
        # Offered only to an accepted socket without extensions (compression would change framing);
        # the app's task was created but has not run yet, so it sees the scope with this entry.
        # uvicorn's own state, not its API: a uvicorn without it gets the ordinary ASGI path.
        if not all(hasattr(self, name) for name in _UVICORN_STATE):
            return
        if scope is not None and self.response.status_code == 101 and not self.conn.extensions:
            scope["extensions"][PREPARED] = {"write": self.write_prepared}

    def write_prepared(self, frame: bytes) -> bool:
        """Write a frame made by :func:`prepare_text`; False when the caller must send through ASGI.

        The checks are few on purpose (this runs for every socket of every fan-out): the socket is
        open (after the app accepted it, before anyone began closing it), and its write buffer is
        under the high-water mark. A lost connection closes the transport, which ``is_closing``
        sees.
        """
        if (
            self.writable.is_set()
            and self.conn.state is State.OPEN
            and not self.close_sent
            and not self.transport.is_closing()
        ):
            self.transport.write(frame)
            return True
        return False
