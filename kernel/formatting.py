"""Dates and times as people read them, in one style everywhere: "8am", "11:51pm",
"Tuesday 8 December 2026", "Tuesday 8 December 2026 at 11:51pm" (GOV.UK style: no leading zero,
no ":00", "am"/"pm" without dots, "midnight" and "midday").

Always the Europe/London calendar and clock, whatever UTC says: a repair reported at 00:30 on a
summer night was reported that night here, not the evening before. Templates use the same
functions as filters (``kernel.templatetags``), so a page, a letter, an email and a text message
cannot drift into different styles.

A ``datetime.date`` is a calendar day already and is not converted; a ``datetime.datetime`` is
converted to London time. Anything else (``None``, an empty value) reads as an empty string, as
Django's own ``date`` filter does, so that ``|default:"-"`` still works after a filter.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

Moment = dt.datetime | dt.date


def _local_time(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        # Django hands out aware datetimes; a naive one can only be a London wall-clock time.
        return moment.replace(tzinfo=LONDON)
    return moment.astimezone(LONDON)


def _local(moment: Moment) -> Moment:
    return _local_time(moment) if isinstance(moment, dt.datetime) else moment


def london_time(moment: Moment | None) -> str:
    """``8am``, ``11:51pm``, ``midnight``, ``midday``."""
    if not isinstance(moment, dt.datetime):
        return ""
    local = _local_time(moment)
    if local.minute == 0 and local.hour in (0, 12):
        return "midnight" if local.hour == 0 else "midday"
    hour = local.hour % 12 or 12
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{hour}{minutes}{'am' if local.hour < 12 else 'pm'}"


def london_date(moment: Moment | None) -> str:
    """``Tuesday 8 December 2026``."""
    if not isinstance(moment, dt.date):
        return ""
    local = _local(moment)
    return f"{local:%A} {local.day} {local:%B %Y}"


def london_datetime(moment: Moment | None) -> str:
    """``Tuesday 8 December 2026 at 11:51pm``."""
    if not isinstance(moment, dt.datetime):
        return london_date(moment)
    return f"{london_date(moment)} at {london_time(moment)}"


def london_short_date(moment: Moment | None) -> str:
    """``8 Dec 2026``: only where a long date does not fit (a column of a staff table)."""
    if not isinstance(moment, dt.date):
        return ""
    local = _local(moment)
    return f"{local.day} {local:%b %Y}"


def london_short_datetime(moment: Moment | None) -> str:
    """``8 Dec 2026 at 11:51pm``: only where a long date does not fit."""
    if not isinstance(moment, dt.datetime):
        return london_short_date(moment)
    return f"{london_short_date(moment)} at {london_time(moment)}"


def london_month(moment: Moment | None) -> str:
    """``December 2026``."""
    if not isinstance(moment, dt.date):
        return ""
    return f"{_local(moment):%B %Y}"


def iso_date(moment: Moment | None) -> str:
    """``2026-12-08``: for machines (a date input's value, a ``<time datetime>``), never for
    people."""
    if not isinstance(moment, dt.date):
        return ""
    if isinstance(moment, dt.datetime):
        return _local_time(moment).date().isoformat()
    return moment.isoformat()


def iso_datetime(moment: Moment | None) -> str:
    """``2026-12-08T23:51:00+00:00``: for machines (``<time datetime>``), never for people."""
    if not isinstance(moment, dt.datetime):
        return iso_date(moment)
    return _local_time(moment).isoformat(timespec="seconds")
