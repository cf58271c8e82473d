"""Dates as the customer reads them: always the Europe/London calendar, whatever UTC says."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def london_date(moment: dt.datetime) -> str:
    """``Thursday 9 April 2026``."""
    local = moment.astimezone(LONDON)
    return f"{local:%A} {local.day} {local:%B %Y}"


def london_datetime(moment: dt.datetime) -> str:
    """``Thursday 9 April 2026 at 5:30pm``."""
    local = moment.astimezone(LONDON)
    hour = local.hour % 12 or 12
    return f"{london_date(local)} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"
