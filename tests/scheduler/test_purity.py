"""The scheduler is a pure package: the standard library, OR-Tools and itself (STYLE 10.2).

NumPy counts as part of OR-Tools: OR-Tools requires it (it is installed with it, wherever the
scheduler runs), and the tabu search's exact move weights are matrix products. It brings no
web, database or application code in, which is what the rule keeps out.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import app.scheduler

PACKAGE = Path(app.scheduler.__file__).parent


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: use absolute imports"
            names.append(node.module or "")
    return names


def _allowed(name: str) -> bool:
    top = name.split(".")[0]
    return (
        top in sys.stdlib_module_names
        or top in ("ortools", "numpy")
        or name == "app.scheduler"
        or name.startswith("app.scheduler.")
    )


def test_scheduler_imports_only_stdlib_ortools_and_itself() -> None:
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 5
    bad = {f"{path.name}: {name}" for path in files for name in _imports(path) if not _allowed(name)}
    assert bad == set()


def test_purity_check_catches_a_forbidden_import() -> None:
    assert not _allowed("sqlmodel")
    assert not _allowed("app.models")
    assert _allowed("ortools.sat.python.cp_model")
    assert _allowed("numpy")
    assert not _allowed("scipy")
    assert _allowed("collections.abc")
