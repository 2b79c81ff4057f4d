"""Who is in each session now, as the board shows it: "12 / 30" and "room for more" by itself.

The read side of check-ins (``app.domain.checkins`` writes them). For the slot running now, two
grouped queries per render whatever the number of rooms: the open check-ins per session, and the
paper counts organizers typed for that slot.

How the two combine: the board shows the **larger**. A paper count is a head count taken at one
moment by someone at the door, people without a phone included; check-ins are live but only count
phones. Neither undercounts on purpose, so the larger one is the better floor: a room counted 25 on
paper with 8 phones checked in reads 25, and when 30 phones have checked in since, 30.

"Room for more" by itself: once the slot has run ``SETTLE_MINUTES`` (people have found their rooms)
and a session's count is under ``ROOM_FOR_MORE_SHARE`` of its room's seats, the board says so,
unless the facilitator or an organizer has said how the room is (``Placement.status`` other than
``scheduled``): their word wins. Nothing is derived while nobody counts in this slot (no check-in
and no paper count), so an event that does not use check-ins never shows empty rooms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from app.domain import checkins, timetable
from app.domain.timetable import CellView, GridView
from app.models import Event, PaperCount, SessionStatus, saved_id

#: Minutes into a slot before the board offers "room for more" by itself: people are still walking in.
SETTLE_MINUTES = 10
#: Under this share of the seats, a session has room for more.
ROOM_FOR_MORE_SHARE = 0.5


@dataclass(frozen=True)
class Headcount:
    """One session's count now: ``here`` (what the board shows) against its room's ``seats``."""

    checked_in: int
    paper: int | None
    seats: int
    room_for_more: bool = False  # derived; the facilitator's own status is on the placement

    @property
    def here(self) -> int:
        """The larger of the live check-ins and the organizer's paper count (see the module)."""
        return max(self.checked_in, self.paper or 0)


@dataclass
class HeadcountsView:
    """The current slot's headcounts by topic id; empty when no sessions slot is running or nobody counts."""

    slot_id: int | None = None
    by_topic: dict[int, Headcount] = field(default_factory=dict)

    def of(self, cell: CellView | None) -> Headcount | None:
        """The count of a grid cell, if it is in the current slot and the slot is counted."""
        if cell is None or cell.placement.slot_id != self.slot_id:
            return None
        return self.by_topic.get(cell.topic.id or 0)


def minutes_into(event_now: datetime, start: str) -> int:
    """Minutes since ``start`` (``HH:MM``) at the event's local time ``event_now``."""
    hours, _, minutes = start.partition(":")
    return event_now.hour * 60 + event_now.minute - (int(hours) * 60 + int(minutes))


def paper_counts(session: Session, *, event_id: int, slot_id: int) -> dict[int, int]:
    """The paper counts of a slot per session (the latest, should one have been typed twice)."""
    rows = session.execute(
        select(PaperCount.topic_id, PaperCount.count)
        .where(PaperCount.event_id == event_id, PaperCount.slot_id == slot_id, col(PaperCount.topic_id).is_not(None))
        .order_by(col(PaperCount.updated_at), col(PaperCount.id))
    )
    return {topic_id: count for topic_id, count in rows if topic_id is not None}


def headcounts(session: Session, *, event: Event, grid: GridView, now: datetime | None = None) -> HeadcountsView:
    """The sessions of ``grid``'s current slot (``timetable.grid`` at the same ``now``) with their
    counts and the derived "room for more"."""
    slot = next((s for s in grid.slots if s.id == grid.current_slot_id), None)
    if grid.run is None or slot is None or grid.item(slot) is not None:
        return HeadcountsView()
    # Open check-ins per session (the check-in module's count; plenaries, with no topic, are left out here).
    live = {topic: n for topic, n in checkins.headcounts(session, event=event, slot_id=saved_id(slot)).items() if topic}
    paper = paper_counts(session, event_id=saved_id(event), slot_id=saved_id(slot))
    view = HeadcountsView(slot_id=slot.id)
    if not live and not paper:  # nobody counts in this slot: nothing to show or derive
        return view
    settled = minutes_into(timetable.event_now(event, now), slot.start) >= SETTLE_MINUTES
    seats = {room.id: room.capacity for room in grid.rooms}
    for (room_id, slot_id), cell in grid.cells.items():
        if slot_id != slot.id:
            continue
        topic_id = saved_id(cell.topic)
        count = Headcount(checked_in=live.get(topic_id, 0), paper=paper.get(topic_id), seats=seats.get(room_id, 0))
        derived = (
            settled
            and cell.status == SessionStatus.scheduled
            and count.seats > 0
            and count.here < count.seats * ROOM_FOR_MORE_SHARE
        )
        view.by_topic[topic_id] = Headcount(count.checked_in, count.paper, count.seats, room_for_more=derived)
    return view
