"""The clock engine's data: the catalogue of promises, closure days and one row per running clock.

The database, never a queued message, is the truth about time: a Deadline is written in the
same transaction as the event that starts it, and the sweep finds every passed one.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from kernel.formatting import london_short_date, london_short_datetime


class ClockType(models.TextChoices):
    WORKING_DAYS = "working_days", "Working days"
    CALENDAR_DAYS = "calendar_days", "Calendar days"
    CALENDAR_MONTHS = "calendar_months", "Calendar months"
    # "At intervals of not more than N months" (gas, electrical, fire safety): the same date N
    # months on, never rolled forward past a holiday as a calendar month is. See sla.calendar.
    INTERVAL_MONTHS = "interval_months", "Months (safety interval)"
    WEEKS = "weeks", "Weeks"
    HOURS = "hours", "Hours"
    MINUTES = "minutes", "Minutes"


class Source(models.TextChoices):
    LANDLORD = "landlord", "Our promise"
    COMPLAINT_CODE = "complaint_code", "Housing Ombudsman Complaint Handling Code"
    AWAABS_LAW = "awaabs_law", "Awaab's Law"
    STATUTE = "statute", "Statute or regulations"


class Commitment(models.Model):
    """One promise with a clock, e.g. ``complaint.stage1.acknowledge``: 3 working days.

    Managers may change ``amount`` in the admin; a change applies to clocks started after it,
    because each Deadline keeps the clock and amount it started with.
    """

    code = models.CharField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    promise = models.TextField(help_text="The promise as the customer reads it.")
    clock = models.CharField(max_length=20, choices=ClockType.choices)
    amount = models.PositiveIntegerField()
    starts_on = models.CharField(max_length=200, help_text="The event that starts the clock.")
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.LANDLORD)
    law_reference = models.CharField(max_length=100, blank=True)
    target_percent = models.DecimalField(max_digits=5, decimal_places=2, default=95)
    warn_before = models.DurationField(
        null=True, blank=True, help_text="Warn the owner this long before the clock runs out."
    )
    is_constraint = models.BooleanField(
        default=False,
        help_text="A minimum notice period checked when booking (e.g. 24 hours' notice of a "
        "viewing) rather than a clock that can breach.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"


class ClosureDay(models.Model):
    """A day the office is closed beyond the bank holidays (e.g. the Christmas shutdown)."""

    date = models.DateField(unique=True)
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{london_short_date(self.date)}: {self.reason}"


class DeadlineQuerySet(models.QuerySet):
    def open(self):
        return self.filter(met_at__isnull=True, breached_at__isnull=True)

    def for_case(self, case):
        return self.filter(content_type=ContentType.objects.get_for_model(case), object_id=case.pk)


class Deadline(models.Model):
    """One running (or finished) clock on one case.

    ``due_at`` is the effective due time: the original, moved by any extension and by time spent
    paused. A row is open while ``met_at`` and ``breached_at`` are both empty.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("content_type", "object_id")
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="deadlines")
    # The clock as it was when started: later catalogue edits do not move running clocks.
    clock = models.CharField(max_length=20, choices=ClockType.choices)
    amount = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    original_due_at = models.DateTimeField()
    due_at = models.DateTimeField()
    warn_at = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    met_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_seconds = models.PositiveBigIntegerField(default=0)
    # Extension: who moved the date, why, and whether the customer was told.
    extended_at = models.DateTimeField(null=True, blank=True)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    extension_reason = models.TextField(blank=True)
    customer_told_of_extension_at = models.DateTimeField(null=True, blank=True)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="sla_deadline_case_idx"),
            # The sweep's only index: open, running clocks by due time.
            models.Index(
                fields=["due_at"],
                name="sla_deadline_open_due_idx",
                condition=Q(met_at__isnull=True, breached_at__isnull=True, paused_at__isnull=True),
            ),
            models.Index(
                fields=["warn_at"],
                name="sla_deadline_open_warn_idx",
                condition=Q(
                    met_at__isnull=True,
                    breached_at__isnull=True,
                    paused_at__isnull=True,
                    warned_at__isnull=True,
                ),
            ),
            models.Index(fields=["commitment", "started_at"], name="sla_deadline_commit_start_idx"),
            # Manager dashboard and its rollups: deadlines due in a range of days, finished or not.
            models.Index(fields=["due_at"], name="sla_deadline_due_idx"),
            # Manager dashboard: open / due today / overdue / breached-and-open counted from the
            # index alone, and the breaches to act on read oldest first.
            models.Index(
                fields=["due_at", "commitment", "breached_at"],
                name="sla_deadline_unmet_idx",
                condition=Q(met_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="sla_deadline_not_met_and_breached_before",
                condition=Q(met_at__isnull=True)
                | Q(breached_at__isnull=True)
                | Q(met_at__gte=models.F("breached_at")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment.code} due {london_short_datetime(self.due_at)}"

    @property
    def is_open(self) -> bool:
        return self.met_at is None and self.breached_at is None

    @property
    def met_on_time(self) -> bool | None:
        if self.met_at is None:
            return None
        return self.met_at <= self.due_at
