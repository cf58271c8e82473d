"""Homes, blocks, tenancies and the people in each household.

Every other service area depends on these models; this app depends on none of them.
"""

from __future__ import annotations

import builtins
import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone

POSTCODE_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


def normalise_postcode(value: str) -> str:
    """Upper case with one space before the inward code, so 'rv11aa' matches 'RV1 1AA'."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


class Tenure(models.TextChoices):
    GENERAL_NEEDS = "general_needs", "General needs rent"
    LEASEHOLD = "leasehold", "Leasehold"
    SHARED_OWNERSHIP = "shared_ownership", "Shared ownership"


class StockClass(models.TextChoices):
    """How the Regulator of Social Housing classes a home. The Tenant Satisfaction Measures
    count low-cost rental (LCRA) and low-cost home ownership (LCHO) homes, never the rest."""

    LOW_COST_RENTAL = "lcra", "Low-cost rental (LCRA)"
    LOW_COST_HOME_OWNERSHIP = "lcho", "Low-cost home ownership (LCHO), such as shared ownership"
    NOT_LOW_COST = "not_low_cost", "Not low cost: outright leasehold or market rent"


# The class a home's tenure puts it in unless the stock register says otherwise (a shared
# owner who has bought the whole lease holds an outright leasehold: not low cost).
STOCK_CLASS_FOR_TENURE = {
    Tenure.GENERAL_NEEDS: StockClass.LOW_COST_RENTAL,
    Tenure.SHARED_OWNERSHIP: StockClass.LOW_COST_HOME_OWNERSHIP,
    Tenure.LEASEHOLD: StockClass.NOT_LOW_COST,
}


class Ownership(models.TextChoices):
    OWNED = "owned", "Owned by us"
    MANAGED = "managed", "Managed by us for another owner"


class PropertyType(models.TextChoices):
    HOUSE = "house", "House"
    FLAT = "flat", "Flat"
    BUNGALOW = "bungalow", "Bungalow"
    MAISONETTE = "maisonette", "Maisonette"


class Block(models.Model):
    """A building whose communal parts (stairs, halls, lifts) the association looks after."""

    name = models.CharField(max_length=200, unique=True)
    address = models.CharField(max_length=300)
    postcode = models.CharField(max_length=8)
    storeys = models.PositiveSmallIntegerField()
    height_metres = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    has_lift = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Property(models.Model):
    uprn = models.CharField(
        "UPRN", max_length=12, unique=True, help_text="Unique Property Reference Number."
    )
    address_line_1 = models.CharField(max_length=200)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=8, db_index=True)
    property_type = models.CharField(max_length=20, choices=PropertyType.choices)
    bedrooms = models.PositiveSmallIntegerField()
    patch = models.CharField(max_length=50, db_index=True, help_text="The housing officer's area.")
    tenure = models.CharField(max_length=20, choices=Tenure.choices, default=Tenure.GENERAL_NEEDS)
    # The stock register: what the regulator's per-1,000-homes measures divide by.
    stock_class = models.CharField(
        max_length=20, choices=StockClass.choices, default=StockClass.LOW_COST_RENTAL
    )
    ownership = models.CharField(max_length=10, choices=Ownership.choices, default=Ownership.OWNED)
    joined_stock_on = models.DateField(
        null=True,
        blank=True,
        help_text="The day the home became ours or ours to manage: bought, built or transferred "
        "in. Leave blank for a home held since before our records began.",
    )
    left_stock_on = models.DateField(
        null=True,
        blank=True,
        help_text="The day the home stopped being ours: sold outright, demolished or transferred "
        "out. Leave blank while we hold it.",
    )
    block = models.ForeignKey(
        Block, on_delete=models.PROTECT, null=True, blank=True, related_name="properties"
    )
    adaptations = models.TextField(
        blank=True, help_text="For example: level-access shower, stair lift."
    )
    handover_date = models.DateField(
        null=True,
        blank=True,
        help_text="New build or full refurbishment: the date we accepted the home from the builder.",
    )
    builder = models.CharField(max_length=200, blank=True)
    defects_period_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        choices=[(6, "6 months"), (12, "12 months")],
    )

    class Meta:
        verbose_name_plural = "properties"
        ordering = ["postcode", "address_line_1"]
        constraints = [
            models.CheckConstraint(
                name="tenancy_property_defects_need_handover",
                condition=models.Q(defects_period_months__isnull=True)
                | models.Q(handover_date__isnull=False),
            ),
            models.CheckConstraint(
                name="tenancy_property_leaves_stock_after_joining",
                condition=models.Q(joined_stock_on__isnull=True)
                | models.Q(left_stock_on__isnull=True)
                | models.Q(left_stock_on__gte=models.F("joined_stock_on")),
                violation_error_message="A home cannot leave our stock before it joined it.",
            ),
            # A rented home is not home ownership, and a home sold on a lease is not rented.
            models.CheckConstraint(
                name="tenancy_property_stock_class_fits_tenure",
                condition=models.Q(
                    tenure=Tenure.GENERAL_NEEDS,
                    stock_class__in=[StockClass.LOW_COST_RENTAL, StockClass.NOT_LOW_COST],
                )
                | models.Q(
                    tenure__in=[Tenure.LEASEHOLD, Tenure.SHARED_OWNERSHIP],
                    stock_class__in=[
                        StockClass.LOW_COST_HOME_OWNERSHIP,
                        StockClass.NOT_LOW_COST,
                    ],
                ),
                violation_error_message="A rented home cannot be classed as home ownership, "
                "nor a home sold on a lease as low-cost rental.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.address_line_1}, {self.postcode}"

    @property
    def full_address(self) -> str:
        parts = [self.address_line_1, self.address_line_2, self.town, self.postcode]
        return ", ".join(p for p in parts if p)

    def clean(self) -> None:
        self.postcode = normalise_postcode(self.postcode)
        if not POSTCODE_RE.match(self.postcode):
            raise ValidationError({"postcode": "Enter a real postcode, like RV1 1AA."})

    def defects_period_ends(self) -> dt.date | None:
        if not (self.handover_date and self.defects_period_months):
            return None
        month_index = self.handover_date.month - 1 + self.defects_period_months
        year = self.handover_date.year + month_index // 12
        month = month_index % 12 + 1
        day = min(self.handover_date.day, _days_in_month(year, month))
        return dt.date(year, month, day)

    def in_defects_period(self, on: dt.date) -> bool:
        ends = self.defects_period_ends()
        return bool(ends and self.handover_date and self.handover_date <= on < ends)


def _days_in_month(year: int, month: int) -> int:
    next_month = dt.date(year + (month == 12), month % 12 + 1, 1)
    return (next_month - dt.timedelta(days=1)).day


class TenancyType(models.TextChoices):
    ASSURED = "assured", "Assured"
    STARTER = "starter", "Starter (assured shorthold)"
    LEASE = "lease", "Long lease"
    SHARED_OWNERSHIP = "shared_ownership", "Shared ownership lease"


class Tenancy(models.Model):
    """A household's agreement for one home. Joint tenants are Customers marked as tenants."""

    reference = models.CharField(max_length=20, unique=True)
    property = models.ForeignKey(Property, on_delete=models.PROTECT, related_name="tenancies")
    tenancy_type = models.CharField(max_length=20, choices=TenancyType.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "tenancies"
        ordering = ["reference"]
        constraints = [
            models.CheckConstraint(
                name="tenancy_ends_after_start",
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @builtins.property
    def is_current(self) -> bool:
        """The household still lives here: no end date, or one not yet passed (notice given,
        the keys not yet back). The one rule for "current tenancy"."""
        return self.end_date is None or self.end_date >= timezone.localdate()


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"
    LETTER = "letter", "Letter"
    PHONE = "phone", "Phone call"
    PORTAL = "portal", "Messages in this website only"


class HouseholdRole(models.TextChoices):
    LEAD_TENANT = "lead_tenant", "Tenant"
    JOINT_TENANT = "joint_tenant", "Joint tenant"
    LEASEHOLDER = "leaseholder", "Leaseholder"
    SHARED_OWNER = "shared_owner", "Shared owner"
    MEMBER = "member", "Household member"
    # A person we know who has no home with us yet: someone applying for one
    # (docs/decisions/0030). The only role without a household, and a household has none.
    APPLICANT = "applicant", "Applicant (no home with us)"


class NoHousehold(PermissionDenied):
    """A household's page or record asked for by an applicant who has none: refused (403),
    never answered with the rows of nobody's household."""

    def __init__(self) -> None:
        super().__init__("This is for a household, and this person has no home with us.")


class Customer(models.Model):
    """A person in a household, or an applicant with no household (``tenancy`` empty, role
    ``APPLICANT``). May have a portal login (``user``)."""

    tenancy = models.ForeignKey(
        Tenancy, on_delete=models.PROTECT, null=True, blank=True, related_name="customers"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customer",
    )
    household_role = models.CharField(
        max_length=20, choices=HouseholdRole.choices, default=HouseholdRole.LEAD_TENANT
    )
    title = models.CharField(max_length=20, blank=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    mobile = models.CharField(max_length=30, blank=True)
    preferred_channel = models.CharField(
        max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    consent_to_sms = models.BooleanField(default=False)
    # Reasonable adjustments: how we must communicate with this person.
    large_print = models.BooleanField(default=False)
    easy_read = models.BooleanField(default=False)
    interpreter_language = models.CharField(max_length=60, blank=True)
    other_adjustments = models.TextField(blank=True)
    # Staff only: never shown to the customer or any other household member.
    vulnerability_notes = models.TextField(
        blank=True, help_text="Staff only. Never shown in the customer's pages."
    )
    # A channel that is safe to use when a household member may be a risk (domestic abuse).
    safe_contact_channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    safe_contact_detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["last_name", "first_name"])]
        constraints = [
            # An applicant is exactly a person without a household, so no page can take a
            # household member for an applicant or the other way round.
            models.CheckConstraint(
                name="tenancy_customer_applicant_iff_no_household",
                condition=(
                    models.Q(tenancy__isnull=True, household_role=HouseholdRole.APPLICANT)
                    | (
                        models.Q(tenancy__isnull=False)
                        & ~models.Q(household_role=HouseholdRole.APPLICANT)
                    )
                ),
                violation_error_message=(
                    "An applicant has no household, and everyone in a household has a role in it."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def has_confidential_notes(self) -> bool:
        """Whether staff are shown anything confidential about this person: vulnerability notes
        or a safe way to contact them. Every staff read of those is logged."""
        return bool(
            self.vulnerability_notes.strip()
            or self.safe_contact_channel
            or self.safe_contact_detail.strip()
        )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def has_household(self) -> bool:
        """In one of our households (current or ended); False for an applicant, who has none.
        The one rule for "may use a household's pages" (``kernel.access``)."""
        return self.tenancy_id is not None

    @property
    def household(self) -> Tenancy:
        """The customer's tenancy, for code that serves a household: every
        ``@customer_required`` page and the services and reads behind them. An applicant with
        no household is refused (``NoHousehold``, a 403) rather than read as "every row without
        a household"."""
        if self.tenancy is None:
            raise NoHousehold
        return self.tenancy

    @property
    def household_id(self) -> int:
        """``household``'s id without reading the tenancy row."""
        if self.tenancy_id is None:
            raise NoHousehold
        return self.tenancy_id

    @property
    def has_left_home(self) -> bool:
        """A former tenant or household member: their tenancy has ended. An applicant has
        left no home of ours."""
        return self.tenancy is not None and not self.tenancy.is_current

    @property
    def is_tenant(self) -> bool:
        return self.household_role not in (HouseholdRole.MEMBER, HouseholdRole.APPLICANT)

    @property
    def has_reasonable_adjustments(self) -> bool:
        return bool(
            self.large_print
            or self.easy_read
            or self.interpreter_language
            or self.other_adjustments
        )
