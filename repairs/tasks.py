"""Celery tasks of the repairs service. Thin: one service call each, safe to run again."""

from __future__ import annotations

from celery import shared_task

from casework.services import stored_files_without_record_remove
from repairs import services
from repairs.models import DRAFT_PHOTO_FOLDER, DraftPhoto


@shared_task(name="repairs.tasks.send_appointment_reminders", ignore_result=True)
def send_appointment_reminders() -> int:
    """Remind customers of tomorrow's appointments. Idempotent: each reminder has its own
    message key and is marked on the appointment, so hourly runs send each one once."""
    return services.appointment_reminders_send()


@shared_task(name="repairs.tasks.open_appointment_slots", ignore_result=True)
def open_appointment_slots() -> int:
    """Keep four weeks of slots open from the capacity plans; existing slots are untouched."""
    return services.slots_open()


@shared_task(name="repairs.tasks.discard_stale_draft_photos", ignore_result=True)
def discard_stale_draft_photos() -> int:
    """Remove photos added to reports that were never sent, and stored draft photo files whose
    upload rolled back before their row was kept."""
    discarded = services.draft_photos_discard_stale()
    return discarded + stored_files_without_record_remove(
        folder=DRAFT_PHOTO_FOLDER, model=DraftPhoto
    )
