"""Celery tasks of the neighbourhood service. Thin: one service call each, safe to run again."""

from __future__ import annotations

from celery import shared_task

from neighbourhoods import services


@shared_task(name="neighbourhoods.tasks.remind_inspections_due", ignore_result=True)
def remind_inspections_due() -> int:
    """Email officers whose scheduled estate inspections are due or overdue (once a day each)."""
    return services.inspections_due_remind()
