"""Two Feet's scheduler: a pure optimiser from an event to a schedule.

It imports only the standard library and OR-Tools (``tests/scheduler/test_purity.py``
enforces this), so it can be tested, benchmarked and run offline
(``twofeet schedule event.json``) with no database.

Examples
--------
>>> from app.scheduler import Config, parse_event, solve
>>> inst = parse_event({
...     "format": "twofeet.event/1",
...     "rooms": [{"id": "lib", "name": "Library", "capacity": 40}],
...     "slots": [{"id": "s1", "start": "09:30", "end": "10:20"}],
...     "attendees": [{"id": "a1"}],
...     "topics": [{"id": "t1", "title": "Math talks"}],
...     "interests": [{"attendee": "a1", "topic": "t1"}],
... })
>>> solve(inst, Config(time_limit=1)).placements
(Placement(topic='t1', room='lib', slot='s1'),)
"""

from app.scheduler.eventfile import EVENT_FORMAT, EventFileError, event_to_document, parse_event
from app.scheduler.instance import Attendee, EventInfo, Instance, Interest, Pin, Room, Slot, Topic
from app.scheduler.score import score, violations
from app.scheduler.solution import (
    SCHEDULE_FORMAT,
    Placement,
    Solution,
    Stats,
    Status,
    Unscheduled,
    parse_schedule,
    schedule_to_document,
)
from app.scheduler.solve import Config, Progress, solve, suggested_time_limit

__all__ = [
    "EVENT_FORMAT",
    "SCHEDULE_FORMAT",
    "Attendee",
    "Config",
    "EventFileError",
    "EventInfo",
    "Instance",
    "Interest",
    "Pin",
    "Placement",
    "Progress",
    "Room",
    "Slot",
    "Solution",
    "Stats",
    "Status",
    "Topic",
    "Unscheduled",
    "event_to_document",
    "parse_event",
    "parse_schedule",
    "schedule_to_document",
    "score",
    "solve",
    "suggested_time_limit",
    "violations",
]
