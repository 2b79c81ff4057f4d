"""Access needs: what an attendee says privately, what organizers see of it, and interpreters.

An attendee may say they need a step-free room or interpretation (Spanish, ASL). It is stored on
their own row and nowhere else: no push, export, event file or public answer carries it. Organizers
see it only as counts per session (how many of the people who marked or lead it need each thing),
never who. Organizers can note that an interpreter will be there (``Topic.interpreters``), which
the session page, my day and the door view show to everyone. The scheduler's side (a step-free room
for the sessions those people marked) is :mod:`app.domain.stepfree`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from app.domain import audit, eventspec, topics
from app.domain.changelog import record_change
from app.domain.changes import Change
from app.domain.errors import InvalidInput
from app.i18n import _, _l
from app.models import Attendee, Event, FacilitatorClaim, Interest, Organizer, Topic, TopicStatus, saved_id
from app.models.util import utcnow

#: The room feature of a room reachable without steps (a stair-free route, a lift or a ramp).
STEP_FREE = eventspec.STEP_FREE
#: The interpretation an attendee may ask for, and an organizer note, in this order.
LANGUAGES = ("es", "asl")
LANGUAGE_NAMES = {"es": _l("Spanish"), "asl": _l("ASL")}


def language_name(code: str) -> str:
    """A language of interpretation as people say it, in the request's language."""
    return str(LANGUAGE_NAMES.get(code, code))


def set_access_needs(session: Session, *, attendee: Attendee, step_free: bool, interpretation: str) -> Attendee:
    """Say (or change, or clear) one's own access needs; only organizers see them, as counts."""
    interpretation = interpretation.strip().lower()
    if interpretation not in ("", *LANGUAGES):
        raise InvalidInput(_("Choose Spanish, ASL or no interpretation."), field="interpretation")
    attendee.needs_step_free, attendee.interpretation = step_free, interpretation
    session.add(attendee)
    session.commit()
    return attendee


@dataclass
class SessionNeeds:
    """A session's access needs as organizers see them: counts of its people, never who."""

    step_free: int = 0
    interpretation: dict[str, int] = field(default_factory=dict)  # language -> people who asked

    @property
    def any(self) -> bool:
        return bool(self.step_free or self.interpretation)


def people_with_needs(session: Session, *, event: Event) -> dict[int, Attendee]:
    """The event's attendees who said an access need, by id."""
    query = select(Attendee).where(
        Attendee.event_id == event.id, (col(Attendee.needs_step_free)) | (col(Attendee.interpretation) != "")
    )
    return {saved_id(a): a for a in session.scalars(query)}


def people_by_topic(session: Session, *, event: Event, attendee_ids: set[int]) -> dict[int, set[int]]:
    """Per topic, which of ``attendee_ids`` marked it or lead it."""
    out: dict[int, set[int]] = defaultdict(set)
    if not attendee_ids:
        return out
    for model in (Interest, FacilitatorClaim):
        query = select(model.topic_id, model.attendee_id).where(
            model.event_id == event.id, col(model.attendee_id).in_(attendee_ids)
        )
        for topic_id, attendee_id in session.exec(query):
            out[topic_id].add(attendee_id)
    return out


def needs_by_topic(session: Session, *, event: Event) -> dict[int, SessionNeeds]:
    """Per topic id, how many of the people who marked or lead it need a step-free room, and how many
    asked for each interpretation; topics with none are left out."""
    people = people_with_needs(session, event=event)
    out: dict[int, SessionNeeds] = {}
    for topic_id, ids in people_by_topic(session, event=event, attendee_ids=set(people)).items():
        needs = SessionNeeds(step_free=sum(1 for i in ids if people[i].needs_step_free))
        for language in LANGUAGES:
            asked = sum(1 for i in ids if people[i].interpretation == language)
            if asked:
                needs.interpretation[language] = asked
        if needs.any:
            out[topic_id] = needs
    return out


@dataclass
class AccessRow:
    """One session on the organizers' access page."""

    topic: Topic
    needs: SessionNeeds


def access_overview(session: Session, *, event: Event) -> list[AccessRow]:
    """Every open topic with its counts: most step-free needs first, then most interpretation asked,
    then by title (an organizer may note an interpreter for any session)."""
    needs = needs_by_topic(session, event=event)
    open_topics = session.scalars(
        select(Topic).where(Topic.event_id == event.id, Topic.status == TopicStatus.open).order_by(col(Topic.id))
    )
    rows = [AccessRow(topic=t, needs=needs.get(saved_id(t), SessionNeeds())) for t in open_topics]
    rows.sort(key=lambda r: (-r.needs.step_free, -sum(r.needs.interpretation.values()), r.topic.title.lower()))
    return rows


def set_interpreters(session: Session, *, event: Event, topic_id: int, languages: list[str], actor: Organizer) -> Topic:
    """Note which interpreters will be at a session (none clears the note); everyone sees it."""
    topic = topics.require_topic(session, event=event, topic_id=topic_id)
    chosen = [code for code in LANGUAGES if code in {str(lang).strip().lower() for lang in languages}]
    unknown = {str(lang).strip().lower() for lang in languages} - set(LANGUAGES)
    if unknown:
        raise InvalidInput(_("Choose Spanish, ASL or both."), field="languages")
    if chosen == list(topic.interpreters):
        return topic
    topic.interpreters, topic.updated_at = chosen, utcnow()
    session.add(topic)
    record_change(session, event_id=saved_id(event), kind=Change.topic_edited, payload={"topic_id": topic.id})
    said = ", ".join({"es": "Spanish", "asl": "ASL"}[c] for c in chosen) or "none"  # the log is stored as written
    audit.record(
        session, event=event, actor=actor, action="interpreters", detail=f"“{topic.title}”: interpreters {said}"
    )
    session.commit()
    return topic
