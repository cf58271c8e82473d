"""What every case shares: the abstract Case, its timeline of events, teams, links, attachments.

Each service app's case model (a repair, a complaint, ...) extends ``Case``. Status changes only
through that app's transition services, which write a ``CaseEvent`` in the same transaction.
"""

from __future__ import annotations

import builtins
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models

from kernel.formatting import london_short_datetime
from kernel.roles import Role


class Team(models.Model):
    """A queue of work, owned by the staff holding ``role``; ``lead`` is told of breaches."""

    name = models.CharField(max_length=100, unique=True)
    role = models.CharField(max_length=30, choices=Role.choices)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teams_led",
    )
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ReceivedBy(models.TextChoices):
    PORTAL = "portal", "Portal"
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    WEBCHAT = "webchat", "Web chat"
    VISIT = "visit", "In person"
    STAFF = "staff", "Staff (found by us)"


class Case(models.Model):
    """Abstract base of every case. Subclasses set ``REFERENCE_PREFIX`` (e.g. "REP").

    ``tenancy`` and ``property`` are required: a repair, a complaint, a rent arrears case are
    about a household and its home. A case that an applicant with no household may open (an
    application for a home) declares them again with ``null=True`` (docs/decisions/0030), and
    ``case_open`` leaves them empty for such a person."""

    REFERENCE_PREFIX = "CASE"
    SENSITIVE = False  # True for domestic abuse and hate crime: every staff read is logged.
    # Completes "... by Thursday 9 April 2026" on the customer's case page.
    NEXT_STEP_PHRASE = "We will reply by"

    reference = models.CharField(max_length=20, unique=True, editable=False)
    customer = models.ForeignKey("tenancy.Customer", on_delete=models.PROTECT, related_name="+")
    tenancy = models.ForeignKey("tenancy.Tenancy", on_delete=models.PROTECT, related_name="+")
    property = models.ForeignKey("tenancy.Property", on_delete=models.PROTECT, related_name="+")
    received_by = models.CharField(
        max_length=10, choices=ReceivedBy.choices, default=ReceivedBy.PORTAL
    )
    status = models.CharField(max_length=30, editable=False)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    # Earliest open deadline, kept by sla services, so queues sort by due time without a join.
    next_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Minted when the form that opens the case is shown (``kernel.forms.IdempotentFormMixin``):
    # the open service finds the case a first submission made instead of making a second.
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    deadlines = GenericRelation("sla.Deadline")
    events = GenericRelation("casework.CaseEvent")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.reference

    @builtins.property
    def is_open(self) -> bool:
        return self.closed_at is None

    @builtins.property
    def display_title(self) -> str:
        """What the customer calls this case; subclasses without a ``subject`` override it."""
        return getattr(self, "subject", "") or str(self._meta.verbose_name).capitalize()


class EventKind(models.TextChoices):
    OPENED = "opened", "Opened"
    STATUS = "status", "Status changed"
    NOTE = "note", "Note"
    ASSIGNED = "assigned", "Assigned"
    DEADLINE_MET = "deadline_met", "Deadline met"
    DEADLINE_BREACHED = "deadline_breached", "Deadline missed"
    DEADLINE_EXTENDED = "deadline_extended", "Deadline extended"
    DEADLINE_WARNING = "deadline_warning", "Deadline due soon"
    MESSAGE = "message", "Message sent"
    ATTACHMENT = "attachment", "File added"
    LINKED = "linked", "Linked to another case"


class CaseEvent(models.Model):
    """One line of a case's history: the audit trail, the customer's timeline and the input to
    every statistic. Never updated or deleted."""

    # Neither foreign key has an index of its own: the case and household indexes below start
    # with them, and with millions of events every extra index costs each new event (the
    # sweep writes thousands at once) random reads (docs/decisions/0012).
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, db_index=False)
    object_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("content_type", "object_id")
    # Denormalised so a household's whole timeline is one indexed query. Empty for a case of
    # an applicant with no household (docs/decisions/0030), whose events are read by case.
    tenancy = models.ForeignKey(
        "tenancy.Tenancy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30, blank=True)
    note = models.TextField(blank=True)
    visible_to_customer = models.BooleanField(default=False)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "occurred_at"], name="casework_event_case_idx"
            ),
            # The household timeline shows customers their events only, so internal events
            # (every escalation the sweep writes) are left out of it.
            models.Index(
                fields=["tenancy", "occurred_at"],
                name="casework_event_household_idx",
                condition=models.Q(visible_to_customer=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {london_short_datetime(self.occurred_at)}"


class CaseLink(models.Model):
    """A case that is about another (a complaint about a repair, an enquiry that became a
    complaint), without either service app importing the other's models."""

    from_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    from_id = models.PositiveBigIntegerField()
    from_case = GenericForeignKey("from_type", "from_id")
    to_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    to_id = models.PositiveBigIntegerField()
    to_case = GenericForeignKey("to_type", "to_id")
    relation = models.CharField(max_length=30, default="about")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_type", "from_id", "to_type", "to_id", "relation"],
                name="casework_link_unique",
            ),
        ]
        indexes = [models.Index(fields=["to_type", "to_id"], name="casework_link_to_idx")]

    def __str__(self) -> str:
        return f"{self.from_type_id}:{self.from_id} {self.relation} {self.to_type_id}:{self.to_id}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Random names: a guessed or leaked path reveals nothing and cannot collide.
    return f"attachments/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("content_type", "object_id")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(max_length=255)
    mime_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    # Staff may keep a file on the case that the household must not see (a contractor's report
    # naming neighbours, a police letter).
    visible_to_customer = models.BooleanField(default=True)

    class Meta:
        ordering = ["uploaded_at"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="casework_attach_case_idx")
        ]

    def __str__(self) -> str:
        return self.original_name


class ReferenceCounter(models.Model):
    """Next number for each prefix and year, so references read REP-2026-000123."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="casework_refcounter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_number}"


class SensitiveCaseRead(models.Model):
    """Who opened a confidential record, and when: a case whose reads are logged (domestic
    abuse, hate crime, a request about one's own data) or a customer's vulnerability and
    safe-contact notes (the customer record itself). Written on every staff read."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("content_type", "object_id")
    read_at = models.DateTimeField()
    path = models.CharField(max_length=300)

    class Meta:
        ordering = ["-read_at"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="casework_sensread_idx")]

    def __str__(self) -> str:
        read_at = london_short_datetime(self.read_at)
        return f"{self.user_id} read {self.content_type_id}:{self.object_id} at {read_at}"
