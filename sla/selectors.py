"""Reads of the clock engine: a case's deadlines, and what the sweep would do now."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from sla.models import RUNNING, Deadline


def breach_due_q(now: dt.datetime) -> Q:
    """Running clocks whose time is up: the sweep marks these breached."""
    return RUNNING & Q(due_at__lte=now)


def warning_due_q(now: dt.datetime) -> Q:
    """Running clocks inside their warning period, not yet warned and not yet due (a clock
    that is already due is breached instead: a "due soon" message after the fact is noise)."""
    return RUNNING & Q(warned_at__isnull=True, warn_at__lte=now, due_at__gt=now)


def deadlines_for_case(case: models.Model) -> models.QuerySet[Deadline]:
    """Every clock of one case, met or not, in the order they fall due."""
    return Deadline.objects.for_case(case).select_related("commitment").order_by("due_at", "pk")


def earliest_open_deadline(case: models.Model) -> Deadline | None:
    """The clock the case is due at: the earliest one not met and not paused, breached or not
    (an overdue step is still the next thing to do). The same rule as ``Case.next_due_at``."""
    return (
        Deadline.objects.for_case(case)
        .still_to_do()
        .select_related("commitment")
        .order_by("due_at", "pk")
        .first()
    )


def open_due_at_for(*, content_type: ContentType, object_id: int) -> dt.datetime | None:
    """The earliest due time of a case's clocks that are neither met nor paused."""
    return (
        Deadline.objects.still_to_do()
        .filter(content_type=content_type, object_id=object_id)
        .order_by()
        .aggregate(earliest=models.Min("due_at"))["earliest"]
    )


def sweep_preview(*, now: dt.datetime) -> tuple[int, int]:
    """How many clocks the sweep would mark breached, and warn of, at ``now`` (no writes)."""
    breaches = Deadline.objects.filter(breach_due_q(now)).order_by().count()
    warnings = Deadline.objects.filter(warning_due_q(now)).order_by().count()
    return breaches, warnings
