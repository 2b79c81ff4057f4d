"""A certificate as people take it away: its words, a one-page PDF, and the organizer's CSV and zip.

The PDF is drawn with fpdf2 in DejaVu Sans, a TrueType font from the system (Debian's
``fonts-dejavu-core``), so any name prints: accents, Greek, Cyrillic. Nothing is fetched. The page
keeps to the area A4 and US Letter share, so it prints on either. The zip is written as it is
made, one PDF at a time, so a download of hundreds starts at once and shows its progress.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import segno
from babel.dates import format_date
from babel.numbers import format_decimal
from fpdf import FPDF

from app import i18n
from app.domain.certificates import display_code
from app.domain.errors import DomainError
from app.domain.exports import csv_cell
from app.domain.pdhours import aware, zone_of
from app.i18n import _, _l, ngettext
from app.models import Certificate, Event

FONT_NAMES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
FONT_FOLDERS = (
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian, Ubuntu (fonts-dejavu-core)
    Path("/usr/share/fonts/dejavu"),  # Fedora
    Path("/usr/share/fonts/TTF"),  # Arch
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
)
FONT_ROOTS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))  # searched whole, last


class FontMissing(DomainError):
    """The server cannot draw PDFs: the font is not installed (the printable page still works)."""

    status_code = 503
    code = "font_missing"
    title = _l("PDFs cannot be made on this server")


@cache
def font_files() -> tuple[Path, Path]:
    """DejaVu Sans and its bold, from the first folder that holds both (then anywhere under fonts)."""
    for folder in FONT_FOLDERS:
        if all((folder / name).is_file() for name in FONT_NAMES):
            return folder / FONT_NAMES[0], folder / FONT_NAMES[1]
    for root in FONT_ROOTS:
        found = [next(root.rglob(name), None) if root.is_dir() else None for name in FONT_NAMES]
        if found[0] is not None and found[1] is not None:
            return found[0], found[1]
    raise FontMissing(
        _(
            "The PDF needs the DejaVu Sans font, which is not installed on this server (on Debian or "
            "Ubuntu: apt-get install fonts-dejavu-core). The printable page works without it: open it "
            "and print, or save as PDF from the browser."
        )
    )


# Words --------------------------------------------------------------------------------------------


def hours_words(minutes: int) -> str:
    """``4.5 hours`` / ``4,5 horas``: at most two decimals, as the language writes numbers."""
    hours = format_decimal(minutes / 60, format="#,##0.##", locale=i18n.current())
    return ngettext("%(hours)s hour", "%(hours)s hours", 1 if minutes == 60 else 2) % {"hours": hours}


def hours_number(minutes: int) -> str:
    """Hours for a spreadsheet: ``4.5`` (a dot, whatever the language)."""
    return f"{minutes / 60:.2f}".rstrip("0").rstrip(".")


def date_words(event: Event) -> str:
    """The event's date as the language writes it (``March 13, 2027``), or as typed if unreadable."""
    try:
        return format_date(date.fromisoformat(event.date), format="long", locale=i18n.current())
    except ValueError:
        return event.date


@dataclass
class CertificateView:
    """What a printed certificate says, in the request's language (the page and the PDF share it)."""

    name: str
    event: str
    date: str
    place: str
    issuer: str
    signer: str
    signer_title: str
    hours: str
    code: str
    verify_url: str
    items: list[dict[str, Any]] = field(default_factory=list)

    @property
    def attended(self) -> str:
        """The sentence under the name."""
        when = ", ".join(part for part in (self.date, self.place) if part)
        if when:
            return _("attended {event} ({when}) for {hours} of professional development.").format(
                event=self.event, when=when, hours=self.hours
            )
        return _("attended {event} for {hours} of professional development.").format(event=self.event, hours=self.hours)

    def item_hours(self, item: dict[str, Any]) -> str:
        return hours_words(int(item.get("minutes", 0)))


def certificate_view(event: Event, certificate: Certificate, *, verify_url: str) -> CertificateView:
    """The words of ``certificate`` in the current language."""
    return CertificateView(
        name=certificate.name,
        event=event.name,
        date=date_words(event),
        place=event.place,
        issuer=event.pd_issuer,
        signer=event.pd_signer,
        signer_title=event.pd_signer_title,
        hours=hours_words(certificate.minutes),
        code=display_code(certificate.code),
        verify_url=verify_url,
        items=list(certificate.items or []),
    )


# The PDF ------------------------------------------------------------------------------------------

# Inside what A4 (210 x 297 mm) and Letter (215.9 x 279.4 mm) share, with margins for any printer.
PAGE_W, PAGE_H, MARGIN = 210.0, 279.0, 18.0


def _qr(pdf: FPDF, url: str, *, x: float, y: float, size: float) -> None:
    """The QR code as vector squares (runs of dark modules per row), crisp at any print size."""
    matrix = segno.make(url, error="m").matrix
    cell = size / len(matrix)
    pdf.set_fill_color(0, 0, 0)
    for row, line in enumerate(matrix):
        col = 0
        while col < len(line):
            if line[col]:
                run = col
                while run < len(line) and line[run]:
                    run += 1
                pdf.rect(x + col * cell, y + row * cell, (run - col) * cell, cell, style="F")
                col = run
            else:
                col += 1


def _item_lines(view: CertificateView, *, talks: bool = True) -> list[tuple[str, str, bool]]:
    """(time, text, is_talk) lines for the list of what was attended."""
    out: list[tuple[str, str, bool]] = []
    for item in view.items:
        when = f"{item.get('start', '')}–{item.get('end', '')}"
        out.append((when, f"{item.get('title', '')} ({view.item_hours(item)})", False))
        if talks:
            out.extend(("", talk, True) for talk in item.get("talks", []))
    return out


def certificate_pdf(view: CertificateView) -> bytes:
    """The certificate as a one-page PDF."""
    regular, bold = font_files()
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_title(f"{view.name} · {view.event}")
    pdf.set_creator("Two Feet")
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold))
    pdf.add_page()
    width = PAGE_W - 2 * MARGIN
    pdf.set_draw_color(40, 40, 40)
    pdf.rect(MARGIN / 2, MARGIN / 2, PAGE_W - MARGIN, PAGE_H - MARGIN)
    pdf.set_y(MARGIN + 4)
    pdf.set_font("DejaVu", "B", 22)
    pdf.multi_cell(width, 10, _("Certificate of professional development"), align="C")
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 12)
    pdf.multi_cell(width, 6, _("This certifies that"), align="C")
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 24 if len(view.name) <= 40 else 17)
    pdf.multi_cell(width, 11, view.name, align="C")
    pdf.ln(2)
    pdf.set_font("DejaVu", "", 12)
    pdf.multi_cell(width, 6, view.attended, align="C")
    pdf.ln(5)
    _pdf_items(pdf, view, width)
    _pdf_footer(pdf, view, width)
    return bytes(pdf.output())


LIST_BOTTOM = PAGE_H - 86  # the total's line and the footer below it


def _pdf_items(pdf: FPDF, view: CertificateView, width: float) -> None:
    # The list takes the room left above the footer: smaller type for a long day, then without the
    # talks' names (their plenaries stay), then cut with "…" (a day of more than ~25 slots).
    room = LIST_BOTTOM - pdf.get_y() - 7
    lines = _item_lines(view)
    if len(lines) * 4.3 > room:
        lines = _item_lines(view, talks=False)
    size = 10.5 if len(lines) * 5.25 <= room else 8.5
    step = size * 0.5
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(width, 7, _("Sessions and talks attended"), new_x="LMARGIN", new_y="NEXT")
    for when, text, is_talk in lines:
        if pdf.get_y() + 2 * step > LIST_BOTTOM:
            pdf.set_font("DejaVu", "", size)
            pdf.cell(width, step, "…", new_x="LMARGIN", new_y="NEXT")
            break
        pdf.set_font("DejaVu", "", size - (1 if is_talk else 0))
        pdf.cell(26, step, when)
        pdf.multi_cell(width - 26, step, ("· " if is_talk else "") + text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(width, 7, _("Total: {hours}").format(hours=view.hours), new_x="LMARGIN", new_y="NEXT")


def _pdf_footer(pdf: FPDF, view: CertificateView, width: float) -> None:
    top = PAGE_H - 70
    pdf.set_xy(MARGIN, top)
    pdf.set_font("DejaVu", "", 11)
    if view.issuer:
        pdf.multi_cell(
            width - 45, 5.5, _("Issued by {issuer}").format(issuer=view.issuer), new_x="LMARGIN", new_y="NEXT"
        )
    pdf.set_y(top + 22)
    pdf.line(MARGIN, top + 21, MARGIN + 80, top + 21)
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(width - 45, 5.5, view.signer, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    if view.signer_title:
        pdf.cell(width - 45, 5, view.signer_title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(top + 40)
    pdf.set_font("DejaVu", "", 9)
    pdf.cell(width - 45, 4.5, _("Verification code: {code}").format(code=view.code), new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(width - 45, 4.5, _("Check it at {url}").format(url=view.verify_url), new_x="LMARGIN", new_y="NEXT")
    _qr(pdf, view.verify_url, x=PAGE_W - MARGIN - 38, y=top + 8, size=38)


# The organizer's exports --------------------------------------------------------------------------


def _local(event: Event, moment: datetime | None) -> str:
    return aware(moment).astimezone(zone_of(event.timezone)).strftime("%Y-%m-%d %H:%M") if moment else ""


def certificates_csv(event: Event, certificates: Iterable[Certificate]) -> str:
    """name, hours, code, issued, revoked, reason: one row per certificate (formula-safe)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["name", "hours", "code", "issued", "revoked", "revoked_reason"])
    for c in certificates:
        row = [c.name, hours_number(c.minutes), display_code(c.code), _local(event, c.issued_at)]
        writer.writerow([csv_cell(v) for v in (*row, _local(event, c.revoked_at), c.revoked_reason)])
    return buffer.getvalue()


def file_name(certificate: Certificate) -> str:
    """``certificate-ABCD-1234-ana-garcia.pdf``: the code first (unique), then the name in ASCII."""
    plain = unicodedata.normalize("NFKD", certificate.name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:40]
    return f"certificate-{display_code(certificate.code)}{'-' + slug if slug else ''}.pdf"


class _Sink(io.RawIOBase):
    """A write-only stream a zip is written into, drained after every file (not seekable)."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def drain(self) -> bytes:
        out, self.chunks = b"".join(self.chunks), []
        return out


def zip_stream(files: Iterable[tuple[str, Any]], *, locale: str, make: Any = None) -> Iterator[bytes]:
    """A zip of ``(name, view)`` pairs, each drawn as a PDF (``make``) in ``locale``, yielded as it grows."""
    draw = make or certificate_pdf
    sink = _Sink()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_STORED) as archive:
        for name, view in files:
            # Each step may run on another thread (a streamed body): the language is set per file.
            with i18n.using(locale):
                body = draw(view)
            archive.writestr(name, body)
            yield sink.drain()
    yield sink.drain()
