"""The smackdown: at the day's close each teacher gets two minutes at the front to share one tool.

Attendees join the queue from their phone with one resource (a title, an optional web link, a
line on why, the name to show); while it waits they can change or withdraw it. The organizer
opens and closes the queue for phones (``Event.smackdown_open``), reorders it, removes shares and
presses "Next": the share up is done and the first queued one comes up (``started_at`` is its
two minutes' start). "Back to the queue" puts the share up back at the front (nobody is up);
"Skip" puts it at the end and brings up the next. A share is *shared* once it has been up: those
go into the resource guide, so no volunteer types the list up afterwards.

Every change records ``Change.smackdown_changed`` (the board redraws its main area) and every
organizer action is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.domain import audit, phases, rows
from app.domain.changelog import record_change
from app.domain.changes import Change
from app.domain.errors import Conflict, FieldError, InvalidInput, NotAllowed, NotFound
from app.domain.notes import clean_url
from app.domain.talks import DIRECTIONS, as_utc
from app.domain.text import clean_text
from app.i18n import _, pgettext
from app.models import Attendee, Event, Organizer, SmackdownShare, saved_id
from app.models.closing import SHARE_TITLE_MAX, SHARE_URL_MAX, SHARE_WHY_MAX
from app.models.util import utcnow

# Each share's time at the front.
SHARE_SECONDS = 120
NAME_MAX = 60
WAITING = ("queued", "up")  # one of these per attendee at a time


@dataclass(frozen=True)
class ShareText:
    name: str
    title: str
    url: str
    why: str


def _one_line(raw: str | None, *, field: str) -> str:
    return " ".join(clean_text(raw or "", field=field).split())


def clean_share(*, name: str | None, title: str | None, url: str | None, why: str | None) -> ShareText:
    """A share's fields, or InvalidInput naming every refused field at once. The link is optional
    but, when given, a web link like a session's resources (``padlet.com/x`` gains its https://)."""
    errors: list[FieldError] = []
    texts = {}
    for key, raw, most in (("name", name, NAME_MAX), ("title", title, SHARE_TITLE_MAX), ("why", why, SHARE_WHY_MAX)):
        try:
            texts[key] = _one_line(raw, field=key)
        except InvalidInput as error:
            errors.extend(error.field_errors)
            texts[key] = ""
            continue
        if len(texts[key]) > most:
            message = _("at most {n} characters; this has {has}.").format(n=most, has=len(texts[key]))
            errors.append(FieldError(key, message))
    if not texts["title"] and not any(e.field == "title" for e in errors):
        errors.append(FieldError("title", _("name the tool or resource you will share.")))
    link = ""
    if (url or "").strip():
        try:
            link = clean_url(url)
        except InvalidInput as error:
            errors.extend(error.field_errors)
        if len(link) > SHARE_URL_MAX:
            errors.append(
                FieldError("url", _("at most {n} characters; this has {has}.").format(n=SHARE_URL_MAX, has=len(link)))
            )
    if errors:
        raise InvalidInput(errors=errors)
    return ShareText(texts["name"], texts["title"], link, texts["why"])


# -- reading ----------------------------------------------------------------------------------------


@dataclass
class SmackdownView:
    """The queue as it stands: who is up, who waits (in order), who has shared."""

    event: Event
    up: SmackdownShare | None
    queue: list[SmackdownShare]
    done: list[SmackdownShare] = field(default_factory=list)

    @property
    def next(self) -> SmackdownShare | None:
        return self.queue[0] if self.queue else None

    @property
    def expected(self) -> int:
        """The share up as this view saw it (0: none), for ``next_share``'s ``expected``."""
        return saved_id(self.up) if self.up else 0

    @property
    def ends_at(self) -> datetime | None:
        if self.up is None or self.up.started_at is None:
            return None
        return as_utc(self.up.started_at) + timedelta(seconds=SHARE_SECONDS)

    def seconds_left(self, now: datetime | None = None) -> int | None:
        """Seconds until the share up has had its two minutes (negative: over time)."""
        ends = self.ends_at
        return None if ends is None else round((ends - (now or utcnow())).total_seconds())

    def place(self, share: SmackdownShare) -> int:
        """``share``'s place in the queue, from 1 (0: not waiting)."""
        return next((n for n, each in enumerate(self.queue, start=1) if each.id == share.id), 0)


def _shares(session: Session, event: Event, *states: str) -> list[SmackdownShare]:
    query = select(SmackdownShare).where(SmackdownShare.event_id == event.id, col(SmackdownShare.state).in_(states))
    return list(session.scalars(query.order_by(col(SmackdownShare.position), col(SmackdownShare.id))))


def smackdown_view(session: Session, *, event: Event) -> SmackdownView:
    """Who is up, the queue in order and who has shared (in the order they shared)."""
    up = _shares(session, event, "up")
    done = sorted(_shares(session, event, "done"), key=lambda s: (s.started_at or s.created_at, saved_id(s)))
    return SmackdownView(event=event, up=up[0] if up else None, queue=_shares(session, event, "queued"), done=done)


def shared(session: Session, *, event: Event) -> list[SmackdownShare]:
    """Every share that has been up (done, or up now), in the order they came up: the guide's list."""
    view = smackdown_view(session, event=event)
    return view.done + ([view.up] if view.up else [])


def my_share(session: Session, *, event: Event, attendee: Attendee | None) -> SmackdownShare | None:
    """The attendee's share that is queued or up, if any."""
    if attendee is None:
        return None
    query = select(SmackdownShare).where(
        SmackdownShare.event_id == event.id,
        SmackdownShare.attendee_id == attendee.id,
        col(SmackdownShare.state).in_(WAITING),
    )
    return session.scalars(query.order_by(col(SmackdownShare.id))).first()


def require_share(session: Session, *, event: Event, share_id: int) -> SmackdownShare:
    share = rows.find(session, SmackdownShare, share_id, event=event)
    if share is None or share.state == "removed":
        raise NotFound(_("share_id: that share is no longer in the smackdown. Reload the page."), field="share_id")
    return share


def _changed(session: Session, event: Event, share: SmackdownShare | None) -> None:
    payload = {"share_id": share.id if share else None}
    record_change(session, event_id=saved_id(event), kind=Change.smackdown_changed, payload=payload)


def _last_position(session: Session, event: Event) -> int:
    query = select(func.max(SmackdownShare.position)).where(SmackdownShare.event_id == event.id)
    return session.scalar(query) or 0


# -- attendees ------------------------------------------------------------------------------------


def join_smackdown(
    session: Session, *, event: Event, attendee: Attendee, title: str, url: str = "", why: str = "", name: str = ""
) -> SmackdownShare:
    """Join the queue with one resource (one waiting share per attendee), at its end."""
    phases.require_phase(event, "join_smackdown")
    if not event.smackdown_open:
        raise NotAllowed(_("The smackdown queue is not open yet: the organizers open it at the day's close."))
    if my_share(session, event=event, attendee=attendee) is not None:
        raise Conflict(
            _("title: you are already in the queue. Change your share or withdraw it instead."), field="title"
        )
    text = clean_share(name=name, title=title, url=url, why=why)
    share = SmackdownShare(
        event_id=saved_id(event),
        attendee_id=attendee.id,
        name=text.name,
        title=text.title,
        url=text.url,
        why=text.why,
        position=_last_position(session, event) + 1,
    )
    session.add(share)
    session.flush()
    _changed(session, event, share)
    session.commit()
    return share


def _own_queued(session: Session, event: Event, attendee: Attendee) -> SmackdownShare:
    share = my_share(session, event=event, attendee=attendee)
    if share is None:
        raise NotFound(_("You are not in the smackdown queue."))
    if share.state != "queued":
        raise Conflict(_("You are up now: your share can no longer be changed."))
    return share


def edit_my_share(
    session: Session, *, event: Event, attendee: Attendee, title: str, url: str = "", why: str = "", name: str = ""
) -> SmackdownShare:
    """Change one's own share while it waits in the queue (its place stays)."""
    phases.require_phase(event, "join_smackdown")
    share = _own_queued(session, event, attendee)
    text = clean_share(name=name, title=title, url=url, why=why)
    share.name, share.title, share.url, share.why = text.name, text.title, text.url, text.why
    session.add(share)
    _changed(session, event, share)
    session.commit()
    return share


def withdraw_my_share(session: Session, *, event: Event, attendee: Attendee) -> SmackdownShare:
    """Leave the queue (while waiting)."""
    phases.require_phase(event, "join_smackdown")
    share = _own_queued(session, event, attendee)
    share.state = "removed"
    session.add(share)
    _changed(session, event, share)
    session.commit()
    return share


# -- the organizer ----------------------------------------------------------------------------------


def _who(share: SmackdownShare) -> str:
    return f"{share.name or '—'}: “{share.title}”"


def set_open(session: Session, *, event: Event, is_open: bool, actor: Organizer) -> Event:
    """Open (or close) the queue to phones; shares already in it stay."""
    phases.require_phase(event, "run_smackdown")
    if event.smackdown_open == is_open:
        return event
    event.smackdown_open = is_open
    session.add(event)
    audit.record(session, event=event, actor=actor, action="smackdown_open", detail="open" if is_open else "closed")
    _changed(session, event, None)
    session.commit()
    return event


def move_share(session: Session, *, event: Event, share_id: int, direction: str, actor: Organizer) -> SmackdownShare:
    """Swap a queued share with the one before it (``up``) or after it (``down``)."""
    phases.require_phase(event, "run_smackdown")
    if direction not in DIRECTIONS:
        raise InvalidInput(_("direction: up or down."), field="direction")
    share = require_share(session, event=event, share_id=share_id)
    order = _shares(session, event, "queued")
    at = next((i for i, s in enumerate(order) if s.id == share.id), None)
    if at is None:
        raise Conflict(_("share_id: only a share waiting in the queue can move."), field="share_id")
    other = at - 1 if direction == "up" else at + 1
    if not 0 <= other < len(order):
        already = _("direction: it is already first.") if direction == "up" else _("direction: it is already last.")
        raise Conflict(already, field="direction")
    order[at], order[other] = order[other], order[at]
    _renumber(session, order)
    audit.record(session, event=event, actor=actor, action="move_share", detail=f"{_who(share)} {direction}")
    _changed(session, event, share)
    session.commit()
    return share


def _renumber(session: Session, order: list[SmackdownShare], start: int = 1) -> None:
    for position, each in enumerate(order, start=start):  # renumbered, so equal positions never tie
        each.position = position
        session.add(each)


def remove_share(session: Session, *, event: Event, share_id: int, actor: Organizer) -> SmackdownShare:
    """Take a share out (waiting or up: the board then shows nobody up); it stays out of the guide."""
    phases.require_phase(event, "run_smackdown")
    share = require_share(session, event=event, share_id=share_id)
    if share.state == "done":
        raise Conflict(_("share_id: this share has been given already."), field="share_id")
    if share.state == "up":
        share.ended_at = utcnow()
    share.state = "removed"
    session.add(share)
    audit.record(session, event=event, actor=actor, action="remove_share", detail=_who(share))
    _changed(session, event, share)
    session.commit()
    return share


def _require_expected(view: SmackdownView, expected: int | None) -> None:
    if expected is not None and expected != view.expected:
        if view.up is None:
            message = _("expected: someone else moved the smackdown on already; nobody is up now. Look again.")
        else:
            message = _("expected: someone else moved the smackdown on already; {name} is up now. Look again.").format(
                name=view.up.name or pgettext("someone unnamed", "a teacher")
            )
        raise Conflict(message, field="expected")


def next_share(
    session: Session, *, event: Event, actor: Organizer, expected: int | None = None
) -> SmackdownShare | None:
    """ "Next": the share up is done and the first in the queue comes up (None when nobody waits).

    ``expected`` is the share the organizer's page showed up (0: none), so a second organizer's
    press is refused instead of skipping a teacher."""
    phases.require_phase(event, "run_smackdown")
    view = smackdown_view(session, event=event)
    _require_expected(view, expected)
    now = utcnow()
    if view.up is not None:
        view.up.state, view.up.ended_at = "done", now
        session.add(view.up)
    coming = view.next
    if coming is None and view.up is None:
        raise Conflict(_("Nobody is waiting in the queue yet."))
    if coming is not None:
        coming.state, coming.started_at, coming.ended_at = "up", now, None
        session.add(coming)
    shown = coming or view.up
    audit.record(session, event=event, actor=actor, action="next_share", detail=_who(coming) if coming else "end")
    _changed(session, event, shown)
    session.commit()
    return coming


def requeue_share(
    session: Session, *, event: Event, actor: Organizer, to_end: bool = False, expected: int | None = None
) -> SmackdownShare:
    """The share up goes back to the queue: at its front ("Back to the queue": nobody is up) or at
    its end ("Skip": the next one comes up)."""
    phases.require_phase(event, "run_smackdown")
    view = smackdown_view(session, event=event)
    _require_expected(view, expected)
    share = view.up
    if share is None:
        raise Conflict(_("Nobody is up now."))
    share.state, share.started_at, share.ended_at = "queued", None, None
    order = [*view.queue, share] if to_end else [share, *view.queue]
    _renumber(session, order, start=_last_position(session, event) + 1)
    if to_end and view.next is not None:
        view.next.state, view.next.started_at = "up", utcnow()
        session.add(view.next)
    action = "skip_share" if to_end else "requeue_share"
    audit.record(session, event=event, actor=actor, action=action, detail=_who(share))
    _changed(session, event, share)
    session.commit()
    return share
