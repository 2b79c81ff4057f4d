"""No function names a local after a module it also uses (``rows = ...`` then ``rows.find``).

Sibling domain modules are imported as modules (STYLE.md); a local of the same name hides the
module for the whole function, which only fails when that line runs (found this way: a CSV export).
"""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"


def test_no_local_hides_a_module_the_function_uses() -> None:
    found = []
    for path in sorted(APP.rglob("*.py")):
        tree = ast.parse(path.read_text())
        modules = {
            alias.asname or alias.name for node in tree.body if isinstance(node, ast.ImportFrom) for alias in node.names
        } | {
            (alias.asname or alias.name).split(".")[0]
            for node in tree.body
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        for func in ast.walk(tree):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            stored = {n.id for n in ast.walk(func) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
            stored |= {a.arg for a in func.args.args + func.args.kwonlyargs}
            used = {
                n.value.id for n in ast.walk(func) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
            }
            if stored & modules & used:
                found.append(f"{path.relative_to(APP)}:{func.lineno} {func.name}: {sorted(stored & modules & used)}")
    assert not found, found
