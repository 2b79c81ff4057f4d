"""Shared session notes (Markdown, every revision kept) and the resources shared in a session.

Anyone who has joined the event may edit a session's notes or share a link while the event runs;
once it is closed they stay readable. Notes are Markdown, rendered by markdown-it-py with raw HTML
off and then sanitised by nh3 with a short allow-list, so hostile input (scripts, event handlers,
``javascript:`` links, iframes) comes out as harmless text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.domain import phases, rows
from app.domain.changelog import record_change
from app.domain.changes import Change
from app.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from app.i18n import _
from app.models import Attendee, Event, NoteRevision, Resource, SessionNote, Topic, saved_id
from app.models.aftersession import AUTHOR_NAME_MAX, NOTE_MAX, RESOURCE_LINE_MAX, RESOURCE_URL_MAX
from app.models.util import utcnow

# Notes and resources can be added while the event runs, and stay readable once it has closed.
RESOURCES_PER_SESSION_MAX = 100

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "del",
    "s",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def render_markdown(text: str) -> str:
    """Markdown as safe HTML: headings start at h4 (the page owns h1 to h3), nothing executable survives."""
    tokens = _markdown.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + 3)}"
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow ugc",
    )


_LINK_TARGET = re.compile(r"(\]\(\s*<?|^\s*\[[^\]]*\]:\s*<?)([a-zA-Z][a-zA-Z0-9+.-]*):", re.MULTILINE)


def markdown_for_export(text: str) -> str:
    """Notes as Markdown that any viewer shows safely (the guide.md download), as the pages do:
    raw HTML is shown as text, and a link to anything but http, https or mailto loses its target."""
    escaped = (text or "").replace("<", "&lt;").replace(">", "&gt;")

    def target(match: re.Match[str]) -> str:
        scheme = match.group(2)
        return match.group(0) if scheme.lower() in URL_SCHEMES else f"{match.group(1)}#removed-{scheme.lower()}-"

    return _LINK_TARGET.sub(target, escaped)


def display_name(attendee: Attendee | None) -> str:
    """The name an edit is attributed to, as the attendee gave it ("" when they gave none)."""
    return (attendee.name if attendee else "")[:AUTHOR_NAME_MAX]


def can_write(event: Event) -> bool:
    return phases.is_allowed(event, "write_notes")


def require_writable(event: Event) -> None:
    """Refuse changes to notes and resources outside the phases that allow them, saying why."""
    phases.require_phase(event, "write_notes")


def _require_own_topic(event: Event, topic: Topic) -> None:
    if topic.event_id != event.id:
        raise NotFound(_("Topic {id} is not on this event's wall.").format(id=topic.id), field="topic_id")


# Notes ----------------------------------------------------------------------------------------------


@dataclass
class RevisionView:
    number: int
    text: str
    author: str
    at: datetime


@dataclass
class NotesView:
    """A session's notes as the page shows them."""

    topic: Topic
    text: str
    revision: int
    updated_at: datetime | None
    author: str | None  # who saved the current version; None before the first save
    history: list[RevisionView] = field(default_factory=list)

    @property
    def html(self) -> str:
        return render_markdown(self.text)


def get_note(session: Session, *, topic: Topic) -> SessionNote | None:
    return session.scalars(select(SessionNote).where(SessionNote.topic_id == topic.id)).first()


def notes_view(session: Session, *, event: Event, topic: Topic, with_history: bool = False) -> NotesView:
    """The current notes of a session, with who saved them last, and optionally every revision."""
    _require_own_topic(event, topic)
    note = get_note(session, topic=topic)
    if note is None:
        return NotesView(topic=topic, text="", revision=0, updated_at=None, author=None)
    revisions = list(
        session.scalars(
            select(NoteRevision)
            .where(NoteRevision.note_id == note.id)
            .order_by(col(NoteRevision.number).desc())
            .limit(None if with_history else 1)
        )
    )
    history = [RevisionView(number=r.number, text=r.text, author=r.author_name, at=r.created_at) for r in revisions]
    return NotesView(
        topic=topic,
        text=note.text,
        revision=note.revision,
        updated_at=note.updated_at,
        author=history[0].author if history else "",
        history=history if with_history else [],
    )


def clean_note(raw: str | None) -> str:
    text = (raw or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    text = text.replace("\x00", "")
    if len(text) > NOTE_MAX:
        raise InvalidInput(
            _("text: notes can be at most {most} characters; these have {count}.").format(
                most=NOTE_MAX, count=len(text)
            ),
            field="text",
        )
    return text


def _saved_meanwhile() -> str:
    return _(
        "Someone saved these notes while you were editing. Your text is kept below: "
        "check the current notes and save again."
    )


def save_note(
    session: Session, *, event: Event, topic: Topic, author: Attendee, text: str, base_revision: int
) -> SessionNote:
    """Save a new version of the notes, unless someone else saved since ``base_revision`` (then Conflict)."""
    require_writable(event)
    _require_own_topic(event, topic)
    text = clean_note(text)
    note = get_note(session, topic=topic)
    if note is None:
        note = _first_note(session, event=event, topic=topic, base_revision=base_revision)
    elif note.text == text and note.revision == base_revision:
        return note  # nothing changed: no new revision
    now = utcnow()
    # Compare-and-set: of two people saving over the same version, only the first wins.
    changed = session.exec(
        update(SessionNote)
        .where(col(SessionNote.id) == note.id, col(SessionNote.revision) == base_revision)
        .values(text=text, revision=base_revision + 1, updated_at=now)
    ).rowcount
    if changed != 1:
        session.rollback()
        raise Conflict(_saved_meanwhile(), field="text")
    session.add(
        NoteRevision(
            note_id=saved_id(note),
            number=base_revision + 1,
            text=text,
            author_id=author.id,
            author_name=display_name(author),
            created_at=now,
        )
    )
    record_change(
        session,
        event_id=saved_id(event),
        kind=Change.note,
        payload={"topic_id": topic.id, "revision": base_revision + 1},
    )
    session.commit()
    session.refresh(note)
    return note


def _first_note(session: Session, *, event: Event, topic: Topic, base_revision: int) -> SessionNote:
    """The session's notes row, made for their first version (empty until ``save_note`` fills it)."""
    if base_revision != 0:
        raise Conflict(
            _(
                "These notes changed while you were editing. Your text is kept below: check the current notes and save again."
            ),
            field="text",
        )
    note = SessionNote(event_id=saved_id(event), topic_id=saved_id(topic))
    session.add(note)
    try:
        session.flush()
    except IntegrityError:  # someone else saved the first version at the same moment
        session.rollback()
        raise Conflict(_saved_meanwhile(), field="text") from None
    return note


def restore_revision(
    session: Session, *, event: Event, topic: Topic, author: Attendee, number: int, base_revision: int
) -> SessionNote:
    """Save an earlier version again as the newest one (undoing a bad edit keeps the history whole)."""
    note = get_note(session, topic=topic)
    revision = None
    if note is not None:
        revision = session.scalars(
            select(NoteRevision).where(col(NoteRevision.note_id) == note.id, col(NoteRevision.number) == number)
        ).first()
    if revision is None:
        raise NotFound(_("Version {number} of these notes does not exist.").format(number=number), field="revision")
    return save_note(session, event=event, topic=topic, author=author, text=revision.text, base_revision=base_revision)


# Resources ------------------------------------------------------------------------------------------


@dataclass
class ResourceView:
    resource: Resource
    can_remove: bool


def clean_url(raw: str | None) -> str:
    """A web link; ``padlet.com/x`` becomes ``https://padlet.com/x``. Other schemes are refused."""
    url = (raw or "").strip()
    if not url:
        raise InvalidInput(_("url: paste the link to share."), field="url")
    if any(c.isspace() or ord(c) < 32 for c in url):
        raise InvalidInput(_("url: a link cannot contain spaces."), field="url")
    if not _SCHEME.match(url) or url.lower().startswith("localhost:"):
        url = "https://" + url
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme.lower() not in ("http", "https") or not host or ("." not in host and host != "localhost"):
        raise InvalidInput(_("url: use a web link that starts with https:// (or http://)."), field="url")
    if len(url) > RESOURCE_URL_MAX:
        raise InvalidInput(_("url: at most {most} characters.").format(most=RESOURCE_URL_MAX), field="url")
    return url


def clean_line(raw: str | None) -> str:
    line = " ".join((raw or "").split())
    if len(line) > RESOURCE_LINE_MAX:
        raise InvalidInput(
            _("line: at most {most} characters; this has {count}.").format(most=RESOURCE_LINE_MAX, count=len(line)),
            field="line",
        )
    return line


def list_resources(session: Session, *, event: Event, topic_ids: list[int] | None = None) -> list[Resource]:
    """The event's resources (of some topics only, when given), oldest first."""
    query = select(Resource).where(Resource.event_id == event.id)
    if topic_ids is not None:
        query = query.where(col(Resource.topic_id).in_(topic_ids))
    return list(session.scalars(query.order_by(col(Resource.id))))


def resource_views(
    session: Session, *, event: Event, topic: Topic, viewer: Attendee | None, organizer: bool = False
) -> list[ResourceView]:
    return [
        ResourceView(
            r, can_remove=organizer or (viewer is not None and r.added_by_id == viewer.id and can_write(event))
        )
        for r in list_resources(session, event=event, topic_ids=[saved_id(topic)])
    ]


def add_resource(session: Session, *, event: Event, topic: Topic, by: Attendee, url: str, line: str = "") -> Resource:
    """Share a link in a session, with a line about it."""
    require_writable(event)
    _require_own_topic(event, topic)
    resource = Resource(
        event_id=saved_id(event),
        topic_id=saved_id(topic),
        url=clean_url(url),
        line=clean_line(line),
        added_by_id=by.id,
        added_by_name=display_name(by),
    )
    count = session.scalar(select(func.count()).select_from(Resource).where(Resource.topic_id == topic.id)) or 0
    if count >= RESOURCES_PER_SESSION_MAX:
        raise Conflict(_("This session already has {count} resources, the most it can hold.").format(count=count))
    session.add(resource)
    session.flush()
    record_change(
        session, event_id=saved_id(event), kind=Change.note, payload={"topic_id": topic.id, "resource_id": resource.id}
    )
    session.commit()
    return resource


def remove_resource(
    session: Session, *, event: Event, resource_id: int, by: Attendee | None, organizer: bool = False
) -> Resource:
    """Take a shared link down: whoever shared it (while the event runs) or an organizer."""
    resource = rows.require(session, Resource, resource_id, event=event, field="resource_id")
    if not organizer:
        if by is None or resource.added_by_id != by.id:
            raise NotAllowed(_("Only the person who shared this link (or an organizer) can remove it."))
        require_writable(event)
    session.delete(resource)
    record_change(
        session,
        event_id=saved_id(event),
        kind=Change.note,
        payload={"topic_id": resource.topic_id, "resource_id": resource.id},
    )
    session.commit()
    return resource
