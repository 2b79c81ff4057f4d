"""What the browser tests do on a page: read the board's grid and my day, run axe, move by keyboard."""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from tests.e2e.conftest import AXE

READ_GRID = """() => {
  const table = document.querySelector('.board-grid');
  if (!table) return null;
  // Rooms are columns or rows (whichever fits the day): every cell names its room and slot.
  return [...table.querySelectorAll('td[id^=cell-]')].map(td => {
    const title = td.querySelector('.cell-title');
    return {id: td.id, slot: td.dataset.slot, room: td.dataset.room, title: title ? title.textContent.trim() : null};
  });
}"""

READ_MY_DAY = """() => [...document.querySelectorAll('.my-day > li')].flatMap(li => {
  const when = li.querySelector('.my-when').textContent.split('·')[0].trim();
  return [...li.querySelectorAll('.my-session')].filter(s => s.querySelector('.my-room')).map(s => [
    when, s.querySelector('.my-room').textContent.trim(), s.querySelector('a').textContent.trim()]);
})"""


def board_grid(page: Page) -> list[dict[str, Any]]:
    """Every cell of the published grid on the board: its id, slot, room and title (None when free)."""
    cells = page.evaluate(READ_GRID)
    assert cells is not None, "the board shows no grid"
    return cells


def placed(cells: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """Title -> (slot, room) for the sessions on the grid."""
    return {c["title"]: (c["slot"], c["room"]) for c in cells if c["title"]}


def my_day(page: Page) -> set[tuple[str, str, str]]:
    """(slot, room, title) for each session on the phone's "my day" page."""
    return {tuple(row) for row in page.evaluate(READ_MY_DAY)}  # type: ignore[misc]


def axe(page: Page, *, rules: list[str] | None = None) -> list[dict[str, Any]]:
    """Run axe-core (vendored) on the page; returns its violations."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated by the browser's debugging protocol, not as an inline <script>: the pages' CSP
        # (script-src 'self') rightly refuses those.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    return page.evaluate("options => axe.run(document, options).then(r => r.violations)", options)  # type: ignore[no-any-return]


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = [
            " ".join(map(str, n["target"])) + ": " + (n.get("failureSummary") or "").replace("\n", " ")
            for n in v["nodes"][:4]
        ]
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(targets))
    return "\n".join(lines)


def serious(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def tab_to(page: Page, selector: str, *, limit: int = 80) -> None:
    """Press Tab (only the keyboard) until the focused element matches ``selector``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key on {page.url}")


def screenshot(page: Page, *paths: Path, full_page: bool = False) -> None:
    """Write the page to each path; the README's copies under docs/ only with TWOFEET_UPDATE_SCREENSHOTS=1,
    so an ordinary test run leaves the working tree clean."""
    update_docs = os.environ.get("TWOFEET_UPDATE_SCREENSHOTS") == "1"
    for path in paths:
        if "docs" in path.parts and not update_docs:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=full_page, animations="disabled", caret="hide")


@cache
def _english_messages() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each English message of the catalog worth looking for on a Spanish page (two words or more,
    or one of 6+ letters, whose Spanish differs), as a pattern where each placeholder (and tag) may
    stand for anything."""
    from app import catalog, i18n

    spanish = i18n.translations("es")
    found: dict[str, re.Pattern[str]] = {}
    for message in catalog.extract():
        forms = message.id if isinstance(message.id, tuple) else (message.id,)
        for number, english in enumerate(forms):
            if message.context:
                words = spanish.pgettext(message.context, english)
            elif isinstance(message.id, tuple):
                words = spanish.ngettext(forms[0], forms[1], 1 if number == 0 else 2)
            else:
                words = spanish.gettext(english)
            fixed = _PLACEHOLDER.sub(" ", _TAG.sub("", english)).strip()
            if words == english or not (len(fixed.split()) >= 2 or re.search(r"[A-Za-z]{6,}", fixed)):
                continue
            pieces = [re.escape(piece) for piece in _PLACEHOLDER.split(_TAG.sub("", english))]
            found[english] = re.compile(r"(?<!\w)" + r".+?".join(pieces).strip() + r"(?!\w)")
    return tuple(found.items())


_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
_TAG = re.compile(r"<[^>]+>")


def english_chrome(page: Page, *, besides: tuple[str, ...] = ()) -> list[str]:
    """The interface's English messages (from the catalog) that show in the page's visible text:
    nothing, on a page in Spanish, unless someone typed it (``besides``: texts to leave out first,
    such as titles people wrote in English)."""
    return english_in(page.evaluate("() => document.body.innerText"), besides=besides)


def english_in(text: str, *, besides: tuple[str, ...] = ()) -> list[str]:
    """The interface's English messages in ``text`` (what :func:`english_chrome` reads on a page)."""
    for typed in besides:
        text = text.replace(typed, " ")
    return [english for english, pattern in _english_messages() if pattern.search(text)]
