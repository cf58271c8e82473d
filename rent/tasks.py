"""Celery tasks for rent: thin, idempotent, each calling one service."""

from __future__ import annotations

from celery import shared_task

from rent import services


@shared_task(name="rent.tasks.post_due_charges", ignore_result=True)
def post_due_charges() -> int:
    """Posts every charge period that has started and was not charged (catches up after
    downtime; a second run finds nothing)."""
    return services.charges_post_due()


@shared_task(name="rent.tasks.check_payment_arrangements", ignore_result=True)
def check_payment_arrangements() -> dict[str, int]:
    """Marks arrangements kept or broken against the ledger and tells tenants of broken ones."""
    return services.arrangements_check()
