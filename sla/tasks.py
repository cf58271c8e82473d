"""Celery tasks of the clock engine. Thin: one service call.

The beat schedule (portal/celery.py) runs ``sla.tasks.sweep_deadlines`` every minute. No task
carries a clock in an ETA or countdown: deadlines are rows, and the sweep finds every one that
has passed, however long beat or the workers were down.
"""

from __future__ import annotations

from celery import shared_task

from sla import services


@shared_task(name="sla.tasks.sweep_deadlines", ignore_result=True)
def sweep_deadlines() -> dict[str, int]:
    """Mark breaches and send "due soon" warnings. Two overlapping runs (a slow sweep and the
    next beat tick) are safe: each row is claimed once."""
    result = services.sweep_deadlines()
    return {"breached": result.breached, "warned": result.warned}
