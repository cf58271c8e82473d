"""The regulator's reporting year, which every measures page is read for.

The Tenant Satisfaction Measures and the Complaint Handling Code's annual return run from
1 April to 31 March, in Europe/London days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from kernel.formatting import LONDON

# How far back the year picker on a measures page reaches.
YEARS_OFFERED = 5
# Records before this year were never held in the portal; nobody asks for them.
EARLIEST_FIRST_YEAR = 2000


@dataclass(frozen=True)
class ReportingYear:
    """The regulator's year, 1 April to 31 March, in Europe/London."""

    first_year: int

    @property
    def label(self) -> str:
        return f"{self.first_year} to {self.first_year + 1}"

    @property
    def starts(self) -> dt.date:
        return dt.date(self.first_year, 4, 1)

    @property
    def ends(self) -> dt.date:
        return dt.date(self.first_year + 1, 3, 31)

    @property
    def start_at(self) -> dt.datetime:
        return dt.datetime(self.first_year, 4, 1, tzinfo=LONDON)

    @property
    def end_at(self) -> dt.datetime:
        """The first moment after the year (exclusive bound)."""
        return dt.datetime(self.first_year + 1, 4, 1, tzinfo=LONDON)

    def has_ended(self, today: dt.date) -> bool:
        return today > self.ends

    def within(self, field_name: str) -> Q:
        return Q(**{f"{field_name}__gte": self.start_at, f"{field_name}__lt": self.end_at})


def reporting_year_containing(day: dt.date) -> ReportingYear:
    return ReportingYear(day.year if day.month >= 4 else day.year - 1)


def reporting_year_chosen(value: str | None, *, today: dt.date) -> ReportingYear:
    """The year a manager picked (``?year=2025`` is 1 April 2025 to 31 March 2026); the year
    holding ``today`` when nothing, nonsense or a year not yet begun was asked for."""
    current = reporting_year_containing(today)
    try:
        first_year = int(value or current.first_year)
    except ValueError:
        return current
    if not EARLIEST_FIRST_YEAR <= first_year <= current.first_year:
        return current
    return ReportingYear(first_year)


def reporting_years_offered(today: dt.date) -> list[ReportingYear]:
    """The year holding ``today`` and the ones before it, newest first, for the year picker."""
    current = reporting_year_containing(today)
    return [ReportingYear(current.first_year - n) for n in range(YEARS_OFFERED)]
