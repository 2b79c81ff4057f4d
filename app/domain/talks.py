"""EdTalks and keynotes: the running order of a plenary slot, and running it on the day.

A plenary slot holds talks in ``position`` order (speaker, title, minutes, an optional short bio).
Organizers add, edit, remove and reorder them in any phase. On the day an organizer presses
"Next talk" (``next_talk``): the talk on stage ends and the next one starts; after the last, the
board goes back to the grid. The talk on the board is the event's one started and not ended, so
at most one is on stage at a time, whichever plenary it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from app.domain import audit, phases, rows
from app.domain.changelog import record_change
from app.domain.changes import Change
from app.domain.errors import Conflict, FieldError, InvalidInput, NotFound
from app.domain.text import clean_text
from app.i18n import _
from app.models import Event, Organizer, SlotKind, Talk, TimeSlot, saved_id
from app.models.event import TALK_BIO_MAX, TALK_MINUTES_MAX, TALK_SPEAKER_MAX, TALK_TITLE_MAX
from app.models.util import utcnow

DIRECTIONS = ("up", "down")


@dataclass(frozen=True)
class TalkText:
    """A talk's fields as checked: trimmed, within their bounds."""

    speaker: str
    title: str
    minutes: int
    bio: str


def _one_line(raw: str | None, *, field: str) -> str:
    return " ".join(clean_text(raw or "", field=field).split())


def _TOO_LONG() -> str:  # noqa: N802 (a message, read in the request's language)
    return _("at most {n} characters; this has {has}.")


def clean_talk(*, speaker: str | None, title: str | None, minutes: int | str | None, bio: str | None) -> TalkText:
    """The talk's fields, or InvalidInput naming every field that is refused (all at once)."""
    errors: list[FieldError] = []
    who, what = _one_line(speaker, field="speaker"), _one_line(title, field="title")
    about = clean_text(bio or "", field="bio").replace("\r\n", "\n").strip()
    if not who:
        errors.append(FieldError("speaker", _("give the speaker's name.")))
    elif len(who) > TALK_SPEAKER_MAX:
        errors.append(FieldError("speaker", _TOO_LONG().format(n=TALK_SPEAKER_MAX, has=len(who))))
    if not what:
        errors.append(FieldError("title", _("give the talk a title.")))
    elif len(what) > TALK_TITLE_MAX:
        errors.append(FieldError("title", _TOO_LONG().format(n=TALK_TITLE_MAX, has=len(what))))
    try:
        length = int(str(minutes).strip())
    except ValueError:
        length = 0
    if not 1 <= length <= TALK_MINUTES_MAX:
        errors.append(FieldError("minutes", _("a whole number of minutes from 1 to {n}.").format(n=TALK_MINUTES_MAX)))
    if len(about) > TALK_BIO_MAX:
        errors.append(FieldError("bio", _TOO_LONG().format(n=TALK_BIO_MAX, has=len(about))))
    if errors:
        raise InvalidInput(errors=errors)
    return TalkText(who, what, length, about)


def talks_of(session: Session, *, slot: TimeSlot) -> list[Talk]:
    """A plenary's talks in their running order."""
    return list(session.scalars(select(Talk).where(Talk.slot_id == slot.id).order_by(col(Talk.position), col(Talk.id))))


def talks_by_slot(session: Session, *, event: Event) -> dict[int, list[Talk]]:
    """Every plenary's talks, by slot id, in their running order."""
    found: dict[int, list[Talk]] = {}
    for talk in session.scalars(
        select(Talk).where(Talk.event_id == event.id).order_by(col(Talk.position), col(Talk.id))
    ):
        found.setdefault(talk.slot_id, []).append(talk)
    return found


def plenaries(session: Session, *, event: Event) -> list[tuple[TimeSlot, list[Talk]]]:
    """The event's plenary slots in the order of the day, each with its talks."""
    talks = talks_by_slot(session, event=event)
    return [
        (slot, talks.get(saved_id(slot), [])) for slot in rows.slots(session, event) if slot.kind == SlotKind.plenary
    ]


def require_plenary(session: Session, *, event: Event, slot_id: int) -> TimeSlot:
    """One of the event's plenary slots; a sessions slot or a break is refused naming ``slot_id``."""
    slot = rows.require(session, TimeSlot, slot_id, event=event, field="slot_id")
    if slot.kind != SlotKind.plenary:
        raise InvalidInput(
            _("slot_id: {start}–{end} is a {kind} slot; only plenary slots hold talks.").format(
                start=slot.start, end=slot.end, kind=slot.kind.label.lower()
            ),
            field="slot_id",
        )
    return slot


def require_talk(session: Session, *, event: Event, talk_id: int) -> Talk:
    """One of the event's talks, or NotFound naming ``talk_id``."""
    return rows.require(
        session, Talk, talk_id, event=event, field="talk_id", message=_("Talk {id} is not one of this event's talks.")
    )


def _order_changed(session: Session, event: Event, talk: Talk) -> None:
    payload = {"slot_id": talk.slot_id, "talk_id": talk.id}
    record_change(session, event_id=saved_id(event), kind=Change.talks_changed, payload=payload)


def _stage_changed(session: Session, event: Event, talk: Talk) -> None:
    payload = {"slot_id": talk.slot_id, "talk_id": talk.id}
    record_change(session, event_id=saved_id(event), kind=Change.stage_changed, payload=payload)


def add_talk(
    session: Session,
    *,
    event: Event,
    slot_id: int,
    speaker: str,
    title: str,
    minutes: int | str,
    bio: str = "",
    actor: Organizer,
) -> Talk:
    """Add a talk at the end of a plenary's running order."""
    phases.require_phase(event, "edit_talks")
    slot = require_plenary(session, event=event, slot_id=slot_id)
    text = clean_talk(speaker=speaker, title=title, minutes=minutes, bio=bio)
    last = max((t.position for t in talks_of(session, slot=slot)), default=-1)
    talk = Talk(
        event_id=saved_id(event),
        slot_id=saved_id(slot),
        position=last + 1,
        speaker=text.speaker,
        title=text.title,
        minutes=text.minutes,
        bio=text.bio,
    )
    session.add(talk)
    session.flush()
    audit.record(session, event=event, actor=actor, action="add_talk", detail=f"{text.speaker}: “{text.title}”")
    _order_changed(session, event, talk)
    session.commit()
    return talk


def edit_talk(
    session: Session,
    *,
    event: Event,
    talk_id: int,
    speaker: str,
    title: str,
    minutes: int | str,
    bio: str = "",
    actor: Organizer,
) -> Talk:
    """Change a talk's speaker, title, minutes or bio (a talk on stage too: its time left follows)."""
    phases.require_phase(event, "edit_talks")
    talk = require_talk(session, event=event, talk_id=talk_id)
    text = clean_talk(speaker=speaker, title=title, minutes=minutes, bio=bio)
    talk.speaker, talk.title, talk.minutes, talk.bio = text.speaker, text.title, text.minutes, text.bio
    session.add(talk)
    audit.record(session, event=event, actor=actor, action="edit_talk", detail=f"{text.speaker}: “{text.title}”")
    (_stage_changed if is_on_stage(talk) else _order_changed)(session, event, talk)
    session.commit()
    return talk


def remove_talk(session: Session, *, event: Event, talk_id: int, actor: Organizer) -> Talk:
    """Take a talk out of the running order; the talk on stage is refused (move on from it first)."""
    phases.require_phase(event, "edit_talks")
    talk = require_talk(session, event=event, talk_id=talk_id)
    if is_on_stage(talk):
        raise Conflict(
            _("talk_id: {speaker} is on stage now. Press “Next talk” (or “Back to the grid”) first.").format(
                speaker=talk.speaker
            ),
            field="talk_id",
        )
    _order_changed(session, event, talk)
    audit.record(session, event=event, actor=actor, action="remove_talk", detail=f"{talk.speaker}: “{talk.title}”")
    session.delete(talk)
    session.commit()
    return talk


def move_talk(session: Session, *, event: Event, talk_id: int, direction: str, actor: Organizer) -> Talk:
    """Swap a talk with the one before it (``up``) or after it (``down``) in its running order."""
    phases.require_phase(event, "edit_talks")
    if direction not in DIRECTIONS:
        raise InvalidInput(_("direction: up or down."), field="direction")
    talk = require_talk(session, event=event, talk_id=talk_id)
    slot = require_plenary(session, event=event, slot_id=talk.slot_id)
    order = talks_of(session, slot=slot)
    at = next(i for i, t in enumerate(order) if t.id == talk.id)
    other = at - 1 if direction == "up" else at + 1
    if not 0 <= other < len(order):
        already = (
            _("direction: “{title}” is already first in the running order.")
            if direction == "up"
            else _("direction: “{title}” is already last in the running order.")
        )
        raise Conflict(already.format(title=talk.title), field="direction")
    order[at], order[other] = order[other], order[at]
    for position, each in enumerate(order):  # renumbered, so equal positions never tie again
        each.position = position
        session.add(each)
    audit.record(session, event=event, actor=actor, action="move_talk", detail=f"{talk.speaker} {direction}")
    _order_changed(session, event, talk)
    session.commit()
    return talk


# -- on the day ---------------------------------------------------------------------------------


def as_utc(moment: datetime) -> datetime:
    """A stored time in UTC (SQLite gives it back without its zone)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def is_on_stage(talk: Talk) -> bool:
    return talk.started_at is not None and talk.ended_at is None


@dataclass
class Stage:
    """A plenary as it runs: the talk on stage (None before the first and after the last), the next."""

    slot: TimeSlot
    talks: list[Talk]
    now: Talk | None
    next: Talk | None
    # A talk of another plenary on the board now (starting this one ends it), or None.
    elsewhere: Talk | None = None

    @property
    def expected(self) -> int:
        """The talk on the board as this view saw it (0: none), for ``next_talk``'s ``expected``."""
        shown = self.now or self.elsewhere
        return saved_id(shown) if shown else 0

    @property
    def ends_at(self) -> datetime | None:
        """When the talk on stage should end: its minutes from when it started."""
        if self.now is None or self.now.started_at is None:
            return None
        return as_utc(self.now.started_at) + timedelta(minutes=self.now.minutes)

    @property
    def started(self) -> bool:
        return any(t.started_at is not None for t in self.talks)

    @property
    def over(self) -> bool:
        return bool(self.talks) and all(t.ended_at is not None for t in self.talks)

    def seconds_left(self, now: datetime | None = None) -> int | None:
        """Seconds until the talk on stage should end (negative: over time)."""
        ends = self.ends_at
        return None if ends is None else round((ends - (now or utcnow())).total_seconds())


def _on_stage(session: Session, event: Event) -> Talk | None:
    return session.scalars(
        select(Talk).where(Talk.event_id == event.id, col(Talk.started_at).is_not(None), col(Talk.ended_at).is_(None))
    ).first()


def _stage(session: Session, slot: TimeSlot, on: Talk | None) -> Stage:
    talks = talks_of(session, slot=slot)
    now = on if on is not None and on.slot_id == slot.id else None
    if now is not None:
        at = next(i for i, t in enumerate(talks) if t.id == now.id)
        upcoming = talks[at + 1] if at + 1 < len(talks) else None
    else:
        upcoming = next((t for t in talks if t.started_at is None), None)
    elsewhere = on if on is not None and now is None else None
    return Stage(slot=slot, talks=talks, now=now, next=upcoming, elsewhere=elsewhere)


def stage(session: Session, *, event: Event, slot_id: int) -> Stage:
    """A plenary as its organizer runs it: who is on now, who is next."""
    slot = require_plenary(session, event=event, slot_id=slot_id)
    return _stage(session, slot, _on_stage(session, event))


def on_stage(session: Session, *, event: Event) -> Stage | None:
    """The plenary whose talk is on the board now, or None (the board shows the grid)."""
    talk = _on_stage(session, event)
    if talk is None:
        return None
    slot = session.get(TimeSlot, talk.slot_id)
    return _stage(session, slot, talk) if slot is not None else None


def next_talk(
    session: Session, *, event: Event, slot_id: int, expected: int | None, actor: Organizer, now: datetime | None = None
) -> Stage:
    """ "Next talk": the talk on stage ends and the next of this plenary starts; after the last, the
    board goes back to the grid.

    ``expected`` is the talk the organizer saw on stage (0: none): when another organizer pressed
    first, the press is refused with who is on now, so two presses never skip a speaker. None
    skips that check (an API client that does not care)."""
    phases.require_phase(event, "run_plenary")
    slot = require_plenary(session, event=event, slot_id=slot_id)
    current = _on_stage(session, event)
    if expected is not None and (current.id if current else 0) != expected:
        raise Conflict(
            (
                _(
                    "expected: someone pressed first; {speaker} is on stage now. Look again, then press if you still mean to."
                )
                if current
                else _(
                    "expected: someone pressed first; no talk is on stage now. Look again, then press if you still mean to."
                )
            ).format(speaker=current.speaker if current else ""),
            field="expected",
        )
    running = _stage(session, slot, current)
    if running.next is None and running.now is None:
        if not running.talks:
            raise Conflict(
                _("slot_id: this plenary has no talks yet; add them to its running order first."), field="slot_id"
            )
        raise Conflict(_("slot_id: every talk of this plenary has been given."), field="slot_id")
    moment = now or utcnow()
    if current is not None:
        current.ended_at = moment
        session.add(current)
    started = running.next
    if started is not None:
        started.started_at, started.ended_at = moment, None
        session.add(started)
    shown = started or current
    assert shown is not None  # one of the two exists: checked above
    detail = f"{started.speaker} on stage" if started else "back to the grid"
    audit.record(session, event=event, actor=actor, action="next_talk", detail=detail)
    _stage_changed(session, event, shown)
    session.commit()
    return _stage(session, slot, started)


def back_to_grid(
    session: Session, *, event: Event, slot_id: int, actor: Organizer, now: datetime | None = None
) -> Stage:
    """End the talk on stage now (the plenary ran short): the board shows the grid again."""
    phases.require_phase(event, "run_plenary")
    slot = require_plenary(session, event=event, slot_id=slot_id)
    current = _on_stage(session, event)
    if current is None or current.slot_id != slot.id:
        raise NotFound(_("slot_id: no talk of this plenary is on stage."), field="slot_id")
    current.ended_at = now or utcnow()
    session.add(current)
    audit.record(session, event=event, actor=actor, action="next_talk", detail="back to the grid")
    _stage_changed(session, event, current)
    session.commit()
    return _stage(session, slot, None)
