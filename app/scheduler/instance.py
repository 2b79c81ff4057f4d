"""The scheduler's input: one event day as frozen, hashable dataclasses.

Every field of the ``twofeet.event/1`` format is kept, so that
``parse_event(event_to_document(instance)) == instance``. The classes hold plain
strings, numbers, tuples and frozensets only; they know nothing of the database
or the web layer (STYLE 10.7).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

__all__ = [
    "LANGUAGES",
    "SESSIONS",
    "SLOT_KINDS",
    "sessions_day",
    "Attendee",
    "EventInfo",
    "Instance",
    "Interest",
    "Pin",
    "Room",
    "Slot",
    "Topic",
]

#: The languages a topic may be held in; ``both`` is held in each of the others.
LANGUAGES = ("en", "es", "both")

#: The kind of slot that holds topics; a ``plenary`` (everyone in one room) or a ``break`` holds none.
SESSIONS = "sessions"
SLOT_KINDS = (SESSIONS, "plenary", "break")


@dataclass(frozen=True)
class Room:
    """A room that can hold one topic per slot.

    Parameters
    ----------
    id : str
        Unique room id.
    name : str
        Display name.
    capacity : int
        Seats, a positive integer.
    features : frozenset of str
        Tags a topic may need (``"projector"``, ``"accessible"``...).
    unavailable_slots : frozenset of str
        Slot ids in which the room cannot be used.

    Examples
    --------
    >>> Room("lib", "Library", 120, frozenset({"projector"}))
    Room(id='lib', name='Library', capacity=120, features=frozenset({'projector'}), unavailable_slots=frozenset())
    """

    id: str
    name: str
    capacity: int
    features: frozenset[str] = frozenset()
    unavailable_slots: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Slot:
    """A time slot; ``start`` and ``end`` are local ``"HH:MM"`` strings.

    Only a ``sessions`` slot holds topics. A ``plenary`` or ``break`` is part of the day the
    scheduler leaves alone: ``title`` says what it is and ``room`` (a room id or ``None``) where.
    """

    id: str
    start: str
    end: str
    kind: str = SESSIONS
    title: str = ""
    room: str | None = None

    @property
    def holds_topics(self) -> bool:
        """Whether topics may be placed in this slot (a sessions slot)."""
        return self.kind == SESSIONS


@dataclass(frozen=True)
class Attendee:
    """A person at the event; ``name`` may be empty."""

    id: str
    name: str = ""


@dataclass(frozen=True)
class Pin:
    """Fixes a topic to a room and/or a slot.

    A pinned topic is always scheduled; ``room`` or ``slot`` left as ``None`` lets
    the solver choose that part. ``Pin()`` therefore means "must be scheduled".
    """

    room: str | None = None
    slot: str | None = None


@dataclass(frozen=True)
class Topic:
    """A proposed session.

    Parameters
    ----------
    id : str
        Unique topic id.
    title, description : str
        Shown to people; the solver ignores them.
    facilitators : tuple of str
        Attendee ids who run it; each spends the topic's slot in it.
    unavailable_slots : frozenset of str
        Slots in which the topic must not be placed.
    needs : frozenset of str
        Features the room must have.
    pinned : Pin or None
        Room and/or slot the topic is fixed to.
    language : str
        The language it is held in: ``"en"``, ``"es"`` or ``"both"`` (see :data:`LANGUAGES`).
        The solver spreads the sessions of the day's minority language over the slots.
    """

    id: str
    title: str
    description: str = ""
    facilitators: tuple[str, ...] = ()
    unavailable_slots: frozenset[str] = frozenset()
    needs: frozenset[str] = frozenset()
    pinned: Pin | None = None
    language: str = "en"


@dataclass(frozen=True)
class Interest:
    """An attendee's mark on a topic; ``weight`` 1 is one vote."""

    attendee: str
    topic: str
    weight: float = 1


#: People (marks plus facilitators) a topic needs to be *viable* when the event does not say.
DEFAULT_MIN_INTEREST = 2


@dataclass(frozen=True)
class EventInfo:
    """Event data: descriptive fields carried through unchanged, and the organizer's rules.

    ``min_interest`` is how many people (marks plus facilitators) a topic needs to be
    *viable*: a viable topic runs whenever a suitable room is free (see the format).
    """

    name: str = ""
    date: str = ""
    timezone: str = "UTC"
    min_interest: int = DEFAULT_MIN_INTEREST
    #: The event's languages, its main one first (a topic's language when its file says none).
    languages: tuple[str, ...] = ("en",)


@dataclass(frozen=True)
class Instance:
    """Everything the scheduler needs about one event day.

    Slots are in time order. Build one with :func:`app.scheduler.parse_event`
    from a file, or directly from the application's data.

    Examples
    --------
    >>> inst = Instance(
    ...     event=EventInfo("Edcamp"),
    ...     rooms=(Room("r1", "Room 1", 30),),
    ...     slots=(Slot("s1", "09:00", "09:50"),),
    ...     attendees=(Attendee("a1"),),
    ...     topics=(Topic("t1", "Math talks"),),
    ...     interests=(Interest("a1", "t1"),),
    ... )
    >>> inst.slot_ids
    ('s1',)
    """

    event: EventInfo
    rooms: tuple[Room, ...]
    slots: tuple[Slot, ...]
    attendees: tuple[Attendee, ...]
    topics: tuple[Topic, ...]
    interests: tuple[Interest, ...]
    avoid_clash: tuple[tuple[str, str], ...] = field(default=())

    @property
    def slot_ids(self) -> tuple[str, ...]:
        """Slot ids in time order."""
        return tuple(s.id for s in self.slots)

    @property
    def session_slots(self) -> tuple[Slot, ...]:
        """The slots that hold topics (plenaries and breaks left out), in time order."""
        return tuple(s for s in self.slots if s.holds_topics)


def sessions_day(instance: Instance) -> Instance:
    """``instance`` with its plenaries and breaks left out: the day as the solver fills it.

    Unavailable slots that are no longer in it are dropped with them; a pin to a left-out slot
    is the caller's to refuse first (:func:`app.scheduler.checks.pin_problems` names it).

    >>> day = Instance(EventInfo(), (), (Slot("k", "09:00", "09:30", "plenary", "Keynote"),
    ...     Slot("s", "09:40", "10:30")), (), (), ())
    >>> sessions_day(day).slot_ids
    ('s',)
    """
    if all(s.holds_topics for s in instance.slots):
        return instance
    kept = frozenset(s.id for s in instance.session_slots)
    return replace(
        instance,
        slots=instance.session_slots,
        rooms=tuple(replace(r, unavailable_slots=r.unavailable_slots & kept) for r in instance.rooms),
        topics=tuple(replace(t, unavailable_slots=t.unavailable_slots & kept) for t in instance.topics),
    )
