"""Facilitators: attendees who say "I'll lead this"."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlmodel import Session

from app.domain import phases
from app.domain.changelog import record_change
from app.domain.changes import Change
from app.domain.errors import Conflict
from app.models import Attendee, Event, FacilitatorClaim, Topic


def claim_topic(session: Session, *, event: Event, attendee: Attendee, topic: Topic) -> bool:
    """Offer to lead ``topic``; True if new. Refused once the topic has as many leads as allowed."""
    phases.require_phase(event, "claim")
    added = add_claim(session, event=event, topic=topic, attendee=attendee,
                      when_full="This topic already has {count} facilitators, the most this event allows. "
                                "Mark it instead, or talk to them about joining in.")
    if added:
        session.commit()
    return added


def add_claim(session: Session, *, event: Event, topic: Topic, attendee: Attendee, when_full: str) -> bool:
    """``attendee`` leads ``topic`` too, within the event's facilitator limit; the caller commits.

    The one place the limit is kept, for an attendee's offer and an organizer's choice alike.
    False when they already lead it; ``when_full`` (with ``{count}``) is the refusal past the limit.
    """
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
        raise Conflict(when_full.format(count=count))
    session.add(FacilitatorClaim(event_id=event.id, attendee_id=attendee.id, topic_id=topic.id))  # type: ignore[arg-type]
    return True


def facilitators(session: Session, *, event: Event | None = None,
                 topic_ids: Iterable[int] | None = None) -> dict[int, list[tuple[int, str | None]]]:
    """Each topic's facilitators as (attendee id, name), in the order they offered.

    For the topics ``topic_ids``, or every topic of ``event``."""
    query = (select(FacilitatorClaim.topic_id, Attendee.id, Attendee.name)
             .join(Attendee, Attendee.id == FacilitatorClaim.attendee_id).order_by(FacilitatorClaim.id))
    if topic_ids is not None:
        query = query.where(FacilitatorClaim.topic_id.in_(list(topic_ids)))  # type: ignore[attr-defined]
    elif event is not None:
        query = query.where(FacilitatorClaim.event_id == event.id)
    else:
        raise ValueError("facilitators: give an event or topic ids")
    leads: dict[int, list[tuple[int, str | None]]] = {}
    for topic_id, attendee_id, name in session.execute(query):
        leads.setdefault(topic_id, []).append((attendee_id, name))
    return leads


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
