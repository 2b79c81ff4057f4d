"""Notes and resources in the event file: its optional ``notes`` and ``resources`` extras.

``eventfile.py`` exports them with an event, and on import checks them (``parse_extras``, before
anything is written) and adds them once the topics exist (``restore_extras``). Texts and links go
through the same checks as the pages' (``notes.clean_note``, ``clean_url``, ``clean_line``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from app.domain.errors import InvalidInput, about
from app.domain.notes import RESOURCES_PER_SESSION_MAX, clean_line, clean_note, clean_url, list_resources
from app.i18n import _
from app.models import Event, NoteRevision, Resource, SessionNote, saved_id
from app.models.aftersession import AUTHOR_NAME_MAX
from app.models.util import utcnow

REVISIONS_IMPORTED_MAX = 200

# A revision read from a file: text, author, when (None: unknown, the import's time is used).
Revision = tuple[str, str, datetime | None]
# A resource read from a file: topic (file id), url, line, added by, when.
ImportedResource = tuple[str, str, str, str, datetime | None]


def export_extras(session: Session, *, event: Event, topic_keys: dict[int, str]) -> dict[str, Any]:
    """Notes (with their history) and resources of the topics in ``topic_keys`` (db id -> file id)."""
    notes = []
    for note in session.scalars(
        select(SessionNote).where(SessionNote.event_id == event.id).order_by(col(SessionNote.id))
    ):
        if note.topic_id not in topic_keys:
            continue
        revisions = session.scalars(
            select(NoteRevision).where(NoteRevision.note_id == note.id).order_by(col(NoteRevision.number))
        )
        notes.append(
            {
                "topic": topic_keys[note.topic_id],
                "text": note.text,
                "revisions": [
                    {"text": r.text, "author": r.author_name, "at": r.created_at.isoformat()} for r in revisions
                ],
            }
        )
    resources = [
        {
            "topic": topic_keys[r.topic_id],
            "url": r.url,
            "line": r.line,
            "added_by": r.added_by_name,
            "at": r.created_at.isoformat(),
        }
        for r in list_resources(session, event=event)
        if r.topic_id in topic_keys
    ]
    extras: dict[str, Any] = {}
    if notes:
        extras["notes"] = notes
    if resources:
        extras["resources"] = resources
    return extras


@dataclass
class _ImportedNote:
    topic: str
    text: str
    revisions: list[Revision]


@dataclass
class ParsedExtras:
    """Notes and resources read from an event file, checked, waiting for their topics to exist."""

    notes: list[_ImportedNote] = field(default_factory=list)
    resources: list[ImportedResource] = field(default_factory=list)


def parse_extras(document: dict[str, Any], *, topic_ids: set[str]) -> ParsedExtras:
    """Check the ``notes`` and ``resources`` extras of an event file; absent keys mean none."""
    return ParsedExtras(
        notes=_parse_notes(document.get("notes", []), topic_ids=topic_ids),
        resources=_parse_resources(document.get("resources", []), topic_ids=topic_ids),
    )


def _parse_notes(raw_notes: object, *, topic_ids: set[str]) -> list[_ImportedNote]:
    if not isinstance(raw_notes, list):
        raise InvalidInput(about("notes", _("expected a list.")), field="notes")
    parsed, seen = [], set()
    for index, item in enumerate(raw_notes):
        key = f"notes[{index}]"
        topic = _topic_of(item, key=key, topic_ids=topic_ids)
        if topic in seen:
            message = _("topic '{id}' has notes twice.").format(id=topic[:40])
            raise InvalidInput(about(f"{key}.topic", message), field=f"{key}.topic")
        seen.add(topic)
        text = _note_text(item.get("text"), key=key)
        revisions = _parse_revisions(item.get("revisions", []), key=key)
        if not revisions or revisions[-1][0] != text:
            revisions.append((text, "", None))
        parsed.append(_ImportedNote(topic=topic, text=text, revisions=revisions))
    return parsed


def _parse_revisions(raw_revisions: object, *, key: str) -> list[Revision]:
    """A note's history, its last ``REVISIONS_IMPORTED_MAX`` versions kept."""
    if not isinstance(raw_revisions, list):
        raise InvalidInput(about(f"{key}.revisions", _("expected a list.")), field=f"{key}.revisions")
    revisions = []
    for r_index, revision in enumerate(raw_revisions[-REVISIONS_IMPORTED_MAX:]):
        r_key = f"{key}.revisions[{r_index}]"
        if not isinstance(revision, dict):
            raise InvalidInput(about(r_key, _("expected an object.")), field=r_key)
        text = _note_text(revision.get("text"), key=r_key)
        revisions.append((text, _name(revision.get("author"), key=f"{r_key}.author"), _timestamp(revision.get("at"))))
    return revisions


def _parse_resources(raw_resources: object, *, topic_ids: set[str]) -> list[ImportedResource]:
    if not isinstance(raw_resources, list):
        raise InvalidInput(about("resources", _("expected a list.")), field="resources")
    parsed = []
    per_topic: dict[str, int] = {}
    for index, item in enumerate(raw_resources):
        key = f"resources[{index}]"
        topic = _topic_of(item, key=key, topic_ids=topic_ids)
        per_topic[topic] = per_topic.get(topic, 0) + 1
        if per_topic[topic] > RESOURCES_PER_SESSION_MAX:
            message = _("topic '{id}' has more than {limit} resources.").format(
                id=topic[:40], limit=RESOURCES_PER_SESSION_MAX
            )
            raise InvalidInput(about(key, message), field=key)
        try:
            url = clean_url(_text(item.get("url"), key=f"{key}.url"))
            line = clean_line(_text(item.get("line"), key=f"{key}.line"))
        except InvalidInput as error:
            raise InvalidInput(key + "." + error.message, field=f"{key}.{error.field}") from None
        added_by = _name(item.get("added_by"), key=f"{key}.added_by")
        parsed.append((topic, url, line, added_by, _timestamp(item.get("at"))))
    return parsed


def _topic_of(item: object, *, key: str, topic_ids: set[str]) -> str:
    """The file id of the topic an entry (an object) belongs to, one of the file's own."""
    if not isinstance(item, dict):
        raise InvalidInput(about(key, _("expected an object.")), field=key)
    topic = str(item.get("topic", ""))
    if topic not in topic_ids:
        message = _("'{id}' is not one of the file's topics.").format(id=topic[:40])
        raise InvalidInput(about(f"{key}.topic", message), field=f"{key}.topic")
    return topic


def _note_text(value: object, *, key: str) -> str:
    """Notes' text, checked as the notes page checks it; ``key`` names the entry it belongs to."""
    text = _text(value, key=f"{key}.text")  # its refusal names the whole key already
    try:
        return clean_note(text)
    except InvalidInput as error:  # "text: ..." as the notes page says it
        raise InvalidInput(key + "." + error.message, field=f"{key}.text") from None


def _name(value: object, *, key: str) -> str:
    return " ".join(_text(value, key=key).split())[:AUTHOR_NAME_MAX]


def _timestamp(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _text(value: object, *, key: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(about(key, _("expected text.")), field=key)
    return value


def restore_extras(session: Session, *, event: Event, extras: ParsedExtras, topic_pk: dict[str, int]) -> None:
    """Add imported notes and resources to the caller's transaction (the caller commits)."""
    now = utcnow()
    for item in extras.notes:
        note = SessionNote(
            event_id=saved_id(event),
            topic_id=topic_pk[item.topic],
            text=item.text,
            revision=len(item.revisions),
            updated_at=item.revisions[-1][2] or now,
        )
        session.add(note)
        session.flush()
        for number, (text, author, at) in enumerate(item.revisions, start=1):
            session.add(
                NoteRevision(note_id=saved_id(note), number=number, text=text, author_name=author, created_at=at or now)
            )
    for topic, url, line, added_by, at in extras.resources:
        session.add(
            Resource(
                event_id=saved_id(event),
                topic_id=topic_pk[topic],
                url=url,
                line=line,
                added_by_name=added_by,
                created_at=at or now,
            )
        )
