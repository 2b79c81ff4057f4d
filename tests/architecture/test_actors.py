"""Every organizer action names its organizer: no domain function takes an optional ``actor``.

``audit.record`` used to drop entries without an actor, so a change made through a path that did
not pass one (the API's settings, the demo) left no line in the audit log.
"""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"


def test_no_domain_function_takes_an_optional_actor() -> None:
    optional = []
    for path in sorted((APP / "domain").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.FunctionDef):
                continue
            arguments = node.args.args + node.args.kwonlyargs
            defaults = dict(zip([a.arg for a in node.args.kwonlyargs], node.args.kw_defaults, strict=True))
            for argument in arguments:
                if argument.arg != "actor":
                    continue
                annotation = ast.unparse(argument.annotation) if argument.annotation else ""
                if "None" in annotation or defaults.get("actor") is not None:
                    optional.append(f"{path.name}:{node.lineno} {node.name}({annotation})")
    assert not optional, optional
