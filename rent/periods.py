"""Charge periods and what each costs: pure functions, no database.

A weekly account is charged for each week from Monday to Sunday, a monthly one for each
calendar month, in advance on the period's first day. A tenancy that starts or ends part way
through a period is charged for its days only: a week's charge times days/7, a month's times
days over the month's days, rounded to the nearest penny (half a penny up). A rent-free week
charges nothing.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from rent.models import ChargeFrequency, months_after, week_start


@dataclass(frozen=True)
class Period:
    start: dt.date  # first day charged (the tenancy's first day for a part period)
    end: dt.date  # last day charged
    full_start: dt.date
    full_end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def full_days(self) -> int:
        return (self.full_end - self.full_start).days + 1

    @property
    def is_part(self) -> bool:
        return self.days != self.full_days


def full_period_containing(day: dt.date, frequency: str) -> tuple[dt.date, dt.date]:
    if frequency == ChargeFrequency.WEEKLY:
        start = week_start(day)
        return start, start + dt.timedelta(days=6)
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def periods_between(
    *, frequency: str, first_day: dt.date, last_day: dt.date | None, up_to: dt.date
) -> Iterator[Period]:
    """The periods to charge from ``first_day`` whose first day is on or before ``up_to``,
    clipped to ``last_day`` (the tenancy's end, if it has one)."""
    day = first_day
    while day <= up_to and (last_day is None or day <= last_day):
        full_start, full_end = full_period_containing(day, frequency)
        end = full_end if last_day is None else min(full_end, last_day)
        yield Period(start=day, end=end, full_start=full_start, full_end=full_end)
        day = full_end + dt.timedelta(days=1)


def part_of(amount_pence: int, period: Period) -> int:
    if not period.is_part:
        return amount_pence
    share = Decimal(amount_pence) * period.days / period.full_days
    return int(share.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def next_period_start(*, frequency: str, charged_to: dt.date | None, first_day: dt.date) -> dt.date:
    if charged_to is None:
        return first_day
    return charged_to + dt.timedelta(days=1)


def one_calendar_month_after(day: dt.date) -> dt.date:
    """The same date next month, or that month's last day when it has no such date."""
    return months_after(day, 1)


def pence_from_pounds(text: str) -> int:
    """``"12.34"`` (or ``"£1,012.34"``) as 1234 pence. Raises ``ValueError`` for anything that
    is not an amount of pounds with at most two decimal places."""
    cleaned = text.strip().replace("£", "").replace(",", "")
    if not cleaned or cleaned.count(".") > 1:
        raise ValueError(text)
    whole, _, fraction = cleaned.partition(".")
    if not whole.lstrip("-").isdigit() or (fraction and not fraction.isdigit()):
        raise ValueError(text)
    if len(fraction) > 2:
        raise ValueError(text)
    amount = Decimal(cleaned)
    return int((amount * 100).to_integral_exact())


def pounds(pence: int) -> str:
    """1234 as ``£12.34``; -1234 as ``-£12.34``."""
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(pence), 100)
    return f"{sign}£{whole:,}.{part:02d}"
