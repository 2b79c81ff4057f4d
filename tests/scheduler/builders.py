"""Tiny instances for the scheduler tests, written the way a person describes them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from app.scheduler import Attendee, EventInfo, Instance, Interest, Pin, Room, Slot, Topic

__all__ = ["make_instance", "room", "topic"]

_TIMES = [("09:00", "09:50"), ("10:00", "10:50"), ("11:00", "11:50"), ("13:00", "13:50"), ("14:00", "14:50")]


def room(
    id: str,  # noqa: A002 - mirrors the format
    capacity: int = 30,
    *,
    features: Iterable[str] = (),
    unavailable: Iterable[str] = (),
) -> Room:
    return Room(id, id.upper(), capacity, frozenset(features), frozenset(unavailable))


def topic(
    id: str,  # noqa: A002 - mirrors the format
    *,
    facilitators: Iterable[str] = (),
    unavailable: Iterable[str] = (),
    needs: Iterable[str] = (),
    pin: Pin | None = None,
) -> Topic:
    return Topic(id, f"Topic {id}", "", tuple(facilitators), frozenset(unavailable), frozenset(needs), pin)


def make_instance(
    *,
    rooms: Iterable[Room],
    slots: int,
    topics: Iterable[Topic | str],
    marks: Mapping[str, Iterable[str]] | None = None,
    avoid_clash: Iterable[tuple[str, str]] = (),
) -> Instance:
    """``marks`` maps attendee id -> the topic ids it marked; facilitators become attendees too."""
    topic_list = tuple(t if isinstance(t, Topic) else topic(t) for t in topics)
    marks = marks or {}
    people = list(marks)
    for t in topic_list:
        people += [p for p in t.facilitators if p not in people]
    return Instance(
        event=EventInfo("Test camp"),
        rooms=tuple(rooms),
        slots=tuple(Slot(f"s{i + 1}", *_TIMES[i]) for i in range(slots)),
        attendees=tuple(Attendee(p) for p in people),
        topics=topic_list,
        interests=tuple(Interest(a, t) for a, ts in marks.items() for t in ts),
        avoid_clash=tuple(avoid_clash),
    )
