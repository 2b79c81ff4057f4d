"""Browser tests share one server and one browser: the fixtures of ``tests/e2e/conftest.py``.

A module elsewhere that imports ``browser`` or ``live_app`` from it gets its own copies of those
session fixtures: a second demo server, and a second sync Playwright started while the first one
runs, which fails every browser test set up after it ("Playwright Sync API inside the asyncio
loop"). Browser tests belong in ``tests/e2e``.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
FIXTURES = {"browser", "live_app", "_expect_timeout"}


def fixture_imports(source: str) -> list[tuple[int, list[str]]]:
    """Each import of the e2e session fixtures in ``source``: its line and the names."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == "tests.e2e.conftest":
            names = sorted({alias.name for alias in node.names} & FIXTURES)
            if names:
                found.append((node.lineno, names))
    return found


def test_no_module_outside_e2e_imports_its_session_fixtures() -> None:
    found = [
        f"{path.relative_to(TESTS)}:{line} {names}"
        for path in sorted(TESTS.rglob("*.py"))
        if path.parent.name != "e2e"
        for line, names in fixture_imports(path.read_text())
    ]
    assert not found, found


def test_the_check_finds_such_an_import_and_leaves_the_constants() -> None:
    source = (
        "from tests.e2e.conftest import PHONE, LiveApp\n"
        "from tests.e2e.events import make_event\n"
        "from tests.e2e.conftest import ARTIFACTS, browser, live_app  # noqa: F401\n"
    )
    assert fixture_imports(source) == [(3, ["browser", "live_app"])]
