"""Daily rollups of the deadline table, so the manager dashboard reads a few thousand rows
instead of millions.

A rollup row holds one commitment's figures for one closed day (Europe/London); today's figures
are always computed live from ``sla.Deadline``. ``RollupWatermark`` says which days the rollups
are complete for: the dashboard trusts rollups only inside that range and computes the rest live,
so a stopped beat makes the dashboard slower, never wrong. See
docs/decisions/0001-dashboard-rollups.md.
"""

from __future__ import annotations

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
