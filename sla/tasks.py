"""Celery tasks of the clock engine. Thin: one service call.

The beat schedule (portal/celery.py) runs ``sla.tasks.sweep_deadlines`` every minute. No task
carries a clock in an ETA or countdown: deadlines are rows, and the sweep finds every one that
has passed, however long beat or the workers were down.
"""

from __future__ import annotations

import logging

from celery import shared_task

from sla import services

logger = logging.getLogger(__name__)


@shared_task(name="sla.tasks.sweep_deadlines", ignore_result=True)
def sweep_deadlines() -> dict[str, int]:
    """Mark breaches and "due soon" warnings, then queue the follow-up that writes their events
    and emails. Two overlapping runs (a slow sweep and the next beat tick) are safe: each row is
    claimed once. The follow-up is queued on every run, so a batch whose follow-up was lost
    (broker down, worker killed) is handed over a minute later."""
    result = services.sweep_deadlines(hand_over=False)
    try:
        hand_over_claimed.delay()
    except Exception:
        # The batches are committed: nothing is lost, the next minute's sweep queues it again.
        logger.warning("Could not queue the hand-over of the sweep's batches.", exc_info=True)
    return {"breached": result.breached, "warned": result.warned}


@shared_task(name="sla.tasks.hand_over_claimed", ignore_result=True)
def hand_over_claimed() -> int:
    """Write the events and emails of every batch the sweep has marked (``sla.hooks``)."""
    return services.hand_over_claimed()
