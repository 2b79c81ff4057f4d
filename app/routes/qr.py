"""QR codes: the join link's image for posters, the board and the console, and inline ones for print."""

from __future__ import annotations

import hashlib
import io

import segno
from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from app.deps import EventDep
from app.routes.attendee import join_url

router = APIRouter(prefix="/e/{code}")


def qr_svg(url: str, *, scale: int) -> Markup:
    """A QR code as inline SVG (segno writes only numbers and fixed markup, hence safe)."""
    return Markup(
        segno.make(url, error="m").svg_inline(scale=scale, border=2, dark="#000", light="#fff", omitsize=False)
    )


def qr_image(url: str) -> bytes:
    """``url`` as a standalone QR code image (SVG)."""
    qr = segno.make(url, error="m")
    # A standalone image needs the SVG namespace, which segno's inline form leaves out.
    buffer = io.BytesIO()
    qr.save(
        buffer,
        kind="svg",
        scale=8,
        border=2,
        dark="#000",
        light="#fff",
        omitsize=True,
        xmldecl=False,
        svgclass=None,
        lineclass=None,
    )
    return buffer.getvalue()


@router.get("/qr.svg", name="event_qr")
def event_qr(request: Request, event: EventDep) -> Response:
    """The join link as a QR code, for posters, the board and the console.

    Revalidated on every page load (cheaply, by its ETag): after a restart with another
    ``--base-url`` the projector must not keep an hour-old code that points at the old address."""
    link = join_url(request, event.code)
    etag = '"' + hashlib.sha256(link.encode()).hexdigest()[:16] + '"'
    headers = {"Cache-Control": "no-cache", "ETag": etag}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(qr_image(link), media_type="image/svg+xml", headers=headers)
