"""The working-day calendar and the due time of every clock.

A working day is Monday to Friday, except England and Wales bank holidays and the closure days
managers add in the admin. The bank holidays come from the ``holidays`` package (country GB,
subdivision ENG), which includes the two common-law holidays statutes name separately (Christmas
Day and Good Friday) and the substitute days (Mon 28 Dec 2026; Mon 27 and Tue 28 Dec 2027;
Mon 3 Jan 2028). That is the statutory meaning of "working day" in English drafting (FOIA
s10(6)), which we use for the Complaint Handling Code and Awaab's Law as well, since neither
defines the term.

Counting rules (regulation notes, section 0.3):

- Day 0 is the Europe/London date of the triggering event, whatever day that is: a complaint
  that arrives at 23:30 on a Saturday has day 0 on that Saturday, and day 1 is the Monday.
- A day-based clock (working days, calendar days, weeks, months) ends at 23:59:59 Europe/London
  on its last day: "within 3 working days" means the customer may hear from us any time on the
  third working day.
- Hours and minutes are exact elapsed time, 24/7, computed in UTC. Python's arithmetic on an
  aware datetime in a zone with summer time is wall-clock arithmetic (09:00 + 24h across the
  spring change would give 09:00, which is only 23 real hours later), so we convert first.
- A calendar month ends on the same date N months later, or the month's last day when there is
  no such date (31 Jan + 1 month = 28 or 29 Feb), then rolls forward to the next working day:
  the ICO's rule for UK GDPR subject access requests.
- A safety interval in months (``interval_months``: gas, electrical, fire risk assessment) ends
  on the same corresponding date but never rolls forward: "at intervals of not more than 12
  months" (Gas Safety (Installation and Use) Regulations 1998, reg 36) cannot be stretched by a
  bank holiday, so a check due on Christmas Day is due on Christmas Day.

The calendar is built once per process into a sorted array of working days (and a byte per day
for ``is_working_day``), covering a window of years that widens on demand. Counting is then a
binary search: no loop over days and no database query per day. Closure days are the only
database read, once per build. A build in this process is thrown away at once when closure days
change here (``reset_cache``, called by the admin and the closure-day services, also on commit);
other processes (web workers, Celery workers) re-read closure days at most
``CLOSURE_DAYS_MAX_AGE`` seconds later, which is ample for a closure day added days ahead.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from bisect import bisect_right
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import holidays
from django.db import transaction

from sla.models import ClockType, ClosureDay

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC

# Other processes see a closure day added in the admin within this many seconds.
CLOSURE_DAYS_MAX_AGE = 300.0
# A new build covers the requested years plus this many either side, so that ordinary use
# (clocks started this year, running into the next) never rebuilds.
_MARGIN_YEARS = 3
# A working year has about 252 working days; used only to size a widened window.
_MIN_WORKING_DAYS_PER_YEAR = 240

_END_OF_DAY = dt.time(23, 59, 59)
_FIRST_ORDINAL = dt.date.min.toordinal()
_LAST_ORDINAL = dt.date.max.toordinal()

_WORKING_DAYS = ClockType.WORKING_DAYS.value
_CALENDAR_DAYS = ClockType.CALENDAR_DAYS.value
_CALENDAR_MONTHS = ClockType.CALENDAR_MONTHS.value
_INTERVAL_MONTHS = ClockType.INTERVAL_MONTHS.value
_WEEKS = ClockType.WEEKS.value
_HOURS = ClockType.HOURS.value
_MINUTES = ClockType.MINUTES.value


@dataclass(frozen=True, slots=True)
class _Calendar:
    """An immutable snapshot; replaced whole, so readers on other threads never see half."""

    first_year: int
    last_year: int
    first_ordinal: int  # 1 January of first_year
    last_ordinal: int  # 31 December of last_year
    is_working: bytes  # is_working[ordinal - first_ordinal] == 1 on a working day
    working_ordinals: tuple[int, ...]  # every working day in the window, ascending
    closure_days: frozenset[dt.date]  # all of them, so widening the window needs no query
    loaded_at: float  # time.monotonic() when closure days were read


_current: _Calendar | None = None
_build_lock = threading.Lock()


def reset_cache() -> None:
    """Forget the calendar; the next call rebuilds it (reading closure days once)."""
    global _current
    _current = None


def reset_cache_now_and_on_commit() -> None:
    """For code that changes closure days inside a transaction.

    Reset now, so later code in this transaction sees the change, and again on commit, because
    another thread may have rebuilt from the old rows in between.
    """
    reset_cache()
    transaction.on_commit(reset_cache)


def _bank_holidays(first_year: int, last_year: int) -> set[dt.date]:
    return set(
        holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    )


def _build(first_year: int, last_year: int, closure_days: frozenset[dt.date] | None) -> _Calendar:
    loaded_at = time.monotonic()
    if closure_days is None:
        closure_days = frozenset(ClosureDay.objects.values_list("date", flat=True))
    closed = _bank_holidays(first_year, last_year) | closure_days
    first_ordinal = dt.date(first_year, 1, 1).toordinal()
    last_ordinal = dt.date(last_year, 12, 31).toordinal()
    closed_ordinals = {day.toordinal() for day in closed}
    flags = bytearray(last_ordinal - first_ordinal + 1)
    working: list[int] = []
    for ordinal in range(first_ordinal, last_ordinal + 1):
        # Ordinal 1 (1 January of year 1) was a Monday, so (ordinal - 1) % 7 is 0 on Mondays.
        if (ordinal - 1) % 7 < 5 and ordinal not in closed_ordinals:
            flags[ordinal - first_ordinal] = 1
            working.append(ordinal)
    return _Calendar(
        first_year=first_year,
        last_year=last_year,
        first_ordinal=first_ordinal,
        last_ordinal=last_ordinal,
        is_working=bytes(flags),
        working_ordinals=tuple(working),
        closure_days=closure_days,
        loaded_at=loaded_at,
    )


def _calendar_covering(first: int, last: int) -> _Calendar:
    """A calendar whose window includes the ordinals ``first`` to ``last``."""
    cal = _current
    if (
        cal is not None
        and cal.first_ordinal <= first
        and last <= cal.last_ordinal
        and time.monotonic() - cal.loaded_at < CLOSURE_DAYS_MAX_AGE
    ):
        return cal
    return _rebuild(first, last)


def _rebuild(first: int, last: int) -> _Calendar:
    global _current
    with _build_lock:
        cal = _current
        first_year = max(dt.MINYEAR, dt.date.fromordinal(first).year - _MARGIN_YEARS)
        last_year = min(dt.MAXYEAR, dt.date.fromordinal(last).year + _MARGIN_YEARS)
        closure_days = None
        if cal is not None:
            if time.monotonic() - cal.loaded_at < CLOSURE_DAYS_MAX_AGE:
                if cal.first_ordinal <= first and last <= cal.last_ordinal:
                    return cal  # another thread built it while this one waited for the lock
                closure_days = cal.closure_days  # still fresh: widening needs no query
            # Widen, never narrow: a process serving clocks for 2026 and 2031 keeps both.
            first_year, last_year = min(first_year, cal.first_year), max(last_year, cal.last_year)
        _current = _build(first_year, last_year, closure_days)
        return _current


def is_working_day(day: dt.date) -> bool:
    """True on Monday to Friday unless a bank holiday (England and Wales) or a closure day."""
    ordinal = day.toordinal()
    cal = _calendar_covering(ordinal, ordinal)
    return cal.is_working[ordinal - cal.first_ordinal] == 1


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The Nth working day after ``day`` (day 0, which need not be a working day itself).

    ``n == 0`` returns ``day``. A negative ``n`` counts back: the result is the working day
    with ``working_days_between(result, day) == -n``.
    """
    if n == 0:
        return day
    ordinal = day.toordinal()
    span = abs(n) * 7 // 5 + 14  # weekends plus a generous allowance for holidays
    cal = _calendar_covering(
        max(_FIRST_ORDINAL, ordinal - (span if n < 0 else 0)),
        min(_LAST_ORDINAL, ordinal + (span if n > 0 else 0)),
    )
    while True:
        # Working days up to and including ``day``, then step n of them on.
        index = bisect_right(cal.working_ordinals, ordinal) + n - 1
        if 0 <= index < len(cal.working_ordinals):
            return dt.date.fromordinal(cal.working_ordinals[index])
        # Only a run of closure days longer than the allowance gets here: widen and retry.
        years = abs(n) // _MIN_WORKING_DAYS_PER_YEAR + 1
        wider = _calendar_covering(
            dt.date(max(dt.MINYEAR, cal.first_year - years), 1, 1).toordinal(),
            dt.date(min(dt.MAXYEAR, cal.last_year + years), 12, 31).toordinal(),
        )
        if len(wider.working_ordinals) == len(cal.working_ordinals):
            raise OverflowError(f"{n} working days from {day} is outside the calendar.")
        cal = wider


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if end < start).

    The inverse of ``add_working_days``: ``working_days_between(d, add_working_days(d, n)) == n``.
    """
    first, last = sorted((start.toordinal(), end.toordinal()))
    cal = _calendar_covering(first, last)
    working = cal.working_ordinals
    return bisect_right(working, end.toordinal()) - bisect_right(working, start.toordinal())


def add_months(day: dt.date, months: int) -> dt.date:
    """The corresponding date ``months`` later, or that month's last day if there is none
    (31 January + 1 month = 28 or 29 February)."""
    year, month_0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    next_year, next_month_0 = divmod(year * 12 + month_0 + 1, 12)
    days_in_month = (dt.date(next_year, next_month_0 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month_0 + 1, min(day.day, days_in_month))


def end_of_local_day(day: dt.date) -> dt.datetime:
    """23:59:59 Europe/London on ``day``, in UTC (22:59:59 UTC in summer time).

    The clocks change at 01:00 UTC, so 23:59:59 local always exists and is never ambiguous.
    """
    return dt.datetime.combine(day, _END_OF_DAY, tzinfo=LONDON).astimezone(UTC)


def due_at(clock: str, amount: int, started_at: dt.datetime) -> dt.datetime:
    """When a clock of ``amount`` ``clock`` units started at ``started_at`` runs out (UTC).

    ``clock`` is a ``sla.models.ClockType`` value. ``started_at`` must be aware.
    """
    if started_at.utcoffset() is None:
        raise ValueError("started_at must be an aware datetime (store UTC, never naive).")
    if amount < 0:
        raise ValueError(f"A clock cannot run for a negative amount ({amount}).")
    if clock == _HOURS:
        return started_at.astimezone(UTC) + dt.timedelta(hours=amount)
    if clock == _MINUTES:
        return started_at.astimezone(UTC) + dt.timedelta(minutes=amount)
    day_0 = started_at.astimezone(LONDON).date()
    if clock == _WORKING_DAYS:
        last_day = add_working_days(day_0, amount)
    elif clock == _CALENDAR_DAYS:
        last_day = day_0 + dt.timedelta(days=amount)
    elif clock == _WEEKS:
        last_day = day_0 + dt.timedelta(weeks=amount)
    elif clock == _CALENDAR_MONTHS:
        last_day = add_months(day_0, amount)
        if not is_working_day(last_day):
            last_day = add_working_days(last_day, 1)
    elif clock == _INTERVAL_MONTHS:
        last_day = add_months(day_0, amount)
    else:
        raise ValueError(f"Unknown clock type {clock!r}.")
    return end_of_local_day(last_day)
