"""The raffle's draw: fair, visibly so, and recomputable by anyone once it is over.

How a draw runs (and how anyone can check it):

1. **Commit.** "Commit the draw" freezes the tickets of everyone the rule lets win (a ticket is the
   attendee's id; the list is sorted ascending) and makes a fresh seed: 32 random bytes from
   ``secrets``, written as 64 lowercase hex characters. The board shows ``sha256(seed)`` (the
   SHA-256 of those 64 characters as ASCII, in hex) BEFORE any winner is drawn, so the seed cannot
   be changed afterwards without the hash giving it away.
2. **Picks.** Prizes are drawn one at a time in their order. Pick ``k`` (0, 1, 2, … counted over the
   whole draw, redraws included) takes one ticket from the pool of tickets not yet drawn, kept in
   ascending order: the one at index ``int(sha256(f"{seed}:{k}"), 16) mod len(pool)`` (the hash of
   the seed, a colon and ``k`` in decimal, read as a hexadecimal number). The ticket leaves the pool,
   so nobody wins twice. "Absent — redraw" marks the last win absent (that ticket stays out of the
   pool) and makes the next pick for the same prize.
3. **Reveal.** "Reveal the seed" shows it; no pick is made after. Anyone can then check the hash and
   run :func:`recompute` (or the same few lines in any language) on the seed, the ticket list and
   the number of picks, and get every drawn ticket in order.

Because a ticket drawn absent leaves the pool like any other, the tickets drawn depend only on the
seed, the tickets and how many picks were made; which prize each went to follows the prize order.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, timedelta

from sqlmodel import Session, col, select

from app.domain import audit, phases, rows
from app.domain.changelog import record_change
from app.domain.changes import Change
from app.domain.errors import Conflict
from app.domain.raffle_prizes import current_draw, eligible_tickets, prizes_of, standing
from app.i18n import _, ngettext
from app.models import Attendee, Event, Organizer, saved_id
from app.models.closing import Prize, RaffleDraw, RaffleWin
from app.models.util import utcnow

# How long a freshly drawn winner is "new" on the board (its reveal animation plays once).
FRESH = timedelta(seconds=12)


def seed_hash(seed: str) -> str:
    """What the board shows before the draw: SHA-256 of the seed's hex text, in hex."""
    return hashlib.sha256(seed.encode("ascii")).hexdigest()


def pick_index(seed: str, k: int, pool_size: int) -> int:
    """The index pick ``k`` takes in a pool of ``pool_size`` tickets (ascending order)."""
    return int(hashlib.sha256(f"{seed}:{k}".encode("ascii")).hexdigest(), 16) % pool_size


def recompute(seed: str, tickets: Sequence[int], picks: int) -> list[int]:
    """The tickets a draw's first ``picks`` picks take, in order, from its seed and tickets (pure).

    Stops early when the pool runs out (more picks than tickets)."""
    pool = sorted(tickets)
    drawn: list[int] = []
    for k in range(picks):
        if not pool:
            break
        drawn.append(pool.pop(pick_index(seed, k, len(pool))))
    return drawn


# :func:`recompute` in a few plain lines, as the public page prints it (a test runs it against recompute).
RECOMPUTE_SNIPPET = """import hashlib

def recompute(seed, tickets, picks):
    pool, drawn = sorted(tickets), []
    for k in range(picks):
        h = hashlib.sha256(f"{seed}:{k}".encode()).hexdigest()
        drawn.append(pool.pop(int(h, 16) % len(pool)))
    return drawn"""


def _changed(session: Session, event: Event, what: str) -> None:
    record_change(session, event_id=saved_id(event), kind=Change.raffle_changed, payload={"what": what})


def wins_of(session: Session, draw: RaffleDraw) -> list[RaffleWin]:
    return list(session.scalars(select(RaffleWin).where(RaffleWin.draw_id == draw.id).order_by(col(RaffleWin.pick))))


def _next_prize(prizes: Sequence[Prize], wins: Sequence[RaffleWin]) -> Prize | None:
    """The first prize in order without a present winner."""
    won = {w.prize_id for w in wins if not w.absent}
    return next((p for p in prizes if p.id not in won), None)


def _pool(draw: RaffleDraw, wins: Sequence[RaffleWin]) -> list[int]:
    drawn = {w.ticket for w in wins}
    return [t for t in sorted(draw.tickets) if t not in drawn]


def _locked_draw(session: Session, event: Event) -> RaffleDraw:
    """The committed draw, its row locked (two organizers pressing at once make one pick each, in turn)."""
    draw = session.scalars(
        select(RaffleDraw).where(RaffleDraw.event_id == event.id).order_by(col(RaffleDraw.id)).with_for_update()
    ).first()
    if draw is None:
        raise Conflict(_("draw: commit the draw first, so its hash is on the board before any winner."), field="draw")
    if draw.revealed_at is not None:
        raise Conflict(_("draw: the seed is revealed and the draw is over; nothing more can be drawn."), field="draw")
    return draw


def commit_draw(session: Session, *, event: Event, actor: Organizer) -> RaffleDraw:
    """Freeze the eligible tickets and a fresh seed; the board shows the seed's hash from now on."""
    phases.require_phase(event, "run_raffle")
    if current_draw(session, event=event) is not None:
        raise Conflict(_("draw: the draw is already committed; draw the next prize."), field="draw")
    if not prizes_of(session, event=event):
        raise Conflict(_("prizes: add at least one prize before committing the draw."), field="prizes")
    tickets = eligible_tickets(session, event=event)
    if not tickets:
        raise Conflict(
            _(
                "tickets: nobody may win yet under the rule chosen; wait for check-ins or surveys, or change who may win."
            ),
            field="tickets",
        )
    seed = secrets.token_hex(32)
    draw = RaffleDraw(
        event_id=saved_id(event),
        seed=seed,
        seed_hash=seed_hash(seed),
        tickets=tickets,
        rule={"checked_in": event.raffle_needs_checkin, "survey": event.raffle_needs_survey},
    )
    session.add(draw)
    audit.record(
        session, event=event, actor=actor, action="raffle_commit", detail=f"{len(tickets)} tickets {draw.seed_hash}"
    )
    _changed(session, event, "committed")
    session.commit()
    return draw


def _pick(session: Session, draw: RaffleDraw, prize: Prize, wins: list[RaffleWin]) -> RaffleWin:
    pool = _pool(draw, wins)
    k = len(wins)
    ticket = pool[pick_index(draw.seed, k, len(pool))]
    win = RaffleWin(draw_id=saved_id(draw), prize_id=saved_id(prize), pick=k, ticket=ticket, attendee_id=ticket)
    if session.get(Attendee, ticket) is None:  # left the event since: the ticket still counts
        win.attendee_id = None
    session.add(win)
    return win


def _no_tickets_left(left: int) -> Conflict:
    return Conflict(
        ngettext(
            "tickets: every ticket has been drawn; {count} prize stays undrawn.",
            "tickets: every ticket has been drawn; {count} prizes stay undrawn.",
            left,
        ).format(count=left),
        field="tickets",
    )


def draw_next(session: Session, *, event: Event, actor: Organizer) -> RaffleWin:
    """Draw the winner of the next prize in order."""
    phases.require_phase(event, "run_raffle")
    draw = _locked_draw(session, event)
    prizes, wins = prizes_of(session, event=event), wins_of(session, draw)
    prize = _next_prize(prizes, wins)
    if prize is None:
        raise Conflict(_("prizes: every prize has a winner; reveal the seed to close the draw."), field="prizes")
    if not _pool(draw, wins):
        won = {w.prize_id for w in wins if not w.absent}
        raise _no_tickets_left(sum(1 for p in prizes if p.id not in won))
    win = _pick(session, draw, prize, wins)
    audit.record(session, event=event, actor=actor, action="raffle_draw", detail=f"{prize.name}: ticket {win.ticket}")
    _changed(session, event, "drawn")
    session.commit()
    return win


def redraw_absent(
    session: Session, *, event: Event, win_id: int, actor: Organizer
) -> tuple[RaffleWin, RaffleWin | None]:
    """Mark the last winner absent and draw again for the same prize (None: no ticket was left)."""
    phases.require_phase(event, "run_raffle")
    draw = _locked_draw(session, event)
    wins = wins_of(session, draw)
    win = next((w for w in wins if w.id == win_id), None)
    if win is None:
        raise Conflict(_("win_id: that win is not part of this draw."), field="win_id")
    if win is not wins[-1]:
        raise Conflict(_("win_id: only the latest winner can be redrawn; later picks stand."), field="win_id")
    if win.absent:
        raise Conflict(_("win_id: that winner is already marked absent."), field="win_id")
    win.absent = True
    session.add(win)
    audit.record(session, event=event, actor=actor, action="raffle_absent", detail=f"ticket {win.ticket}")
    prize = rows.require(session, Prize, win.prize_id, event=event, field="prize_id")
    again = _pick(session, draw, prize, wins) if _pool(draw, wins) else None
    if again is not None:
        audit.record(
            session, event=event, actor=actor, action="raffle_draw", detail=f"{prize.name}: ticket {again.ticket}"
        )
    _changed(session, event, "redrawn")
    session.commit()
    return win, again


def reveal_seed(session: Session, *, event: Event, actor: Organizer) -> RaffleDraw:
    """Show the seed (the draw is over: nothing is drawn after), so anyone can recompute it."""
    phases.require_phase(event, "run_raffle")
    draw = _locked_draw(session, event)
    draw.revealed_at = utcnow()
    session.add(draw)
    audit.record(session, event=event, actor=actor, action="raffle_reveal", detail=draw.seed)
    _changed(session, event, "revealed")
    session.commit()
    return draw


# -- what pages and the board show --------------------------------------------------------------


@dataclass(frozen=True)
class Pick:
    """One pick as shown: who (display name, may be empty: then "Ticket N"), which prize, absent."""

    pick: int
    ticket: int
    name: str
    prize: str
    sponsor: str
    absent: bool
    is_new: bool
    win_id: int


@dataclass
class RaffleView:
    prizes: list[Prize]
    draw: RaffleDraw | None
    picks: list[Pick] = field(default_factory=list)
    next_prize: Prize | None = None
    pool_size: int = 0
    # Prizes without a present winner (after the reveal: the ones left when the tickets ran out).
    undrawn: list[Prize] = field(default_factory=list)

    @property
    def seed(self) -> str | None:
        """The seed, only once revealed."""
        return self.draw.seed if self.draw and self.draw.revealed_at else None

    @property
    def winners(self) -> list[Pick]:
        return [p for p in self.picks if not p.absent]

    @property
    def latest(self) -> Pick | None:
        return self.picks[-1] if self.picks else None

    @property
    def can_draw(self) -> bool:
        return bool(self.draw and not self.draw.revealed_at and self.next_prize and self.pool_size)


def raffle_view(session: Session, *, event: Event) -> RaffleView:
    prizes = prizes_of(session, event=event)
    draw = current_draw(session, event=event)
    if draw is None:
        return RaffleView(prizes=prizes, draw=None, next_prize=prizes[0] if prizes else None, undrawn=prizes)
    wins = wins_of(session, draw)
    names = dict(session.exec(select(Attendee.id, Attendee.name).where(Attendee.event_id == event.id)).all())
    by_id = {p.id: p for p in prizes}
    now = utcnow()
    picks = []
    for w in wins:
        prize = by_id.get(w.prize_id)
        drawn = w.drawn_at if w.drawn_at.tzinfo else w.drawn_at.replace(tzinfo=UTC)
        picks.append(
            Pick(
                pick=w.pick,
                ticket=w.ticket,
                name=names.get(w.attendee_id, "") if w.attendee_id else "",
                prize=prize.name if prize else "",
                sponsor=prize.sponsor if prize else "",
                absent=w.absent,
                is_new=now - drawn < FRESH,
                win_id=saved_id(w),
            )
        )
    won = {w.prize_id for w in wins if not w.absent}
    return RaffleView(
        prizes=prizes,
        draw=draw,
        picks=picks,
        next_prize=_next_prize(prizes, wins),
        pool_size=len(_pool(draw, wins)),
        undrawn=[p for p in prizes if p.id not in won],
    )


@dataclass(frozen=True)
class MyRaffle:
    """A phone's view: its ticket, whether it can win and why not, and what it won."""

    ticket: int
    eligible: bool
    needs_checkin: bool
    needs_survey: bool
    checked_in: bool
    surveyed: bool
    in_draw: bool | None  # None before the commit; then whether the ticket was frozen into it
    won: list[str]


def my_raffle(session: Session, *, event: Event, attendee: Attendee) -> MyRaffle:
    mine = standing(session, event=event, attendee=attendee)
    view = raffle_view(session, event=event)
    in_draw = (mine.ticket in view.draw.tickets) if view.draw else None
    return MyRaffle(
        ticket=mine.ticket,
        eligible=mine.eligible if in_draw is None else in_draw,
        needs_checkin=mine.needs_checkin,
        needs_survey=mine.needs_survey,
        checked_in=mine.checked_in,
        surveyed=mine.surveyed,
        in_draw=in_draw,
        won=[p.prize for p in view.winners if p.ticket == mine.ticket],
    )
