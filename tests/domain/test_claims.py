"""Leading sessions: one person is never in two rooms at once, whoever names them."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app.domain import claims, events, moderation, organizers
from app.domain.errors import Conflict
from app.models import FacilitatorClaim, Phase
from tests.factories import make_attendee, make_event, make_topic, publish_cells


def _claims(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(FacilitatorClaim)) or 0


def test_nobody_leads_two_sessions_in_the_same_slot(db: Session) -> None:
    created = make_event(db, rooms=2, slots=2)
    event, boss = created.event, created.organizer
    maya, li = make_attendee(db, event, "Maya"), make_attendee(db, event, "Li")
    robots, poetry, games = (make_topic(db, event, maya, title) for title in ("Robots", "Poetry {slam}", "Games"))
    claims.claim_topic(db, event=event, attendee=maya, topic=robots)
    rooms, slots = events.list_rooms(db, event), events.list_slots(db, event)
    # Robots and Poetry side by side in the first slot; Games after.
    publish_cells(
        db,
        created,
        [
            (robots.id, rooms[0].id, slots[0].id),
            (poetry.id, rooms[1].id, slots[0].id),
            (games.id, rooms[0].id, slots[1].id),
        ],
    )
    events.set_phase(db, event=event, phase=Phase.scheduled, actor=boss)
    before = _claims(db)

    with pytest.raises(Conflict) as refused:
        claims.claim_topic(db, event=event, attendee=maya, topic=poetry)
    assert str(refused.value) == (
        "You already lead “Robots” at 09:00, when this session runs too. "
        "Step back from one of them first: you cannot be in two rooms."
    )
    with pytest.raises(Conflict) as refused:  # the organizer's console keeps the same rule
        moderation.assign_facilitator(db, event=event, topic_id=poetry.id, attendee_id=maya.id, actor=boss)
    assert "Maya already leads “Robots” at 09:00, when 'Poetry {slam}' runs too" in str(refused.value)
    assert _claims(db) == before  # nothing half-written

    # Another slot, or someone free then: fine.
    assert claims.claim_topic(db, event=event, attendee=maya, topic=games)
    assert claims.claim_topic(db, event=event, attendee=li, topic=poetry)
    assert organizers.require_first_organizer(db, event).id == boss.id


def test_before_any_schedule_anyone_may_offer_to_lead_anything(db: Session) -> None:
    event = make_event(db).event
    maya = make_attendee(db, event, "Maya")
    first, second = make_topic(db, event, maya, "Robots"), make_topic(db, event, maya, "Poetry")
    assert claims.claim_topic(db, event=event, attendee=maya, topic=first)
    assert claims.claim_topic(db, event=event, attendee=maya, topic=second)
