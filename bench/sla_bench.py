"""Calendar benchmark: how many due times the clock engine computes per second.

    DJANGO_SETTINGS_MODULE=portal.settings DEBUG=true .venv/bin/python bench/sla_bench.py

Prints one line per figure. The target is over 50,000 ``due_at`` calls a second for the
working-day and hour clocks: every deadline started, every extension preview and every bulk
seed goes through it. Start times are spread over two years (both clock changes, Easter and
Christmas included) so the figure is not one cached answer. The calendar is loaded once before
timing (one query for the closure days); no call in the timed loop touches the database.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from sla import calendar  # noqa: E402
from sla.models import ClockType  # noqa: E402

SECONDS_PER_FIGURE = 1.5
SAMPLE = 20_000


def _starts() -> list[dt.datetime]:
    rng = random.Random(20260402)
    first = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    span = int(dt.timedelta(days=730).total_seconds())
    return [first + dt.timedelta(seconds=rng.randrange(span)) for _ in range(SAMPLE)]


def _rate(call, starts: list[dt.datetime]) -> float:
    calls = 0
    began = time.perf_counter()
    deadline = began + SECONDS_PER_FIGURE
    while time.perf_counter() < deadline:
        for started in starts:
            call(started)
        calls += len(starts)
    return calls / (time.perf_counter() - began)


def main() -> None:
    starts = _starts()
    calendar.reset_cache()
    calendar.due_at(ClockType.WORKING_DAYS, 1, starts[0])  # load the calendar once
    figures = [
        ("calendar due_at working_days (10)", ClockType.WORKING_DAYS.value, 10),
        ("calendar due_at hours (24)", ClockType.HOURS.value, 24),
        ("calendar due_at calendar_days (28)", ClockType.CALENDAR_DAYS.value, 28),
        ("calendar due_at calendar_months (1)", ClockType.CALENDAR_MONTHS.value, 1),
    ]
    with CaptureQueriesContext(connection) as queries:
        for label, clock, amount in figures:
            rate = _rate(lambda started, c=clock, a=amount: calendar.due_at(c, a, started), starts)
            print(f"{label}: {rate:,.0f} calls/s")
        days = [started.date() for started in starts]
        rate = _rate(lambda started: calendar.add_working_days(started.date(), 15), starts)
        print(f"calendar add_working_days (15): {rate:,.0f} calls/s")
        rate = _rate(lambda started: calendar.working_days_between(days[0], started.date()), starts)
        print(f"calendar working_days_between: {rate:,.0f} calls/s")
    print(f"database queries during the timed calls: {len(queries)}")


if __name__ == "__main__":
    main()
