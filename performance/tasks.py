"""Celery tasks of the performance app. Thin: one service call each."""

from __future__ import annotations

from celery import shared_task

from performance import services


@shared_task(name="performance.tasks.refresh_rollups", ignore_result=True)
def refresh_rollups() -> int:
    """Every five minutes (portal/celery.py): recompute the rollups of recent closed days, and
    of every day the dashboard reads on the first run of each day."""
    return services.rollups_refresh().rows
