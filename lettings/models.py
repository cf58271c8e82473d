"""Letting homes and moving: empty homes (voids) and the lettable standard, the schemes people
apply through, adverts, applications from interest to sign-up, settling in, mutual exchanges.

An application and a mutual exchange are cases (``casework.models.Case``): they have a
reference, a timeline the customer reads and clocks. A void, an advert and a scheme are the
lettings team's records, not anyone's case.
"""

from __future__ import annotations

import builtins
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from casework.models import Case

# --------------------------------------------------------------------------------------------
# Empty homes
# --------------------------------------------------------------------------------------------


class StandardItemKind(models.TextChoices):
    """What a checklist item needs as proof. Gas and electrical checks are recorded with the
    certificate's reference here until the safety app keeps them (they are given to the new
    tenant before they move in)."""

    CHECK = "check", "A check done"
    GAS = "gas", "Gas safety check (certificate)"
    ELECTRICAL = "electrical", "Electrical check (certificate)"


class LettableStandardItem(models.Model):
    """One line of the lettable standard, which the association edits in the admin. Every
    active item must be done before a void is signed off as lettable."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(
        max_length=12, choices=StandardItemKind.choices, default=StandardItemKind.CHECK
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Void(models.Model):
    """A home between tenancies, from the keys coming back to the keys going out."""

    property = models.ForeignKey("tenancy.Property", on_delete=models.PROTECT, related_name="+")
    former_tenancy = models.ForeignKey(
        "tenancy.Tenancy", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_reason = models.CharField(max_length=200, blank=True)
    keys_returned_on = models.DateField()
    lettable_on = models.DateField(
        null=True, blank=True, help_text="The day we aim to have the home at the lettable standard."
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    let_on = models.DateField(null=True, blank=True, help_text="The new tenancy's first day.")
    # The home's guide for the move-in pack: how the heating and appliances work.
    heating_and_appliances = models.TextField(blank=True)
    utilities = models.TextField(
        blank=True, help_text="Suppliers on the day the keys came back and where the meters are."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["keys_returned_on", "pk"]
        indexes = [
            # The lettings queue: homes still empty, oldest first.
            models.Index(
                fields=["keys_returned_on"],
                name="lettings_void_empty_idx",
                condition=models.Q(let_on__isnull=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["property"],
                condition=models.Q(let_on__isnull=True),
                name="lettings_one_open_void_per_home",
                violation_error_message="This home is already empty on our records.",
            ),
            models.CheckConstraint(
                name="lettings_void_let_after_keys_back",
                condition=models.Q(let_on__isnull=True)
                | models.Q(let_on__gte=models.F("keys_returned_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"Empty home: {self.property}"

    @builtins.property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None

    def days_empty(self, today=None) -> int:
        """Key to key: from the keys coming back to the new tenancy's first day (or today)."""
        end = self.let_on or today or timezone.localdate()
        return max((end - self.keys_returned_on).days, 0)


class VoidCheck(models.Model):
    """An item of the lettable standard done for one void."""

    void = models.ForeignKey(Void, on_delete=models.CASCADE, related_name="checks")
    item = models.ForeignKey(LettableStandardItem, on_delete=models.PROTECT, related_name="+")
    done_on = models.DateField()
    certificate_reference = models.CharField(max_length=60, blank=True)
    note = models.CharField(max_length=500, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["item__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["void", "item"], name="lettings_void_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.item} ({self.done_on})"


class VoidRepair(models.Model):
    """A repair raised through the repairs service to bring a void to the standard."""

    void = models.ForeignKey(Void, on_delete=models.CASCADE, related_name="repairs")
    repair_reference = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    raised_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["raised_at", "pk"]

    def __str__(self) -> str:
        return self.repair_reference


# --------------------------------------------------------------------------------------------
# Finding a home
# --------------------------------------------------------------------------------------------


class LettingScheme(models.Model):
    """A local authority housing register or choice-based lettings scheme we let homes through
    (data the association edits)."""

    name = models.CharField(max_length=200, unique=True)
    local_authority = models.CharField(max_length=200)
    how_to_apply = models.TextField()
    website = models.URLField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class AdvertStatus(models.TextChoices):
    OPEN = "open", "Open for interest"
    CLOSED = "closed", "Closed: shortlisting"
    LET = "let", "Let"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Advert(models.Model):
    """A lettable home offered through a scheme. Applicants express interest until it closes."""

    void = models.ForeignKey(Void, on_delete=models.PROTECT, related_name="adverts")
    property = models.ForeignKey("tenancy.Property", on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey(
        LettingScheme, on_delete=models.PROTECT, null=True, blank=True, related_name="adverts"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    area = models.CharField(max_length=100, help_text="The town or district shown publicly.")
    bedrooms = models.PositiveSmallIntegerField()
    property_type = models.CharField(max_length=20)
    # Money in whole pence, per week.
    rent_weekly_pence = models.PositiveIntegerField()
    service_charge_weekly_pence = models.PositiveIntegerField(default=0)
    adaptations = models.TextField(blank=True)
    is_adapted = models.BooleanField(default=False)
    eligibility = models.TextField(blank=True)
    published_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=AdvertStatus.choices, default=AdvertStatus.OPEN, editable=False
    )

    class Meta:
        ordering = ["closes_at", "pk"]
        indexes = [
            # The public list: open adverts, closing soonest first.
            models.Index(
                fields=["closes_at", "id"],
                name="lettings_advert_open_idx",
                condition=models.Q(status="open"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @builtins.property
    def weekly_total_pence(self) -> int:
        return self.rent_weekly_pence + self.service_charge_weekly_pence

    @builtins.property
    def is_open_for_interest(self) -> bool:
        return self.status == AdvertStatus.OPEN and self.closes_at > timezone.now()


# --------------------------------------------------------------------------------------------
# Applications: interest, shortlist, offer, application form, assessment, viewing, sign-up
# --------------------------------------------------------------------------------------------


class Band(models.TextChoices):
    """The scheme's priority band, highest first (imported from the scheme or entered)."""

    A = "A", "Band A (urgent need)"
    B = "B", "Band B (high need)"
    C = "C", "Band C (some need)"
    D = "D", "Band D (no assessed need)"


class ApplicationStatus(models.TextChoices):
    INTERESTED = "interested", "Interest received"
    SHORTLISTED = "shortlisted", "Shortlisted"
    OFFERED = "offered", "Offered"
    FORM_SENT = "form_sent", "Application form sent to us"
    ASSESSED = "assessed", "Assessment done"
    VIEWING_BOOKED = "viewing_booked", "Viewing booked"
    ACCEPTED = "accepted", "Offer accepted"
    REFUSED = "refused", "Offer refused"
    NOT_SELECTED = "not_selected", "Not selected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    SIGNED_UP = "signed_up", "Tenancy signed"


# An accepted offer holds the home: at most one per advert (a database constraint as well as
# the service's check, so two officers accepting at once cannot both succeed).
HOLDS_THE_HOME = (ApplicationStatus.ACCEPTED, ApplicationStatus.SIGNED_UP)
# An offer still in progress: one per advert at a time (the next applicant is offered only
# after a refusal or withdrawal).
OFFER_IN_PROGRESS = (
    ApplicationStatus.OFFERED,
    ApplicationStatus.FORM_SENT,
    ApplicationStatus.ASSESSED,
    ApplicationStatus.VIEWING_BOOKED,
    *HOLDS_THE_HOME,
)


class Application(Case):
    """One applicant's interest in one advert, followed through to an offer and a tenancy.

    The applicant is a customer account: a tenant who wants to move, a former tenant, or a
    person who has never had a home with us (no household: ``tenancy`` and ``property`` are then
    empty, docs/decisions/0030). Only the applicant sees it (``access_application``)."""

    REFERENCE_PREFIX = "LET"
    NEXT_STEP_PHRASE = "Next step by"

    # Optional here only: an applicant need not have a household (docs/decisions/0030).
    # (The type checker holds the base's non-null types; Django allows the override.)
    tenancy = models.ForeignKey(  # type: ignore[assignment]
        "tenancy.Tenancy", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    property = models.ForeignKey(  # type: ignore[assignment]
        "tenancy.Property", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    advert = models.ForeignKey(Advert, on_delete=models.PROTECT, related_name="applications")
    band = models.CharField(max_length=1, choices=Band.choices, default=Band.D)
    band_date = models.DateField(help_text="The date the band was given: earlier goes first.")
    needs_adapted_home = models.BooleanField(default=False)
    # The online application.
    household_summary = models.TextField(blank=True)
    weekly_income_pence = models.PositiveIntegerField(null=True, blank=True)
    support_needs = models.TextField(blank=True)
    previous_addresses = models.TextField(blank=True)
    consent_given = models.BooleanField(default=False)
    accepts_tenancy_terms = models.BooleanField(default=False)
    form_sent_at = models.DateTimeField(null=True, blank=True)
    # The pre-tenancy assessment.
    affordable = models.BooleanField(null=True, blank=True)
    suitable = models.BooleanField(null=True, blank=True)
    assessment_notes = models.TextField(blank=True)
    assessed_at = models.DateTimeField(null=True, blank=True)
    # Selection and offer.
    offered_at = models.DateTimeField(null=True, blank=True)
    # The viewing, always with at least 24 hours' notice in writing.
    viewing_at = models.DateTimeField(null=True, blank=True)
    viewing_notice_at = models.DateTimeField(null=True, blank=True)
    viewing_with = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.TextField(blank=True)
    # Rent in advance and the Direct Debit, recorded here until the rent app takes them.
    rent_in_advance_pence = models.PositiveIntegerField(null=True, blank=True)
    rent_requested_at = models.DateTimeField(null=True, blank=True)
    direct_debit_requested_at = models.DateTimeField(null=True, blank=True)
    # Sign-up.
    tenancy_start_date = models.DateField(null=True, blank=True)
    new_tenancy = models.ForeignKey(
        "tenancy.Tenancy", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["advert", "status"], name="lettings_app_advert_status_idx"),
            models.Index(fields=["customer", "-opened_at"], name="lettings_app_customer_idx"),
            models.Index(
                fields=["next_due_at"],
                name="lettings_app_due_idx",
                condition=models.Q(closed_at__isnull=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["advert", "customer"],
                name="lettings_one_application_per_advert",
                violation_error_message="You have already told us you are interested in this home.",
            ),
            models.UniqueConstraint(
                fields=["advert"],
                condition=models.Q(status__in=HOLDS_THE_HOME),
                name="lettings_one_accepted_offer_per_home",
                violation_error_message="Another offer of this home has already been accepted.",
            ),
        ]

    @builtins.property
    def display_title(self) -> str:
        return f"Home: {self.advert.title}"


def signed_agreement_path(instance: SettlingIn, filename: str) -> str:
    # Random names under their own folder, outside any public URL (MEDIA_URL is None): a
    # guessed or leaked path reveals nothing.
    return f"lettings/agreements/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.pdf"


class SettlingIn(Case):
    """A new tenancy's first weeks: the move-in pack, the settling-in visit about 6 weeks after
    the start, and the new tenant's view of their home. Sits on the new household."""

    REFERENCE_PREFIX = "NEW"
    NEXT_STEP_PHRASE = "We will visit you by"

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="settling_in"
    )
    visit_booked_for = models.DateTimeField(null=True, blank=True)
    visited_at = models.DateTimeField(null=True, blank=True)
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    visit_notes = models.TextField(blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        choices=[
            (5, "Very satisfied"),
            (4, "Fairly satisfied"),
            (3, "Neither satisfied nor dissatisfied"),
            (2, "Fairly dissatisfied"),
            (1, "Very dissatisfied"),
        ],
    )
    satisfaction_comment = models.TextField(blank=True)
    satisfaction_at = models.DateTimeField(null=True, blank=True)
    # The tenancy agreement as signed at sign-up, uploaded by staff (a PDF that passed the
    # kernel's upload checks), served only to this tenancy's household.
    signed_agreement = models.FileField(upload_to=signed_agreement_path, max_length=200, blank=True)
    signed_agreement_name = models.CharField(max_length=255, blank=True)
    signed_agreement_size = models.PositiveIntegerField(default=0)
    signed_agreement_at = models.DateTimeField(null=True, blank=True)
    signed_agreement_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "settling in"
        verbose_name_plural = "settling in"
        ordering = ["-opened_at"]

    @builtins.property
    def display_title(self) -> str:
        return "Settling into your new home"

    @builtins.property
    def has_signed_agreement(self) -> bool:
        return bool(self.signed_agreement)

    @builtins.property
    def is_satisfied(self) -> bool:
        return self.satisfaction is not None and self.satisfaction >= 4


class SettlingInStatus(models.TextChoices):
    MOVED_IN = "moved_in", "Moved in"
    VISITED = "visited", "Settling-in visit done"


# --------------------------------------------------------------------------------------------
# Mutual exchange
# --------------------------------------------------------------------------------------------


class ExchangeStatus(models.TextChoices):
    RECEIVED = "received", "Application received"
    CHECKS_DONE = "checks_done", "Checks done"
    CONSENTED = "consented", "Consent given"
    CONDITIONAL = "conditional", "Consent given with conditions"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


class RefusalGround(models.TextChoices):
    """Housing Act 1985, Schedule 3: the only grounds on which consent may be refused."""

    G1 = "1", "Ground 1: a possession order is in force or proceedings have begun"
    G2 = "2", "Ground 2: possession proceedings for a ground in Schedule 2 have begun"
    G2A = "2A", "Ground 2A: a demotion order or proceedings for one"
    G3 = "3", "Ground 3: the home would be substantially larger than the household needs"
    G4 = "4", "Ground 4: the home is not suitable for the household's size"
    G5 = "5", "Ground 5: the home is tied to the landlord's employment"
    G6 = "6", "Ground 6: the landlord is a charity and the move conflicts with its objects"
    G7 = "7", "Ground 7: the home is adapted for a disabled person and none would live there"
    G8 = "8", "Ground 8: the home is for people with special needs and none would live there"
    G9 = "9", "Ground 9: the home is in a housing co-operative or let for special needs"
    G10 = "10", "Ground 10: the home is subject to a management agreement"


class MutualExchange(Case):
    """A tenant's application to swap homes with another tenant, ours or another landlord's.
    The decision is due within 42 days of the application (HA 1985 s92)."""

    REFERENCE_PREFIX = "MEX"
    NEXT_STEP_PHRASE = "We will decide by"

    partner_name = models.CharField(max_length=200)
    partner_address = models.CharField(max_length=300)
    partner_landlord = models.CharField(
        max_length=200, help_text="The other tenant's landlord (ours, or another)."
    )
    partner_landlord_contact = models.CharField(max_length=300, blank=True)
    partner_tenancy_reference = models.CharField(max_length=30, blank=True)
    reason = models.TextField(blank=True)
    # The checks.
    rent_account_clear = models.BooleanField(null=True, blank=True)
    no_tenancy_breach = models.BooleanField(null=True, blank=True)
    property_suitable = models.BooleanField(null=True, blank=True)
    safety_checks_arranged = models.BooleanField(null=True, blank=True)
    safety_checks_recharge_pence = models.PositiveIntegerField(default=0)
    checks_notes = models.TextField(blank=True)
    checks_done_at = models.DateTimeField(null=True, blank=True)
    # The decision.
    decided_at = models.DateTimeField(null=True, blank=True)
    conditions = models.TextField(blank=True)
    refusal_ground = models.CharField(max_length=3, choices=RefusalGround.choices, blank=True)
    decision_explanation = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_at"]

    @builtins.property
    def display_title(self) -> str:
        return f"Mutual exchange with {self.partner_name}"
