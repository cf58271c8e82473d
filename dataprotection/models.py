"""Requests about a person's own data (UK GDPR): a copy of it, a correction, an erasure, a
complaint about how we handle it; the pack a copy is sent in; the retention schedule.

Every request is a case (``DataRequest``), so its clock, timeline, queue and access rules are
the ones every case has. Only the person who asked sees it (not their household: a subject
access request may be about a partner), and only the data-protection team works it.
"""

from __future__ import annotations

import builtins
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from casework.models import Case


class RequestKind(models.TextChoices):
    SUBJECT_ACCESS = "subject_access", "A copy of the data you hold about me"
    CORRECTION = "correction", "Correct data you hold about me"
    ERASURE = "erasure", "Erase data you hold about me"
    COMPLAINT = "complaint", "A complaint about how you handle my data"


class RequestStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    AWAITING_IDENTITY = "awaiting_identity", "Waiting for proof of your identity"
    IDENTITY_CONFIRMED = "identity_confirmed", "Identity confirmed"
    GATHERING = "gathering", "Gathering your data"
    IN_REVIEW = "in_review", "Being checked before release"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RELEASED = "released", "Your data is ready to download"
    ANSWERED = "answered", "Answered"


# The clock each kind runs (sla/catalogue.py, "Data protection").
CLOCK_FOR_KIND = {
    RequestKind.SUBJECT_ACCESS: "dp.subject_access",
    RequestKind.CORRECTION: "dp.correction",
    RequestKind.ERASURE: "dp.erasure",
    RequestKind.COMPLAINT: "dp.complaint.acknowledge",
}


def pack_path(instance: DataRequest, filename: str) -> str:
    # Random names: a guessed or leaked path reveals nothing (as for case attachments).
    return f"data-packs/{secrets.token_hex(16)}.zip"


class DataRequest(Case):
    REFERENCE_PREFIX = "DPR"
    NEXT_STEP_PHRASE = "We will answer by"

    # Optional here: the right of access belongs to every person we hold data about, an
    # applicant with no household included (docs/decisions/0030).
    tenancy = models.ForeignKey(  # type: ignore[assignment]
        "tenancy.Tenancy", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    property = models.ForeignKey(  # type: ignore[assignment]
        "tenancy.Property", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    kind = models.CharField(max_length=20, choices=RequestKind.choices)
    details = models.TextField(help_text="What the person asked for, in their words.")
    # UK GDPR Art 15 allows a pack to go to someone the person has authorised (a solicitor, an
    # attorney). Recorded by staff only, once they have seen the authority.
    representative = models.ForeignKey(
        "tenancy.Customer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Someone the person has authorised to receive their data, with a sign-in.",
    )
    representative_authority = models.TextField(blank=True)
    identity_requested_at = models.DateTimeField(null=True, blank=True)
    identity_confirmed_at = models.DateTimeField(null=True, blank=True)
    # The gathering of a pack, for the officer's progress bar: parts done out of parts to do.
    gathering_started_at = models.DateTimeField(null=True, blank=True)
    gathering_done = models.PositiveSmallIntegerField(default=0)
    gathering_total = models.PositiveSmallIntegerField(default=0)
    gathered_at = models.DateTimeField(null=True, blank=True)
    gathering_error = models.TextField(blank=True)
    # What the parts returned, as JSON, before any redaction: the officer reviews from this.
    gathered = models.FileField(upload_to=pack_path, max_length=200, blank=True)
    pack = models.FileField(upload_to=pack_path, max_length=200, blank=True)
    # When the officer released it: the pack (its PDF takes minutes over a long history) is
    # then built in the background, and released when it is built.
    release_started_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(blank=True, help_text="Our answer, as the person reads it.")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "data protection request"
        indexes = [
            models.Index(
                fields=["next_due_at"],
                name="dp_request_next_due_idx",
                condition=Q(closed_at__isnull=True),
            ),
            models.Index(fields=["customer", "opened_at"], name="dp_request_customer_idx"),
        ]

    @builtins.property
    def display_title(self) -> str:
        return str(RequestKind(self.kind).label)

    @builtins.property
    def status_label(self) -> str:
        return str(RequestStatus(self.status).label)


class RedactionKind(models.TextChoices):
    TEXT = "text", "Words removed wherever they appear"
    RECORD = "record", "A whole record withheld"


class Redaction(models.Model):
    """What the data-protection officer removed from a pack, and why: another person's name,
    a record that would disclose a third party (UK GDPR Art 15(4), DPA 2018 Sch 2 para 16)."""

    request = models.ForeignKey(DataRequest, on_delete=models.CASCADE, related_name="redactions")
    kind = models.CharField(max_length=10, choices=RedactionKind.choices)
    target = models.CharField(
        max_length=300, help_text="The words to remove, or the key of the record to withhold."
    )
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind", "target"], name="dp_redaction_once_per_target"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.target}"


# A pack's download link works this long after it is issued.
PACK_LINK_DAYS = 14


class PackLink(models.Model):
    """A link to download a released pack: once, until ``expires_at``, only for the person the
    pack was released to (the requester or their recorded representative)."""

    request = models.ForeignKey(DataRequest, on_delete=models.CASCADE, related_name="links")
    token = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return f"Link for {self.request_id} issued {self.issued_at:%Y-%m-%d}"


class RetentionAction(models.TextChoices):
    ANONYMISE = "anonymise", "Anonymise: remove what identifies the person, keep the figures"
    DELETE = "delete", "Delete"


class RetentionRule(models.Model):
    """One line of the retention schedule: how long a kind of record is kept, after what, and
    what then happens to it. Managed in the admin; applied nightly by the retention task."""

    code = models.CharField(max_length=60, unique=True)
    record_type = models.CharField(max_length=200)
    keep_years = models.PositiveSmallIntegerField()
    after = models.CharField(max_length=200, help_text="What the period runs from.")
    action = models.CharField(max_length=10, choices=RetentionAction.choices)
    legal_basis = models.TextField(
        help_text="Why we keep it this long: told to a person who asks us to erase it."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.record_type}: {self.keep_years} years after {self.after}"


class RetentionRun(models.Model):
    """One application of one rule: how many records it anonymised or deleted."""

    rule = models.ForeignKey(RetentionRule, on_delete=models.PROTECT, related_name="runs")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    cutoff = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)
    batches = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.rule.code}: {self.count}"
