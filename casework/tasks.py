"""Celery tasks of the case kernel. Thin: one service call each, safe to run again."""

from __future__ import annotations

from celery import shared_task

from casework import services
from casework.models import Attachment


@shared_task(name="casework.tasks.remove_orphan_attachment_files", ignore_result=True)
def remove_orphan_attachment_files() -> int:
    """Delete stored attachment files left behind by uploads whose transaction rolled back."""
    return services.stored_files_without_record_remove(folder="attachments", model=Attachment)
