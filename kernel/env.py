"""Reading configuration from the environment, failing loudly on a value we cannot understand.

A typo such as ``DEBUG=ture`` must stop the process at start-up rather than quietly run a
production server in the wrong mode.
"""

from __future__ import annotations

import os
import re
from typing import overload

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@overload
def env_str(name: str) -> str | None: ...
@overload
def env_str(name: str, default: str) -> str: ...
def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use true or false.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def env_weekdays(name: str, default: list[int]) -> list[int]:
    """Days of the week as Python's weekday numbers (Monday is 0), from ``mon,tue,wed``."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    days = [item.strip().lower()[:3] for item in raw.split(",") if item.strip()]
    unknown = [day for day in days if day not in WEEKDAYS]
    if unknown:
        raise ImproperlyConfigured(
            f"{name}={raw!r} names no weekday in {unknown}; use mon, tue, wed, thu, fri, sat, sun."
        )
    return sorted({WEEKDAYS.index(day) for day in days})


def env_time(name: str, default: str) -> str:
    """A time of day as ``HH:MM`` (24-hour clock)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    if not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", raw.strip()):
        raise ImproperlyConfigured(f"{name}={raw!r} is not a time of day; use HH:MM, e.g. 08:00.")
    return raw.strip()


def require_secret_key() -> None:
    """Stop a serving process (web, ASGI, Celery) that has no SECRET_KEY with DEBUG off."""
    from django.conf import settings

    try:
        present = bool(settings.SECRET_KEY)
    except ImproperlyConfigured:  # Django's own refusal of an empty key, reworded for operators
        present = False
    if not present:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
