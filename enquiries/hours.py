"""When the web chat is staffed.

``settings.CHAT_SERVICE_HOURS`` sets the days and times, in the office's time zone; bank holidays
and the closure days managers add in the admin are closed whatever the days say, because
nobody is in the office to pick a chat up. The 2-minute acknowledgement clock only runs for a
chat opened in these hours: outside them the customer is told so and offered an enquiry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from sla.calendar import is_working_day

DEFAULT_CHAT_SERVICE_HOURS = {
    "days": [0, 1, 2, 3, 4],  # Monday to Friday (Python's weekday numbers)
    "opens": "08:00",
    "closes": "18:00",
    "timezone": "Europe/London",
}
DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass(frozen=True)
class ServiceHours:
    days: frozenset[int]
    opens: dt.time
    closes: dt.time
    zone: ZoneInfo

    def is_open(self, at: dt.datetime) -> bool:
        local = at.astimezone(self.zone)
        return self._open_on(local.date()) and self.opens <= local.time() < self.closes

    def _open_on(self, day: dt.date) -> bool:
        # A weekday that is not a working day is a bank holiday or a closure day. Weekend days
        # are open only if the setting names them (bank holidays never fall on them: the
        # substitute day is a weekday).
        if day.weekday() not in self.days:
            return False
        return day.weekday() >= 5 or is_working_day(day)

    def next_opening(self, after: dt.datetime) -> dt.datetime:
        """The next time the chat opens after ``after`` (aware), looking up to a month ahead."""
        local = after.astimezone(self.zone)
        for offset in range(0, 32):
            day = local.date() + dt.timedelta(days=offset)
            if not self._open_on(day):
                continue
            opening = dt.datetime.combine(day, self.opens, tzinfo=self.zone)
            if opening > local:
                return opening
        raise ImproperlyConfigured("CHAT_SERVICE_HOURS opens on no day in the next month.")

    def describe(self) -> str:
        """``Monday to Friday, 8am to 6pm (not on bank holidays)``."""
        days = sorted(self.days)
        if days == list(range(days[0], days[-1] + 1)) and len(days) > 1:
            day_text = f"{DAY_NAMES[days[0]]} to {DAY_NAMES[days[-1]]}"
        else:
            day_text = ", ".join(DAY_NAMES[d] for d in days)
        return f"{day_text}, {_clock(self.opens)} to {_clock(self.closes)} (not on bank holidays)"


def _clock(value: dt.time) -> str:
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def _parse_time(value: str, name: str) -> dt.time:
    try:
        return dt.time.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(f"CHAT_SERVICE_HOURS['{name}'] must be HH:MM.") from exc


def chat_service_hours() -> ServiceHours:
    """The configured hours; a bad setting fails loudly rather than leaving the chat shut."""
    raw = {**DEFAULT_CHAT_SERVICE_HOURS, **getattr(settings, "CHAT_SERVICE_HOURS", {})}
    days = frozenset(int(d) for d in raw["days"])
    if not days or not days <= set(range(7)):
        raise ImproperlyConfigured("CHAT_SERVICE_HOURS['days'] must be weekday numbers 0-6.")
    opens = _parse_time(raw["opens"], "opens")
    closes = _parse_time(raw["closes"], "closes")
    if closes <= opens:
        raise ImproperlyConfigured("CHAT_SERVICE_HOURS must close after it opens.")
    return ServiceHours(days=days, opens=opens, closes=closes, zone=ZoneInfo(raw["timezone"]))


def chat_is_open(at: dt.datetime | None = None) -> bool:
    return chat_service_hours().is_open(at or timezone.now())
