"""Seeded generator of realistic Edcamp events for the scheduler benchmark.

Attendees are teachers with a subject and a grade band; topics have a subject, a
band and a skewed (Zipf-like) popularity, and attendees mark topics with a strong
preference for their own subject and band. Facilitators are drawn from attendees
of the topic's subject. Rooms mix many classrooms with a few big spaces; some rooms
are unavailable in some slots (the cafeteria at lunch), some topics need a
projector or an accessible room, a few are pinned and a few pairs must not clash.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from app.scheduler.instance import Attendee, EventInfo, Instance, Interest, Pin, Room, Slot, Topic

SUBJECTS = ("math", "science", "ela", "social-studies", "arts", "edtech", "sel", "leadership", "pe-health", "languages")
BANDS = ("k-2", "3-5", "6-8", "9-12", "all")


@dataclass(frozen=True)
class Size:
    name: str
    attendees: int
    rooms: int
    slots: int
    topics: int


SIZES = {
    "small": Size("small", 60, 4, 3, 15),
    "medium": Size("medium", 200, 8, 4, 35),
    "large": Size("large", 600, 16, 5, 90),
    "huge": Size("huge", 2000, 40, 6, 260),
}

_SLOT_TIMES = [
    ("09:00", "09:50"),
    ("10:00", "10:50"),
    ("11:00", "11:50"),
    ("12:40", "13:30"),
    ("13:40", "14:30"),
    ("14:40", "15:30"),
    ("15:40", "16:30"),
]


def _rooms(rng: random.Random, size: Size, slots: list[Slot]) -> list[Room]:
    n = size.rooms
    specials: list[tuple[str, int, set[str]]] = []
    if n >= 16:
        specials.append(("Auditorium", 260 if n >= 40 else 160, {"projector", "accessible", "microphone"}))
    if n >= 8:
        specials.append(("Cafeteria", 120 if n < 40 else 200, {"accessible"}))
        specials.append(("Library", 60 if n < 40 else 90, {"projector", "accessible"}))
    if n >= 40:
        specials.append(("Gym", 150, {"accessible"}))
        specials.append(("Lecture hall", 120, {"projector", "accessible"}))
    specials = specials[: max(0, n - 2)]
    seats_needed = int(size.attendees * 1.15)
    left = max(n - len(specials), 1)
    remaining = max(seats_needed - sum(c for _, c, _ in specials), left * 18)
    rooms: list[Room] = []
    for i, (name, cap, features) in enumerate(specials):
        rooms.append(Room(f"r{i + 1}", name, cap, frozenset(features)))
    base = remaining / left
    for j in range(left):
        kind = rng.random()
        if kind < 0.15:
            cap = max(12, int(base * 0.6))  # seminar room
        elif kind < 0.3:
            cap = int(base * 1.4)  # science lab / big classroom
        else:
            cap = int(round(base / 5.0)) * 5 or 25  # standard classrooms of equal size
        features = set()
        if rng.random() < 0.7:
            features.add("projector")
        if rng.random() < 0.5:
            features.add("accessible")
        rooms.append(Room(f"r{len(rooms) + 1}", f"Room {100 + j}", cap, frozenset(features)))
    # Unavailable slots: the cafeteria at lunch (the middle slot), and ~10% of rooms once.
    lunch = slots[len(slots) // 2].id
    out = []
    for room in rooms:
        unavailable = set()
        if room.name == "Cafeteria":
            unavailable.add(lunch)
        elif rng.random() < 0.1:
            unavailable.add(rng.choice(slots).id)
        out.append(Room(room.id, room.name, room.capacity, room.features, frozenset(unavailable)))
    return out


def generate(size: Size | str, seed: int) -> Instance:
    """Return the benchmark instance of ``size`` for ``seed`` (deterministic)."""
    if isinstance(size, str):
        size = SIZES[size]
    rng = random.Random(f"{size.name}-{seed}")
    slots = [Slot(f"s{i + 1}", *_SLOT_TIMES[i]) for i in range(size.slots)]
    rooms = _rooms(rng, size, slots)

    people = []
    for i in range(size.attendees):
        subject = rng.choice(SUBJECTS)
        second = rng.choice(SUBJECTS) if rng.random() < 0.4 else subject
        band = rng.choices(BANDS[:4], weights=(2, 3, 3, 3))[0]
        people.append((f"a{i + 1}", subject, second, band))
    attendees = [Attendee(pid, f"Teacher {pid[1:]}") for pid, *_ in people]

    topic_meta = []
    for i in range(size.topics):
        subject = rng.choice(SUBJECTS)
        band = rng.choices(BANDS, weights=(2, 3, 3, 3, 3))[0]
        popularity = (1.0 / (i + 1) ** 0.7) * rng.lognormvariate(0, 0.4)
        topic_meta.append((f"t{i + 1}", subject, band, popularity))
    rng.shuffle(topic_meta)

    # Facilitators: one per topic (some two), drawn from attendees of the subject.
    by_subject: dict[str, list[str]] = {}
    for pid, subject, second, _ in people:
        by_subject.setdefault(subject, []).append(pid)
        if second != subject:
            by_subject.setdefault(second, []).append(pid)
    facilitating: dict[str, int] = {}
    topics = []
    slot_ids = [s.id for s in slots]
    for tid, subject, band, _ in topic_meta:
        pool = by_subject.get(subject) or [p[0] for p in people]
        n_fac = 2 if rng.random() < 0.2 else 1
        facs: list[str] = []
        for _ in range(n_fac):
            candidates = [p for p in pool if facilitating.get(p, 0) < 2 and p not in facs]
            if not candidates:
                break
            choice = rng.choice(candidates)
            facs.append(choice)
            facilitating[choice] = facilitating.get(choice, 0) + 1
        needs = set()
        if rng.random() < 0.2:
            needs.add("projector")
        if rng.random() < 0.05:
            needs.add("accessible")
        unavailable = {rng.choice(slot_ids)} if rng.random() < 0.1 else set()
        topics.append(Topic(tid, f"{subject} for {band}", "", tuple(facs), frozenset(unavailable), frozenset(needs)))

    # Marks: skewed popularity x affinity for subject and band.
    meta = {tid: (subject, band, pop) for tid, subject, band, pop in topic_meta}
    interests = []
    for pid, subject, second, band in people:
        k = min(len(topics), max(1, int(rng.gauss(5.5, 2.2))))
        weights = []
        for t in topics:
            s, b, pop = meta[t.id]
            w = pop
            if s == subject:
                w *= 5
            elif s == second:
                w *= 3
            if b == band or b == "all":
                w *= 3
            weights.append(w)
        chosen: set[str] = set()
        while len(chosen) < k:
            chosen.add(rng.choices(topics, weights=weights)[0].id)
        for tid in sorted(chosen, key=lambda t: int(t[1:])):
            interests.append(Interest(pid, tid, 1))

    # Pins: a keynote-like popular topic in the biggest room, first slot; and one
    # topic pinned to a slot only (its facilitator leaves early).
    counts: dict[str, int] = {}
    for it in interests:
        counts[it.topic] = counts.get(it.topic, 0) + 1
    ranked = sorted(topics, key=lambda t: (-counts.get(t.id, 0), t.id))
    biggest = max(rooms, key=lambda r: (r.capacity, r.id))
    pinned_ids: dict[str, Pin] = {}
    for t in ranked:
        if t.needs <= biggest.features and slot_ids[0] not in t.unavailable_slots | biggest.unavailable_slots:
            pinned_ids[t.id] = Pin(biggest.id, slot_ids[0])
            break
    first_facs = set(topics[[t.id for t in topics].index(next(iter(pinned_ids)))].facilitators) if pinned_ids else set()
    for t in ranked[len(ranked) // 3 :]:
        if (
            t.id not in pinned_ids
            and not (set(t.facilitators) & first_facs)
            and slot_ids[-1] not in t.unavailable_slots
        ):
            pinned_ids[t.id] = Pin(None, slot_ids[-1])
            break
    topics = [
        Topic(t.id, t.title, t.description, t.facilitators, t.unavailable_slots, t.needs, pinned_ids.get(t.id))
        for t in topics
    ]

    # Avoid-clash: a few pairs of popular topics of the same subject.
    avoid = []
    for i, a in enumerate(ranked[:20]):
        for b in ranked[i + 1 : 20]:
            if meta[a.id][0] == meta[b.id][0] and len(avoid) < max(1, size.topics // 30):
                if not (a.id in pinned_ids and b.id in pinned_ids):
                    avoid.append((a.id, b.id))
    topics.sort(key=lambda t: int(t.id[1:]))
    return Instance(
        EventInfo(f"Bench {size.name} #{seed}", "2027-03-13", "America/Los_Angeles"),
        tuple(rooms),
        tuple(slots),
        tuple(attendees),
        tuple(topics),
        tuple(interests),
        tuple(avoid),
    )
