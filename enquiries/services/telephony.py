"""Telephone figures: importing the daily call statistics."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from enquiries.models import CallStatistic

if TYPE_CHECKING:
    from accounts.models import User
    from enquiries.forms import CallDay


@transaction.atomic
def call_statistics_import(*, rows: list[CallDay], actor: User) -> int:
    """Store a validated file's days, replacing any day imported before. All or nothing."""
    now = timezone.now()
    for row in rows:
        CallStatistic.objects.update_or_create(
            day=row.day,
            defaults={
                "offered": row.offered,
                "answered": row.answered,
                "abandoned": row.abandoned,
                "callbacks_offered": row.callbacks_offered,
                "imported_at": now,
                "imported_by": actor,
            },
        )
    return len(rows)
