"""The compliance register: which safety checks apply to each home and block, the record of each
check done (with its certificate), the remedial work a record asks for, the contractors whose
engineers may sign records, and the steps taken to get into a home.

Each check is one ``ComplianceCheck`` row and its clock is a ``sla.Deadline`` on that row
(``CHECK_CLOCKS``): the database is the truth about when a check is next due, and the sweep
marks the missed ones. ``next_due_at`` is the running clock's due time, kept by the sla
services, so the overdue list is one indexed query.
"""

from __future__ import annotations

import builtins
import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, Subquery

from casework.models import Case
from kernel.formatting import LONDON, london_short_date
from sla.models import Deadline


class CheckType(models.TextChoices):
    GAS = "gas", "Gas safety check"
    ELECTRICAL = "electrical", "Electrical safety inspection (EICR)"
    FIRE_RISK = "fire_risk", "Fire risk assessment"
    COMMUNAL_FIRE_DOORS = "communal_fire_doors", "Communal fire doors check"
    FLAT_ENTRANCE_DOORS = "flat_entrance_doors", "Flat entrance doors check"
    WATER = "water", "Water hygiene (legionella) risk assessment"
    ASBESTOS = "asbestos", "Asbestos survey or re-inspection"
    PASSENGER_LIFT = "passenger_lift", "Passenger lift thorough examination"
    FIREFIGHTING_LIFT = "firefighting_lift", "Firefighting lift check"
    ALARMS = "alarms", "Smoke and carbon monoxide alarms check"


# The clock each kind of check runs on (sla/catalogue.py). Interval clocks that never roll past
# a holiday (docs/decisions/0002).
CHECK_CLOCKS: dict[str, str] = {
    CheckType.GAS: "gas.safety_check",
    CheckType.ELECTRICAL: "electrical.eicr",
    CheckType.FIRE_RISK: "fire.fra_review",
    CheckType.COMMUNAL_FIRE_DOORS: "fire.communal_doors",
    CheckType.FLAT_ENTRANCE_DOORS: "fire.flat_doors",
    CheckType.WATER: "water.risk_assessment",
    CheckType.ASBESTOS: "asbestos.reinspection",
    CheckType.PASSENGER_LIFT: "lift.passenger",
    CheckType.FIREFIGHTING_LIFT: "lift.firefighting",
    CheckType.ALARMS: "alarms.check",
}

# The Tenant Satisfaction Measures of building safety, each counting one kind of check.
BUILDING_SAFETY_MEASURES: tuple[tuple[str, str, str], ...] = (
    ("BS01", CheckType.GAS, "Homes with every required gas safety check done"),
    ("BS02", CheckType.FIRE_RISK, "Homes with every required fire risk assessment done"),
    ("BS03", CheckType.ASBESTOS, "Homes with every required asbestos survey or re-inspection done"),
    ("BS04", CheckType.WATER, "Homes with every required legionella risk assessment done"),
    (
        "BS05",
        CheckType.PASSENGER_LIFT,
        "Homes with every required communal passenger lift check done",
    ),
)


class Appliance(models.TextChoices):
    """What a gas safety check covers (GSIUR reg 36: every landlord's appliance and flue). Oil
    and solid fuel appliances are checked on the same yearly cycle by our promise."""

    BOILER = "boiler", "Boiler"
    GAS_FIRE = "gas_fire", "Gas fire"
    OIL = "oil", "Oil boiler or stove"
    SOLID_FUEL = "solid_fuel", "Solid fuel appliance or open fire"


class Risk(models.TextChoices):
    """A block's fire risk, which sets its assessment's review interval (regulation.md G, FS-6:
    lower-risk low-rise blocks every 2 years, others every year)."""

    LOW = "low", "Low (3 storeys or fewer, built in the last 20 years)"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"


FRA_MONTHS_BY_RISK = {Risk.LOW: 24, Risk.NORMAL: 12, Risk.HIGH: 12}


class Outcome(models.TextChoices):
    # Gas (Gas Industry Unsafe Situations Procedure).
    PASS = "pass", "Pass"
    AT_RISK = "at_risk", "At risk"
    IMMEDIATELY_DANGEROUS = "immediately_dangerous", "Immediately dangerous"
    # Electrical: the worst observation code on the report.
    SATISFACTORY = "satisfactory", "Satisfactory"
    C3 = "c3", "Satisfactory, improvement recommended (C3)"
    FI = "fi", "Unsatisfactory: further investigation needed (FI)"
    C2 = "c2", "Unsatisfactory: potentially dangerous (C2)"
    C1 = "c1", "Unsatisfactory: danger present (C1)"
    # Every other check.
    ACTIONS_NEEDED = "actions_needed", "Done, with actions to take"


OUTCOMES_FOR: dict[str, tuple[str, ...]] = {
    CheckType.GAS: (Outcome.PASS, Outcome.AT_RISK, Outcome.IMMEDIATELY_DANGEROUS),
    CheckType.ELECTRICAL: (Outcome.SATISFACTORY, Outcome.C3, Outcome.FI, Outcome.C2, Outcome.C1),
}
OTHER_OUTCOMES: tuple[str, ...] = (Outcome.SATISFACTORY, Outcome.ACTIONS_NEEDED)


def outcomes_for(check_type: str) -> tuple[str, ...]:
    return OUTCOMES_FOR.get(check_type, OTHER_OUTCOMES)


# Outcomes that open remedial work, and the clock it runs on: danger is made safe within 24
# hours; C2, FI and "at risk" are put right within 28 days (or sooner if the report says so).
REMEDIAL_CLOCKS: dict[str, str] = {
    Outcome.IMMEDIATELY_DANGEROUS: "safety.make_safe",
    Outcome.C1: "safety.make_safe",
    Outcome.C2: "electrical.remedial",
    Outcome.FI: "electrical.remedial",
    Outcome.AT_RISK: "gas.remedial",
}
DANGEROUS_OUTCOMES = frozenset({Outcome.IMMEDIATELY_DANGEROUS, Outcome.C1})


class Contractor(models.Model):
    """A firm whose engineers do our checks, with the registrations a record must match."""

    name = models.CharField(max_length=200, unique=True)
    gas_safe_number = models.CharField("Gas Safe registration number", max_length=20, blank=True)
    electrical_scheme = models.CharField(
        max_length=10, blank=True, choices=[("NICEIC", "NICEIC"), ("NAPIT", "NAPIT")]
    )
    electrical_number = models.CharField(
        "NICEIC or NAPIT registration number", max_length=20, blank=True
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AccessStage(models.TextChoices):
    """How far we have gone to get into a home for its check (``AccessAttempt``)."""

    NONE = "", "No contact yet"
    INVITED = "invited", "Invited to book"
    REMINDED = "reminded", "Reminded"
    FIRST_LETTER = "first_letter", "No access: first letter sent"
    SECOND_LETTER = "second_letter", "No access: second letter sent"
    FINAL_LETTER = "final_letter", "No access: final letter sent"
    LEGAL = "legal", "Referred for legal or forced entry"


# The no-access procedure, in order: each step may follow only the one before it.
NO_ACCESS_STEPS: tuple[str, ...] = (
    AccessStage.FIRST_LETTER,
    AccessStage.SECOND_LETTER,
    AccessStage.FINAL_LETTER,
    AccessStage.LEGAL,
)


class ComplianceCheck(models.Model):
    """One check that applies to one home (``property``) or one block's communal parts
    (``block``), with its clock. A check that stops applying (the boiler removed) is retired,
    never deleted, so its history and any missed clock stay."""

    # Its clocks are escalated by safety's own breach handler, not as a case's (casework).
    ESCALATED_BY_ITS_APP = True

    check_type = models.CharField(max_length=30, choices=CheckType.choices)
    property = models.ForeignKey(
        "tenancy.Property",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    block = models.ForeignKey(
        "tenancy.Block", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    appliance = models.CharField(max_length=20, choices=Appliance.choices, blank=True)
    risk = models.CharField(max_length=10, choices=Risk.choices, blank=True)
    # The interval this check runs on when it differs from the catalogue's: a fire risk
    # assessment by block risk, water and asbestos by their own assessments.
    interval_months = models.PositiveSmallIntegerField(null=True, blank=True)
    applies = models.BooleanField(default=True)
    registered_at = models.DateTimeField()
    last_done_on = models.DateField(null=True, blank=True)
    # The running clock's due time (sla services keep it): NULL while no record exists.
    next_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    access_stage = models.CharField(
        max_length=20, choices=AccessStage.choices, blank=True, default=AccessStage.NONE
    )

    class Meta:
        ordering = ["next_due_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="safety_check_home_or_block",
                condition=Q(property__isnull=False, block__isnull=True)
                | Q(property__isnull=True, block__isnull=False),
                violation_error_message="A check belongs to a home or to a block, not both.",
            ),
            models.CheckConstraint(
                name="safety_check_appliance_only_for_gas",
                condition=Q(check_type=CheckType.GAS) | Q(appliance=""),
            ),
            models.UniqueConstraint(
                fields=["property", "check_type", "appliance"],
                condition=Q(property__isnull=False),
                name="safety_check_once_per_home",
            ),
            models.UniqueConstraint(
                fields=["block", "check_type"],
                condition=Q(block__isnull=False),
                name="safety_check_once_per_block",
            ),
        ]
        indexes = [
            # The overdue list and the invitations: checks that apply, by due time.
            models.Index(
                fields=["next_due_at"], name="safety_check_due_idx", condition=Q(applies=True)
            ),
            models.Index(fields=["check_type", "next_due_at"], name="safety_check_type_due_idx"),
            # The measures: the homes and blocks each kind of check applies to, read from the
            # index alone; and the checks done lately, which the measures ask the clocks about.
            models.Index(
                fields=["check_type", "property"],
                name="safety_check_type_home_idx",
                condition=Q(applies=True, property__isnull=False),
            ),
            models.Index(
                fields=["check_type", "block"],
                name="safety_check_type_block_idx",
                condition=Q(applies=True, block__isnull=False),
            ),
            models.Index(
                fields=["last_done_on"], name="safety_check_done_idx", condition=Q(applies=True)
            ),
        ]

    def __str__(self) -> str:
        where = f"home {self.property_id}" if self.property_id else f"block {self.block_id}"
        appliance = f" ({self.get_appliance_display()})" if self.appliance else ""
        return f"{self.get_check_type_display()}{appliance}, {where}"

    @builtins.property
    def clock_code(self) -> str:
        return CHECK_CLOCKS[self.check_type]


def clocks_in_date_at(moment) -> models.QuerySet[Deadline]:
    """The one rule for "a check was in date at ``moment``", as the clocks that make it so:
    check clocks that had started by then and were not yet due. A check with no record has no
    clock and is never in date (a home without a record counts as non-compliant, never as
    "not due"); deleting records cannot bring a missed check back into date, since the clocks
    are kept. Used for the measures now and at the end of any reporting year."""
    # The content type as a scalar subquery, so the clocks of given checks are read through
    # the (content type, object id) index rather than by joining every clock to its type.
    check_type_id = ContentType.objects.filter(app_label="safety", model="compliancecheck").values(
        "pk"
    )[:1]
    return Deadline.objects.filter(
        content_type_id=Subquery(check_type_id),
        commitment__code__in=list(CHECK_CLOCKS.values()),
        started_at__lte=moment,
        due_at__gt=moment,
    )


def may_be_out_of_date_at(moment) -> Q:
    """The checks whose clocks (``clocks_in_date_at``) need asking about at ``moment``: every other check is in date
    then by its running clock, so a measure reads the clocks of these few only.

    A check outside this set has a running clock due after ``moment`` (``next_due_at``) and
    its latest record is from before that day. That clock started on the record's day, before
    ``moment``; or (gas reg 36A) on the old deadline date, and then the clock the record met
    was due on that date, after ``moment``, and had started before the record. Either way a
    clock covers ``moment``. Never done (no clock), overdue, or done on or after that day:
    the clocks decide."""
    day = moment.astimezone(LONDON).date()
    return Q(next_due_at__isnull=True) | Q(next_due_at__lte=moment) | Q(last_done_on__gte=day)


def overdue_at(moment) -> Q:
    """Checks that apply and are overdue at ``moment``: past their due time, or never done."""
    return Q(applies=True) & (Q(next_due_at__isnull=True) | Q(next_due_at__lte=moment))


def certificate_path(instance: CheckRecord, filename: str) -> str:
    # Random names under their own folder: a guessed or leaked path reveals nothing.
    return f"safety/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.pdf"


class RecordSource(models.TextChoices):
    STAFF = "staff", "Recorded by staff"
    IMPORT = "import", "Imported"


class CheckRecord(models.Model):
    """One check done: its date, outcome, engineer and certificate. Never deleted in the admin;
    the check's clock is the truth about whether the check is in date."""

    ESCALATED_BY_ITS_APP = True

    compliance_check = models.ForeignKey(
        ComplianceCheck, on_delete=models.PROTECT, related_name="records"
    )
    done_on = models.DateField()
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    # The report's own next date when it is sooner than the usual interval (an EICR asking for
    # the next inspection in 3 years).
    next_due_months = models.PositiveSmallIntegerField(null=True, blank=True)
    contractor = models.ForeignKey(
        Contractor, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    engineer_name = models.CharField(max_length=200, blank=True)
    engineer_registration = models.CharField(max_length=20, blank=True)
    alarms_checked = models.BooleanField(default=False)
    certificate = models.FileField(upload_to=certificate_path, max_length=200, blank=True)
    certificate_name = models.CharField(max_length=255, blank=True)
    certificate_size = models.PositiveIntegerField(default=0)
    notes = models.TextField(blank=True)
    source = models.CharField(max_length=10, choices=RecordSource.choices)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_to_tenant_at = models.DateTimeField(null=True, blank=True)
    next_due_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-done_on", "-pk"]
        indexes = [
            models.Index(fields=["compliance_check", "done_on"], name="safety_record_check_idx")
        ]

    def __str__(self) -> str:
        return (
            f"{self.compliance_check.get_check_type_display()} on {london_short_date(self.done_on)}"
        )

    @property
    def has_certificate(self) -> bool:
        return bool(self.certificate)


class RemedialWork(models.Model):
    """Work a record asks for, on its own clock, and the repair that does it."""

    ESCALATED_BY_ITS_APP = True

    record = models.ForeignKey(CheckRecord, on_delete=models.PROTECT, related_name="remedials")
    description = models.TextField()
    repair_reference = models.CharField(max_length=20, blank=True)
    raised_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    tenant_told_at = models.DateTimeField(null=True, blank=True)
    next_due_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["raised_at"]
        verbose_name_plural = "remedial work"

    def __str__(self) -> str:
        return f"Remedial work for record {self.record_id}"


class AccessAttempt(models.Model):
    """One step taken to get into a home for its check: an invitation, a reminder, each
    no-access letter, a referral for legal or forced entry. An overdue check always shows why."""

    compliance_check = models.ForeignKey(
        ComplianceCheck, on_delete=models.PROTECT, related_name="access_attempts"
    )
    stage = models.CharField(max_length=20, choices=AccessStage.choices)
    occurred_at = models.DateTimeField()
    # The due time of the clock the step was for, so one cycle invites once.
    for_due_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["occurred_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["compliance_check", "stage", "for_due_at"],
                name="safety_attempt_once_per_cycle",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} for check {self.compliance_check_id}"


# --- what households report and ask -------------------------------------------------------------


class ReportKind(models.TextChoices):
    FIRE = "fire", "A fire"
    COMMUNAL_ITEMS = "communal_items", "Items left in a shared area"
    ALTERATION = "alteration", "Permission to alter your home"


class ReportStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    APPROVED = "approved", "Permission given"
    REFUSED = "refused", "Permission refused"
    DEALT_WITH = "dealt_with", "Dealt with"


class AlterationKind(models.TextChoices):
    WALLS = "walls", "Walls"
    FLOORS = "floors", "Floors"
    DOORS = "doors", "Doors"
    OTHER = "other", "Something else"


# The clock each report runs on: a fire, however small, is looked into the same day; items in
# a shared area are a fire risk on an escape route; an alteration is a decision.
REPORT_CLOCKS: dict[str, str] = {
    ReportKind.FIRE: "safety.fire_report.respond",
    ReportKind.COMMUNAL_ITEMS: "safety.communal_items.remove",
    ReportKind.ALTERATION: "safety.alteration.decision",
}


class SafetyReport(Case):
    """A fire reported (an urgent record for the compliance team), items left in a shared area
    (with a photo), or a request for permission to alter walls, floors or doors (a decision with
    a clock)."""

    REFERENCE_PREFIX = "SAF"
    NEXT_STEP_PHRASE = "We will deal with it by"

    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    details = models.TextField()
    where = models.CharField(max_length=200, blank=True)
    alteration_kind = models.CharField(max_length=10, choices=AlterationKind.choices, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                name="safety_report_alteration_kind_only_for_alterations",
                condition=Q(kind=ReportKind.ALTERATION) | Q(alteration_kind=""),
            )
        ]

    @builtins.property
    def display_title(self) -> str:
        return str(ReportKind(self.kind).label)


class PeepStatus(models.TextChoices):
    REQUESTED = "requested", "Asked for: assessment to arrange"
    AGREED = "agreed", "Evacuation statement agreed"
    WITHDRAWN = "withdrawn", "Consent withdrawn"


class Peep(models.Model):
    """A residential personal emergency evacuation plan (Fire Safety (Residential Evacuation
    Plans) (England) Regulations 2025, from 6 April 2026) for a resident of a high-rise block
    who would need help to evacuate. Offered and kept only with the resident's consent; shared
    with the fire and rescue service only with a separate consent; reviewed at least yearly
    (``peep.review`` on this row). Health details: seen by the person and the compliance team
    only."""

    ESCALATED_BY_ITS_APP = True

    customer = models.ForeignKey("tenancy.Customer", on_delete=models.PROTECT, related_name="+")
    block = models.ForeignKey("tenancy.Block", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=PeepStatus.choices)
    consent_given_at = models.DateTimeField()
    share_with_fire_service = models.BooleanField(default=False)
    needs = models.TextField(help_text="What help the resident would need to leave the building.")
    evacuation_statement = models.TextField(blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    next_due_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-consent_given_at"]
        verbose_name = "PEEP"
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=~Q(status="withdrawn"),
                name="safety_peep_one_live_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"PEEP {self.pk} ({self.get_status_display()})"


class CheckVisit(models.Model):
    """A visit booked for a home's check, in a repairs slot of the trade that does it (the slot
    machinery is the repairs app's; this keeps which place was taken, so a move gives it back)."""

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        MOVED = "moved", "Moved to another time"

    compliance_check = models.ForeignKey(
        ComplianceCheck, on_delete=models.PROTECT, related_name="visits"
    )
    slot_id = models.PositiveBigIntegerField()
    visit_date = models.DateField()
    label = models.CharField(max_length=100)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    booked_at = models.DateTimeField()
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-booked_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["compliance_check"],
                condition=Q(status="booked"),
                name="safety_visit_one_booked_per_check",
            )
        ]

    def __str__(self) -> str:
        return self.label
