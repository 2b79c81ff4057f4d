"""DESIGN.md's promise: every action states the phases in which it is allowed, in one table.

The expected table is written out here in full, so a change to what a phase allows is a change to
this test too; and every action the table names is checked by the domain, never inline elsewhere.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from app.domain import phases
from app.domain.errors import WrongPhase
from app.models import Event, Phase

APP = Path(__file__).resolve().parents[2] / "app"
S, PR, V, SC, L, C = Phase.setup, Phase.proposing, Phase.voting, Phase.scheduled, Phase.live, Phase.closed

EXPECTED = {
    "join": {S, PR, V, SC, L},
    "propose": {PR},
    "edit_topic": {PR, V},
    "withdraw_topic": {PR, V},
    "mark": {PR, V},
    "unmark": {PR, V},
    "claim": {PR, V, SC},
    "release": {PR, V, SC},
    "set_session_status": {L},
    "start_popup": {L},
    "write_notes": {PR, V, SC, L},
    "give_feedback": {L, C},
    "moderate": {S, PR, V, SC, L, C},
    "change_settings": {S, PR, V, SC, L, C},
    "change_layout": {S, PR, V, SC, L},
    "announce": {S, PR, V, SC, L, C},
    "draft_schedule": {S, PR, V, SC, L, C},
    "publish_schedule": {S, PR, V, SC, L},
    "change_live_day": {S, PR, V, SC, L, C},
    "edit_talks": {S, PR, V, SC, L, C},
    "run_plenary": {S, PR, V, SC, L},
    "copy_event": {S, PR, V, SC, L, C},
    "board_mode": {S, PR, V, SC, L},
    #
    # ... check-in and attendance
    "check_in": {L},
    "count_attendance": {S, PR, V, SC, L, C},
    #
    # ... certificates
    "get_certificate": {L, C},
    "manage_certificates": {S, PR, V, SC, L, C},
    #
    # ... the exit survey
    "edit_survey": {S, PR, V, SC, L, C},
    #
    # ... the smackdown
    "join_smackdown": {L},
    "run_smackdown": {S, PR, V, SC, L},
    #
    # ... the raffle
    "run_raffle": {S, PR, V, SC, L},
}


def test_every_action_and_its_phases() -> None:
    assert {action: set(allowed) for action, allowed in phases.ALLOWED.items()} == EXPECTED
    assert set(phases.ACTION_WORDS) == set(phases.ALLOWED)
    assert {action for action, _ in phases.REFUSALS} <= set(phases.ALLOWED)


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_a_refusal_says_why_and_what_is_possible_now(action: str) -> None:
    for phase in set(Phase) - EXPECTED[action]:
        event = Event(code="PHASE1", name="Phases", date="2027-03-13", timezone="UTC", phase=phase)
        with pytest.raises(WrongPhase) as refused:
            phases.require_phase(event, action)
        message = str(refused.value)
        assert message and (str(phases.NOW_POSSIBLE[phase]) in message or phase == C), message


def _phase_calls() -> tuple[set[str], list[str]]:
    """Actions named by require_phase/is_allowed calls in app/, and any phase check done inline."""
    named: set[str] = set()
    inline: list[str] = []
    for path in sorted(APP.rglob("*.py")):
        if path.name == "phases.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in {"require_phase", "is_allowed"}:
                if len(node.args) == 2 and isinstance(node.args[1], ast.Constant):
                    named.add(node.args[1].value)
            # `event.phase == Phase.live`, `event.phase not in {...}` in the domain: a rule outside the table.
            if (
                path.parent.name == "domain"
                and isinstance(node, ast.Compare)
                and isinstance(node.left, ast.Attribute)
                and node.left.attr == "phase"
                # the console's stepper, the phase moves themselves, and when counts show
                and path.name not in {"console.py", "events.py", "topics.py"}
            ):
                inline.append(f"{path.name}:{node.lineno}")
    return named, inline


def test_the_domain_checks_every_action_through_the_table() -> None:
    named, inline = _phase_calls()
    assert named == set(phases.ALLOWED), (sorted(set(phases.ALLOWED) - named), sorted(named - set(phases.ALLOWED)))
    assert not inline, f"phase rules written inline instead of in domain/phases.py: {inline}"
