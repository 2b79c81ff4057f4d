"""The smackdown's rules: the queue's order, one waiting share per attendee, Next, Skip, Back to the
queue and Remove, and the refusals that name the field."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from app.domain import events, smackdown
from app.domain.errors import Conflict, InvalidInput, NotAllowed, WrongPhase
from app.domain.events import CreatedEvent
from app.models import AuditEntry, BoardEvent, Event, Organizer, Phase
from app.models.util import utcnow
from tests.factories import make_attendee, make_event, make_topic, publish_cells


def live_event(session: Session, name: str = "Edcamp Test") -> CreatedEvent:
    """An event whose (empty) schedule is published: the day is on."""
    created = make_event(session, name=name)
    topic = make_topic(session, created.event, None, title="Math talks")
    rooms, slots = events.list_rooms(session, created.event), events.list_slots(session, created.event)
    publish_cells(session, created, [(topic.id or 0, rooms[0].id or 0, slots[0].id or 0)])
    session.refresh(created.event)
    assert created.event.phase == Phase.live
    return created


def _live(session: Session) -> tuple[Event, Organizer]:
    created = live_event(session)
    smackdown.set_open(session, event=created.event, is_open=True, actor=created.organizer)
    return created.event, created.organizer


def _join(session: Session, event: Event, name: str, title: str = "", **kw: str):  # type: ignore[no-untyped-def]
    who = make_attendee(session, event, name)
    return smackdown.join_smackdown(
        session, event=event, attendee=who, title=title or f"{name}'s tool", name=name, **kw
    )


def test_joining_queues_in_order_and_next_brings_each_up(session: Session) -> None:
    event, organizer = _live(session)
    ana, ben, cy = (_join(session, event, n) for n in ("Ana", "Ben", "Cy"))
    view = smackdown.smackdown_view(session, event=event)
    assert [s.name for s in view.queue] == ["Ana", "Ben", "Cy"]
    assert view.up is None and view.place(cy) == 3

    up = smackdown.next_share(session, event=event, actor=organizer, expected=0)
    assert up is not None and up.id == ana.id and up.state == "up" and up.started_at is not None
    view = smackdown.smackdown_view(session, event=event)
    assert view.next is not None and view.next.id == ben.id
    assert 118 <= (view.seconds_left() or 0) <= 120

    smackdown.next_share(session, event=event, actor=organizer, expected=ana.id)
    session.refresh(ana)
    assert ana.state == "done" and ana.ended_at is not None
    assert [s.id for s in smackdown.shared(session, event=event)] == [ana.id, ben.id]

    smackdown.next_share(session, event=event, actor=organizer, expected=ben.id)
    smackdown.next_share(session, event=event, actor=organizer, expected=cy.id)  # the last: nobody up after it
    view = smackdown.smackdown_view(session, event=event)
    assert view.up is None and not view.queue and [s.name for s in view.done] == ["Ana", "Ben", "Cy"]
    with pytest.raises(Conflict):
        smackdown.next_share(session, event=event, actor=organizer, expected=0)


def test_a_second_press_of_next_is_refused_naming_who_is_up(session: Session) -> None:
    event, organizer = _live(session)
    _join(session, event, "Ana")
    _join(session, event, "Ben")
    smackdown.next_share(session, event=event, actor=organizer, expected=0)
    with pytest.raises(Conflict) as refused:
        smackdown.next_share(session, event=event, actor=organizer, expected=0)  # a page that showed nobody up
    assert refused.value.field == "expected" and "Ana is up now" in refused.value.message


def test_one_waiting_share_per_attendee_who_may_edit_or_withdraw_it(session: Session) -> None:
    event, organizer = _live(session)
    ana = make_attendee(session, event, "Ana")
    share = smackdown.join_smackdown(session, event=event, attendee=ana, title="Padlet", name="Ana")
    with pytest.raises(Conflict) as twice:
        smackdown.join_smackdown(session, event=event, attendee=ana, title="Another")
    assert twice.value.field == "title"
    smackdown.edit_my_share(
        session, event=event, attendee=ana, title="Padlet exit tickets", url="padlet.com/x", why="Fast"
    )
    session.refresh(share)
    assert (share.title, share.url, share.why, share.name) == (
        "Padlet exit tickets",
        "https://padlet.com/x",
        "Fast",
        "",
    )
    smackdown.withdraw_my_share(session, event=event, attendee=ana)
    assert smackdown.my_share(session, event=event, attendee=ana) is None
    again = smackdown.join_smackdown(session, event=event, attendee=ana, title="Padlet")
    smackdown.next_share(session, event=event, actor=organizer, expected=0)
    with pytest.raises(Conflict):  # up now: no more changes
        smackdown.edit_my_share(session, event=event, attendee=ana, title="Changed")
    assert smackdown.my_share(session, event=event, attendee=ana).id == again.id  # type: ignore[union-attr]


def test_refusals_name_the_field(session: Session) -> None:
    event, _organizer = _live(session)
    ana = make_attendee(session, event, "Ana")
    with pytest.raises(InvalidInput) as refused:
        smackdown.join_smackdown(
            session, event=event, attendee=ana, title="  ", url="javascript:alert(1)", why="x" * 201
        )
    assert {e.field for e in refused.value.field_errors} == {"title", "url", "why"}
    with pytest.raises(InvalidInput) as spaces:
        smackdown.join_smackdown(session, event=event, attendee=ana, title="Ok", url="not a link")
    assert spaces.value.field_errors[0].field == "url"
    assert smackdown.my_share(session, event=event, attendee=ana) is None


def test_the_queue_must_be_open_and_the_day_live(session: Session) -> None:
    created = live_event(session)
    ana = make_attendee(session, created.event, "Ana")
    with pytest.raises(NotAllowed):
        smackdown.join_smackdown(session, event=created.event, attendee=ana, title="Padlet")
    early = make_event(session, phase=Phase.proposing, name="Early")
    smackdown.set_open(session, event=early.event, is_open=True, actor=early.organizer)
    with pytest.raises(WrongPhase) as refused:
        smackdown.join_smackdown(
            session, event=early.event, attendee=make_attendee(session, early.event), title="Padlet"
        )
    assert "The smackdown opens once the schedule is published." in refused.value.message


def test_reorder_skip_back_and_remove_are_audited_and_pushed(session: Session) -> None:
    event, organizer = _live(session)
    ana, ben, cy = (_join(session, event, n) for n in ("Ana", "Ben", "Cy"))
    smackdown.move_share(session, event=event, share_id=cy.id or 0, direction="up", actor=organizer)
    assert [s.name for s in smackdown.smackdown_view(session, event=event).queue] == ["Ana", "Cy", "Ben"]
    with pytest.raises(Conflict) as first:
        smackdown.move_share(session, event=event, share_id=ana.id or 0, direction="up", actor=organizer)
    assert first.value.field == "direction"
    with pytest.raises(InvalidInput):
        smackdown.move_share(session, event=event, share_id=ana.id or 0, direction="sideways", actor=organizer)

    smackdown.next_share(session, event=event, actor=organizer, expected=0)  # Ana up
    smackdown.requeue_share(session, event=event, actor=organizer, to_end=True, expected=ana.id)  # Skip: Cy up
    view = smackdown.smackdown_view(session, event=event)
    assert view.up is not None and view.up.name == "Cy" and [s.name for s in view.queue] == ["Ben", "Ana"]
    smackdown.requeue_share(session, event=event, actor=organizer, expected=cy.id)  # Back: Cy first again
    view = smackdown.smackdown_view(session, event=event)
    assert view.up is None and [s.name for s in view.queue] == ["Cy", "Ben", "Ana"]
    assert view.queue[0].started_at is None

    smackdown.remove_share(session, event=event, share_id=ben.id or 0, actor=organizer)
    assert [s.name for s in smackdown.smackdown_view(session, event=event).queue] == ["Cy", "Ana"]
    assert smackdown.shared(session, event=event) == []

    actions = session.exec(select(AuditEntry.action).where(AuditEntry.event_id == event.id)).all()
    assert {"smackdown_open", "move_share", "next_share", "skip_share", "requeue_share", "remove_share"} <= set(actions)
    kinds = session.exec(select(BoardEvent.kind).where(BoardEvent.event_id == event.id)).all()
    assert kinds.count("smackdown_changed") >= 9


def test_the_clock_runs_past_two_minutes_into_over_time(session: Session) -> None:
    event, organizer = _live(session)
    _join(session, event, "Ana")
    smackdown.next_share(session, event=event, actor=organizer)
    view = smackdown.smackdown_view(session, event=event)
    assert view.seconds_left(utcnow() + timedelta(seconds=150)) in (-30, -31, -29)


def test_running_it_waits_for_an_open_event(session: Session) -> None:
    created = make_event(session, phase=Phase.closed)
    with pytest.raises(WrongPhase):
        smackdown.set_open(session, event=created.event, is_open=True, actor=created.organizer)
