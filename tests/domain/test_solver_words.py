"""The scheduler's findings (written in English with its ids, in workers and the CLI too) are worded
where they are shown: English as the scheduler wrote it with names for ids, Spanish in Spanish."""

from __future__ import annotations

from app import i18n
from app.domain import solver_words
from app.domain.drafting import humanize

NAMES = {"t1": "Maker space", "t4": "Podcasts", "r3": "Library", "r1": "Room 12", "s5": "09:30–10:20", "a7": "Ana"}
VIOLATIONS = [
    "[room-double-booked] room 'r3' holds 't1' and 't4' in slot 's5'",
    "[avoid-clash] topics 't1' and 't4' must not share a slot but both are in 's5'",
    "[facilitator-double-booked] facilitator 'a7' runs 't1' and 't4' in slot 's5'",
    "[room-lacks-feature] topic 't1' needs 'projector', which room 'r3' lacks",
]
REASONS = [
    "only 1 person wants it (marks and facilitators), fewer than the 2 a session needs at this event",
    "only 3 people want it (marks and facilitators), fewer than the 4 a session needs at this event",
    "every free room-slot is ruled out: 'r1', 'r3' in 's5': facilitator 'a7' runs another session then, "
    "no free room there has projector and accessible",
    "all 6 room-slots are taken, and it has fewer marks (1) than every scheduled topic",
]


def test_english_reads_as_the_scheduler_wrote_it_with_names() -> None:
    with i18n.using("en"):
        for message in VIOLATIONS:
            assert solver_words.violation(message, NAMES) == humanize(message, NAMES)
        for message in REASONS:
            assert solver_words.reason(message, NAMES) == humanize(message, NAMES)


def test_spanish_words_each_finding_again_with_its_values() -> None:
    with i18n.using("es"):
        assert solver_words.violation(VIOLATIONS[0], NAMES) == (
            "la sala “Library” tiene “Maker space” y “Podcasts” en la franja “09:30–10:20”"
        )
        assert solver_words.reason(REASONS[0], NAMES) == (
            "solo lo quiere 1 persona (marcas y facilitadores), menos de las 2 que necesita una sesión en este evento"
        )
        assert solver_words.reason(REASONS[2], NAMES) == (
            "ningún hueco libre de sala y franja sirve: “Room 12”, “Library” en “09:30–10:20”: “Ana” facilita otra sesión a esa hora, "
            "ninguna sala libre allí tiene projector y accessible"
        )
        # A reason an organizer's change wrote is already in words: shown as it is.
        assert solver_words.reason("Library was removed", NAMES) == "Library was removed"
