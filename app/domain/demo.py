"""A demo event with a full wall, so a newcomer sees the product working at once."""

from __future__ import annotations

import random

from sqlmodel import Session

from app.domain import attendees, claims, events, eventspec, marking, publishing, rows, talks, topics
from app.models import Phase, SlotKind, saved_id

ROOMS = [
    ("Library", 60, ["projector", "accessible"]),
    ("Cafeteria", 80, ["accessible"]),
    ("Room 101", 30, ["projector"]),
    ("Room 102", 30, ["projector"]),
    ("Room 103", 25, []),
    ("Science lab", 24, ["projector"]),
    ("Art room", 20, ["accessible"]),
    ("Gym", 100, ["accessible"]),
]
SLOTS = [("09:30", "10:20"), ("10:30", "11:20"), ("11:30", "12:20"), ("13:10", "14:00")]
# The rest of the day (issue 18): an opening plenary in the largest room, and lunch as a break.
LARGEST_ROOM = max(ROOMS, key=lambda room: room[1])[0]
PROGRAMME = [
    eventspec.SlotSpec("08:45", "09:20", kind="plenary", title="Welcome and EdTalks", room=LARGEST_ROOM),
    eventspec.SlotSpec("12:20", "13:10", kind="break", title="Lunch in the cafeteria"),
]
# The opening plenary's running order (35 minutes: a welcome, then three EdTalks by local teachers).
TALKS = [
    ("Demo organizer", "Welcome, and how today works", 5, ""),
    ("Ms. Rivera", "What my newcomers taught me about wait time", 10, "Grade 4, Fresno; teaches English learners."),
    ("Mr. Okafor", "One question a day: math talk in ten minutes", 10, "Middle school math, Visalia."),
    ("Dr. Chen", "Feedback students actually read", 10, "High school English and instructional coach."),
]
TOPICS = [
    ("Math talks in a multilingual classroom", "K-5, math"),
    ("Standards-based grading: what actually changed", "6-12, assessment"),
    ("AI in lesson planning without losing your voice", "all grades, technology"),
    ("Restorative circles that students run", "6-12, SEL"),
    ("Thinking classrooms: vertical whiteboards", "6-12, math"),
    ("Phonics after the science of reading", "K-5, literacy"),
    ("Project-based learning on a budget", "all grades, PBL"),
    ("Co-teaching with special education", "all grades, inclusion"),
    ("Student podcasts for history", "6-12, social studies"),
    ("Outdoor science with no equipment", "K-5, science"),
    ("Grading less, feeding back more", "6-12, assessment"),
    ("Newcomer students in the first month", "all grades, ELD"),
    ("Chromebooks: apps worth keeping", "all grades, technology"),
    ("Reading workshop in middle school", "6-8, literacy"),
    ("Building a maker space from donations", "K-8, STEM"),
    ("Teacher burnout: what helps", "all grades, wellbeing"),
    ("Family conferences led by students", "K-8, families"),
    ("Coding without computers", "K-5, computer science"),
    ("Debate in every subject", "6-12, speaking"),
    ("Data walls that don't shame", "all grades, data"),
    ("Escape rooms for review", "6-12, engagement"),
    ("Mindfulness minutes", "K-5, SEL"),
    ("Teaching climate change with local data", "6-12, science"),
    ("Discourse norms for math", "6-12, math"),
    ("Music across the curriculum", "K-5, arts"),
]
FIRST = [
    "Ana",
    "Ben",
    "Chloe",
    "Dev",
    "Elena",
    "Femi",
    "Grace",
    "Hiro",
    "Isla",
    "Jon",
    "Kai",
    "Lena",
    "Mo",
    "Nia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tara",
]


def seed_demo(
    session: Session, *, attendee_count: int = 40, seed: int = 7, name: str = "Edcamp Demo Day"
) -> events.CreatedEvent:
    """An event in the proposing phase with rooms, slots (an opening plenary and a lunch break among
    them), attendees, topics, marks and a few leads."""
    rng = random.Random(seed)
    created = events.create_event(
        session,
        name=name,
        date="2027-03-13",
        timezone="America/Los_Angeles",
        rooms=[eventspec.RoomSpec(n, c, f) for n, c, f in ROOMS],
        slots=[eventspec.SlotSpec(s, e) for s, e in SLOTS] + PROGRAMME,
        organizer_name="Demo organizer",
    )
    event = created.event
    opening = next(slot for slot in rows.slots(session, event) if slot.kind == SlotKind.plenary)
    for speaker, title, minutes, bio in TALKS:
        talks.add_talk(
            session,
            event=event,
            slot_id=saved_id(opening),
            speaker=speaker,
            title=title,
            minutes=minutes,
            bio=bio,
            actor=created.organizer,
        )
    events.set_phase(session, event=event, phase=Phase.proposing, actor=created.organizer)
    people = []
    for index in range(attendee_count):
        name = f"{FIRST[index % len(FIRST)]} {chr(65 + index // len(FIRST))}." if index % 4 else ""
        people.append(attendees.join_event(session, event=event, name=name))
    proposed = []
    for index, (title, tags) in enumerate(TOPICS):
        author = people[index % len(people)]
        proposed.append(
            topics.propose_topic(
                session,
                event=event,
                author=author,
                title=title,
                tags=tags,
                facilitate=index % 3 != 2,
                description="Bring what works in your classroom, and what doesn't.",
            )
        )
    # Skewed popularity: a few topics everyone wants, a long tail.
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(proposed))]
    for person in people:
        picks = set()
        for _ in range(rng.randint(3, 7)):
            picks.add(rng.choices(range(len(proposed)), weights=weights)[0])
        for index in sorted(picks):
            marking.mark_topic(session, event=event, attendee=person, topic=proposed[index])
    for index in (2, 5):  # two unled topics find a co-facilitator
        claims.claim_topic(session, event=event, attendee=people[-1 - index], topic=proposed[index * 3 + 2])
    return created


def seed_demo_live(session: Session, *, seed: int = 11, time_limit: float = 3.0) -> events.CreatedEvent:
    """A second demo event whose schedule is built and published, with one session marked full,
    so the grid, the door view and "my day" show at once."""
    from app.domain import drafting, timetable  # noqa: PLC0415 - only this demo needs the scheduler
    from app.domain.building import build_instance  # noqa: PLC0415 - as above
    from app.scheduler import Config, solve  # noqa: PLC0415 - as above

    created = seed_demo(session, seed=seed, name="Edcamp Demo Day (schedule published)")
    event, organizer = created.event, created.organizer
    events.set_phase(session, event=event, phase=Phase.scheduled, actor=organizer)
    instance = build_instance(session, event)
    # Reproducible: the same demo on every machine (work, not the clock; the clock only caps it).
    solution = solve(instance, Config(work=time_limit, time_limit=max(60.0, 20 * time_limit), seed=seed))
    drafting.save_solution(session, event=event, instance=instance, solution=solution, actor=organizer)
    publishing.publish(session, event=event, actor=organizer, announcement="Welcome! The schedule is up.")
    busiest = max(
        drafting.schedule_view(session, event=event).cells.values(), key=lambda c: c.headcount / max(c.capacity, 1)
    )  # the fullest room, for its size
    timetable.set_session_status(
        session, event=event, placement=busiest.placement, status="full", attendee=None, organizer=True
    )
    return created
