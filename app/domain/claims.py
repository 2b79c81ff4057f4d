"""Facilitators: attendees who say "I'll lead this"."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlmodel import Session

from app.domain import phases
from app.domain.board import record_change
from app.domain.changes import Change
from app.domain.errors import Conflict
from app.models import Attendee, Event, FacilitatorClaim, Topic


def claim_topic(session: Session, *, event: Event, attendee: Attendee, topic: Topic) -> bool:
    """Offer to lead ``topic``; True if new. Refused once the topic has as many leads as allowed."""
    phases.require_phase(event, "claim")
    exists = session.scalars(select(FacilitatorClaim.id).where(
        FacilitatorClaim.topic_id == topic.id, FacilitatorClaim.attendee_id == attendee.id)).first()
    if exists is not None:
        return False
    # Lock the event row first (via record_change) so two late claims cannot both pass the limit.
    record_change(session, event_id=event.id, kind=Change.facilitators_changed,  # type: ignore[arg-type]
                  payload={"topic_id": topic.id})
    count = session.scalar(select(func.count()).select_from(FacilitatorClaim)
                           .where(FacilitatorClaim.topic_id == topic.id)) or 0
    if count >= event.facilitator_limit:
        session.rollback()
        raise Conflict(f"This topic already has {count} facilitators, the most this event allows. "
                       "Mark it instead, or talk to them about joining in.")
    session.add(FacilitatorClaim(event_id=event.id, attendee_id=attendee.id, topic_id=topic.id))  # type: ignore[arg-type]
    session.commit()
    return True


def release_claim(session: Session, *, event: Event, attendee: Attendee, topic: Topic) -> bool:
    """Step back from leading ``topic``; True if there was a claim."""
    phases.require_phase(event, "release")
    result = session.execute(delete(FacilitatorClaim).where(
        FacilitatorClaim.topic_id == topic.id, FacilitatorClaim.attendee_id == attendee.id))  # type: ignore[arg-type]
    if not result.rowcount:  # type: ignore[attr-defined]
        session.rollback()
        return False
    record_change(session, event_id=event.id, kind=Change.facilitators_changed,  # type: ignore[arg-type]
                  payload={"topic_id": topic.id})
    session.commit()
    return True
