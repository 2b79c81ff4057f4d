"""A plenary's talks in the event file: ``slots[].talks``, an extra the format's readers ignore.

Each talk is ``{"speaker", "title", "minutes", "bio"}``, in running order, under its plenary's slot:
the outline as planned, never when a talk was started or ended on the day. Export writes them;
import (the whole file, or its set-up only) checks them by the console's rules
(``talks.clean_talk``) before anything is written, and adds them once the slots exist.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from app.domain import talks
from app.domain.errors import InvalidInput, about
from app.i18n import _
from app.models import Event, SlotKind, Talk, TimeSlot, saved_id

#: The most talks one plenary may carry in a file (a day of EdTalks has three to ten).
TALKS_MAX = 50


def export_talks(session: Session, *, event: Event, document: dict[str, Any]) -> None:
    """Put each plenary's talks under its slot in ``document`` (whose slot ids are ``s<id>``)."""
    slots = {slot["id"]: slot for slot in document.get("slots", [])}
    for slot_id, running in talks.talks_by_slot(session, event=event).items():
        if f"s{slot_id}" in slots:
            slots[f"s{slot_id}"]["talks"] = [
                {"speaker": t.speaker, "title": t.title, "minutes": t.minutes, "bio": t.bio} for t in running
            ]


def parse_talks(document: dict[str, Any]) -> dict[int, list[talks.TalkText]]:
    """Each slot's talks, by the slot's place in ``slots``, checked; a refusal names the key
    (``slots[0].talks[1].minutes``) and the slot's id. Absent keys mean none."""
    listed = document.get("slots")
    planned: dict[int, list[talks.TalkText]] = {}
    for index, slot in enumerate(listed if isinstance(listed, list) else []):
        if not isinstance(slot, dict) or "talks" not in slot:
            continue
        key, ident = f"slots[{index}].talks", str(slot.get("id"))[:20]
        running = slot["talks"]
        if not isinstance(running, list) or len(running) > TALKS_MAX:
            message = _("slot '{id}' needs a list of at most {limit} talks.").format(id=ident, limit=TALKS_MAX)
            raise InvalidInput(about(key, message), field=key)
        if running and slot.get("kind") != SlotKind.plenary.value:
            message = _("slot '{id}' is not a plenary; only a plenary has talks.").format(id=ident)
            raise InvalidInput(about(key, message), field=key)
        planned[index] = [_talk(item, key=f"{key}[{number}]", ident=ident) for number, item in enumerate(running)]
    return planned


def _talk(item: object, *, key: str, ident: str) -> talks.TalkText:
    """One talk of a file, checked as the console checks it, or InvalidInput naming its first problem."""
    if not isinstance(item, dict):
        message = _("a talk of slot '{id}' must be an object with a speaker.").format(id=ident)
        raise InvalidInput(about(key, message), field=key)

    def text(name: str) -> str:
        value = item.get(name, "")
        return value if isinstance(value, str) else ""

    minutes = item.get("minutes", 15)
    try:
        return talks.clean_talk(
            speaker=text("speaker"),
            title=text("title"),
            minutes=minutes if isinstance(minutes, int) and not isinstance(minutes, bool) else "",
            bio=text("bio"),
        )
    except InvalidInput as error:
        problem = error.field_errors[0]
        field = f"{key}.{problem.field}"
        message = _("a talk of slot '{id}': {problem}").format(id=ident, problem=problem.message)
        raise InvalidInput(about(field, message), field=field) from None


def add_talks(session: Session, *, event: Event, planned: dict[int, list[talks.TalkText]]) -> int:
    """The checked talks under the new event's slots (the file's order is the slots' positions);
    returns how many."""
    if not planned:
        return 0
    slots = list(
        session.scalars(select(TimeSlot).where(TimeSlot.event_id == event.id).order_by(col(TimeSlot.position)))
    )
    count = 0
    for index, running in planned.items():
        for position, talk in enumerate(running):
            session.add(
                Talk(
                    event_id=saved_id(event),
                    slot_id=saved_id(slots[index]),
                    position=position,
                    speaker=talk.speaker,
                    title=talk.title,
                    minutes=talk.minutes,
                    bio=talk.bio,
                )
            )
            count += 1
    return count
