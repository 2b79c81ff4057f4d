"""Who leads a session, in words: the unnamed are counted, never listed one by one."""

from __future__ import annotations

import pytest

from app.domain.attendees import names_line


@pytest.mark.parametrize(
    ("names", "line"),
    [
        ([], ""),
        ([""], "a teacher"),
        (["", ""], "2 teachers"),
        (["Ms. Rivera"], "Ms. Rivera"),
        (["Ms. Rivera", ""], "Ms. Rivera and 1 other"),
        (["", "Ms. Rivera", ""], "Ms. Rivera and 2 others"),
        (["Ms. Rivera", "Mr. Chen"], "Ms. Rivera and Mr. Chen"),
        (["Ms. Rivera", "Mr. Chen", "Dana"], "Ms. Rivera, Mr. Chen and Dana"),
        (["Ms. Rivera", "", "Mr. Chen"], "Ms. Rivera, Mr. Chen and 1 other"),
    ],
)
def test_names_line_counts_the_unnamed(names: list[str], line: str) -> None:
    assert names_line(names) == line
