"""The change → screen contract (``app/domain/changes.py``): every kind declared, none left to chance."""

from __future__ import annotations

import ast
from pathlib import Path

from app.domain.changes import MINE, SCREENS, Change, Effect, View, effect
from app.realtime.render import BOARD_BLOCKS

APP = Path(__file__).resolve().parents[2] / "app"


def test_every_kind_says_how_it_reaches_every_view() -> None:
    assert set(SCREENS) == set(Change)
    for kind, row in SCREENS.items():
        assert len(row) == len(View), kind
        assert all(isinstance(e, Effect) for e in row), kind


def test_every_board_delta_names_the_block_it_redraws() -> None:
    deltas = {kind for kind in Change if effect({kind}, View.board) == Effect.delta}
    assert deltas == set(BOARD_BLOCKS)


def test_only_moderation_kinds_refetch_the_phones_whose_own_marks_moved() -> None:
    assert set(MINE) == {Change.topic_hidden, Change.topics_merged, Change.topic_restored}
    # Such a kind is a delta for the phones it does not concern (the rest of the room).
    assert all(effect({kind}, View.wall) == Effect.delta for kind in MINE)


def test_a_kind_outside_the_table_redraws_in_full_instead_of_being_ignored() -> None:
    assert effect({"something_new"}, View.wall) == Effect.reload
    assert effect({"interest_changed", "topic_proposed"}, View.wall) == Effect.delta
    assert effect({"interest_changed", "phase_changed"}, View.wall) == Effect.reload
    assert effect({"note"}, View.board) == Effect.none
    assert effect(set(), View.my) == Effect.none


def _recorded_kinds() -> list[tuple[str, int, ast.expr]]:
    found = []
    for path in sorted(APP.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "record_change"
            ):
                kind = next((k.value for k in node.keywords if k.arg == "kind"), None)
                if kind is not None:
                    found.append((path.name, node.lineno, kind))
    return found


def test_every_change_recorded_names_a_declared_kind() -> None:
    recorded = _recorded_kinds()
    assert len(recorded) >= 25  # the walk finds the calls
    for name, line, kind in recorded:
        assert (
            isinstance(kind, ast.Attribute)
            and isinstance(kind.value, ast.Name)
            and kind.value.id == "Change"
            and kind.attr in Change.__members__
        ), f"{name}:{line} records a kind that is not a Change"
