"""Drafts, hand moves with consequences, publishing, undo and mid-day re-solves."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from app.domain import claims, drafting, events, marking, midday, moves, organizers, publishing, timetable
from app.domain.changes import Change
from app.domain.errors import Conflict
from app.jobs import BuildJob, BuildJobs
from app.models import BoardEvent, Phase, Placement, SessionStatus, Topic
from tests.factories import make_attendee, make_event, make_topic


def _event(db: Session, *, rooms: int = 3, slots: int = 3, topics: int = 7):  # type: ignore[no-untyped-def]
    created = make_event(db, rooms=rooms, slots=slots)
    event = created.event
    people = [make_attendee(db, event, f"T{i}") for i in range(12)]
    made = [make_topic(db, event, people[i % len(people)], title=f"Topic {i}") for i in range(topics)]
    for i, person in enumerate(people):
        for topic in made[i % topics : i % topics + 3]:
            marking.mark_topic(db, event=event, attendee=person, topic=topic)
    return event, created.organizer, people, made


def _build(engine: sa.Engine, event_id: int, organizer_id: int, **kwargs: object) -> BuildJob:
    jobs = BuildJobs(engine, time_limit=5)
    job = jobs.start(event_id=event_id, organizer_id=organizer_id, **kwargs)  # type: ignore[arg-type]
    deadline = time.monotonic() + 60
    while job.running and time.monotonic() < deadline:
        time.sleep(0.05)
    assert job.done and job.error is None, job.error
    return job


def test_build_in_the_background_makes_a_draft_with_stats_and_reasons(engine: sa.Engine, db: Session) -> None:
    event, boss, _people, made = _event(db, rooms=2, slots=3, topics=8)
    job = _build(engine, event.id, boss.id)
    assert job.version == 1 and job.attendance > 0 and job.upper_bound >= job.attendance
    db.expire_all()
    view = drafting.schedule_view(db, event=event)
    assert view.is_draft and len(view.cells) == 6
    assert len(view.left_out) == 2 and all(reason for _topic, reason in view.left_out)
    assert view.stats["attendance"] == job.attendance and not view.problems
    assert drafting.published_run(db, event=event) is None


def test_moves_show_consequences_swap_and_refuse_broken_rules(engine: sa.Engine, db: Session) -> None:
    event, boss, people, made = _event(db, rooms=2, slots=2, topics=6)
    _build(engine, event.id, boss.id)
    db.expire_all()
    view = drafting.schedule_view(db, event=event)
    (r1, r2), (s1, s2) = view.rooms, view.slots
    if view.cell(r1, s1) is None or view.cell(r2, s1) is None:  # make both cells of the first slot full
        for topic, _reason in list(view.left_out):
            cell = next(((r, s1) for r in (r1, r2) if view.cell(r, s1) is None), None)
            if cell:
                moves.place(db, event=event, topic_id=topic.id, room_id=cell[0].id, slot_id=s1.id, actor=boss)  # type: ignore[arg-type]
                db.expire_all()
                view = drafting.schedule_view(db, event=event)
    if view.cell(r1, s2) is None:
        topic = view.left_out[0][0]
        moves.place(db, event=event, topic_id=topic.id, room_id=r1.id, slot_id=s2.id, actor=boss)  # type: ignore[arg-type]
        db.expire_all()
        view = drafting.schedule_view(db, event=event)
    a, b = view.cell(r1, s1), view.cell(r2, s1)
    assert a and b
    preview = moves.preview_move(db, event=event, placement_id=a.placement.id, room_id=r2.id, slot_id=s1.id)
    assert preview.allowed and preview.swapped_with == b.topic.title
    assert preview.attendance_after == preview.attendance_before, "a swap within one slot changes nobody's day"
    moves.move(db, event=event, placement_id=a.placement.id, room_id=r2.id, slot_id=s1.id, actor=boss)
    db.expire_all()
    moved = drafting.schedule_view(db, event=event)
    assert moved.cell(r2, s1).topic.id == a.topic.id and moved.cell(r1, s1).topic.id == b.topic.id  # type: ignore[union-attr]
    # One person facilitating two sessions of one slot is refused, with the reason.
    c = moved.cell(r1, s2)
    assert c
    claims.claim_topic(db, event=event, attendee=people[0], topic=db.get(Topic, a.topic.id))  # type: ignore[arg-type]
    claims.claim_topic(db, event=event, attendee=people[0], topic=db.get(Topic, c.topic.id))  # type: ignore[arg-type]
    refused = moves.preview_move(db, event=event, placement_id=c.placement.id, room_id=r1.id, slot_id=s1.id)
    assert not refused.allowed and any("T0" in p for p in refused.problems), refused.problems
    with pytest.raises(Conflict, match="refused"):
        moves.move(db, event=event, placement_id=c.placement.id, room_id=r1.id, slot_id=s1.id, actor=boss)


def test_unschedule_place_pin_publish_and_undo(engine: sa.Engine, db: Session) -> None:
    event, boss, _people, made = _event(db, rooms=2, slots=2, topics=5)
    _build(engine, event.id, boss.id)
    db.expire_all()
    view = drafting.schedule_view(db, event=event)
    first = next(iter(view.cells.values()))
    removed = moves.unschedule(db, event=event, placement_id=first.placement.id, actor=boss)
    db.expire_all()
    view = drafting.schedule_view(db, event=event)
    assert removed.id in {t.id for t, _ in view.left_out}
    free = next((r, s) for r in view.rooms for s in view.slots if view.cell(r, s) is None)
    moves.place(db, event=event, topic_id=removed.id, room_id=free[0].id, slot_id=free[1].id, actor=boss)
    with pytest.raises(Conflict):
        moves.place(db, event=event, topic_id=removed.id, room_id=free[0].id, slot_id=free[1].id, actor=boss)
    placement = db.scalars(sa.select(Placement).where(Placement.topic_id == removed.id)).one()
    moves.toggle_pin(db, event=event, placement_id=placement.id, actor=boss)
    assert db.get(Topic, removed.id).pinned_room_id == free[0].id  # type: ignore[union-attr]
    first_live = publishing.publish(db, event=event, actor=boss)
    assert event.phase == Phase.live and drafting.published_run(db, event=event).id == first_live.id  # type: ignore[union-attr]
    with pytest.raises(Conflict):
        publishing.publish(db, event=event, actor=boss)  # no draft left to publish
    # A second version, then undo: the first is live again.
    other = next(c for c in drafting.schedule_view(db, event=event).cells.values() if c.topic.id != removed.id)
    moves.unschedule(
        db,
        event=event,
        placement_id=drafting.placements_of(db, drafting.ensure_draft(db, event=event))[0].id,
        actor=boss,
    )
    second = publishing.publish(db, event=event, actor=boss)
    assert second.version > first_live.version and "cancelled" in event.announcement
    live = publishing.undo_publish(db, event=event, actor=boss)
    assert live is not None and live.id == first_live.id
    assert drafting.current_draft(db, event=event).id == second.id  # type: ignore[union-attr]
    assert other


def test_midday_room_closure_resolves_with_earlier_slots_kept_and_few_moves(engine: sa.Engine, db: Session) -> None:
    event, boss, people, made = _event(db, rooms=3, slots=3, topics=9)
    _build(engine, event.id, boss.id)
    db.expire_all()
    publishing.publish(db, event=event, actor=boss)
    before = {
        p.topic_id: (p.room_id, p.slot_id) for p in drafting.placements_of(db, drafting.published_run(db, event=event))
    }  # type: ignore[arg-type]
    rooms, slots = events.list_rooms(db, event), events.list_slots(db, event)
    sequence = event.board_sequence
    midday.close_room_from(db, event=event, room_id=rooms[0].id, slot_id=slots[1].id, actor=boss)  # type: ignore[arg-type]
    logged = db.scalars(select(BoardEvent).where(BoardEvent.event_id == event.id, BoardEvent.sequence > sequence)).all()
    assert [e.kind for e in logged] == [Change.layout_changed], "screens hear of the closed room at once"
    job = _build(engine, event.id, boss.id, keep_before_slot=slots[1].id)
    db.expire_all()
    draft = drafting.current_draft(db, event=event)
    assert draft is not None and job.moved is not None
    after = {p.topic_id: (p.room_id, p.slot_id) for p in drafting.placements_of(db, draft)}
    for topic_id, (room_id, slot_id) in before.items():
        if slot_id == slots[0].id:
            assert after[topic_id] == (room_id, slot_id), "the first slot is kept exactly"
    assert all(not (r == rooms[0].id and s != slots[0].id) for r, s in after.values()), "the closed room is empty"
    changed = sum(1 for t, cell in before.items() if after.get(t) != cell)
    assert changed == job.moved and job.moved <= 2, "only the closed room's two later sessions had to move"
    published = publishing.publish(db, event=event, actor=boss)
    assert "Schedule changed" in event.announcement and published.stats["moves"]


def test_facilitator_leaving_frees_their_sessions(db: Session) -> None:
    event, boss, people, made = _event(db, topics=3)
    claims.claim_topic(db, event=event, attendee=people[1], topic=made[0])
    led = midday.facilitator_leaves(db, event=event, attendee_id=people[1].id, actor=boss)  # type: ignore[arg-type]
    assert [t.id for t in led] == [made[0].id]


def test_a_build_whose_pins_cannot_all_hold_says_which_ones(engine: sa.Engine, db: Session) -> None:
    event, boss, _people, made = _event(db, rooms=2, slots=2, topics=3)
    rooms, slots = events.list_rooms(db, event), events.list_slots(db, event)
    for topic in made[:2]:  # two topics pinned to the same room and slot
        topic.pinned_room_id, topic.pinned_slot_id = rooms[0].id, slots[0].id
        db.add(topic)
    db.commit()
    jobs = BuildJobs(engine, time_limit=3)
    job = jobs.start(event_id=event.id, organizer_id=boss.id)  # type: ignore[arg-type]
    deadline = time.monotonic() + 60
    while job.running and time.monotonic() < deadline:
        time.sleep(0.05)
    assert job.done and job.error is not None and job.version is None
    assert "cannot all hold" in job.error and "Topic 0" in job.error and "Topic 1" in job.error
    assert drafting.current_draft(db, event=event) is None, "no draft is made from an impossible build"


def test_undo_names_its_version_restores_the_board_and_keeps_every_version(engine: sa.Engine, db: Session) -> None:
    event, boss, _people, _made = _event(db, rooms=2, slots=2, topics=4)
    events.set_announcement(
        db, event=event, text="Coffee in the library", actor=organizers.require_first_organizer(db, event)
    )
    _build(engine, event.id, boss.id)
    db.expire_all()
    first = publishing.publish(db, event=event, actor=boss)
    draft = drafting.ensure_draft(db, event=event)
    assert draft.version == first.version + 1
    moves.unschedule(db, event=event, placement_id=drafting.placements_of(db, draft)[0].id, actor=boss)
    second = publishing.publish(db, event=event, actor=boss)
    assert event.announcement.startswith("Schedule changed")
    publishing.undo_publish(db, event=event, actor=boss, version=second.version)
    assert event.announcement == "Coffee in the library", "the board says what it said before"
    with pytest.raises(Conflict, match="no longer the published one"):
        publishing.undo_publish(db, event=event, actor=boss, version=second.version)  # a double click
    assert {r.version for r in drafting.versions(db, event=event)} == {first.version, second.version}
    publishing.undo_publish(db, event=event, actor=boss, version=first.version)
    assert event.phase == Phase.proposing, "with nothing published the event goes back to its phase before"


def test_rebuilding_never_reuses_a_version_number_and_unscheduling_a_pinned_session_drops_its_pin(
    engine: sa.Engine, db: Session
) -> None:
    event, boss, _people, _made = _event(db, rooms=2, slots=2, topics=4)
    assert _build(engine, event.id, boss.id).version == 1
    assert _build(engine, event.id, boss.id).version == 2
    db.expire_all()
    placement = drafting.placements_of(db, drafting.current_draft(db, event=event))[0]  # type: ignore[arg-type]
    moves.toggle_pin(db, event=event, placement_id=placement.id, actor=boss)
    moves.unschedule(db, event=event, placement_id=placement.id, actor=boss)
    topic = db.get(Topic, placement.topic_id)
    assert topic is not None and topic.pinned_room_id is None and topic.pinned_slot_id is None
    assert not drafting.schedule_view(db, event=event).problems, "the draft can still be published"


def test_drafts_started_at_the_same_moment_take_turns_for_a_version(engine: sa.Engine, db: Session) -> None:
    import threading

    event, _boss, _people, _made = _event(db, topics=2)
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def start() -> None:
        barrier.wait()
        try:
            with Session(engine, expire_on_commit=False) as own:
                own_event = events.require_event(own, event.code)
                drafting._new_draft(own, own_event, [], {})
                own.commit()
        except BaseException as error:  # noqa: BLE001 - collected for the assertion below
            errors.append(error)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(r.version for r in drafting.versions(db, event=event)) == [4]


def _slot_with_a_free_room(db: Session, event):  # type: ignore[no-untyped-def]
    """A moment (and its grid) in a slot that has a session running and a room left free."""
    for hour in range(3):
        now = datetime(2027, 3, 13, 17 + hour, 15, tzinfo=UTC)  # 09:15, 10:15, 11:15 in Los Angeles
        grid = timetable.grid(db, event=event, now=now)
        running = [p for (_room, slot), p in grid.cells.items() if slot == grid.current_slot_id]
        if running and timetable.free_rooms_now(grid):
            return now, grid, running[0]
    raise AssertionError("no slot with both a session and a free room")


def test_a_new_version_mid_day_keeps_pop_ups_and_how_full_the_rooms_are(engine: sa.Engine, db: Session) -> None:
    event, boss, people, _made = _event(db, rooms=3, slots=3, topics=5)
    _build(engine, event.id, boss.id)
    db.expire_all()
    publishing.publish(db, event=event, actor=boss)
    now, grid, running = _slot_with_a_free_room(db, event)
    drafting.ensure_draft(db, event=event)  # the organizer starts editing before the pop-up begins
    room = timetable.free_rooms_now(grid)[0]
    popup = timetable.start_popup(db, event=event, attendee=people[0], room_id=room.id, title="Coffee chat", now=now)
    timetable.set_session_status(
        db, event=event, placement=db.get(Placement, running.placement.id), status="full", attendee=None, organizer=True
    )

    second = publishing.publish(db, event=event, actor=boss, now=now)

    live = {p.topic_id: p for p in drafting.placements_of(db, second)}
    carried = live[popup.topic_id]
    assert (carried.room_id, carried.slot_id, carried.is_popup) == (room.id, grid.current_slot_id, True)
    assert live[running.topic.id].status == SessionStatus.full
    after = timetable.grid(db, event=event, now=now)
    assert after.cells[(room.id, grid.current_slot_id)].topic.title == "Coffee chat"


def test_a_draft_that_gives_a_running_pop_ups_room_away_is_refused_naming_both(engine: sa.Engine, db: Session) -> None:
    event, boss, people, _made = _event(db, rooms=3, slots=3, topics=5)
    _build(engine, event.id, boss.id)
    db.expire_all()
    publishing.publish(db, event=event, actor=boss)
    now, grid, running = _slot_with_a_free_room(db, event)
    draft = drafting.ensure_draft(db, event=event)
    room = timetable.free_rooms_now(grid)[0]
    timetable.start_popup(db, event=event, attendee=people[0], room_id=room.id, title="Coffee chat", now=now)
    # In the draft, the running session moves into the room the pop-up took meanwhile.
    mine = next(p for p in drafting.placements_of(db, draft) if p.topic_id == running.topic.id)
    mine.room_id = room.id
    db.add(mine)
    db.commit()
    with pytest.raises(Conflict) as refused:
        publishing.publish(db, event=event, actor=boss, now=now)
    assert "Coffee chat" in refused.value.message and running.topic.title in refused.value.message
    assert drafting.current_draft(db, event=event) is not None  # nothing was published, nothing half-done:
    assert not any(p.is_popup for p in drafting.placements_of(db, draft))
    # Once that slot is over, the pop-up gives way to the draft's session instead of blocking the publish.
    later = datetime(2027, 3, 14, 2, 0, tzinfo=UTC)
    published = publishing.publish(db, event=event, actor=boss, now=later)
    cell = {(p.room_id, p.slot_id): p.topic_id for p in drafting.placements_of(db, published)}
    assert cell[(room.id, grid.current_slot_id)] == running.topic.id


def test_a_bound_proven_later_is_kept_only_on_the_draft_the_solver_made(engine: sa.Engine, db: Session) -> None:
    """The bound proven in the background belongs to the solver's draft: a lower one is stored, a
    higher one is not, and once the draft is edited by hand or published nothing is written (it
    would overwrite what publishing keeps for its undo)."""
    event, boss, _people, _made = _event(db, rooms=2, slots=3, topics=8)
    job = _build(engine, event.id, boss.id)
    draft = drafting.current_draft(db, event=event)
    assert draft is not None
    trivial = (draft.stats.get("proven_bound") or job.upper_bound) + 3  # a bound from above, to be improved on
    draft.stats = {**draft.stats, "proven_bound": trivial}
    db.add(draft)
    db.commit()
    drafting.record_bound(db, run_id=draft.id, bound=trivial - 1)  # type: ignore[arg-type]
    drafting.record_bound(db, run_id=draft.id, bound=trivial)  # type: ignore[arg-type]
    db.expire_all()
    assert drafting.current_draft(db, event=event).stats["proven_bound"] == trivial - 1  # type: ignore[union-attr]
    placement = drafting.placements_of(db, draft)[0]
    moves.unschedule(db, event=event, placement_id=placement.id, actor=boss)  # type: ignore[arg-type]
    drafting.record_bound(db, run_id=draft.id, bound=trivial - 2)  # type: ignore[arg-type]
    db.expire_all()
    edited = drafting.current_draft(db, event=event)
    assert edited is not None and edited.stats["proven_bound"] is None, "a hand-edited draft keeps no solver bound"
    published = publishing.publish(db, event=event, actor=boss)
    before = dict(published.stats)
    drafting.record_bound(db, run_id=published.id, bound=trivial - 3)  # type: ignore[arg-type]
    db.expire_all()
    assert drafting.published_run(db, event=event).stats == before  # type: ignore[union-attr]
