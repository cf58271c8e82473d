"""Celery tasks of data protection. Thin: one service call each, safe to run again."""

from __future__ import annotations

from celery import shared_task

from dataprotection import retention, services


@shared_task(name="dataprotection.tasks.gather_pack", ignore_result=True)
def gather_pack(request_id: int) -> bool:
    """Gather a subject access pack; a second delivery finds it gathered and does nothing."""
    return services.pack_gather(request_id=request_id)


@shared_task(name="dataprotection.tasks.release_pack", ignore_result=True)
def release_pack(request_id: int, actor_id: int) -> bool:
    """Build and release a pack the officer released; a second delivery finds it released."""
    return services.pack_release_built(request_id=request_id, actor_id=actor_id)


@shared_task(name="dataprotection.tasks.apply_retention_schedule", ignore_result=True)
def apply_retention_schedule() -> dict[str, int]:
    """Anonymise or delete what the retention schedule says has expired; logs a count."""
    return retention.retention_apply()
