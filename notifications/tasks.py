"""Celery tasks of the outbox. Thin: ids in, one service call.

Retries and backoff live in the row (``attempts``, ``next_attempt_at``), never in a Celery
countdown, so a lost task message costs nothing: the beat sweep finds the row.
"""

from __future__ import annotations

from celery import shared_task

from notifications import services


@shared_task(name="notifications.tasks.deliver_message", ignore_result=True)
def deliver_message(message_id: int) -> bool:
    """Kicked when the transaction that wrote the message commits."""
    return services.message_deliver(message_id=message_id)


@shared_task(name="notifications.tasks.deliver_pending", ignore_result=True)
def deliver_pending() -> int:
    """The beat sweep: every minute, delivers whatever is due and was not delivered on commit."""
    return services.deliver_pending()
