"""Dates and times read one way everywhere, in London time: "8am", "11:51pm",
"Tuesday 8 December 2026", "Tuesday 8 December 2026 at 11:51pm"."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines

from kernel.formatting import (
    LONDON,
    iso_date,
    iso_datetime,
    london_date,
    london_datetime,
    london_month,
    london_short_date,
    london_short_datetime,
    london_time,
)


def london(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (london(2026, 12, 8, 0, 0), "midnight"),
        (london(2026, 12, 8, 0, 5), "12:05am"),
        (london(2026, 12, 8, 8, 0), "8am"),
        (london(2026, 12, 8, 8, 0, 59), "8am"),
        (london(2026, 12, 8, 9, 30), "9:30am"),
        (london(2026, 12, 8, 12, 0), "midday"),
        (london(2026, 12, 8, 12, 1), "12:01pm"),
        (london(2026, 12, 8, 23, 51), "11:51pm"),
        (london(2026, 12, 8, 23, 59, 59), "11:59pm"),
    ],
)
def test_a_time_of_day_reads_without_dots_or_noughts(moment, expected):
    assert london_time(moment) == expected


def test_a_late_evening_reads_as_one_date_and_time():
    moment = london(2026, 12, 8, 23, 51)

    assert london_date(moment) == "Tuesday 8 December 2026"
    assert london_datetime(moment) == "Tuesday 8 December 2026 at 11:51pm"
    assert london_short_date(moment) == "8 Dec 2026"
    assert london_short_datetime(moment) == "8 Dec 2026 at 11:51pm"
    assert london_month(moment) == "December 2026"


def test_utc_is_read_on_the_london_clock_in_summer():
    # 23:30 UTC on a July evening is already the next morning in London.
    moment = dt.datetime(2026, 7, 8, 23, 30, tzinfo=dt.UTC)

    assert london_datetime(moment) == "Thursday 9 July 2026 at 12:30am"
    assert iso_date(moment) == "2026-07-09"
    assert iso_datetime(moment) == "2026-07-09T00:30:00+01:00"


@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        # Clocks go forward at 1am GMT on Sunday 29 March 2026.
        ((2026, 3, 29, 0, 59), "Sunday 29 March 2026 at 12:59am"),
        ((2026, 3, 29, 1, 0), "Sunday 29 March 2026 at 2am"),
        # Clocks go back at 1am GMT on Sunday 25 October 2026: 1:30am happens twice.
        ((2026, 10, 25, 0, 30), "Sunday 25 October 2026 at 1:30am"),
        ((2026, 10, 25, 1, 30), "Sunday 25 October 2026 at 1:30am"),
        ((2026, 10, 25, 2, 0), "Sunday 25 October 2026 at 2am"),
    ],
)
def test_clock_change_days_read_the_london_wall_clock(utc, expected):
    assert london_datetime(dt.datetime(*utc, tzinfo=dt.UTC)) == expected


def test_a_calendar_day_is_not_shifted_by_time_zones():
    day = dt.date(2026, 12, 8)

    assert london_date(day) == "Tuesday 8 December 2026"
    assert london_datetime(day) == "Tuesday 8 December 2026"
    assert london_short_date(day) == "8 Dec 2026"
    assert london_time(day) == ""
    assert iso_date(day) == iso_datetime(day) == "2026-12-08"


@pytest.mark.parametrize("nothing", [None, "", "not a date", 0])
def test_no_date_reads_as_nothing_rather_than_an_error(nothing):
    for format_ in (london_time, london_date, london_datetime, london_short_date, iso_datetime):
        assert format_(nothing) == ""


def test_every_template_has_the_filters_without_loading_them():
    template = engines["django"].from_string(
        '<time datetime="{{ at|iso_datetime }}">{{ at|london_datetime }}</time>, '
        "{{ at|london_time }}, {{ missing|london_date|default:'-' }}"
    )

    html = template.render({"at": dt.datetime(2026, 12, 8, 20, 0, tzinfo=dt.UTC)})

    assert html == (
        '<time datetime="2026-12-08T20:00:00+00:00">Tuesday 8 December 2026 at 8pm</time>, 8pm, -'
    )


TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"
# Django's own formatting: each would print a date or time in a style of its own.
OWN_FORMATS = re.compile(r"\|\s*(date|time)\b|\{%\s*now\b")


def test_no_template_formats_a_date_its_own_way():
    found = [
        f"{path.relative_to(TEMPLATES_DIR)}:{number}: {line.strip()[:120]}"
        for path in sorted(TEMPLATES_DIR.rglob("*"))
        if path.is_file()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if OWN_FORMATS.search(line)
    ]

    assert found == [], "Use the filters of kernel.formatting instead:\n" + "\n".join(found)
