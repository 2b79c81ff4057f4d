"""Issue 19: the sessions of the day's minority language spread over the slots, when that is free.

The spread ranks after attendance and sessions run: it never costs either, on tiny days built so
that it could, and on a generated day with and without it.
"""

from __future__ import annotations

from dataclasses import replace

from app.scheduler import Config, Instance, solve
from app.scheduler.assignment import attendance_of
from app.scheduler.model import build_model
from app.scheduler.score import score, violations
from app.scheduler.spread import language_gaps, minority_language, spread_language
from tests.scheduler.builders import make_instance, room, topic

WORK = Config(work=1, time_limit=60, seed=0, workers=1)


def _in_spanish(instance: Instance, *ids: str) -> Instance:
    return replace(instance, topics=tuple(replace(t, language="es") if t.id in ids else t for t in instance.topics))


def _slot_of(solution: object) -> dict[str, str]:
    return {p.topic: p.slot for p in solution.placements}  # type: ignore[attr-defined]


def test_the_minority_language_is_the_one_fewer_topics_are_held_in() -> None:
    day = make_instance(rooms=[room("a")], slots=1, topics=["t1", "t2", "t3"])
    assert minority_language(day) is None
    assert minority_language(_in_spanish(day, "t1")) == "es"
    assert minority_language(_in_spanish(day, "t1", "t2")) == "en"
    both = replace(day, topics=tuple(replace(t, language="both") for t in day.topics))
    assert minority_language(both) is None


def test_spanish_sessions_together_are_spread_when_it_is_free() -> None:
    # Six topics, each wanted by its own two people: any arrangement has the same attendance.
    names = ["es1", "es2", "es3", "en1", "en2", "en3"]
    marks = {f"p{i}{j}": [name] for i, name in enumerate(names) for j in range(2)}
    day = _in_spanish(
        make_instance(rooms=[room("a"), room("b")], slots=3, topics=names, marks=marks), "es1", "es2", "es3"
    )
    sm = build_model(day, {})
    index = {t.id: i for i, t in enumerate(day.topics)}
    together = {index["es1"]: (0, 0), index["es2"]: (0, 0), index["es3"]: (0, 1), index["en1"]: (0, 1)}
    together |= {index["en2"]: (0, 2), index["en3"]: (0, 2)}
    slot_ids = day.slot_ids
    before = {day.topics[ti].id: slot_ids[si] for ti, (_ci, si) in together.items()}
    assert language_gaps(day, before) == 1
    spread = spread_language(day, sm, together)
    after = {day.topics[ti].id: slot_ids[si] for ti, (_ci, si) in spread.items()}
    assert language_gaps(day, after) == 0
    assert attendance_of(sm, spread) == attendance_of(sm, together)
    assert sorted(spread) == sorted(together)  # the same sessions run

    solution = solve(day, WORK)
    assert violations(day, solution.placements) == []
    assert language_gaps(day, _slot_of(solution)) == 0
    assert solution.stats.attendance == solution.stats.upper_bound


def test_a_spread_that_would_cost_attendance_is_not_made() -> None:
    # Three people want es1 and en1 apart, three want es1 and en2 apart: with two rooms and two
    # slots es1 must share its slot with es2, leaving the other slot without Spanish.
    marks: dict[str, list[str]] = {f"r{i}": ["es1", "en1"] for i in range(3)}
    marks |= {f"s{i}": ["es1", "en2"] for i in range(3)}
    marks |= {f"t{i}": ["es2"] for i in range(2)}
    day = _in_spanish(
        make_instance(rooms=[room("a"), room("b")], slots=2, topics=["es1", "es2", "en1", "en2"], marks=marks),
        "es1",
        "es2",
    )
    spread = solve(day, WORK)
    plain = solve(day, replace(WORK, spread_languages=False))
    assert spread.stats.attendance == plain.stats.attendance == 3 * 2 + 3 * 2 + 2
    assert language_gaps(day, _slot_of(spread)) == 1


def test_a_session_held_in_both_languages_fills_a_gap() -> None:
    names = ["es1", "both1", "en1", "en2"]
    marks = {f"p{i}{j}": [name] for i, name in enumerate(names) for j in range(2)}
    day = make_instance(rooms=[room("a"), room("b")], slots=2, topics=names, marks=marks)
    day = replace(
        day, topics=tuple(replace(t, language={"es1": "es", "both1": "both"}.get(t.id, "en")) for t in day.topics)
    )
    solution = solve(day, WORK)
    assert language_gaps(day, _slot_of(solution)) == 0
    assert solution.stats.attendance == solution.stats.upper_bound


def test_the_spread_keeps_facilitators_single_booked_and_pins() -> None:
    # es1 and es2 share a facilitator, so they are apart anyway; es3 is pinned to s1.
    names = ["es1", "es2", "es3", "en1", "en2", "en3"]
    marks = {f"p{i}{j}": [name] for i, name in enumerate(names) for j in range(2)}
    topics = [topic(n, facilitators=["ana"]) if n in ("es1", "es2") else topic(n) for n in names]
    day = _in_spanish(
        make_instance(rooms=[room("a"), room("b")], slots=3, topics=topics, marks=marks), "es1", "es2", "es3"
    )
    solution = solve(day, WORK)
    assert violations(day, solution.placements) == []
    assert language_gaps(day, _slot_of(solution)) == 0
    assert score(day, solution.placements).attendance == solution.stats.attendance


def test_a_spanish_topic_off_the_schedule_takes_the_room_of_one_that_does_not_run() -> None:
    # One room, two slots: en1 is viable, en2 wanted by one person; es1, viable, is left out by hand.
    marks = {"a": ["en1"], "b": ["en1"], "c": ["en2"], "d": ["es1"], "e": ["es1"]}
    day = _in_spanish(make_instance(rooms=[room("a")], slots=2, topics=["en1", "en2", "es1"], marks=marks), "es1")
    sm = build_model(day, {})
    index = {t.id: i for i, t in enumerate(day.topics)}
    cells = {index["en1"]: (0, 0), index["en2"]: (0, 1)}
    spread = spread_language(day, sm, cells)
    assert spread == {index["en1"]: (0, 0), index["es1"]: (0, 1)}
    assert attendance_of(sm, spread) > attendance_of(sm, cells)
