"""PD hours, the pure count: whole slots, the minimum minutes, moves between rooms, overlaps, breaks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.domain.pdhours import Presence, SlotSpan, at_local, count_minutes, zone_of
from app.models import SlotKind

DAY = datetime(2027, 3, 13, tzinfo=UTC)


def t(hhmm: str) -> datetime:
    hours, minutes = (int(x) for x in hhmm.split(":"))
    return DAY + timedelta(hours=hours, minutes=minutes)


def span(slot_id: int, start: str, end: str, kind: SlotKind = SlotKind.sessions, **kw: object) -> SlotSpan:
    return SlotSpan(slot_id, t(start), t(end), kind, hhmm=(start, end), **kw)  # type: ignore[arg-type]


def here(slot_id: int, at: str, left: str | None = None, topic: str | None = "Sketchnotes") -> Presence:
    return Presence(slot_id, t(at), t(left) if left else None, topic)


DAYPLAN = [
    span(1, "09:00", "10:00", SlotKind.plenary, title="Opening keynote", talks=("Why we teach — Ana",)),
    span(2, "10:00", "10:50"),
    span(3, "10:50", "11:10", SlotKind.break_, title="Coffee"),
    span(4, "11:10", "12:00"),
]


def test_a_whole_slot_counts_its_full_length_from_a_hand_check_in_at_its_start() -> None:
    tally = count_minutes(DAYPLAN, [here(2, "10:00")], min_minutes=15)
    assert tally.minutes == 50
    assert tally.items == [
        {"start": "10:00", "end": "10:50", "kind": "sessions", "title": "Sketchnotes", "sessions": ["Sketchnotes"],
         "talks": [], "minutes": 50}
    ]  # fmt: skip


def test_arriving_late_still_counts_the_slot_when_present_for_the_minimum() -> None:
    assert count_minutes(DAYPLAN, [here(2, "10:35")], min_minutes=15).minutes == 50  # 15 minutes: counts
    assert count_minutes(DAYPLAN, [here(2, "10:36")], min_minutes=15).minutes == 0  # 14 minutes: does not


def test_leaving_early_counts_only_the_time_present_against_the_minimum() -> None:
    assert count_minutes(DAYPLAN, [here(2, "10:00", "10:14")], min_minutes=15).minutes == 0
    assert count_minutes(DAYPLAN, [here(2, "10:00", "10:15")], min_minutes=15).minutes == 50


def test_a_move_between_rooms_counts_the_slot_once_and_lists_both_sessions() -> None:
    moved = [here(2, "10:00", "10:10", "Sketchnotes"), here(2, "10:10", None, "Robotics")]
    tally = count_minutes(DAYPLAN, moved, min_minutes=15)
    assert tally.minutes == 50
    assert tally.items[0]["sessions"] == ["Sketchnotes", "Robotics"]
    assert tally.items[0]["title"] == "Sketchnotes · Robotics"


def test_two_short_visits_add_up_to_the_minimum_but_overlapping_ones_count_once() -> None:
    visits = [here(2, "10:00", "10:08", "A"), here(2, "10:30", "10:38", "B")]  # 16 minutes in all
    assert count_minutes(DAYPLAN, visits, min_minutes=15).minutes == 50
    overlapping = [here(2, "10:00", "10:10", "A"), here(2, "10:02", "10:12", "B")]  # 12 minutes, not 20
    assert count_minutes(DAYPLAN, overlapping, min_minutes=15).minutes == 0


def test_duplicate_check_ins_do_not_count_twice() -> None:
    tally = count_minutes(DAYPLAN, [here(2, "10:00"), here(2, "10:00"), here(2, "10:20")], min_minutes=15)
    assert tally.minutes == 50 and len(tally.items) == 1 and tally.items[0]["sessions"] == ["Sketchnotes"]


def test_a_plenary_counts_with_its_title_and_talks() -> None:
    tally = count_minutes(DAYPLAN, [here(1, "09:00", topic=None)], min_minutes=15)
    assert tally.minutes == 60
    assert tally.items[0]["title"] == "Opening keynote" and tally.items[0]["talks"] == ["Why we teach — Ana"]
    assert tally.items[0]["kind"] == "plenary"


def test_breaks_never_count_even_with_a_check_in() -> None:
    day = [here(1, "09:00", topic=None), here(2, "10:00"), here(3, "10:50", topic=None), here(4, "11:10")]
    tally = count_minutes(DAYPLAN, day, min_minutes=15)
    assert tally.minutes == 60 + 50 + 50
    assert [item["start"] for item in tally.items] == ["09:00", "10:00", "11:10"]


def test_overlapping_slots_count_their_overlap_once() -> None:
    plan = [span(1, "09:00", "10:00"), span(2, "09:30", "10:30"), span(3, "12:00", "12:30")]
    presences = [here(1, "09:00", "09:30", "A"), here(2, "09:30", None, "B"), here(3, "12:00", None, "C")]
    tally = count_minutes(plan, presences, min_minutes=15)
    assert [item["minutes"] for item in tally.items] == [60, 60, 30]
    assert tally.minutes == 90 + 30  # 09:00-10:30 and 12:00-12:30


def test_check_ins_outside_the_slot_are_clipped_to_it() -> None:
    early = [Presence(2, t("09:40"), t("10:10"), "A")]  # 10 minutes inside the slot, 20 before it
    assert count_minutes(DAYPLAN, early, min_minutes=15).minutes == 0
    assert count_minutes(DAYPLAN, [Presence(2, t("09:40"), t("10:20"), "A")], min_minutes=15).minutes == 50


def test_a_slot_shorter_than_the_minimum_counts_when_present_for_all_of_it() -> None:
    plan = [span(1, "09:00", "09:10", SlotKind.plenary, title="Welcome")]
    assert count_minutes(plan, [here(1, "09:00", topic=None)], min_minutes=15).minutes == 10
    assert count_minutes(plan, [here(1, "09:01", topic=None)], min_minutes=15).minutes == 0


def test_check_ins_of_unknown_slots_and_empty_days_count_nothing() -> None:
    assert count_minutes(DAYPLAN, [here(99, "10:00")], min_minutes=15).minutes == 0
    assert count_minutes([], [], min_minutes=15).items == []


def test_naive_times_read_as_utc_as_sqlite_gives_them_back() -> None:
    naive = Presence(2, t("10:00").replace(tzinfo=None), None, "A")
    assert count_minutes(DAYPLAN, [naive], min_minutes=15).minutes == 50


@pytest.mark.parametrize(("zone", "utc_hour"), [("America/Los_Angeles", 17), ("Europe/Madrid", 8), ("Nowhere/Else", 9)])
def test_slot_times_are_read_in_the_event_zone(zone: str, utc_hour: int) -> None:
    moment = at_local(date(2027, 3, 13), "09:00", zone_of(zone))
    assert moment is not None and moment.astimezone(UTC).hour == utc_hour
    assert at_local(date(2027, 3, 13), "9h", zone_of(zone)) is None
