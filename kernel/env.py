"""Reading configuration from the environment, failing loudly on a value we cannot understand.

A typo such as ``DEBUG=ture`` must stop the process at start-up rather than quietly run a
production server in the wrong mode.
"""

from __future__ import annotations

import os
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


def require_secret_key() -> None:
    """Stop a serving process (web, ASGI, Celery) that has no SECRET_KEY with DEBUG off."""
    from django.conf import settings

    try:
        present = bool(settings.SECRET_KEY)
    except ImproperlyConfigured:  # Django's own refusal of an empty key, reworded for operators
        present = False
    if not present:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
