"""The raffle's prizes and who may win them (the organizer's side before the draw).

Prizes are drawn in ``position`` order. A sponsor is only a name: nothing about an attendee but a
winner's display name (or their ticket number) is ever shown beside it, on any page or export.
Who may win is the event's rule (``raffle_needs_checkin``, ``raffle_needs_survey``): checked in to
at least one session (a ``CheckIn`` row in this event) and/or finished the exit survey (an
``EventFeedback`` row: ``feedback.survey_done``, the certificates' gate too); with neither, everyone who joined. A ticket is the attendee's id.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.domain import audit, feedback, phases, rows
from app.domain.changelog import record_change
from app.domain.changes import Change
from app.domain.errors import Conflict, FieldError, InvalidInput
from app.domain.text import clean_text
from app.i18n import _
from app.models import Attendee, Event, Organizer, saved_id
from app.models.closing import PRIZE_MAX, CheckIn, Prize, RaffleDraw, RaffleWin

DIRECTIONS = ("up", "down")


def prizes_of(session: Session, *, event: Event) -> list[Prize]:
    """The event's prizes in drawing order."""
    return list(
        session.scalars(select(Prize).where(Prize.event_id == event.id).order_by(col(Prize.position), col(Prize.id)))
    )


def require_prize(session: Session, *, event: Event, prize_id: int) -> Prize:
    return rows.require(
        session,
        Prize,
        prize_id,
        event=event,
        field="prize_id",
        message=_("Prize {id} is not one of this event's prizes."),
    )


def _one_line(raw: str | None, *, field: str) -> str:
    return " ".join(clean_text(raw or "", field=field).split())


def clean_prize(*, name: str | None, sponsor: str | None) -> tuple[str, str]:
    """The prize's name and sponsor, trimmed; InvalidInput naming every field refused."""
    errors: list[FieldError] = []
    what, who = _one_line(name, field="name"), _one_line(sponsor, field="sponsor")
    too_long = _("at most {n} characters; this has {has}.")
    if not what:
        errors.append(FieldError("name", _("give the prize a name, such as “A book voucher”.")))
    elif len(what) > PRIZE_MAX:
        errors.append(FieldError("name", too_long.format(n=PRIZE_MAX, has=len(what))))
    if len(who) > PRIZE_MAX:
        errors.append(FieldError("sponsor", too_long.format(n=PRIZE_MAX, has=len(who))))
    if errors:
        raise InvalidInput(errors=errors)
    return what, who


def _changed(session: Session, event: Event, what: str) -> None:
    record_change(session, event_id=saved_id(event), kind=Change.raffle_changed, payload={"what": what})


def _won(session: Session, prize: Prize) -> bool:
    """Whether a winner (present or absent) has been drawn for the prize."""
    return session.scalars(select(RaffleWin.id).where(RaffleWin.prize_id == prize.id).limit(1)).first() is not None


def add_prize(session: Session, *, event: Event, name: str, sponsor: str = "", actor: Organizer) -> Prize:
    """Add a prize at the end of the drawing order."""
    phases.require_phase(event, "run_raffle")
    what, who = clean_prize(name=name, sponsor=sponsor)
    last = max((p.position for p in prizes_of(session, event=event)), default=-1)
    prize = Prize(event_id=saved_id(event), position=last + 1, name=what, sponsor=who)
    session.add(prize)
    audit.record(session, event=event, actor=actor, action="add_prize", detail=what)
    _changed(session, event, "prizes")
    session.commit()
    return prize


def edit_prize(
    session: Session, *, event: Event, prize_id: int, name: str, sponsor: str = "", actor: Organizer
) -> Prize:
    """Change a prize's name or sponsor (a typo can be fixed even after it was drawn)."""
    phases.require_phase(event, "run_raffle")
    prize = require_prize(session, event=event, prize_id=prize_id)
    prize.name, prize.sponsor = clean_prize(name=name, sponsor=sponsor)
    session.add(prize)
    audit.record(session, event=event, actor=actor, action="edit_prize", detail=prize.name)
    _changed(session, event, "prizes")
    session.commit()
    return prize


def remove_prize(session: Session, *, event: Event, prize_id: int, actor: Organizer) -> Prize:
    """Take a prize off the list; one already drawn stays (its win is part of the record)."""
    phases.require_phase(event, "run_raffle")
    prize = require_prize(session, event=event, prize_id=prize_id)
    if _won(session, prize):
        raise Conflict(
            _("prize_id: “{name}” has been drawn already; it stays in the draw's record.").format(name=prize.name),
            field="prize_id",
        )
    session.delete(prize)
    audit.record(session, event=event, actor=actor, action="remove_prize", detail=prize.name)
    _changed(session, event, "prizes")
    session.commit()
    return prize


def move_prize(session: Session, *, event: Event, prize_id: int, direction: str, actor: Organizer) -> Prize:
    """Swap a prize with the one drawn before it (``up``) or after it (``down``); drawn ones stay put."""
    phases.require_phase(event, "run_raffle")
    if direction not in DIRECTIONS:
        raise InvalidInput(_("direction: up or down."), field="direction")
    prize = require_prize(session, event=event, prize_id=prize_id)
    order = prizes_of(session, event=event)
    at = next(i for i, p in enumerate(order) if p.id == prize.id)
    other = at - 1 if direction == "up" else at + 1
    if not 0 <= other < len(order):
        edge = (
            _("direction: “{name}” is already first.")
            if direction == "up"
            else _("direction: “{name}” is already last.")
        )
        raise Conflict(edge.format(name=prize.name), field="direction")
    if _won(session, prize) or _won(session, order[other]):
        raise Conflict(_("direction: a prize already drawn keeps its place in the order."), field="direction")
    order[at], order[other] = order[other], order[at]
    for position, each in enumerate(order):
        each.position = position
        session.add(each)
    audit.record(session, event=event, actor=actor, action="move_prize", detail=f"{prize.name} {direction}")
    _changed(session, event, "prizes")
    session.commit()
    return prize


def current_draw(session: Session, *, event: Event) -> RaffleDraw | None:
    """The event's committed draw, if any (one per event)."""
    return session.scalars(
        select(RaffleDraw).where(RaffleDraw.event_id == event.id).order_by(col(RaffleDraw.id))
    ).first()


def set_rule(session: Session, *, event: Event, needs_checkin: bool, needs_survey: bool, actor: Organizer) -> Event:
    """Who may win: checked in to a session and/or finished the exit survey. Fixed once committed."""
    phases.require_phase(event, "run_raffle")
    if current_draw(session, event=event) is not None:
        raise Conflict(
            _("needs_checkin: the draw is committed; who may win was fixed with its tickets."), field="needs_checkin"
        )
    event.raffle_needs_checkin, event.raffle_needs_survey = needs_checkin, needs_survey
    session.add(event)
    audit.record(
        session, event=event, actor=actor, action="raffle_rule", detail=f"checkin={needs_checkin} survey={needs_survey}"
    )
    _changed(session, event, "rule")
    session.commit()
    return event


@dataclass(frozen=True)
class Standing:
    """One attendee against the rule: their ticket, and what they still lack (nothing: eligible)."""

    ticket: int
    checked_in: bool
    surveyed: bool
    needs_checkin: bool
    needs_survey: bool

    @property
    def eligible(self) -> bool:
        return (self.checked_in or not self.needs_checkin) and (self.surveyed or not self.needs_survey)


def _checked_in_ids(session: Session, event: Event) -> set[int]:
    return set(session.scalars(select(CheckIn.attendee_id).where(CheckIn.event_id == event.id).distinct()))


def eligible_tickets(session: Session, *, event: Event) -> list[int]:
    """Every ticket the rule lets win, sorted (what a commitment freezes)."""
    tickets = set(session.scalars(select(Attendee.id).where(Attendee.event_id == event.id)))
    if event.raffle_needs_checkin:
        tickets &= _checked_in_ids(session, event)
    if event.raffle_needs_survey:
        tickets &= feedback.survey_done_ids(session, event_id=saved_id(event))
    return sorted(int(t) for t in tickets)


def standing(session: Session, *, event: Event, attendee: Attendee) -> Standing:
    """Where one attendee stands against the rule (for their phone)."""
    me = saved_id(attendee)
    checked = session.scalars(
        select(CheckIn.id).where(CheckIn.event_id == event.id, CheckIn.attendee_id == me).limit(1)
    )
    return Standing(
        ticket=me,
        checked_in=checked.first() is not None,
        surveyed=feedback.survey_done(session, attendee_id=me),
        needs_checkin=event.raffle_needs_checkin,
        needs_survey=event.raffle_needs_survey,
    )
