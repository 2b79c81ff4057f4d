"""The raffle's draw: fair over many seeds, nobody twice, absent winners redrawn, recomputable from
the revealed seed, the hash matching, who may win, and every refusal."""

from __future__ import annotations

import hashlib
from collections import Counter

import pytest
from sqlmodel import Session, col, select

from app.domain import audit, events, raffle, raffle_prizes
from app.domain.errors import Conflict, InvalidInput, WrongPhase
from app.models import Attendee, BoardEvent, Event, Organizer, Phase
from app.models.aftersession import EventFeedback
from app.models.closing import CheckIn
from tests.factories import make_attendee, make_event

SEEDS = 2000


def _seed(i: int) -> str:
    return hashlib.sha256(f"test seed {i}".encode()).hexdigest()


def test_every_ticket_is_equally_likely_to_win_the_first_prize() -> None:
    tickets = list(range(101, 111))
    wins = Counter(raffle.recompute(_seed(i), tickets, 1)[0] for i in range(SEEDS))
    expected = SEEDS / len(tickets)
    chi_square = sum((wins[t] - expected) ** 2 / expected for t in tickets)
    assert chi_square < 27.88  # 9 degrees of freedom, p = 0.001


def test_each_ticket_wins_one_of_three_prizes_about_three_times_in_ten() -> None:
    tickets = [3, 7, 12, 40, 41, 42, 77, 78, 90, 1047]
    won = Counter(t for i in range(SEEDS) for t in raffle.recompute(_seed(i), tickets, 3))
    mean, sd = SEEDS * 0.3, (SEEDS * 0.3 * 0.7) ** 0.5  # 600 ± 20.5
    for ticket in tickets:
        assert mean - 5 * sd < won[ticket] < mean + 5 * sd, (ticket, won[ticket])


def test_recompute_never_draws_a_ticket_twice_and_stops_when_the_pool_runs_out() -> None:
    for i in range(200):
        drawn = raffle.recompute(_seed(i), [5, 9, 2, 8], 6)
        assert sorted(drawn) == [2, 5, 8, 9]


def test_the_rule_is_the_documented_one() -> None:
    seed, tickets = _seed(1), [10, 20, 30, 40]
    index = int(hashlib.sha256(f"{seed}:0".encode()).hexdigest(), 16) % 4
    second = int(hashlib.sha256(f"{seed}:1".encode()).hexdigest(), 16) % 3
    rest = [t for j, t in enumerate(tickets) if j != index]
    assert raffle.recompute(seed, tickets, 2) == [tickets[index], rest[second]]


def test_the_snippet_on_the_public_page_recomputes_the_same_draw() -> None:
    namespace: dict[str, object] = {}
    exec(raffle.RECOMPUTE_SNIPPET, namespace)  # noqa: S102 (our own constant, the text the page prints)
    printed = namespace["recompute"]
    for i in range(50):
        tickets = list(range(1, 2 + i))
        picks = min(3, len(tickets))
        assert printed(_seed(i), tickets, picks) == raffle.recompute(_seed(i), tickets, picks)  # type: ignore[operator]


def _day(db: Session, people: int = 5) -> tuple[Event, Organizer, list[Attendee]]:
    created = make_event(db, phase=Phase.scheduled)
    attendees = [make_attendee(db, created.event, name=f"Teacher {i}") for i in range(people)]
    return created.event, created.organizer, attendees


def _check_in(db: Session, event: Event, *who: Attendee) -> None:
    slot = events.list_slots(db, event)[0]
    for person in who:
        db.add(CheckIn(event_id=event.id, attendee_id=person.id, slot_id=slot.id, source="organizer"))  # type: ignore[arg-type]
    db.commit()


def _survey(db: Session, event: Event, *who: Attendee) -> None:
    for person in who:
        db.add(EventFeedback(event_id=event.id, attendee_id=person.id, rating=5))  # type: ignore[arg-type]
    db.commit()


def _prizes(db: Session, event: Event, organizer: Organizer, *names: str) -> None:
    for name in names:
        raffle_prizes.add_prize(db, event=event, name=name, sponsor=f"{name} Co.", actor=organizer)


def test_who_may_win_follows_the_rule(db: Session) -> None:
    event, organizer, (a, b, c, d, _e) = _day(db)
    _check_in(db, event, a, b)
    _survey(db, event, b, c)
    rule = {(True, False): [a, b], (False, True): [b, c], (True, True): [b], (False, False): [a, b, c, d, _e]}
    for (checkin, survey), expected in rule.items():
        raffle_prizes.set_rule(db, event=event, needs_checkin=checkin, needs_survey=survey, actor=organizer)
        assert raffle_prizes.eligible_tickets(db, event=event) == sorted(p.id for p in expected)  # type: ignore[misc]
    raffle_prizes.set_rule(db, event=event, needs_checkin=True, needs_survey=True, actor=organizer)
    mine = raffle.my_raffle(db, event=event, attendee=a)
    assert (mine.ticket, mine.eligible, mine.checked_in, mine.surveyed) == (a.id, False, True, False)


def test_a_draw_commits_draws_redraws_the_absent_reveals_and_recomputes(db: Session) -> None:
    event, organizer, people = _day(db, people=6)
    _check_in(db, event, *people[:5])
    _prizes(db, event, organizer, "Book voucher", "Coffee mug", "Robot kit")
    draw = raffle.commit_draw(db, event=event, actor=organizer)
    assert draw.tickets == sorted(p.id for p in people[:5])  # type: ignore[misc]
    assert draw.seed_hash == hashlib.sha256(draw.seed.encode()).hexdigest() and len(draw.seed) == 64
    assert raffle.raffle_view(db, event=event).seed is None  # not shown before the reveal
    first = raffle.draw_next(db, event=event, actor=organizer)
    second = raffle.draw_next(db, event=event, actor=organizer)
    gone, again = raffle.redraw_absent(db, event=event, win_id=second.id, actor=organizer)  # type: ignore[arg-type]
    assert gone.absent and again is not None and again.prize_id == second.prize_id and again.pick == 2
    third = raffle.draw_next(db, event=event, actor=organizer)
    with pytest.raises(Conflict, match="^prizes: every prize has a winner"):
        raffle.draw_next(db, event=event, actor=organizer)
    raffle.reveal_seed(db, event=event, actor=organizer)
    view = raffle.raffle_view(db, event=event)
    assert view.seed == draw.seed
    tickets = [first.ticket, second.ticket, again.ticket, third.ticket]
    assert raffle.recompute(view.seed, draw.tickets, len(view.picks)) == tickets == [p.ticket for p in view.picks]
    assert len(set(tickets)) == 4
    assert [p.prize for p in view.winners] == ["Book voucher", "Coffee mug", "Robot kit"]
    assert [p.absent for p in view.picks] == [False, True, False, False]
    with pytest.raises(Conflict, match="^draw: the seed is revealed"):
        raffle.draw_next(db, event=event, actor=organizer)
    actions = [e.action for e in audit.entries(db, event=event)]
    assert {"raffle_commit", "raffle_draw", "raffle_absent", "raffle_reveal"} <= set(actions)
    kinds = db.scalars(
        select(BoardEvent.kind).where(BoardEvent.event_id == event.id).order_by(col(BoardEvent.sequence))
    )
    assert list(kinds).count("raffle_changed") == 3 + 1 + 2 + 1 + 1 + 1  # prizes, commit, draws, redraw, draw, reveal


def test_refusals_are_clear(db: Session) -> None:
    event, organizer, people = _day(db, people=2)
    with pytest.raises(Conflict, match="^draw: commit the draw first"):
        raffle.draw_next(db, event=event, actor=organizer)
    with pytest.raises(Conflict, match="^prizes: add at least one prize"):
        raffle.commit_draw(db, event=event, actor=organizer)
    _prizes(db, event, organizer, "One", "Two", "Three")
    with pytest.raises(Conflict, match="^tickets: nobody may win yet"):
        raffle.commit_draw(db, event=event, actor=organizer)
    _check_in(db, event, *people)
    raffle.commit_draw(db, event=event, actor=organizer)
    with pytest.raises(Conflict, match="^draw: the draw is already committed"):
        raffle.commit_draw(db, event=event, actor=organizer)
    with pytest.raises(Conflict, match="^needs_checkin: the draw is committed"):
        raffle_prizes.set_rule(db, event=event, needs_checkin=False, needs_survey=False, actor=organizer)
    first = raffle.draw_next(db, event=event, actor=organizer)
    second = raffle.draw_next(db, event=event, actor=organizer)
    with pytest.raises(Conflict, match="^win_id: only the latest winner"):
        raffle.redraw_absent(db, event=event, win_id=first.id, actor=organizer)  # type: ignore[arg-type]
    with pytest.raises(Conflict, match="^tickets: every ticket has been drawn; 1 prize stays undrawn"):
        raffle.draw_next(db, event=event, actor=organizer)
    gone, again = raffle.redraw_absent(db, event=event, win_id=second.id, actor=organizer)  # type: ignore[arg-type]
    assert gone.absent and again is None
    with pytest.raises(Conflict, match="^prize_id: “One” has been drawn"):
        raffle_prizes.remove_prize(db, event=event, prize_id=first.prize_id, actor=organizer)
    assert [p.name for p in raffle.raffle_view(db, event=event).undrawn] == ["Two", "Three"]


def test_prizes_are_checked_reordered_and_closed_with_the_event(db: Session) -> None:
    event, organizer, _ = _day(db, people=0)
    with pytest.raises(InvalidInput) as refused:
        raffle_prizes.add_prize(db, event=event, name="  ", sponsor="x" * 121, actor=organizer)
    assert {e.field for e in refused.value.field_errors} == {"name", "sponsor"}
    _prizes(db, event, organizer, "A", "B", "C")
    c = raffle_prizes.prizes_of(db, event=event)[2]
    raffle_prizes.move_prize(db, event=event, prize_id=c.id, direction="up", actor=organizer)  # type: ignore[arg-type]
    assert [p.name for p in raffle_prizes.prizes_of(db, event=event)] == ["A", "C", "B"]
    raffle_prizes.edit_prize(db, event=event, prize_id=c.id, name="<b>Cc</b>", sponsor="", actor=organizer)  # type: ignore[arg-type]
    raffle_prizes.remove_prize(db, event=event, prize_id=c.id, actor=organizer)  # type: ignore[arg-type]
    assert [p.name for p in raffle_prizes.prizes_of(db, event=event)] == ["A", "B"]
    events.set_phase(db, event=event, phase=Phase.closed, actor=organizer)
    with pytest.raises(WrongPhase):
        raffle_prizes.add_prize(db, event=event, name="Late", actor=organizer)
