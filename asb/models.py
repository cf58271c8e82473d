"""Reports of anti-social behaviour, hate crime and domestic abuse.

Every ``AsbCase`` is registered as sensitive (docs/decisions/0014): only the ASB team reads it,
every staff read is logged, and on the customer side only the person who reported it sees it,
never the rest of the household, who may be the people the report is about.

A report made by someone who is not signed in is an ``AnonymousReport``: it has no household, so
it opens nothing for anyone who holds its details, and the ASB team acts on it by the contact
its maker chose (docs/decisions/0015).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Case as ConditionalCase
from django.db.models import F, IntegerField, Q, Value, When

from casework.models import Case
from kernel.formatting import london_short_datetime


class AsbKind(models.TextChoices):
    ASB = "asb", "Anti-social behaviour"
    HATE_CRIME = "hate_crime", "Hate crime or a hate incident"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"


# The acknowledgement promise each kind of report starts (sla catalogue, DESIGN.md section 4).
ACKNOWLEDGE_CODE: dict[str, str] = {
    AsbKind.ASB: "asb.acknowledge",
    AsbKind.HATE_CRIME: "asb.hate_crime.acknowledge",
    AsbKind.DOMESTIC_ABUSE: "asb.domestic_abuse.acknowledge",
}
ACTION_CODE = "asb.action"


class AsbCategory(models.TextChoices):
    NOISE = "noise", "Noise"
    HARASSMENT = "harassment", "Harassment or threats"
    VANDALISM = "vandalism", "Vandalism or damage"
    DRUGS = "drugs", "Drugs or drug dealing"
    PETS = "pets", "Pets or animals"
    PARKING = "parking", "Parking or vehicles"
    OTHER = "other", "Something else"


class HateCharacteristic(models.TextChoices):
    """The five grounds of a hate incident in the TSM NM01 definition."""

    DISABILITY = "disability", "Disability"
    RACE = "race", "Race or ethnicity"
    RELIGION = "religion", "Religion or belief"
    SEXUAL_ORIENTATION = "sexual_orientation", "Sexual orientation"
    TRANSGENDER = "transgender", "Transgender identity"


class IncidentPlace(models.TextChoices):
    HOME = "home", "In or at my home"
    BLOCK = "block", "In my block or building (stairs, halls, shared areas)"
    STREET = "street", "In the street or the wider area"


class AsbStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    INVESTIGATING = "investigating", "Being dealt with"
    CLOSING = "closing", "We have asked you if we can close it"
    CLOSED = "closed", "Closed"


class Risk(models.TextChoices):
    STANDARD = "standard", "Standard"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Tool(models.TextChoices):
    WARNING_LETTER = "warning_letter", "Warning letter"
    ABC = "abc", "Acceptable behaviour contract"
    MEDIATION = "mediation", "Mediation referral"
    INJUNCTION = "injunction", "Injunction"
    NOTICE_SEEKING_POSSESSION = "nsp", "Notice seeking possession"
    PARTNERSHIP_MEETING = "partnership_meeting", "Partnership meeting"
    POLICE_REFERRAL = "police_referral", "Referral to the police"
    AGENCY_REFERRAL = "agency_referral", "Referral to another agency"


class CloseReason(models.TextChoices):
    RESOLVED = "resolved", "The problem has stopped"
    NO_FURTHER_ACTION = "no_further_action", "Nothing more we can do"
    WITHDRAWN = "withdrawn", "The reporter asked us to stop"
    MOVED = "moved", "The reporter or the other party has moved"
    NO_CONTACT = "no_contact", "We could not reach the reporter to ask"


class Satisfaction(models.TextChoices):
    """The TSM perception scale (TP12 counts very and fairly satisfied)."""

    VERY_SATISFIED = "very_satisfied", "Very satisfied"
    FAIRLY_SATISFIED = "fairly_satisfied", "Fairly satisfied"
    NEITHER = "neither", "Neither satisfied nor dissatisfied"
    FAIRLY_DISSATISFIED = "fairly_dissatisfied", "Fairly dissatisfied"
    VERY_DISSATISFIED = "very_dissatisfied", "Very dissatisfied"


SATISFIED = (Satisfaction.VERY_SATISFIED, Satisfaction.FAIRLY_SATISFIED)


# The ASB queue's order: high risk first, then the soonest clock, then the oldest. One
# expression for the admin's ordering and the index that serves it.
HIGH_RISK_FIRST = ConditionalCase(
    When(risk="high", then=Value(0)), default=Value(1), output_field=IntegerField()
)
QUEUE_ORDER = (HIGH_RISK_FIRST, F("next_due_at").asc(nulls_last=True), F("opened_at").asc())


class SafeContact(models.Model):
    """How a reporter may be contacted without putting them at risk. Every later contact, by
    an officer or by the outbox (``asb.guards``), keeps to it."""

    safe_phone = models.CharField("Safe phone number", max_length=30, blank=True)
    may_leave_message = models.BooleanField("A message may be left", default=False)
    safe_times = models.CharField("Safe times to call", max_length=200, blank=True)
    code_word = models.CharField(max_length=50, blank=True)
    may_email = models.BooleanField("Email is safe", default=False)
    may_text = models.BooleanField("Texts are safe", default=False)
    may_write = models.BooleanField("Letters to the home are safe", default=False)
    may_use_portal = models.BooleanField("Messages in this website are safe", default=False)

    class Meta:
        abstract = True


class AsbCase(SafeContact, Case):
    REFERENCE_PREFIX = "ASB"
    SENSITIVE = True
    NEXT_STEP_PHRASE = "We will contact you by"

    kind = models.CharField(max_length=20, choices=AsbKind.choices)
    category = models.CharField(max_length=20, choices=AsbCategory.choices, blank=True)
    hate_characteristic = models.CharField(
        max_length=20, choices=HateCharacteristic.choices, blank=True
    )
    place = models.CharField(max_length=10, choices=IncidentPlace.choices)
    place_detail = models.CharField(max_length=300, blank=True)
    started_on = models.DateField(null=True, blank=True)
    details = models.TextField()
    witnesses = models.TextField(blank=True)
    # Never shown to any customer, the reporter included: it names someone else.
    other_party_address = models.CharField(max_length=300, blank=True)
    # Staff link the case to the alleged perpetrator's tenancy, so an officer sees every other
    # report about the same home.
    other_party_tenancy = models.ForeignKey(
        "tenancy.Tenancy", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    risk = models.CharField(max_length=10, choices=Risk.choices, blank=True)
    risk_assessed_at = models.DateTimeField(null=True, blank=True)
    marac_referred_at = models.DateTimeField("Referred to MARAC", null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    review_on = models.DateField("Next review", null=True, blank=True)
    close_asked_at = models.DateTimeField(null=True, blank=True)
    close_consent = models.BooleanField(null=True, blank=True)
    close_reason = models.CharField(max_length=20, choices=CloseReason.choices, blank=True)
    satisfaction = models.CharField(max_length=20, choices=Satisfaction.choices, blank=True)
    satisfaction_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "ASB case"
        indexes = [
            # ASC is NULLS LAST in PostgreSQL, as QUEUE_ORDER asks (SQLite refuses the words
            # in an index).
            models.Index(
                HIGH_RISK_FIRST, "next_due_at", "opened_at", "id", name="asb_case_queue_idx"
            ),
            models.Index(
                fields=["next_due_at"],
                name="asb_case_open_due_idx",
                condition=Q(closed_at__isnull=True),
            ),
            models.Index(fields=["opened_at"], name="asb_case_opened_idx"),
            models.Index(fields=["customer", "opened_at"], name="asb_case_reporter_idx"),
            models.Index(
                fields=["other_party_tenancy"],
                name="asb_case_other_party_idx",
                condition=Q(other_party_tenancy__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="asb_case_hate_characteristic_only_for_hate",
                condition=Q(hate_characteristic="") | Q(kind="hate_crime"),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def display_title(self) -> str:
        # Neutral on purpose: the title is what an email or a list on a shared screen shows.
        return "Your report to our community safety team"

    @property
    def is_hate_incident(self) -> bool:
        return self.kind == AsbKind.HATE_CRIME


class AsbAction(models.Model):
    """One action of a case's action plan: who does what by when, each with its own clock."""

    case = models.ForeignKey(AsbCase, on_delete=models.PROTECT, related_name="actions")
    description = models.CharField(max_length=500)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    deadline = models.OneToOneField(
        "sla.Deadline", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreed_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description


class DiaryEntry(models.Model):
    """A further incident the reporter (or an officer for them) adds to the case's diary."""

    case = models.ForeignKey(AsbCase, on_delete=models.PROTECT, related_name="diary")
    happened_on = models.DateField()
    what_happened = models.TextField()
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["happened_on", "pk"]
        verbose_name_plural = "diary entries"

    def __str__(self) -> str:
        return f"{self.case_id}: {self.happened_on}"


class ContactWay(models.TextChoices):
    NONE = "none", "Do not contact me"
    PHONE = "phone", "By phone"
    EMAIL = "email", "By email"


class AnonymousReport(SafeContact):
    """A report from someone who is not signed in (they may have no account, or be fleeing).

    It belongs to no household and has no page: nothing about it can be read back from the
    portal. Its acknowledgement runs on an ``sla`` clock like a case's (24 hours or 3 working
    days), so the sweep warns and breaches it; being no case, it is escalated by this app's own
    handlers (``asb.services.anonymous_deadlines_breached``) to the ASB team, naming nothing
    its maker told us (docs/decisions/0034).
    """

    # Its clocks are escalated by asb's own handlers, not as a case's (casework).
    ESCALATED_BY_ITS_APP = True
    REFERENCE_PREFIX = "ASB-ANON"

    # Staff's handle for it (``ASB-ANON-2026-000001``); it opens nothing outside the ASB queue.
    reference = models.CharField(max_length=30, unique=True, editable=False)

    kind = models.CharField(max_length=20, choices=AsbKind.choices)
    category = models.CharField(max_length=20, choices=AsbCategory.choices, blank=True)
    hate_characteristic = models.CharField(
        max_length=20, choices=HateCharacteristic.choices, blank=True
    )
    place = models.CharField(max_length=10, choices=IncidentPlace.choices)
    place_detail = models.CharField(max_length=300, blank=True)
    started_on = models.DateField(null=True, blank=True)
    details = models.TextField()
    witnesses = models.TextField(blank=True)
    other_party_address = models.CharField(max_length=300, blank=True)
    contact_way = models.CharField(max_length=10, choices=ContactWay.choices)
    contact_name = models.CharField(max_length=100, blank=True)
    contact_email = models.EmailField(blank=True)
    received_at = models.DateTimeField()
    # Its acknowledgement clock's due time while unmet, kept by sla services like a case's.
    next_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    officer_note = models.TextField(blank=True)
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["received_at"]
        indexes = [models.Index(fields=["received_at"], name="asb_anon_received_idx")]

    def __str__(self) -> str:
        return f"Report received {london_short_datetime(self.received_at)}"
