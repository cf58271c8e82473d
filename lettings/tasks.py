"""Lettings jobs run by beat (portal/celery.py): thin, idempotent, each one service call."""

from __future__ import annotations

from celery import shared_task

from lettings.services import adverts_close_due


@shared_task(name="lettings.tasks.close_adverts", ignore_result=True)
def close_adverts() -> int:
    return adverts_close_due()
