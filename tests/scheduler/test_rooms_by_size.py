"""Rooms by size: when overflow ties, the most wanted session gets the biggest room."""

from __future__ import annotations

from app.scheduler.instance import Attendee, EventInfo, Instance, Interest, Room, Slot, Topic
from app.scheduler.rooms import assign_rooms


def test_the_most_wanted_session_gets_the_biggest_room_when_all_fit() -> None:
    rooms = (Room("small", "Small", 30), Room("gym", "Gym", 100), Room("mid", "Mid", 50))
    people = tuple(Attendee(f"a{i}") for i in range(30))
    topics = (Topic("popular", "Popular"), Topic("niche", "Niche"))
    interests = tuple(Interest(f"a{i}", "popular") for i in range(25)) + (Interest("a29", "niche"),)
    instance = Instance(EventInfo(), rooms, (Slot("s1", "09:00", "10:00"),), people, topics, interests)
    assigned = assign_rooms(instance, {"popular": "s1", "niche": "s1"}, {})
    assert assigned == {"popular": "gym", "niche": "mid"}, "big rooms for big audiences; nobody overflows either way"


def test_overflow_still_comes_first_and_a_required_room_holds() -> None:
    rooms = (Room("small", "Small", 10), Room("big", "Big", 40))
    people = tuple(Attendee(f"a{i}") for i in range(40))
    topics = (Topic("a", "A"), Topic("b", "B"))
    interests = tuple(Interest(f"a{i}", "a") for i in range(30)) + tuple(Interest(f"a{i}", "b") for i in range(30, 35))
    instance = Instance(EventInfo(), rooms, (Slot("s1", "09:00", "10:00"),), people, topics, interests)
    assert assign_rooms(instance, {"a": "s1", "b": "s1"}, {}) == {"a": "big", "b": "small"}
    assert assign_rooms(instance, {"a": "s1", "b": "s1"}, {"b": "big"}) == {"a": "small", "b": "big"}
