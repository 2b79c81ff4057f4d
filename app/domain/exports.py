"""Downloads: CSV of topics, of feedback and of the resource guide, and the guide as Markdown.

CSV cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return) get a leading apostrophe, so attendee text stays text when an organizer
opens the file.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from sqlmodel import Session, col, select

from app.domain import attendees, feedback, guide, notes, rows, survey_results, talk_feedback, timetable, topics
from app.i18n import _, pgettext
from app.models import Event, Topic, saved_id

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")


def csv_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(header: list[str], rows: Iterable[Iterable[object]]) -> str:
    """A CSV document (with a header row), formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue()


def topics_csv(session: Session, *, event: Event) -> str:
    """Every topic with its marks, facilitators and, once published, its room and slot."""
    listed = list(session.scalars(select(Topic).where(Topic.event_id == event.id).order_by(col(Topic.id))))
    counts = topics.interest_counts(session, event=event)
    leads = {
        topic_id: [name or "unnamed" for _, name in people]
        for topic_id, people in rows.facilitators(session, event=event).items()
    }
    view = timetable.grid(session, event=event)
    placed = {}
    for slot in view.slots:
        for room in view.rooms:
            cell = view.cell(room, slot)
            if cell is not None:
                placed[cell.topic.id] = (room.name, slot.start, slot.end)
    # Column names in the reader's language (the API keeps the field names).
    header = [
        pgettext("CSV column", "topic_id"),
        pgettext("CSV column", "title"),
        pgettext("CSV column", "status"),
        pgettext("CSV column", "tags"),
        pgettext("CSV column", "marks"),
        pgettext("CSV column", "facilitators"),
        pgettext("CSV column", "room"),
        pgettext("CSV column", "slot_start"),
        pgettext("CSV column", "slot_end"),
        pgettext("CSV column", "description"),
    ]
    return to_csv(
        header,
        (
            [
                t.id,
                t.title,
                t.status.value,
                ", ".join(t.tags),
                counts.get(saved_id(t), 0),
                ", ".join(leads.get(saved_id(t), [])),
                *placed.get(t.id, ("", "", "")),
                t.description,
            ]
            for t in listed
        ),
    )


def feedback_csv(session: Session, *, event: Event) -> str:
    """Every feedback answer, anonymous: the day's first, then sessions in schedule order, then talks."""
    header = [
        pgettext("CSV column", "scope"),
        pgettext("CSV column", "topic_id"),
        pgettext("CSV column", "title"),
        pgettext("CSV column", "room"),
        pgettext("CSV column", "slot"),
        pgettext("CSV column", "rating"),
        pgettext("CSV column", "will_try"),
        pgettext("CSV column", "updated_at"),
        pgettext("CSV column", "talk_id"),
    ]
    answers = feedback.feedback_rows(session, event=event) + talk_feedback.feedback_rows(session, event=event)
    return to_csv(
        header,
        (
            [r.scope, r.topic_id or "", r.title, r.room, r.slot, r.rating, r.will_try, r.updated_at.isoformat()]
            + [r.talk_id or ""]
            for r in answers
        ),
    )


def survey_csv(session: Session, *, event: Event) -> str:
    """The exit survey's responses, one row each and a column per question, anonymous."""
    view = survey_results.table(session, event=event)
    return to_csv([csv_cell(name) for name in view.header], view.rows)


def guide_csv(session: Session, *, event: Event) -> str:
    """The resource guide as rows: one per plenary talk, one per resource, and one per session's notes."""
    view = guide.guide(session, event=event)
    header = [
        pgettext("CSV column", "slot"),
        pgettext("CSV column", "room"),
        pgettext("CSV column", "topic_id"),
        pgettext("CSV column", "session"),
        pgettext("CSV column", "kind"),
        pgettext("CSV column", "url"),
        pgettext("CSV column", "text"),
        pgettext("CSV column", "by"),
    ]
    lines: list[list[object]] = []
    for block in view.slots:  # a plenary's talks: who spoke on what, with the bio
        when, where = f"{block.slot.start}–{block.slot.end}", block.room.name if block.room else ""
        lines.extend([when, where, "", f"{t.title}", "talk", "", t.bio, t.speaker] for t in block.talks)
    for entry in view.entries:
        slot = f"{entry.slot.start}–{entry.slot.end}" if entry.slot else ""
        room = entry.room.name if entry.room else ""
        if entry.notes:
            lines.append(
                [slot, room, entry.topic.id, entry.topic.title, "notes", "", entry.notes, ", ".join(entry.notes_by)]
            )
        for resource in entry.resources:
            lines.append(
                [
                    slot,
                    room,
                    entry.topic.id,
                    entry.topic.title,
                    "resource",
                    resource.url,
                    resource.line,
                    resource.added_by_name,
                ]
            )
    # The smackdown, like a plenary's talks: what was shared (title), why, and who shared it.
    lines.extend(["", "", "", share.title, "smackdown", share.url, share.why, share.name] for share in view.smackdown)
    return to_csv(header, lines)


def md_escape(text: str) -> str:
    """Text that Markdown shows as typed (titles, names and link lines)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _md_url(url: str) -> str:
    return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")


def guide_markdown(session: Session, *, event: Event) -> str:
    """The resource guide as one Markdown file: slot, room, session, notes and links."""
    view = guide.guide(session, event=event)
    out = ["# " + _("{event}: resource guide").format(event=md_escape(event.name)), ""]
    if event.date:
        out += [event.date, ""]

    def entry_md(entry: guide.GuideEntry, heading: str) -> None:
        title = md_escape(entry.topic.title)
        out.extend([f"{heading} {md_escape(entry.room.name) + ': ' if entry.room else ''}{title}", ""])
        if entry.facilitators:
            out.extend([_("Led by {names}.").format(names=md_escape(attendees.names_line(entry.facilitators))), ""])
        if entry.resources:
            out.extend([_("Resources:"), ""])
            for resource in entry.resources:
                line = f" — {md_escape(resource.line)}" if resource.line else ""
                out.append(f"- <{_md_url(resource.url)}>{line}")
            out.append("")
        if entry.notes:
            names = ", ".join(md_escape(n) for n in entry.notes_by)
            out.extend([_("Notes (by {names}):").format(names=names) if names else _("Notes:"), ""])
            safe = notes.markdown_for_export(entry.notes)  # no raw HTML, no javascript: links
            out.extend("> " + line if line else ">" for line in safe.split("\n"))
            out.append("")

    for block in view.slots:
        title = f" · {md_escape(block.slot.title)}" if block.talks and block.slot.title else ""
        out += [f"## {block.slot.start}–{block.slot.end}{title}", ""]
        for talk in block.talks:
            out.extend([f"### {md_escape(talk.speaker)}: {md_escape(talk.title)}", ""])
            out.extend([md_escape(talk.bio), ""] if talk.bio else [])
        for entry in block.entries:
            entry_md(entry, "###")
    if view.unscheduled:
        out += ["## " + (_("Other sessions") if view.published else _("Sessions")), ""]
        for entry in view.unscheduled:
            entry_md(entry, "###")
    if view.smackdown:
        out += ["## " + _("Smackdown"), ""]
        for share in view.smackdown:
            by = f" ({md_escape(share.name)})" if share.name else ""
            link = f" <{_md_url(share.url)}>" if share.url else ""
            why = f" — {md_escape(share.why)}" if share.why else ""
            out.append(f"- **{md_escape(share.title)}**{by}{link}{why}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
