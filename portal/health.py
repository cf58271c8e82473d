from __future__ import annotations

from django.conf import settings


def broker_is_reachable() -> bool:
    """True if the Celery broker accepts a connection within two seconds."""
    from portal.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # noqa: BLE001 - any failure means unreachable
        return False


def broker_description() -> str:
    return "redis" if settings.REDIS_URL else "filesystem"
