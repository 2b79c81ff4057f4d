"""The sessions of the day's minority language, spread over the slots (issue 19).

At a day where most sessions are held in English and a few in Spanish, a teacher who speaks only
Spanish wants something in every slot. After attendance and sessions run, the scheduler prefers the
schedule with the fewest *language gaps*: sessions slots without any session held in the minority
language (a session held in both languages counts). It is the last preference of a first solve:
a change is taken only when attendance does not drop and no session leaves the schedule, so it
costs neither; it may cost a little overflow or clashes, which rank after it (see the format's
"How a schedule is judged"). Re-solves leave it alone, as they leave the polish: every move counts.

The search is greedy and exact in what it keeps: for each slot with a gap, the best of moving a
minority session there from a slot that has two (into a free room of its kind, or swapped with a
session of the other language), or placing one that is not on the schedule into a free room or
instead of a session of the other language (a viable one only for a viable one), by attendance,
until no gap can be closed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from app.scheduler.assignment import Cells
from app.scheduler.instance import Instance
from app.scheduler.model import SchedulingModel
from app.scheduler.score import viable_topics

__all__ = ["BOTH", "language_gaps", "minority_language", "spread_language"]

#: A session held in both languages: it serves the speakers of each.
BOTH = "both"

#: One step of a change: (topic index, (class, slot) it leaves or None, (class, slot) it takes or None).
_Step = tuple[int, tuple[int, int] | None, tuple[int, int] | None]


def minority_language(instance: Instance) -> str | None:
    """The language fewer of the day's topics are held in (ties: not the event's main one); None
    when every topic is held in one language (or in both).

    >>> from app.scheduler.instance import EventInfo, Topic
    >>> day = Instance(EventInfo(), (), (), (), (Topic("a", "A"), Topic("b", "B"), Topic("c", "C", language="es")), ())
    >>> minority_language(day)
    'es'
    """
    counts = Counter(t.language for t in instance.topics if t.language != BOTH)
    if len(counts) < 2:
        return None
    main = instance.event.languages[0] if instance.event.languages else "en"
    return min(sorted(counts), key=lambda language: (counts[language], language == main))


def language_gaps(instance: Instance, slot_of: Mapping[str, str], language: str | None = None) -> int:
    """Sessions slots with no session held in ``language`` (default: the day's minority language;
    0 when there is none), given the slot of every placed topic."""
    language = language or minority_language(instance)
    if language is None:
        return 0
    held = {t.id for t in instance.topics if t.language in (language, BOTH)}
    covered = {slot for topic, slot in slot_of.items() if topic in held}
    return sum(1 for slot in instance.session_slots if slot.id not in covered)


class _Day:
    """The schedule being spread: who is where, what each cell holds, and coverage counts that tell
    a change's effect on attendance (as :func:`app.scheduler.assignment.attendance_of` counts it)."""

    def __init__(self, instance: Instance, sm: SchedulingModel, cells: Cells, language: str) -> None:
        self.sm, self.cells = sm, dict(cells)
        self.minority = [t.language in (language, BOTH) for t in instance.topics]
        self.runners = [frozenset(t.facilitators) for t in instance.topics]
        wanted = viable_topics(instance)
        self.viable = [t.id in wanted for t in instance.topics]
        index = {t.id: i for i, t in enumerate(instance.topics)}
        self.partners: list[set[int]] = [set() for _ in instance.topics]
        for a, b in instance.avoid_clash:
            self.partners[index[a]].add(index[b])
            self.partners[index[b]].add(index[a])
        self.groups_of: list[list[tuple[int, int]]] = [[] for _ in instance.topics]
        for gi, (mult, tis) in enumerate(sm.groups):
            for ti in tis:
                self.groups_of[ti].append((gi, mult))
        self.cnt = [[0] * len(instance.slots) for _ in sm.groups]
        for ti, (_ci, si) in self.cells.items():
            for gi, _mult in self.groups_of[ti]:
                self.cnt[gi][si] += 1

    def in_slot(self, si: int) -> list[int]:
        return sorted(ti for ti, (_ci, s) in self.cells.items() if s == si)

    def minority_in(self, si: int) -> int:
        return sum(1 for ti in self.in_slot(si) if self.minority[ti])

    def free(self, ci: int, si: int) -> bool:
        held = sum(1 for cell in self.cells.values() if cell == (ci, si))
        return held < len(self.sm.classes[ci].rooms)

    def fits(self, ti: int, si: int, leaving: set[int]) -> bool:
        """``ti`` may join slot ``si`` once ``leaving`` left it: no facilitator or avoided pair there."""
        others = [t for t in self.in_slot(si) if t not in leaving and t != ti]
        return not any(self.runners[ti] & self.runners[t] or t in self.partners[ti] for t in others)

    def gain(self, steps: Iterable[_Step]) -> int:
        """The change in attendance of ``steps`` (counts put back afterwards)."""
        change, done = 0, []
        for ti, left, taken in steps:
            for gi, mult in self.groups_of[ti]:
                if left is not None:
                    self.cnt[gi][left[1]] -= 1
                    change -= mult if self.cnt[gi][left[1]] == 0 else 0
                if taken is not None:
                    change += mult if self.cnt[gi][taken[1]] == 0 else 0
                    self.cnt[gi][taken[1]] += 1
            done.append((ti, left, taken))
        for ti, left, taken in reversed(done):
            for gi, _mult in self.groups_of[ti]:
                if taken is not None:
                    self.cnt[gi][taken[1]] -= 1
                if left is not None:
                    self.cnt[gi][left[1]] += 1
        return change

    def apply(self, steps: Iterable[_Step]) -> None:
        for ti, left, taken in steps:
            for gi, _mult in self.groups_of[ti]:
                if left is not None:
                    self.cnt[gi][left[1]] -= 1
                if taken is not None:
                    self.cnt[gi][taken[1]] += 1
            if taken is None:
                del self.cells[ti]
            else:
                self.cells[ti] = taken

    def closings(self, si: int) -> Iterable[list[_Step]]:
        """Every change that puts a minority session into slot ``si`` and leaves no other slot without one."""
        x = self.sm.x
        classes = range(len(self.sm.classes))
        for m in sorted(self.sm.placed):
            if not self.minority[m]:
                continue
            where = self.cells.get(m)
            if where is not None and (where[1] == si or self.minority_in(where[1]) < 2):
                continue
            for ci in classes:  # into a free room of a kind it may use
                if (m, ci, si) in x and self.free(ci, si) and self.fits(m, si, set()):
                    yield [(m, where, (ci, si))]
            if where is None:
                yield from self._replacing(m, si)
                continue
            for n in self.in_slot(si):  # swapped with a session of the other language
                cn = self.cells[n][0]
                if self.minority[n] or (m, cn, si) not in x or (n, where[0], where[1]) not in x:
                    continue
                if self.fits(m, si, {n}) and self.fits(n, where[1], {m}):
                    yield [(m, where, (cn, si)), (n, (cn, si), where)]

    def _replacing(self, m: int, si: int) -> Iterable[list[_Step]]:
        """``m``, not on the schedule, in the room of a session of the other language that leaves it
        (never a pinned one; a viable one only for a viable one, so sessions run stays)."""
        for n in self.in_slot(si):
            cn = self.cells[n][0]
            if self.minority[n] or n in self.sm.must or self.viable[n] > self.viable[m]:
                continue
            if (m, cn, si) in self.sm.x and self.fits(m, si, {n}):
                yield [(n, (cn, si), None), (m, None, (cn, si))]


def spread_language(instance: Instance, sm: SchedulingModel, cells: Cells) -> Cells:
    """``cells`` with the fewest language gaps this greedy search finds, attendance and sessions run
    never lower (see the module docstring). Returns ``cells`` itself when nothing changes."""
    language = minority_language(instance)
    if language is None:
        return cells
    day = _Day(instance, sm, cells, language)
    n_slots = len(instance.slots)
    while True:
        best: tuple[int, list[_Step]] | None = None
        for si in range(n_slots):
            if day.minority_in(si):
                continue
            for steps in day.closings(si):
                gain = day.gain(steps)
                if gain >= 0 and (best is None or gain > best[0]):
                    best = (gain, steps)
        if best is None:
            return day.cells if day.cells != cells else cells
        day.apply(best[1])
