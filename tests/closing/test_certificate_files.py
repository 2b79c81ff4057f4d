"""The certificate's PDF on its own: one page however long the day, any name, both languages."""

from __future__ import annotations

import io
import zipfile

import pytest
from pypdf import PdfReader

from app import i18n
from app.domain import certificate_files
from app.domain.certificate_files import CertificateView, certificate_pdf, hours_number, hours_words


def _view(items: int, name: str = "Zoë Ångström-Núñez") -> CertificateView:
    day = [
        {"start": f"{8 + i // 2:02d}:{30 * (i % 2):02d}", "end": "", "kind": "sessions", "title": f"Session {i}",
         "talks": [f"Talk {i}.{t} — Speaker" for t in range(2)], "minutes": 30}
        for i in range(items)
    ]  # fmt: skip
    return CertificateView(name, "Edcamp", "March 13, 2027", "Gym", "District", "Signer", "Title", "9 hours",
                           "ABCD-1234", "http://x.test/e/ABC/certificates/ABCD-1234", day)  # fmt: skip


@pytest.mark.parametrize("items", [0, 1, 12, 40])
def test_the_pdf_is_one_page_however_long_the_day(items: int) -> None:
    reader = PdfReader(io.BytesIO(certificate_pdf(_view(items))))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Zoë Ångström-Núñez" in text and "ABCD-1234" in text and "Total: 9 hours" in text


def test_names_in_other_scripts_print() -> None:
    for name in ("Σοφία Παπαδοπούλου", "Дмитрий Иванов", "Nguyễn Thị Hương", "A" * 80):
        assert name in PdfReader(io.BytesIO(certificate_pdf(_view(2, name)))).pages[0].extract_text().replace("\n", "")


def test_hours_are_worded_in_the_language() -> None:
    assert (hours_words(60), hours_words(270), hours_words(50)) == ("1 hour", "4.5 hours", "0.83 hours")
    assert (hours_number(270), hours_number(60), hours_number(50)) == ("4.5", "1", "0.83")
    with i18n.using("es"):
        assert (hours_words(60), hours_words(270), hours_words(90 * 60)) == ("1 hora", "4,5 horas", "90 horas")


def test_a_missing_font_says_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    certificate_files.font_files.cache_clear()
    monkeypatch.setattr(certificate_files, "FONT_FOLDERS", (tmp_path,))
    monkeypatch.setattr(certificate_files, "FONT_ROOTS", (tmp_path,))
    try:
        with pytest.raises(certificate_files.FontMissing, match="fonts-dejavu-core"):
            certificate_files.font_files()
    finally:
        certificate_files.font_files.cache_clear()  # the real fonts again once monkeypatch undoes the folders


def test_the_system_font_is_found() -> None:
    assert [path.name for path in certificate_files.font_files()] == ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"]


def test_the_zip_streams_one_file_at_a_time_in_the_language_asked() -> None:
    drawn: list[str] = []

    def draw(view: str) -> bytes:
        drawn.append(f"{view}:{i18n.current()}")
        return view.encode() * 100

    chunks = certificate_files.zip_stream([("a.pdf", "A"), ("b.pdf", "B")], locale="es", make=draw)
    first = next(chunks)
    assert drawn == ["A:es"] and first  # the first file is on its way before the second is drawn
    rest = b"".join(chunks)
    archive = zipfile.ZipFile(io.BytesIO(first + rest))
    assert archive.namelist() == ["a.pdf", "b.pdf"] and archive.read("b.pdf") == b"B" * 100
    assert drawn == ["A:es", "B:es"]
