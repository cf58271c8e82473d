"""Estates, their inspections and communal services, and the local partner agencies.

An estate is a group of blocks the association looks after together; a resident's
neighbourhood is their block and the estates that hold it (``neighbourhoods.selectors``).
"""

from __future__ import annotations

import builtins

from django.conf import settings
from django.db import models
from django.db.models import Q

from casework.models import Case


class Estate(models.Model):
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    blocks = models.ManyToManyField("tenancy.Block", related_name="+", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def _one_area(prefix: str) -> models.CheckConstraint:
    """An area is an estate or a block, never both and never neither."""
    return models.CheckConstraint(
        name=f"{prefix}_estate_or_block",
        condition=(Q(estate__isnull=False) & Q(block__isnull=True))
        | (Q(estate__isnull=True) & Q(block__isnull=False)),
    )


class Frequency(models.TextChoices):
    WEEKLY = "weekly", "Every week"
    FORTNIGHTLY = "fortnightly", "Every two weeks"
    MONTHLY = "monthly", "Every month"
    QUARTERLY = "quarterly", "Every three months"


# How many months each inspection frequency moves the next due date.
INSPECTION_FREQUENCIES = (Frequency.MONTHLY, Frequency.QUARTERLY)


class InspectionSchedule(models.Model):
    """How often an estate or a block is inspected, and when the next inspection is due."""

    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, null=True, blank=True)
    block = models.ForeignKey(
        "tenancy.Block", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    frequency = models.CharField(
        max_length=20,
        choices=[(f.value, f.label) for f in INSPECTION_FREQUENCIES],
        default=Frequency.MONTHLY,
    )
    next_due_on = models.DateField()
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["next_due_on"]
        constraints = [_one_area("neighbourhoods_schedule")]

    def __str__(self) -> str:
        return f"{self.estate or self.block}: {self.get_frequency_display().lower()}"


class ChecklistItem(models.TextChoices):
    """What every estate inspection scores, in the order walked."""

    CLEANLINESS = "cleanliness", "Cleanliness of communal areas"
    GROUNDS = "grounds", "Grounds and green spaces"
    LIGHTING = "lighting", "Lighting"
    FLY_TIPPING = "fly_tipping", "Fly-tipping and bulk rubbish"
    GRAFFITI = "graffiti", "Graffiti"
    FIRE_SAFETY = "fire_safety", "Fire safety in communal areas"


class Score(models.IntegerChoices):
    VERY_POOR = 1, "1: very poor"
    POOR = 2, "2: poor"
    FAIR = 3, "3: fair"
    GOOD = 4, "4: good"
    VERY_GOOD = 5, "5: very good"


class Inspection(models.Model):
    """One walk of an estate or block by an officer, scored item by item. Residents of the
    area see it once it is published; resident inspectors add their own scores beside it."""

    schedule = models.ForeignKey(
        InspectionSchedule, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, null=True, blank=True)
    block = models.ForeignKey(
        "tenancy.Block", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    inspected_on = models.DateField()
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    summary = models.TextField(blank=True, help_text="Shown to residents when published.")
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-inspected_on", "-id"]
        constraints = [_one_area("neighbourhoods_inspection")]
        indexes = [
            models.Index(
                fields=["estate", "-inspected_on"],
                name="neighbourhoods_insp_estate_idx",
                condition=Q(published_at__isnull=False),
            ),
            models.Index(
                fields=["block", "-inspected_on"],
                name="neighbourhoods_insp_block_idx",
                condition=Q(published_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.estate or self.block}, {self.inspected_on.isoformat()}"

    @builtins.property
    def area_name(self) -> str:
        return str(self.estate or self.block)

    @builtins.property
    def is_published(self) -> bool:
        return self.published_at is not None


class InspectionScore(models.Model):
    """The officer's score for one checklist item, with a photo and any repair raised."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="scores")
    item = models.CharField(max_length=20, choices=ChecklistItem.choices)
    score = models.PositiveSmallIntegerField(choices=Score.choices)
    comment = models.TextField(blank=True)
    photo = models.FileField(upload_to="neighbourhoods/inspections/%Y/%m/", blank=True)
    repair_reference = models.CharField(max_length=20, blank=True, editable=False)

    class Meta:
        ordering = ["inspection", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "item"], name="neighbourhoods_score_once_per_item"
            ),
            models.CheckConstraint(
                name="neighbourhoods_score_1_to_5", condition=Q(score__gte=1, score__lte=5)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()}: {self.score}"


class ResidentInspector(models.Model):
    """A resident who has signed up to inspect their estate alongside our officers."""

    customer = models.ForeignKey("tenancy.Customer", on_delete=models.PROTECT, related_name="+")
    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, related_name="inspectors")
    signed_up_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "estate"], name="neighbourhoods_inspector_once_per_estate"
            ),
        ]

    def __str__(self) -> str:
        return f"Resident inspector for {self.estate}"


class ResidentScore(models.Model):
    """A resident inspector's score for one item of an inspection, kept beside the officer's."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="resident_scores"
    )
    customer = models.ForeignKey("tenancy.Customer", on_delete=models.PROTECT, related_name="+")
    item = models.CharField(max_length=20, choices=ChecklistItem.choices)
    score = models.PositiveSmallIntegerField(choices=Score.choices)
    scored_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "customer", "item"],
                name="neighbourhoods_resident_score_once",
            ),
            models.CheckConstraint(
                name="neighbourhoods_resident_score_1_to_5",
                condition=Q(score__gte=1, score__lte=5),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()}: {self.score}"


class CommunalServiceKind(models.TextChoices):
    CLEANING = "cleaning", "Cleaning"
    GROUNDS = "grounds", "Grounds maintenance"


class CommunalService(models.Model):
    """A cleaning or grounds maintenance round residents can check: what is done, how often,
    by whom, and the next visit."""

    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, null=True, blank=True)
    block = models.ForeignKey(
        "tenancy.Block", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=CommunalServiceKind.choices)
    what = models.TextField(help_text="What is done on each visit, as residents will read it.")
    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    next_visit_on = models.DateField()
    contractor = models.CharField(max_length=200)
    # Where a "this was not done" report is sent (never shown to residents).
    contractor_email = models.EmailField(
        blank=True, help_text="Where residents' reports that a visit was missed are sent."
    )

    class Meta:
        ordering = ["kind", "next_visit_on"]
        constraints = [_one_area("neighbourhoods_service")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.estate or self.block}"


class PartnerKind(models.TextChoices):
    POLICE = "police", "Police neighbourhood team"
    COUNCIL = "council", "Local council"
    SUPPORT = "support", "Support service"
    HEALTH = "health", "Health service"
    OTHER = "other", "Other local organisation"


class Partner(models.Model):
    """A local agency staff refer residents to and residents can contact themselves. With no
    estate it serves every area."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=PartnerKind.choices)
    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, null=True, blank=True)
    what_they_do = models.TextField()
    phone = models.CharField(max_length=30, blank=True)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------------------------------------
# Reports from residents: a communal service not done, bulk rubbish, graffiti
# ---------------------------------------------------------------------------------------------


class ReportKind(models.TextChoices):
    MISSED_SERVICE = "missed_service", "Cleaning or grounds work was not done"
    BULK_RUBBISH = "bulk_rubbish", "Bulk rubbish or fly-tipping"
    GRAFFITI = "graffiti", "Graffiti"


class Place(models.TextChoices):
    BLOCK = "block", "In or around my block"
    ESTATE = "estate", "Somewhere else on my estate"
    ELSEWHERE = "elsewhere", "Somewhere else (a street, a park, a road)"


class ReportStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    WITH_CONTRACTOR = "with_contractor", "Passed to the contractor"
    DONE = "done", "Put right"
    CLOSED = "closed", "Closed"


class NeighbourhoodReport(Case):
    """A resident's report about a shared area we look after. It opens with its clock (the
    catalogue's ``neighbourhood.*`` rows): offensive graffiti has a shorter one than other
    graffiti. A place that is the council's, not ours, never becomes a report: the resident is
    given the council's link instead (``neighbourhoods.services.responsibility_for``)."""

    REFERENCE_PREFIX = "NBH"
    NEXT_STEP_PHRASE = "We will put this right by"

    status = models.CharField(max_length=30, choices=ReportStatus.choices, editable=False)
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    offensive = models.BooleanField(
        default=False, help_text="Graffiti that is racist, sexual, threatening or abusive."
    )
    communal_service = models.ForeignKey(
        CommunalService, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, null=True, blank=True)
    block = models.ForeignKey(
        "tenancy.Block", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A point on a map, where the resident gives one (optional; the description always).
    latitude = models.DecimalField(max_digits=8, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    where = models.CharField(max_length=300)
    details = models.TextField()
    contractor = models.CharField(max_length=200, blank=True)
    done_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "neighbourhood report"
        indexes = [
            models.Index(
                fields=["next_due_at"],
                name="neighbourhoods_report_due_idx",
                condition=Q(closed_at__isnull=True),
            ),
            models.Index(fields=["tenancy", "opened_at"], name="neighbourhoods_report_hh_idx"),
        ]
        constraints = [
            _one_area("neighbourhoods_report"),
            models.CheckConstraint(
                name="neighbourhoods_report_offensive_is_graffiti",
                condition=Q(offensive=False) | Q(kind="graffiti"),
            ),
            models.CheckConstraint(
                name="neighbourhoods_report_missed_names_service",
                condition=~Q(kind="missed_service") | Q(communal_service__isnull=False),
            ),
        ]

    @builtins.property
    def display_title(self) -> str:
        if self.offensive:
            return "Offensive graffiti"
        return self.get_kind_display()
