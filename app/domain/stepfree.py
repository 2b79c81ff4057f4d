"""A step-free room for the sessions that people who need one marked or lead.

When someone who said they need a step-free room (:mod:`app.domain.access`) marks or leads a topic,
a build gives that topic the room feature ``step_free`` as a *need*: the scheduler then places it only
in a step-free room. That is a hard constraint, so it is given only where it can hold: the topics are
matched to the day's step-free room-slots (a room with the feature, open in a sessions slot the topic
can use), most such people first, and a topic the matching cannot seat keeps its other needs only
(it must not fall off the schedule for want of a step-free room). What could not be kept is reported
on the schedule page with the session named (:func:`access_warnings`).

The event file carries none of this: its ``needs`` are the organizers' own, and who needs what is
private. The app adds ``step_free`` when it builds (:func:`with_step_free`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from sqlmodel import Session

from app.domain import access
from app.i18n import _, ngettext
from app.models import Event, Placement, Room, TimeSlot, Topic
from app.scheduler.instance import Instance
from app.scheduler.instance import Topic as TopicIn

STEP_FREE = access.STEP_FREE


def step_free_wanted(session: Session, *, event: Event) -> dict[int, int]:
    """Per topic id, how many people who need a step-free room marked or lead it (none: left out)."""
    return {t: n.step_free for t, n in access.needs_by_topic(session, event=event).items() if n.step_free}


def with_step_free(
    instance: Instance,
    wanted: Mapping[str, int],
    *,
    frozen_slots: Iterable[str] = (),
    frozen_topics: Iterable[str] = (),
) -> Instance:
    """``instance`` with ``step_free`` added to the needs of every topic of ``wanted`` (scheduler id ->
    people) that a step-free room-slot can be kept for.

    Slots in ``frozen_slots`` (a re-solve keeps them as they are) offer no room-slot, and topics in
    ``frozen_topics`` (placed in them) are left as they are. Topics are matched in order of the people
    who need it, then as the instance lists them; each one joins if an augmenting path seats it.
    """
    if not wanted or not any(STEP_FREE in r.features for r in instance.rooms):
        return instance
    frozen, kept = set(frozen_slots), set(frozen_topics)
    cells = [
        (room.id, slot.id)
        for slot in instance.session_slots
        if slot.id not in frozen
        for room in instance.rooms
        if STEP_FREE in room.features and slot.id not in room.unavailable_slots
    ]
    order = {t.id: i for i, t in enumerate(instance.topics)}
    candidates = sorted(
        (t for t in instance.topics if wanted.get(t.id) and t.id not in kept and STEP_FREE not in t.needs),
        key=lambda t: (-wanted[t.id], order[t.id]),
    )
    seated = _Matching({t.id: [c for c in cells if _fits(t, c)] for t in candidates})
    chosen = {t.id for t in candidates if seated.add(t.id)}
    if not chosen:
        return instance
    return replace(
        instance,
        topics=tuple(replace(t, needs=t.needs | {STEP_FREE}) if t.id in chosen else t for t in instance.topics),
    )


def _fits(topic: TopicIn, cell: tuple[str, str]) -> bool:
    room, slot = cell
    pin = topic.pinned
    return slot not in topic.unavailable_slots and not (
        pin is not None and ((pin.room is not None and pin.room != room) or (pin.slot is not None and pin.slot != slot))
    )


class _Matching:
    """Topics to room-slots, one each, grown one topic at a time by augmenting paths (Kuhn)."""

    def __init__(self, can_use: dict[str, list[tuple[str, str]]]) -> None:
        self.can_use = can_use
        self.holder: dict[tuple[str, str], str] = {}

    def add(self, topic: str) -> bool:
        return self._augment(topic, set())

    def _augment(self, topic: str, seen: set[tuple[str, str]]) -> bool:
        for cell in self.can_use[topic]:
            if cell in seen:
                continue
            seen.add(cell)
            other = self.holder.get(cell)
            if other is None or self._augment(other, seen):
                self.holder[cell] = topic
                return True
        return False


def access_warnings(
    *,
    wanted: Mapping[int, int],
    placements: list[Placement],
    topics: Mapping[int | None, Topic],
    rooms: list[Room],
    slots: list[TimeSlot],
) -> list[str]:
    """One line per session on the grid, in time order, that people who need a step-free room
    marked or lead but that is in a room without the feature, saying why when the grid tells."""
    room_by_id = {r.id: r for r in rooms}
    step_free_rooms = [r for r in rooms if STEP_FREE in r.features]
    taken = {(p.room_id, p.slot_id) for p in placements}
    slot_order = {s.id: i for i, s in enumerate(slots)}
    lines = []
    for p in sorted(placements, key=lambda p: (slot_order.get(p.slot_id, 0), p.room_id)):
        room, people = room_by_id.get(p.room_id), wanted.get(p.topic_id, 0)
        if room is None or not people or STEP_FREE in room.features or p.topic_id not in topics:
            continue
        who = ngettext(
            "{n} person who marked or leads it needs a step-free room",
            "{n} people who marked or lead it need a step-free room",
            people,
        ).format(n=people)
        free = [r for r in step_free_rooms if p.slot_id not in r.unavailable_slots and (r.id, p.slot_id) not in taken]
        if not step_free_rooms:
            why = _("no room is marked step-free (Rooms and slots)")
        elif free:
            why = _("{room} is step-free and free then: move it there").format(room=free[0].name)
        else:
            why = _("every step-free room is taken then")
        lines.append(
            _("“{title}” is in {room}, which is not step-free; {who}: {why}.").format(
                title=topics[p.topic_id].title, room=room.name, who=who, why=why
            )
        )
    return lines
