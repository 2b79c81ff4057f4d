"""Professional-development hours from check-ins: a pure count, no database.

The rule (issue 20): each session slot and plenary an attendee attended counts its whole length.
A slot is attended when the attendee was present for at least the event's minimum minutes of it
(the union of their check-ins in that slot, each clipped to the slot, so a move between rooms
within a slot counts once), or for all of it when the slot is shorter than that minimum. Breaks
never count. Slots that overlap in time count their overlap once: the total is the union of the
counted slots' times, so two check-ins at once never earn double.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.models import SlotKind


@dataclass(frozen=True)
class SlotSpan:
    """A slot of the day as times: what a check-in in it can count towards."""

    slot_id: int
    start: datetime  # aware
    end: datetime  # aware
    kind: SlotKind
    title: str = ""  # a plenary's title ("Opening keynote")
    talks: tuple[str, ...] = ()  # a plenary's talks, "Title (Speaker)", in running order
    hhmm: tuple[str, str] = ("", "")  # as the programme prints it

    @property
    def minutes(self) -> int:
        return max(0, int((self.end - self.start).total_seconds() // 60))


@dataclass(frozen=True)
class Presence:
    """One check-in: in ``slot_id``, at a session (``topic``, its title) or the plenary (None), from
    ``at`` to ``left_at`` (None: to the slot's end)."""

    slot_id: int
    at: datetime
    left_at: datetime | None = None
    topic: str | None = None


@dataclass
class Counted:
    """A slot that counts: its times, what was attended in it and its length in minutes."""

    span: SlotSpan
    present_minutes: float
    sessions: list[str] = field(default_factory=list)

    def item(self) -> dict[str, object]:
        """As a certificate stores it (``Certificate.items``)."""
        return {
            "start": self.span.hhmm[0],
            "end": self.span.hhmm[1],
            "kind": self.span.kind.value,
            "title": self.span.title if self.span.kind == SlotKind.plenary else " · ".join(self.sessions),
            "sessions": list(self.sessions),
            "talks": list(self.span.talks),
            "minutes": self.span.minutes,
        }


@dataclass
class Tally:
    """What an attendee's check-ins count for: the slots in time order and the total minutes."""

    counted: list[Counted]
    minutes: int

    @property
    def items(self) -> list[dict[str, object]]:
        return [c.item() for c in self.counted]


def aware(moment: datetime) -> datetime:
    """A stored time as UTC (SQLite gives stored datetimes back without their zone)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _union_seconds(intervals: Iterable[tuple[datetime, datetime]]) -> float:
    """The length of the union of ``intervals`` (each start, end), in seconds."""
    total, reach = 0.0, None
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if reach is None or start >= reach:
            total += (end - start).total_seconds()
            reach = end
        elif end > reach:
            total += (end - reach).total_seconds()
            reach = end
    return total


def count_minutes(spans: Sequence[SlotSpan], presences: Sequence[Presence], *, min_minutes: int) -> Tally:
    """Which slots count for an attendee, and the union of their times in minutes (see the module)."""
    by_slot: dict[int, list[Presence]] = {}
    for presence in presences:
        by_slot.setdefault(presence.slot_id, []).append(presence)
    counted: list[Counted] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end, s.slot_id)):
        mine = by_slot.get(span.slot_id, [])
        if span.kind == SlotKind.break_ or not mine or span.minutes == 0:
            continue
        clipped = [
            (max(aware(p.at), span.start), min(aware(p.left_at) if p.left_at else span.end, span.end)) for p in mine
        ]
        present = _union_seconds(clipped)
        if present < min(max(min_minutes, 0), span.minutes) * 60 or present <= 0:
            continue
        sessions: list[str] = []
        for p in sorted(mine, key=lambda p: aware(p.at)):
            if p.topic and p.topic not in sessions:
                sessions.append(p.topic)
        counted.append(Counted(span=span, present_minutes=present / 60, sessions=sessions))
    minutes = int(_union_seconds((c.span.start, c.span.end) for c in counted) // 60)
    return Tally(counted=counted, minutes=minutes)


def zone_of(name: str) -> ZoneInfo:
    """The event's time zone (UTC when the name is unknown, as the clock does)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def at_local(day: date, hhmm: str, zone: ZoneInfo) -> datetime | None:
    """``HH:MM`` on ``day`` in ``zone``, as an aware time; None when it cannot be read."""
    try:
        hours, minutes = (int(part) for part in hhmm.split(":"))
        return datetime(day.year, day.month, day.day, tzinfo=zone) + timedelta(hours=hours, minutes=minutes)
    except ValueError:
        return None
