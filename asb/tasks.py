"""Celery tasks of the ASB service. Thin: one service call each, safe to run again."""

from __future__ import annotations

from celery import shared_task

from asb import services


@shared_task(name="asb.tasks.remind_reviews_due", ignore_result=True)
def remind_reviews_due() -> int:
    """Remind officers of the cases they review today."""
    return services.reviews_due_remind()
