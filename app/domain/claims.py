"""Facilitators: attendees who say "I'll lead this"."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app.domain import drafting, phases, timetable
from app.domain.changelog import record_change
from app.domain.changes import Change
from app.domain.errors import Conflict
from app.i18n import _
from app.models import Attendee, Event, FacilitatorClaim, Placement, TimeSlot, Topic, saved_id


def claim_topic(session: Session, *, event: Event, attendee: Attendee, topic: Topic) -> bool:
    """Offer to lead ``topic``; True if new. Refused once the topic has as many leads as allowed."""
    phases.require_phase(event, "claim")
    added = add_claim(
        session,
        event=event,
        topic=topic,
        attendee=attendee,
        when_full=lambda count: _(
            "This topic already has {count} facilitators, the most this event allows. "
            "Mark it instead, or talk to them about joining in."
        ).format(count=count),
        when_busy=lambda title, start: _(
            "You already lead “{title}” at {start}, when this session runs too. "
            "Step back from one of them first: you cannot be in two rooms."
        ).format(title=title, start=start),
    )
    if added:
        session.commit()
    return added


def add_claim(
    session: Session,
    *,
    event: Event,
    topic: Topic,
    attendee: Attendee,
    when_full: Callable[[int], str],
    when_busy: Callable[[str, str], str],
) -> bool:
    """``attendee`` leads ``topic`` too, within the event's facilitator limit and never at the same
    time as another session they lead; the caller commits.

    The one place both rules are kept, for an attendee's offer and an organizer's choice alike.
    False when they already lead it; ``when_full(count)`` words the refusal past the limit,
    ``when_busy(title, start)`` the refusal of a second room at once (functions, not templates:
    the texts hold titles and names people typed).
    """
    exists = session.scalars(
        select(FacilitatorClaim.id).where(
            FacilitatorClaim.topic_id == topic.id, FacilitatorClaim.attendee_id == attendee.id
        )
    ).first()
    if exists is not None:
        return False
    # Lock the event row first (via record_change) so two late claims cannot both pass the limit.
    record_change(session, event_id=saved_id(event), kind=Change.facilitators_changed, payload={"topic_id": topic.id})
    count = (
        session.scalar(select(func.count()).select_from(FacilitatorClaim).where(FacilitatorClaim.topic_id == topic.id))
        or 0
    )
    if count >= event.facilitator_limit:
        session.rollback()
        raise Conflict(when_full(count))
    clash = double_booking(session, event=event, topic=topic, attendee=attendee)
    if clash is not None:
        other, slot = clash
        session.rollback()
        raise Conflict(when_busy(other.title, slot.start))
    session.add(FacilitatorClaim(event_id=saved_id(event), attendee_id=saved_id(attendee), topic_id=saved_id(topic)))
    return True


def release_claim(session: Session, *, event: Event, attendee: Attendee, topic: Topic) -> bool:
    """Step back from leading ``topic``; True if there was a claim."""
    phases.require_phase(event, "release")
    result = session.exec(
        delete(FacilitatorClaim).where(
            col(FacilitatorClaim.topic_id) == topic.id, col(FacilitatorClaim.attendee_id) == attendee.id
        )
    )
    if not result.rowcount:
        session.rollback()
        return False
    record_change(session, event_id=saved_id(event), kind=Change.facilitators_changed, payload={"topic_id": topic.id})
    session.commit()
    return True


def double_booking(
    session: Session, *, event: Event, topic: Topic, attendee: Attendee
) -> tuple[Topic, TimeSlot] | None:
    """Another session ``attendee`` leads in the same slot as ``topic``, on the published schedule
    or the draft; None when there is none.

    A person cannot be in two rooms: a rule of the day, which the scheduler mirrors when it builds
    and judges a schedule (``app.scheduler.score.violations``, ``[facilitator-double-booked]``).
    """
    runs = [
        run.id
        for run in (timetable.published_run(session, event=event), drafting.current_draft(session, event=event))
        if run is not None
    ]
    if not runs:
        return None
    this, that = aliased(Placement), aliased(Placement)
    found = session.execute(
        select(Topic, TimeSlot)
        .join(that, col(that.topic_id) == Topic.id)
        .join(this, (col(this.schedule_run_id) == that.schedule_run_id) & (col(this.slot_id) == that.slot_id))
        .join(TimeSlot, col(TimeSlot.id) == that.slot_id)
        .join(FacilitatorClaim, col(FacilitatorClaim.topic_id) == Topic.id)
        .where(
            this.topic_id == topic.id,
            col(this.schedule_run_id).in_(runs),
            Topic.id != topic.id,
            FacilitatorClaim.attendee_id == attendee.id,
        )
        .limit(1)
    ).first()
    return (found[0], found[1]) if found else None
