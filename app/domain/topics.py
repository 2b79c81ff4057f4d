"""Proposing, editing and withdrawing topics, and the wall as each viewer sees it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import bindparam, func
from sqlmodel import Session, col, select

from app import i18n
from app.domain import audit, languages, phases, rows
from app.domain.changelog import record_change
from app.domain.changes import Change
from app.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound, about
from app.i18n import _
from app.models import (
    Attendee,
    Event,
    FacilitatorClaim,
    Interest,
    Organizer,
    Phase,
    Topic,
    TopicStatus,
    saved_id,
    table_of,
)
from app.models.topic import DESCRIPTION_MAX, TAG_MAX, TAGS_MAX, TITLE_MAX
from app.models.util import utcnow

SORTS = ("shuffled", "wanted", "newest")


@dataclass
class TopicView:
    """A topic as one viewer sees it on the wall."""

    topic: Topic
    count: int | None  # None while counts are hidden from this viewer
    marked: bool
    facilitators: list[str] = field(default_factory=list)  # display names ("" for unnamed)
    is_facilitator: bool = False
    is_author: bool = False

    @property
    def needs_facilitator(self) -> bool:
        return not self.facilitators


@dataclass
class Wall:
    """The wall for one viewer: the topics in the chosen order and what the viewer may do."""

    topics: list[TopicView]
    sort: str
    sorts: list[str]
    tag: str | None
    tags: list[str]
    counts_visible: bool
    marks_used: int
    budget: int | None
    #: The ``?language=`` filter (``es``: sessions held in Spanish or both), and whether to offer it.
    language: str | None = None
    offers_languages: bool = False

    @property
    def marks_left(self) -> int | None:
        return _left(self.budget, self.marks_used)


def clean_title(raw: str | None) -> str:
    title = " ".join((raw or "").split())
    if not title:
        raise InvalidInput(about("title", _("please give the topic a title.")), field="title")
    if len(title) > TITLE_MAX:
        message = _("at most {limit} characters, this has {length}.").format(limit=TITLE_MAX, length=len(title))
        raise InvalidInput(about("title", message), field="title")
    return title


def clean_description(raw: str | None) -> str:
    text = (raw or "").strip().replace("\r\n", "\n")
    if len(text) > DESCRIPTION_MAX:
        message = _("at most {limit} characters, this has {length}.").format(limit=DESCRIPTION_MAX, length=len(text))
        raise InvalidInput(about("description", message), field="description")
    return text


def clean_tags(raw: list[str] | str | None) -> list[str]:
    """Tags from a list or a comma-separated string; duplicates (any case) dropped."""
    items = raw.split(",") if isinstance(raw, str) else list(raw or [])
    tags: list[str] = []
    for item in items:
        tag = " ".join(str(item).split()).lstrip("#")
        if not tag:
            continue
        if len(tag) > TAG_MAX:
            message = _("'{tag}' is longer than {limit} characters.").format(tag=tag[:40], limit=TAG_MAX)
            raise InvalidInput(about("tags", message), field="tags")
        if tag.lower() not in {t.lower() for t in tags}:
            tags.append(tag)
    if len(tags) > TAGS_MAX:
        raise InvalidInput(about("tags", _("at most {limit} tags.").format(limit=TAGS_MAX)), field="tags")
    return tags


def propose_topic(
    session: Session,
    *,
    event: Event,
    author: Attendee | None,
    title: str,
    description: str = "",
    tags: list[str] | str | None = None,
    facilitate: bool = False,
    language: str | None = None,
    limit: int = 2000,
) -> Topic:
    """Put a new topic on the wall; with ``facilitate`` the author also offers to lead it. Its
    language, unless given, is the proposer's (the language of the page they proposed it from)."""
    phases.require_phase(event, "propose")
    topic = Topic(
        event_id=saved_id(event),
        author_id=author.id if author else None,
        title=clean_title(title),
        description=clean_description(description),
        tags=clean_tags(tags),
        language=languages.validate_topic_language(language, default=languages.proposer_default(i18n.current())),
    )
    count = session.scalar(select(func.count()).select_from(Topic).where(Topic.event_id == event.id)) or 0
    if count >= limit:
        raise Conflict(_("This event already has {count} topics, the most it allows.").format(count=count))
    session.add(topic)
    session.flush()
    if facilitate and author is not None:
        session.add(FacilitatorClaim(event_id=saved_id(event), attendee_id=saved_id(author), topic_id=saved_id(topic)))
    record_change(session, event_id=saved_id(event), kind=Change.topic_proposed, payload={"topic_id": topic.id})
    session.commit()
    return topic


def require_topic(session: Session, *, event: Event, topic_id: int, visible_only: bool = True) -> Topic:
    """The event's topic with this id; withdrawn, hidden or merged ones count as missing if visible_only."""
    topic = rows.find(session, Topic, topic_id, event=event)
    if topic is None or (visible_only and topic.status != TopicStatus.open):
        raise NotFound(_("Topic {id} is not on this event's wall.").format(id=topic_id), field="topic_id")
    return topic


def _require_author(topic: Topic, attendee: Attendee | None) -> None:
    if attendee is None or topic.author_id != attendee.id:
        raise NotAllowed(_("Only the person who proposed this topic (or an organizer) can change it."))


def edit_topic(
    session: Session,
    *,
    event: Event,
    topic: Topic,
    by: Attendee | None,
    organizer: Organizer | None = None,
    title: str | None = None,
    description: str | None = None,
    tags: list[str] | str | None = None,
    language: str | None = None,
) -> Topic:
    """Change a topic's text and language (None or empty keeps it): its author until marking
    closes, an organizer at any time (audited).

    The one way a topic's text changes, from a phone, the API or the console."""
    if organizer is None:
        _require_author(topic, by)
        phases.require_phase(event, "edit_topic")
    else:
        phases.require_phase(event, "moderate")
    before = topic.title
    if title is not None:
        topic.title = clean_title(title)
    if description is not None:
        topic.description = clean_description(description)
    if tags is not None:
        topic.tags = clean_tags(tags)
    if language:
        topic.language = languages.validate_topic_language(language)
    topic.updated_at = utcnow()
    session.add(topic)
    record_change(session, event_id=saved_id(event), kind=Change.topic_edited, payload={"topic_id": topic.id})
    if organizer is not None:
        audit.record(
            session,
            event=event,
            actor=organizer,
            action="edit",
            detail=f"edited “{before}”" + (f" (now “{topic.title}”)" if topic.title != before else ""),
        )
    session.commit()
    return topic


def withdraw_topic(
    session: Session, *, event: Event, topic: Topic, by: Attendee | None, organizer: Organizer | None = None
) -> Topic:
    """Take a topic off the wall; its marks stop counting against anyone's budget.

    Its author until marking closes, an organizer at any time (audited)."""
    if organizer is None:
        _require_author(topic, by)
        phases.require_phase(event, "withdraw_topic")
    else:
        phases.require_phase(event, "moderate")
        audit.record(session, event=event, actor=organizer, action="withdraw", detail=f"withdrew “{topic.title}”")
    topic.status = TopicStatus.withdrawn
    topic.updated_at = utcnow()
    session.add(topic)
    record_change(session, event_id=saved_id(event), kind=Change.topic_withdrawn, payload={"topic_id": topic.id})
    session.commit()
    return topic


def counts_visible(event: Event, *, organizer: bool = False) -> bool:
    """Counts are hidden from attendees while marking is open, if the organizer chose so."""
    if organizer or not event.hide_counts:
        return True
    return event.phase not in {Phase.setup, Phase.proposing, Phase.voting}


def interest_counts(session: Session, *, event: Event, topic_ids: list[int] | None = None) -> dict[int, int]:
    """Marks per topic: for the whole event, or only for ``topic_ids`` (one card after a mark)."""
    query = select(Interest.topic_id, func.count()).where(Interest.event_id == event.id)
    if topic_ids is not None:
        query = query.where(col(Interest.topic_id).in_(topic_ids))
    return dict(session.execute(query.group_by(col(Interest.topic_id))).all())


# Built once: these run on every mark (see app/domain/changelog.py).
_interests = table_of(Interest)
_TOPIC_MARKS = select(func.count()).select_from(_interests).where(_interests.c.topic_id == bindparam("topic"))


def topic_count(session: Session, *, topic: Topic) -> int:
    """One topic's interest as the wall shows it: marks made here plus those counted on paper."""
    marks = session.scalar(_TOPIC_MARKS, {"topic": topic.id}) or 0
    return marks + topic.paper_marks


def marks_used(session: Session, *, attendee: Attendee) -> int:
    """Marks the attendee has on topics still on the wall (they count against the budget)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Interest)
            .join(Topic, col(Topic.id) == Interest.topic_id)
            .where(Interest.attendee_id == attendee.id, Topic.status == TopicStatus.open)
        )
        or 0
    )


def marks_left(session: Session, *, event: Event, attendee: Attendee) -> int | None:
    """How many more topics ``attendee`` may mark, or None when the event sets no budget."""
    if event.vote_budget is None:
        return None
    return _left(event.vote_budget, marks_used(session, attendee=attendee))


def _left(budget: int | None, used: int) -> int | None:
    """Marks left of a budget (None: the event sets none): the one place it is worked out."""
    return None if budget is None else max(0, budget - used)


def _shuffle_key(viewer_id: int, topic_id: int) -> bytes:
    return hashlib.sha256(f"{viewer_id}:{topic_id}".encode()).digest()


def topic_views(
    session: Session, *, event: Event, viewer: Attendee | None, topics: list[Topic], organizer: bool = False
) -> list[TopicView]:
    """TopicViews for ``topics`` as ``viewer`` sees them, in the given order."""
    ids = [saved_id(t) for t in topics]
    visible = counts_visible(event, organizer=organizer)
    # A few cards (the one just marked, a push's changed topics) count only their own marks.
    few = ids if len(ids) <= 50 else None
    counts = interest_counts(session, event=event, topic_ids=few) if visible and ids else {}
    marked: set[int] = set()
    if viewer is not None and ids:
        marked = set(
            session.scalars(
                select(Interest.topic_id).where(Interest.attendee_id == viewer.id, col(Interest.topic_id).in_(ids))
            )
        )
    facilitators = rows.facilitators(session, topic_ids=ids) if ids else {}
    views = []
    for topic, topic_id in zip(topics, ids, strict=True):
        leads = facilitators.get(topic_id, [])
        views.append(
            TopicView(
                topic=topic,
                count=counts.get(topic_id, 0) + topic.paper_marks if visible else None,
                marked=topic_id in marked,
                facilitators=[name for _id, name in leads],
                is_facilitator=viewer is not None and any(aid == viewer.id for aid, _ in leads),
                is_author=viewer is not None and topic.author_id == viewer.id,
            )
        )
    return views


def wall(
    session: Session,
    *,
    event: Event,
    viewer: Attendee | None,
    sort: str | None = None,
    tag: str | None = None,
    language: str | None = None,
    organizer: bool = False,
) -> Wall:
    """The open topics in the order this viewer asked for (or the event's default), of one tag or
    held in one language if asked."""
    visible = counts_visible(event, organizer=organizer)
    sorts = [s for s in SORTS if (s != "wanted" or visible) and (s != "shuffled" or viewer is not None)]
    default = "shuffled" if event.shuffle_topics and viewer is not None else ("wanted" if visible else "newest")
    chosen = sort if sort in sorts else default
    topics = list(
        session.scalars(
            select(Topic).where(Topic.event_id == event.id, Topic.status == TopicStatus.open).order_by(col(Topic.id))
        )
    )
    all_tags = sorted({t for topic in topics for t in topic.tags}, key=str.lower)
    offers_languages = event.bilingual or any(t.language != event.language for t in topics)
    language = languages.filter_language(language)
    if tag:
        topics = [t for t in topics if tag.lower() in (x.lower() for x in t.tags)]
    topics = [t for t in topics if languages.held_in(t.language, language)]
    views = topic_views(session, event=event, viewer=viewer, topics=topics, organizer=organizer)
    if chosen == "wanted":
        views.sort(key=lambda v: (-(v.count or 0), v.topic.id))
    elif chosen == "newest":
        views.sort(key=lambda v: -saved_id(v.topic))
    else:
        assert viewer is not None
        viewer_id = saved_id(viewer)
        views.sort(key=lambda v: _shuffle_key(viewer_id, saved_id(v.topic)))
    used = marks_used(session, attendee=viewer) if viewer is not None else 0
    return Wall(
        topics=views,
        sort=chosen,
        sorts=sorts,
        tag=tag or None,
        tags=all_tags,
        counts_visible=visible,
        marks_used=used,
        budget=event.vote_budget,
        language=language,
        offers_languages=offers_languages or language is not None,
    )


def topic_view(
    session: Session, *, event: Event, viewer: Attendee | None, topic: Topic, organizer: bool = False
) -> TopicView:
    return topic_views(session, event=event, viewer=viewer, topics=[topic], organizer=organizer)[0]


def off_wall_for_author(session: Session, *, event: Event, author: Attendee) -> list[Topic]:
    """The author's topics an organizer hid or merged, so the author can see why."""
    return list(
        session.scalars(
            select(Topic)
            .where(
                Topic.event_id == event.id,
                Topic.author_id == author.id,
                col(Topic.status).in_([TopicStatus.hidden, TopicStatus.merged]),
            )
            .order_by(col(Topic.id))
        )
    )
