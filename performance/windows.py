"""The reporting windows of the manager dashboard, in Europe/London days.

Every window starts at a local midnight and ends at "now", so a window is a run of closed days
(read from the rollups) followed by today (computed live).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from kernel.reporting import reporting_year_containing

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC

LAST_DAYS = 30
# Weeks of history the weekly trend shows by default; the rollups keep at least this many.
TREND_WEEKS = 12


@dataclass(frozen=True)
class Window:
    key: str
    label: str
    first_day: dt.date  # Europe/London date of the first day
    start: dt.datetime  # aware, UTC: local midnight at the start of first_day
    end: dt.datetime  # aware, UTC: now


def local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LONDON).date()


def local_midnight(day: dt.date) -> dt.datetime:
    """The instant (UTC) the Europe/London day begins. Midnight always exists in London: the
    clocks change at 01:00 UTC."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=LONDON).astimezone(UTC)


def week_start(day: dt.date) -> dt.date:
    """The Monday of the week holding ``day``."""
    return day - dt.timedelta(days=day.weekday())


def reporting_year_start(day: dt.date) -> dt.date:
    """1 April of the reporting year (1 April to 31 March) that holds ``day``."""
    return reporting_year_containing(day).starts


def reporting_year_label(day: dt.date) -> str:
    return reporting_year_containing(day).label


def dashboard_windows(now: dt.datetime) -> list[Window]:
    """This week (from Monday), the last 30 days (today and the 29 days before it) and this
    reporting year (from 1 April), each from a local midnight to ``now``."""
    today = local_date(now)
    firsts = [
        ("week", "This week", week_start(today)),
        ("last_30_days", f"Last {LAST_DAYS} days", today - dt.timedelta(days=LAST_DAYS - 1)),
        (
            "year",
            f"This reporting year ({reporting_year_label(today)})",
            reporting_year_start(today),
        ),
    ]
    return [
        Window(key=key, label=label, first_day=first, start=local_midnight(first), end=now)
        for key, label, first in firsts
    ]


def rollup_horizon(today: dt.date) -> dt.date:
    """The earliest day anything reads from the rollups: they are kept complete from here on.

    The start of the previous reporting year: the published pages and the annual customer
    report read last year whole, and the Board report's 13 months reach into it. It is earlier
    than every window of the dashboard (this year, 30 days, 12 weeks). See
    docs/decisions/0028-published-figures-from-rollups.md.
    """
    trend_first = week_start(today) - dt.timedelta(weeks=TREND_WEEKS - 1)
    previous_year_start = reporting_year_containing(
        reporting_year_start(today) - dt.timedelta(days=1)
    ).starts
    return min(
        previous_year_start,
        reporting_year_start(today),
        today - dt.timedelta(days=LAST_DAYS - 1),
        trend_first,
    )


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(first_of_month: dt.date, months: int) -> dt.date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)
