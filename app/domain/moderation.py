"""The organizer's hand on the wall: hide, restore, merge, find duplicates, type in the paper wall,
assign facilitators."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process, utils
from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from app.domain import audit, claims, phases, rows, topics
from app.domain.changelog import record_change
from app.domain.changes import Change
from app.domain.errors import Conflict, InvalidInput, known_id
from app.domain.topics import clean_description, clean_tags, clean_title
from app.i18n import _
from app.models import Attendee, Event, FacilitatorClaim, Interest, Organizer, Topic, TopicStatus, saved_id
from app.models.util import utcnow

REASON_MAX = 280
PAPER_MARKS_MAX = 10_000
# Titles this alike (rapidfuzz token-set ratio, 0-100) are offered as likely duplicates.
DUPLICATE_SCORE = 82
SIMILAR_SCORE = 70
# What a merge moves from one topic to the other, and the name its undo record gives each.
_MOVED: tuple[tuple[type[Interest] | type[FacilitatorClaim], str], ...] = (
    (Interest, "marks"),
    (FacilitatorClaim, "claims"),
)


def _topic(session: Session, event: Event, topic_id: int) -> Topic:
    return rows.require(session, Topic, topic_id, event=event, field="topic_id")


def hide_topic(session: Session, *, event: Event, topic_id: int, reason: str, actor: Organizer) -> Topic:
    """Take a topic off the wall with a reason its author sees; its marks stop counting."""
    phases.require_phase(event, "moderate")
    topic = _topic(session, event, topic_id)
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidInput(_("reason: tell the author why, in a line (they will see it)."), field="reason")
    if len(reason) > REASON_MAX:
        raise InvalidInput(_("reason: at most {n} characters.").format(n=REASON_MAX), field="reason")
    if topic.status != TopicStatus.open:
        raise Conflict(
            _("'{title}' is not on the wall ({status}).").format(title=topic.title, status=topic.status.value)
        )
    topic.status, topic.status_reason, topic.updated_at = TopicStatus.hidden, reason, utcnow()
    session.add(topic)
    record_change(session, event_id=saved_id(event), kind=Change.topic_hidden, payload={"topic_id": topic.id})
    audit.record(session, event=event, actor=actor, action="hide", detail=f"hid “{topic.title}”: {reason}")
    session.commit()
    return topic


def edit_topic(
    session: Session,
    *,
    event: Event,
    topic_id: int,
    title: str,
    description: str,
    tags: str | list[str],
    actor: Organizer,
    language: str = "",
) -> Topic:
    """An organizer tidies a topic's text or language (empty keeps it), in any phase (the console's
    form; see ``topics.edit_topic``)."""
    return topics.edit_topic(
        session,
        event=event,
        topic=_topic(session, event, topic_id),
        by=None,
        organizer=actor,
        title=title,
        description=description,
        tags=tags,
        language=language,
    )


def restore_topic(session: Session, *, event: Event, topic_id: int, actor: Organizer) -> Topic:
    """Put a hidden or withdrawn topic back on the wall."""
    phases.require_phase(event, "moderate")
    topic = _topic(session, event, topic_id)
    if topic.status == TopicStatus.open:
        return topic
    if topic.status == TopicStatus.merged:
        raise Conflict(
            _("'{title}' was merged into another topic; its marks live there now.").format(title=topic.title)
        )
    topic.status, topic.status_reason, topic.updated_at = TopicStatus.open, "", utcnow()
    session.add(topic)
    record_change(session, event_id=saved_id(event), kind=Change.topic_restored, payload={"topic_id": topic.id})
    audit.record(session, event=event, actor=actor, action="restore", detail=f"put “{topic.title}” back on the wall")
    session.commit()
    return topic


def merge_topics(session: Session, *, event: Event, keep_id: int, merge_id: int, actor: Organizer) -> Topic:
    """Fold ``merge_id`` into ``keep_id`` (the organizer chose which title stays): marks are united
    (someone who marked both counts once), facilitators and paper marks carry over, and the merged
    topic leaves the wall. What moved is kept on the merged topic, so ``unmerge_topic`` can undo it."""
    phases.require_phase(event, "moderate")
    if keep_id == merge_id:
        raise InvalidInput(_("merge_id: choose two different topics to merge."), field="merge_id")
    keep, gone = _topic(session, event, keep_id), _topic(session, event, merge_id)
    for topic in (keep, gone):
        if topic.status != TopicStatus.open:
            raise Conflict(
                _("'{title}' is not on the wall ({status}); only open topics merge.").format(
                    title=topic.title, status=topic.status.value
                )
            )
    # Lock the event's sequence first so a mark landing meanwhile waits for the merge.
    record_change(
        session,
        event_id=saved_id(event),
        kind=Change.topics_merged,
        payload={"topic_id": keep.id, "merged_id": gone.id},
    )
    undo: dict[str, Any] = {"keep_id": keep.id, "paper_marks": gone.paper_marks, "keep_tags": list(keep.tags)}
    for model, key in _MOVED:
        on_keep = set(session.scalars(select(model.attendee_id).where(model.topic_id == keep.id)))
        columns = [col(model.attendee_id), *([col(Interest.weight)] if model is Interest else [])]
        rows = session.execute(select(*columns).where(model.topic_id == gone.id)).all()
        undo[f"{key}_moved"] = [list(row) for row in rows if row[0] not in on_keep]
        undo[f"{key}_shared"] = [list(row) for row in rows if row[0] in on_keep]
        session.execute(delete(model).where(col(model.topic_id) == gone.id, col(model.attendee_id).in_(list(on_keep))))
        session.execute(update(model).where(col(model.topic_id) == gone.id).values(topic_id=keep.id))
    keep.paper_marks += gone.paper_marks
    gone.paper_marks = 0
    keep.tags = list(dict.fromkeys([*keep.tags, *gone.tags]))[:5]
    gone.status, gone.merged_into_id, gone.merge_undo = TopicStatus.merged, keep.id, undo
    gone.status_reason = _("Merged into '{title}': your marks and offers to lead moved there.").format(title=keep.title)
    keep.updated_at = gone.updated_at = utcnow()
    session.add_all([keep, gone])
    audit.record(session, event=event, actor=actor, action="merge", detail=f"merged “{gone.title}” into “{keep.title}”")
    session.commit()
    return keep


def unmerge_topic(session: Session, *, event: Event, topic_id: int, actor: Organizer) -> tuple[Topic, Topic]:
    """Undo a merge: the merged topic is back on the wall with its own marks, offers to lead, paper
    marks and tags, and the topic it went into has what it had before. Marks made or removed on that
    topic since are respected: a mark its attendee has taken back is not brought back."""
    phases.require_phase(event, "moderate")
    gone = _topic(session, event, topic_id)
    undo = gone.merge_undo
    if gone.status != TopicStatus.merged or not undo:
        raise Conflict(
            _("'{title}' is not a merged topic that can be taken apart.").format(title=gone.title), field="topic_id"
        )
    keep = _topic(session, event, int(undo["keep_id"]))
    if keep.status != TopicStatus.open:
        raise Conflict(
            _("'{kept}', which '{merged}' went into, is no longer on the wall ({status}); undo that first.").format(
                kept=keep.title, merged=gone.title, status=keep.status.value
            ),
            field="topic_id",
        )
    record_change(
        session, event_id=saved_id(event), kind=Change.topic_restored, payload={"topic_id": gone.id, "from_id": keep.id}
    )
    for model, key in _MOVED:
        still = set(session.scalars(select(model.attendee_id).where(model.topic_id == keep.id)))
        moved = [row[0] for row in undo.get(f"{key}_moved", []) if row[0] in still]
        if moved:
            session.execute(
                update(model)
                .where(col(model.topic_id) == keep.id, col(model.attendee_id).in_(moved))
                .values(topic_id=gone.id)
            )
        for row in undo.get(f"{key}_shared", []):
            if row[0] in still:
                extra = {"weight": row[1]} if model is Interest and len(row) > 1 else {}
                session.add(model(event_id=saved_id(event), attendee_id=row[0], topic_id=saved_id(gone), **extra))
    paper = int(undo.get("paper_marks", 0))
    keep.paper_marks, gone.paper_marks = max(0, keep.paper_marks - paper), paper
    keep.tags = list(undo.get("keep_tags", keep.tags))
    gone.status, gone.merged_into_id, gone.merge_undo, gone.status_reason = TopicStatus.open, None, None, ""
    keep.updated_at = gone.updated_at = utcnow()
    session.add_all([keep, gone])
    audit.record(
        session,
        event=event,
        actor=actor,
        action="unmerge",
        detail=f"took “{gone.title}” back out of “{keep.title}”: both are on the wall again",
    )
    session.commit()
    return gone, keep


@dataclass(frozen=True)
class Match:
    topic: Topic
    score: float


@dataclass(frozen=True)
class DuplicatePair:
    first: Topic
    second: Topic
    score: float


def _open_topics(session: Session, event: Event) -> list[Topic]:
    return list(
        session.scalars(
            select(Topic).where(Topic.event_id == event.id, Topic.status == TopicStatus.open).order_by(col(Topic.id))
        )
    )


def similar_topics(session: Session, *, event: Event, title: str, limit: int = 3) -> list[Match]:
    """Open topics whose titles resemble ``title``, best first: offered while someone types."""
    query = " ".join((title or "").split())
    if len(query) < 4:
        return []
    topics = _open_topics(session, event)
    found = process.extract(
        query,
        {t.id: t.title for t in topics},
        scorer=fuzz.token_set_ratio,
        processor=utils.default_process,
        score_cutoff=SIMILAR_SCORE,
        limit=limit,
    )
    by_id = {t.id: t for t in topics}
    return [Match(by_id[key], score) for _title, score, key in found]


def likely_duplicates(session: Session, *, event: Event, limit: int = 20) -> list[DuplicatePair]:
    """Pairs of open topics with near-identical titles, most alike first."""
    topics = _open_topics(session, event)
    titles = [t.title for t in topics]
    if len(titles) < 2:
        return []
    scores = process.cdist(
        titles, titles, scorer=fuzz.token_set_ratio, processor=utils.default_process, score_cutoff=DUPLICATE_SCORE
    )
    pairs = [
        DuplicatePair(topics[i], topics[j], float(scores[i][j]))
        for i in range(len(topics))
        for j in range(i + 1, len(topics))
        if scores[i][j] >= DUPLICATE_SCORE
    ]
    pairs.sort(key=lambda p: (-p.score, p.first.id, p.second.id))
    return pairs[:limit]


def _paper_marks(raw: int | str | None) -> int:
    text = str(raw if raw is not None else "").strip() or "0"
    if not (text.isascii() and text.isdigit()) or len(text) > 6:
        raise InvalidInput(
            _("paper_marks: a whole number of marks counted on the paper card (0 or more)."), field="paper_marks"
        )
    value = int(text)
    if value > PAPER_MARKS_MAX:
        raise InvalidInput(_("paper_marks: at most {n}.").format(n=PAPER_MARKS_MAX), field="paper_marks")
    return value


def add_paper_topic(
    session: Session,
    *,
    event: Event,
    title: str,
    paper_marks: int | str | None = 0,
    description: str = "",
    tags: str | list[str] | None = None,
    actor: Organizer,
) -> Topic:
    """A proposal from a card on the paper wall, with the marks counted on it. Any phase: the paper
    wall does not close when the app says so."""
    phases.require_phase(event, "moderate")
    topic = Topic(
        event_id=saved_id(event),
        author_id=None,
        title=clean_title(title),
        description=clean_description(description),
        tags=clean_tags(tags),
        paper_marks=_paper_marks(paper_marks),
    )
    session.add(topic)
    session.flush()
    record_change(session, event_id=saved_id(event), kind=Change.topic_proposed, payload={"topic_id": topic.id})
    audit.record(
        session,
        event=event,
        actor=actor,
        action="paper",
        detail=f"typed in “{topic.title}” with {topic.paper_marks} paper marks",
    )
    session.commit()
    return topic


def set_paper_marks(
    session: Session, *, event: Event, topic_id: int, paper_marks: int | str | None, actor: Organizer
) -> Topic:
    """Correct the hand count of a topic's paper marks (added to its marks in the app)."""
    phases.require_phase(event, "moderate")
    topic = _topic(session, event, topic_id)
    value = _paper_marks(paper_marks)
    if value != topic.paper_marks:
        record_change(session, event_id=saved_id(event), kind=Change.interest_changed, payload={"topic_id": topic.id})
        audit.record(
            session,
            event=event,
            actor=actor,
            action="paper",
            detail=f"paper marks of “{topic.title}”: {topic.paper_marks} → {value}",
        )
        topic.paper_marks = value
        session.add(topic)
        session.commit()
    return topic


def assign_facilitator(session: Session, *, event: Event, topic_id: int, attendee_id: int, actor: Organizer) -> bool:
    """The organizer names an attendee as a topic's facilitator (within the event's limit)."""
    phases.require_phase(event, "moderate")
    topic = _topic(session, event, topic_id)
    person = rows.require(session, Attendee, attendee_id, event=event, field="attendee_id")
    if not claims.add_claim(
        session,
        event=event,
        topic=topic,
        attendee=person,
        when_full=lambda count: _(
            "'{title}' already has {n} facilitators, the most this event allows. Remove one first, or raise the "
            "limit in the marking rules."
        ).format(title=topic.title, n=count),
        when_busy=lambda title, start: _(
            "{person} already leads “{other}” at {time}, when '{title}' runs too: one person cannot be in two rooms."
        ).format(person=person.name or _("This attendee"), other=title, time=start, title=topic.title),
    ):
        return False
    audit.record(
        session,
        event=event,
        actor=actor,
        action="facilitator",
        detail=f"made {person.name or f'attendee {person.id}'} a facilitator of “{topic.title}”",
    )
    session.commit()
    return True


def remove_facilitator(session: Session, *, event: Event, topic_id: int, attendee_id: int, actor: Organizer) -> bool:
    phases.require_phase(event, "moderate")
    topic = _topic(session, event, topic_id)
    result = session.exec(
        delete(FacilitatorClaim).where(
            col(FacilitatorClaim.topic_id) == topic.id, col(FacilitatorClaim.attendee_id) == attendee_id
        )
    )
    if not result.rowcount:
        session.rollback()
        return False
    person = session.get(Attendee, attendee_id) if known_id(attendee_id) else None
    record_change(session, event_id=saved_id(event), kind=Change.facilitators_changed, payload={"topic_id": topic.id})
    audit.record(
        session,
        event=event,
        actor=actor,
        action="facilitator",
        detail=f"removed {(person.name if person else '') or f'attendee {attendee_id}'} as facilitator of “{topic.title}”",
    )
    session.commit()
    return True


def hidden_topics(session: Session, *, event: Event) -> list[Topic]:
    """Topics off the wall (hidden, withdrawn, merged), newest change first, for the console."""
    return list(
        session.scalars(
            select(Topic)
            .where(Topic.event_id == event.id, Topic.status != TopicStatus.open)
            .order_by(col(Topic.updated_at).desc())
        )
    )
