"""A plenary's running order of talks, and running it: "next talk", back to the grid, refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from app.domain import audit, events, organizers, talks
from app.domain.errors import Conflict, InvalidInput, NotFound, WrongPhase
from app.models import BoardEvent, Event, Phase, Talk
from tests.factories import make_event, make_plenary

T0 = datetime(2027, 3, 13, 17, 0, tzinfo=UTC)


def _day(db: Session, phase: Phase = Phase.proposing) -> tuple[Event, int, int]:
    """An event whose first slot is a plenary (its id) and second a sessions slot (its id)."""
    created = make_event(db, slots=2, phase=phase)
    plenary = make_plenary(db, created.event, slot=0, title="EdTalks")
    sessions = [s for s in events.list_slots(db, created.event) if s.id != plenary.id][0]
    return created.event, plenary.id, sessions.id  # type: ignore[return-value]


def _add(db: Session, event: Event, slot_id: int, speaker: str, minutes: int = 15, **kw: str) -> Talk:
    organizer = organizers.require_first_organizer(db, event)
    return talks.add_talk(
        db, event=event, slot_id=slot_id, speaker=speaker, title=kw.get("title", f"{speaker}'s talk"),
        minutes=minutes, bio=kw.get("bio", ""), actor=organizer,
    )  # fmt: skip


def _order(db: Session, event: Event, slot_id: int) -> list[str]:
    slot = talks.require_plenary(db, event=event, slot_id=slot_id)
    return [t.speaker for t in talks.talks_of(db, slot=slot)]


def _kinds(db: Session, event: Event) -> list[str]:
    return list(
        db.scalars(select(BoardEvent.kind).where(BoardEvent.event_id == event.id).order_by(col(BoardEvent.sequence)))
    )


def test_talks_are_added_edited_reordered_and_removed_in_order(db: Session) -> None:
    event, plenary, _ = _day(db)
    organizer = organizers.require_first_organizer(db, event)
    ana = _add(db, event, plenary, "  Ana   Ruiz ", minutes=10, bio="Teaches 4th grade\r\nin Fresno")
    _add(db, event, plenary, "Ben Okafor")
    cy = _add(db, event, plenary, "Cy Tran")
    assert (ana.speaker, ana.minutes, ana.bio, ana.position) == ("Ana Ruiz", 10, "Teaches 4th grade\nin Fresno", 0)
    assert _order(db, event, plenary) == ["Ana Ruiz", "Ben Okafor", "Cy Tran"]
    talks.move_talk(db, event=event, talk_id=cy.id, direction="up", actor=organizer)  # type: ignore[arg-type]
    talks.move_talk(db, event=event, talk_id=ana.id, direction="down", actor=organizer)  # type: ignore[arg-type]
    assert _order(db, event, plenary) == ["Cy Tran", "Ana Ruiz", "Ben Okafor"]
    talks.edit_talk(
        db, event=event, talk_id=ana.id, speaker="Ana Ruiz", title="Number talks", minutes="12", actor=organizer
    )  # type: ignore[arg-type]
    talks.remove_talk(db, event=event, talk_id=cy.id, actor=organizer)  # type: ignore[arg-type]
    assert [(t.speaker, t.title, t.minutes) for t in talks.plenaries(db, event=event)[0][1]] == [
        ("Ana Ruiz", "Number talks", 12),
        ("Ben Okafor", "Ben Okafor's talk", 15),
    ]
    assert _kinds(db, event).count("talks_changed") == 7
    logged = [e.action for e in audit.entries(db, event=event)]
    assert logged[:7] == ["remove_talk", "edit_talk", "move_talk", "move_talk", "add_talk", "add_talk", "add_talk"]


@pytest.mark.parametrize(
    ("fields", "refused"),
    [
        ({"speaker": "   "}, ["speaker"]),
        ({"speaker": "x" * 81}, ["speaker"]),
        ({"title": ""}, ["title"]),
        ({"minutes": 0}, ["minutes"]),
        ({"minutes": 241}, ["minutes"]),
        ({"minutes": "ten"}, ["minutes"]),
        ({"bio": "b" * 281}, ["bio"]),
        ({"speaker": "", "title": "", "minutes": -1, "bio": "b" * 300}, ["speaker", "title", "minutes", "bio"]),
        ({"speaker": "Ana\x00"}, ["speaker"]),
    ],
)
def test_a_talk_refused_names_every_field_at_fault(db: Session, fields: dict[str, object], refused: list[str]) -> None:
    event, plenary, _ = _day(db)
    values: dict[str, object] = {"speaker": "Ana", "title": "Number talks", "minutes": 15, "bio": ""} | fields
    with pytest.raises(InvalidInput) as error:
        talks.add_talk(db, event=event, slot_id=plenary, actor=organizers.require_first_organizer(db, event), **values)  # type: ignore[arg-type]
    assert [e.field for e in error.value.field_errors] == refused
    assert _order(db, event, plenary) == []


def test_only_plenary_slots_hold_talks(db: Session) -> None:
    event, _, sessions = _day(db)
    with pytest.raises(InvalidInput) as error:
        _add(db, event, sessions, "Ana")
    assert error.value.field == "slot_id" and "only plenary slots hold talks" in error.value.message
    other = make_event(db, name="Another Edcamp").event
    foreign = make_plenary(db, other, slot=0)
    with pytest.raises(NotFound) as missing:
        _add(db, event, foreign.id, "Ana")  # type: ignore[arg-type]
    assert missing.value.field == "slot_id"
    with pytest.raises(NotFound) as no_talk:
        talks.edit_talk(
            db, event=event, talk_id=999_999, speaker="A", title="B", minutes=5,
            actor=organizers.require_first_organizer(db, event),
        )  # fmt: skip
    assert no_talk.value.field == "talk_id"


def test_the_first_cannot_go_up_nor_the_last_down(db: Session) -> None:
    event, plenary, _ = _day(db)
    organizer = organizers.require_first_organizer(db, event)
    first, last = _add(db, event, plenary, "Ana"), _add(db, event, plenary, "Ben")
    with pytest.raises(Conflict) as up:
        talks.move_talk(db, event=event, talk_id=first.id, direction="up", actor=organizer)  # type: ignore[arg-type]
    with pytest.raises(Conflict):
        talks.move_talk(db, event=event, talk_id=last.id, direction="down", actor=organizer)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput) as sideways:
        talks.move_talk(db, event=event, talk_id=last.id, direction="left", actor=organizer)  # type: ignore[arg-type]
    assert (up.value.field, sideways.value.field) == ("direction", "direction")
    assert _order(db, event, plenary) == ["Ana", "Ben"]


def test_next_talk_runs_the_plenary_and_then_gives_the_board_back(db: Session) -> None:
    event, plenary, _ = _day(db)
    organizer = organizers.require_first_organizer(db, event)
    for name, minutes in (("Ana", 10), ("Ben", 15), ("Cy", 5)):
        _add(db, event, plenary, name, minutes=minutes)
    assert talks.on_stage(db, event=event) is None
    first = talks.next_talk(db, event=event, slot_id=plenary, expected=0, actor=organizer, now=T0)
    assert (first.now.speaker, first.next.speaker) == ("Ana", "Ben")  # type: ignore[union-attr]
    assert first.ends_at == T0 + timedelta(minutes=10)
    assert first.seconds_left(T0 + timedelta(minutes=11)) == -60  # over time, honestly
    shown = talks.on_stage(db, event=event)
    assert shown is not None and shown.now.speaker == "Ana" and shown.expected == first.now.id  # type: ignore[union-attr]
    later = T0 + timedelta(minutes=11)
    second = talks.next_talk(db, event=event, slot_id=plenary, expected=first.now.id, actor=organizer, now=later)  # type: ignore[union-attr]
    ana = db.get(Talk, first.now.id)  # type: ignore[union-attr]
    assert ana is not None and talks.as_utc(ana.ended_at) == later  # type: ignore[arg-type]
    assert (second.now.speaker, second.next.speaker) == ("Ben", "Cy")  # type: ignore[union-attr]
    third = talks.next_talk(db, event=event, slot_id=plenary, expected=second.now.id, actor=organizer)  # type: ignore[union-attr]
    assert (third.now.speaker, third.next) == ("Cy", None)  # type: ignore[union-attr]
    done = talks.next_talk(db, event=event, slot_id=plenary, expected=third.now.id, actor=organizer)  # type: ignore[union-attr]
    assert (done.now, done.next, done.over) == (None, None, True)
    assert talks.on_stage(db, event=event) is None  # the board shows the grid again
    assert _kinds(db, event)[-4:] == ["stage_changed"] * 4
    with pytest.raises(Conflict) as again:
        talks.next_talk(db, event=event, slot_id=plenary, expected=0, actor=organizer)
    assert "every talk" in again.value.message


def test_a_second_press_is_refused_rather_than_skipping_a_speaker(db: Session) -> None:
    event, plenary, _ = _day(db)
    organizer = organizers.require_first_organizer(db, event)
    _add(db, event, plenary, "Ana"), _add(db, event, plenary, "Ben"), _add(db, event, plenary, "Cy")
    talks.next_talk(db, event=event, slot_id=plenary, expected=0, actor=organizer)
    on = talks.next_talk(db, event=event, slot_id=plenary, expected=None, actor=organizer).now  # no check asked
    assert on is not None and on.speaker == "Ben"
    with pytest.raises(Conflict) as stale:  # this phone still showed nothing on stage
        talks.next_talk(db, event=event, slot_id=plenary, expected=0, actor=organizer)
    assert stale.value.field == "expected" and "Ben is on stage now" in stale.value.message
    assert talks.on_stage(db, event=event).now.speaker == "Ben"  # type: ignore[union-attr]


def test_the_talk_on_stage_cannot_be_removed_and_back_to_the_grid_ends_it(db: Session) -> None:
    event, plenary, _ = _day(db)
    organizer = organizers.require_first_organizer(db, event)
    ana = _add(db, event, plenary, "Ana")
    _add(db, event, plenary, "Ben")
    with pytest.raises(NotFound):
        talks.back_to_grid(db, event=event, slot_id=plenary, actor=organizer)  # nothing on stage
    talks.next_talk(db, event=event, slot_id=plenary, expected=0, actor=organizer)
    with pytest.raises(Conflict) as on:
        talks.remove_talk(db, event=event, talk_id=ana.id, actor=organizer)  # type: ignore[arg-type]
    assert on.value.field == "talk_id"
    stage = talks.back_to_grid(db, event=event, slot_id=plenary, actor=organizer)
    assert stage.now is None and stage.next is not None and stage.next.speaker == "Ben"
    assert talks.on_stage(db, event=event) is None


def test_an_empty_plenary_cannot_start_and_a_closed_day_cannot_run(db: Session) -> None:
    event, plenary, _ = _day(db)
    organizer = organizers.require_first_organizer(db, event)
    with pytest.raises(Conflict) as empty:
        talks.next_talk(db, event=event, slot_id=plenary, expected=0, actor=organizer)
    assert "no talks yet" in empty.value.message
    _add(db, event, plenary, "Ana")
    events.set_phase(db, event=event, phase=Phase.closed, actor=organizer)
    with pytest.raises(WrongPhase):
        talks.next_talk(db, event=event, slot_id=plenary, expected=0, actor=organizer)
    _add(db, event, plenary, "Ben")  # the running order can still be tidied (it is copied to next year's)
    assert _order(db, event, plenary) == ["Ana", "Ben"]


def test_one_talk_on_the_board_at_a_time_across_plenaries(db: Session) -> None:
    created = make_event(db, slots=3)
    event, organizer = created.event, created.organizer
    opening = make_plenary(db, event, slot=0, title="Opening keynote")
    closing = make_plenary(db, event, slot=2, title="Share-out")
    _add(db, event, opening.id, "Keynote Kay")  # type: ignore[arg-type]
    _add(db, event, closing.id, "Dee")  # type: ignore[arg-type]
    talks.next_talk(db, event=event, slot_id=opening.id, expected=0, actor=organizer)  # type: ignore[arg-type]
    waiting = talks.stage(db, event=event, slot_id=closing.id)  # type: ignore[arg-type]
    assert waiting.elsewhere is not None and waiting.expected == waiting.elsewhere.id
    talks.next_talk(db, event=event, slot_id=closing.id, expected=waiting.expected, actor=organizer)  # type: ignore[arg-type]
    on = db.scalars(select(Talk).where(col(Talk.started_at).is_not(None), col(Talk.ended_at).is_(None))).all()
    assert [t.speaker for t in on] == ["Dee"]
    assert [slot.title for slot, _ in talks.plenaries(db, event=event)] == ["Opening keynote", "Share-out"]
