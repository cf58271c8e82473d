"""Daily rollups of the deadline table, so the manager dashboard reads a few thousand rows
instead of millions.

A rollup row holds one commitment's figures for one closed day (Europe/London); today's figures
are always computed live from ``sla.Deadline``. ``RollupWatermark`` says which days the rollups
are complete for: the dashboard trusts rollups only inside that range and computes the rest live,
so a stopped beat makes the dashboard slower, never wrong. See
docs/decisions/0001-dashboard-rollups.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DailyCommitmentRollup(models.Model):
    """One commitment on one Europe/London day.

    ``started`` counts deadlines whose clock started that day. The other three count deadlines
    *due* that day that have finished, in three disjoint groups: met by the due time, met after
    it, and breached and still not met. Their sum is the denominator of "met on time %".
    """

    date = models.DateField()
    commitment = models.ForeignKey("sla.Commitment", on_delete=models.CASCADE, related_name="+")
    started = models.PositiveIntegerField(default=0)
    met_on_time = models.PositiveIntegerField(default=0)
    met_late = models.PositiveIntegerField(default=0)
    breached = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["date", "commitment"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "commitment"], name="performance_rollup_day_commitment_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} commitment {self.commitment_id}"

    @property
    def finished(self) -> int:
        return self.met_on_time + self.met_late + self.breached


class RollupWatermark(models.Model):
    """The single row saying which closed days the rollups are complete for.

    ``covered_from`` to ``covered_through`` (inclusive, Europe/London dates) were recomputed from
    the deadline table; ``full_refresh_on`` is the day the whole range was last recomputed, which
    catches late writes to old days (a letter logged with last month's received date).
    """

    covered_from = models.DateField(null=True, blank=True)
    covered_through = models.DateField(null=True, blank=True)
    full_refresh_on = models.DateField(null=True, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"rollups {self.covered_from} to {self.covered_through}"

    def covers(self, first_day) -> bool:
        """True when rollups can be trusted from ``first_day`` up to ``covered_through``."""
        return (
            self.covered_from is not None
            and self.covered_through is not None
            and self.covered_from <= first_day
        )


class PublishedTsmFigure(models.Model):
    """One line of a reporting year's TSM return as last computed for publication.

    The public page reads these rows, never the case tables: refreshed daily by
    ``performance.tasks.refresh_published_figures``. ``recorded`` is false for a measure whose
    records do not exist yet (shown as "not yet recorded", never 0).
    """

    first_year = models.PositiveSmallIntegerField()
    part = models.CharField(max_length=10)
    recorded = models.BooleanField(default=False)
    numerator = models.PositiveIntegerField(null=True, blank=True)
    denominator = models.PositiveIntegerField(null=True, blank=True)
    figure = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["first_year", "part"]
        constraints = [
            models.UniqueConstraint(
                fields=["first_year", "part"], name="performance_published_tsm_year_part_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.part} {self.first_year}"


class BoardReport(models.Model):
    """The monthly performance report to the Board, kept as generated (the PDF it was given)."""

    month = models.DateField(unique=True, help_text="The first day of the month reported.")
    generated_at = models.DateTimeField()
    pdf = models.BinaryField()

    class Meta:
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"Board report {self.month:%Y-%m}"


class ComplaintHandlingPack(models.Model):
    """A reporting year's Complaint Handling Code annual pack: the self-assessment against
    every provision, the governing body's response, publication, and the submission to the
    Housing Ombudsman, whose deadline is a clock (``chc.annual_submission``) on this row."""

    REFERENCE_PREFIX = "CHC"

    reference = models.CharField(max_length=20, unique=True)
    first_year = models.PositiveSmallIntegerField(unique=True)
    governing_body_response = models.TextField(blank=True)
    governing_body_approved_on = models.DateField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    # The annual complaints performance and service improvement report as published: counts
    # only, frozen when the pack was published (the page never recounts a million cases).
    published_report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-first_year"]
        verbose_name = "complaint handling annual pack"

    def __str__(self) -> str:
        return self.reference


class Compliance(models.TextChoices):
    YES = "yes", "Complies"
    PARTLY = "partly", "Partly complies"
    NO = "no", "Does not comply"


class ProvisionAnswer(models.Model):
    """The complaints lead's answer to one provision of the Code's self-assessment form."""

    pack = models.ForeignKey(
        ComplaintHandlingPack, on_delete=models.CASCADE, related_name="answers"
    )
    provision = models.CharField(max_length=10)
    compliance = models.CharField(max_length=10, choices=Compliance.choices)
    evidence = models.TextField(help_text="How we comply, or what we are doing about it.")
    evidence_link = models.URLField(max_length=500, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["pack", "provision"]
        constraints = [
            models.UniqueConstraint(
                fields=["pack", "provision"], name="performance_provision_answer_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pack} {self.provision}"


class PeerFigure(models.Model):
    """A peer landlord's published TSM figure, imported for benchmarking."""

    first_year = models.PositiveSmallIntegerField()
    landlord = models.CharField(max_length=200)
    part = models.CharField(max_length=10)
    figure = models.DecimalField(max_digits=8, decimal_places=1)
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["first_year", "part", "landlord"]
        constraints = [
            models.UniqueConstraint(
                fields=["first_year", "landlord", "part"], name="performance_peer_figure_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.landlord} {self.part} {self.first_year}"
