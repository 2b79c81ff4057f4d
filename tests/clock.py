"""Time zones for tests about "now": a test must not depend on the hour at which CI happens to run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def midday_zone(now: datetime | None = None) -> tuple[str, datetime]:
    """A fixed-offset time zone where it is about noon now, and the local time there.

    A slot from 00:00 to 23:59 of that local day, or a few hours around the local time, contains
    "now" whatever the hour in UTC (a run at 23:59 UTC once found no session running).
    """
    now = now or datetime.now(UTC)
    offset = (12 - now.hour + 12) % 24 - 12  # -12..11
    name = "UTC" if offset == 0 else f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"
    return name, now + timedelta(hours=offset)
