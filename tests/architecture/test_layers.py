"""The layers of DESIGN.md, checked on the source: routes translate, the domain decides, the scheduler is pure."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def python_files(folder: str) -> list[Path]:
    return sorted((APP / folder).rglob("*.py"))


@pytest.mark.parametrize("path", python_files("domain"), ids=lambda p: p.name)
def test_domain_knows_nothing_of_the_web(path: Path) -> None:
    web = {
        m
        for m in imported_modules(path)
        if m.split(".")[0] in {"fastapi", "starlette", "jinja2", "jinja2_fragments"}
        or m.startswith(("app.routes", "app.realtime"))
        or m in {"app.deps", "app.main", "app.templating"}
    }
    assert not web, f"{path.name} imports {web}"


@pytest.mark.parametrize("path", python_files("models"), ids=lambda p: p.name)
def test_models_import_only_models(path: Path) -> None:
    # app.i18n is the one exception: enum labels are words a person reads (lazy, in each request's
    # language), and app.i18n imports nothing of the app, so models stay a leaf.
    inner = {
        m for m in imported_modules(path) if m.startswith("app.") and not m.startswith("app.models") and m != "app.i18n"
    }
    assert not inner, f"{path.name} imports {inner}"


class _DatabaseWork(ast.NodeVisitor):
    """Finds session.add/commit/execute/scalars and select() calls: the domain's job, not a route's."""

    FORBIDDEN_METHODS = {"add", "add_all", "commit", "execute", "scalars", "scalar", "delete", "flush", "exec"}

    def __init__(self) -> None:
        self.found: list[str] = []

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in self.FORBIDDEN_METHODS:
            owner = func.value
            if isinstance(owner, ast.Name) and owner.id in {"session", "db"}:
                self.found.append(f"line {node.lineno}: {owner.id}.{func.attr}()")
        if isinstance(func, ast.Name) and func.id in {"select", "update", "insert"}:
            self.found.append(f"line {node.lineno}: {func.id}()")
        self.generic_visit(node)


@pytest.mark.parametrize("path", python_files("routes"), ids=lambda p: p.name)
def test_routes_leave_database_work_to_the_domain(path: Path) -> None:
    visitor = _DatabaseWork()
    visitor.visit(ast.parse(path.read_text()))
    assert not visitor.found, f"{path.name}: " + "; ".join(visitor.found)
    assert "sqlalchemy" not in {m.split(".")[0] for m in imported_modules(path)}, f"{path.name} imports sqlalchemy"


@pytest.mark.parametrize("path", python_files("scheduler"), ids=lambda p: p.name)
def test_scheduler_uses_only_the_standard_library_and_ortools(path: Path) -> None:
    # NumPy comes with OR-Tools (one of its requirements): the tabu search's matrix products.
    allowed = set(sys.stdlib_module_names) | {"ortools", "numpy", "__future__", "app"}
    outside = {
        m
        for m in imported_modules(path)
        if m.split(".")[0] not in allowed or (m.startswith("app.") and not m.startswith("app.scheduler"))
    }
    assert not outside, f"{path.name} imports {outside}"


def test_create_app_builds_nothing_at_import() -> None:
    """Importing the app module makes no engine and reads no settings: create_app(settings) does."""
    source = (APP / "main.py").read_text()
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.Expr)):
            calls = [n for n in ast.walk(node) if isinstance(n, ast.Call)]
            names = {getattr(c.func, "id", getattr(c.func, "attr", "")) for c in calls}
            assert not names & {"create_app", "make_engine", "Settings", "create_engine"}, ast.dump(node)[:200]


def _calls_on_the_loop(function: ast.AsyncFunctionDef) -> list[ast.Call]:
    """Calls in an ``async def`` body that run on the event loop: not awaited, not in a nested def."""
    found: list[ast.Call] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return
        if isinstance(node, ast.Await):
            return
        if isinstance(node, ast.Call):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    for statement in function.body:
        visit(statement)
    return found


@pytest.mark.parametrize("path", python_files("routes"), ids=lambda p: p.name)
def test_async_routes_leave_the_database_to_worker_threads(path: Path) -> None:
    """An ``async def`` route that touched the session would block every websocket while it waits
    on the database (and on SQLite's write turn); such work goes in a ``def`` route or a thread."""
    tree = ast.parse(path.read_text(), filename=str(path))
    offenders = []
    for node in ast.walk(tree):
        if isinstance(node, ast.AsyncFunctionDef):
            for call in _calls_on_the_loop(node):
                if any(isinstance(n, ast.Name) and n.id == "session" for n in ast.walk(call)):
                    offenders.append(f"{node.name}: line {call.lineno}")
    assert not offenders, f"database work on the event loop in {path.name}: {offenders}"


@pytest.mark.parametrize("path", [p for p in python_files("routes") if p.name != "forms.py"], ids=lambda p: p.name)
def test_routes_read_forms_through_form_models(path: Path) -> None:
    """Issue 17: a page's form is parsed by its model in app/routes/forms.py (one validation system,
    fields named as the API names them), never field by field in a route."""
    tree = ast.parse(path.read_text(), filename=str(path))
    offenders = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in {"get", "getlist"}:
            owner = node.func.value
            name = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) else ""
            if name == "form":
                offenders.append(f"line {node.lineno}")
    assert not offenders, f"{path.name} reads form fields by hand: {offenders}"
