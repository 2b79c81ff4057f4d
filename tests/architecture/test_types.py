"""mypy (pyproject.toml, [tool.mypy]) finds nothing in app/, and every ``# type: ignore`` in app/
says why it is there, as part of the README's test command.

All of app/ is typed since issue 17 part 7 (phase 2): new code comes typed, and an ignore names its
error code and then why, on the same line.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Checked with mypy, imports followed (the whole app).
TYPED = ["app"]

IGNORE = re.compile(r"#\s*type:\s*ignore\b")
# ``# type: ignore[code]  # why``: the codes (mypy's ignore-without-code wants them), then a reason.
EXPLAINED = re.compile(r"#\s*type:\s*ignore\[[\w\-, ]+\]\s+#\s*\S")


def _unexplained(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [
        f"{n}: {line.strip()}" for n, line in enumerate(lines, 1) if IGNORE.search(line) and not EXPLAINED.search(line)
    ]


@pytest.mark.slow
def test_mypy_finds_nothing_in_typed_modules() -> None:
    done = subprocess.run([sys.executable, "-m", "mypy", *TYPED], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr


def test_typed_modules_exist() -> None:
    assert [p for p in TYPED if not (ROOT / p).exists()] == []


def test_every_type_ignore_says_why() -> None:
    found = {
        path.relative_to(ROOT).as_posix(): bad
        for path in sorted((ROOT / "app").rglob("*.py"))
        if (bad := _unexplained(path))
    }
    assert found == {}
