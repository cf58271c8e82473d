"""Complaints under the Housing Ombudsman's Complaint Handling Code, and compliments and comments.

Two stages only (Code 5.3): stage 1, with Quick Resolution as a fast track inside it (never a
stage of its own, Code 5.2), and stage 2, the Final Review. Every milestone keeps its actual
time, because the Code's clocks chain from the actual acknowledgement, not its due date, and the
regulator's CH02 measure needs the received, acknowledged and responded dates of each stage.
"""

from __future__ import annotations

import builtins

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from casework.models import Case, Team
from kernel.formatting import london_short_date


class ComplaintStatus(models.TextChoices):
    QUICK_RESOLUTION = "quick_resolution", "Quick resolution under way"
    STAGE1_RECEIVED = "stage1_received", "Received"
    STAGE1_INVESTIGATING = "stage1_investigating", "Being investigated"
    STAGE1_RESPONDED = "stage1_responded", "Stage 1 response sent"
    STAGE2_RECEIVED = "stage2_received", "Final review requested"
    STAGE2_INVESTIGATING = "stage2_investigating", "Final review under way"
    STAGE2_RESPONDED = "stage2_responded", "Final review response sent"
    CLOSED = "closed", "Closed"
    REFUSED = "refused", "Not accepted as a complaint"


class ServiceArea(models.TextChoices):
    REPAIRS = "repairs", "Repairs and maintenance"
    ASB = "asb", "Anti-social behaviour"
    RENT = "rent", "Rent and service charges"
    LETTINGS = "lettings", "Lettings and moving home"
    SAFETY = "safety", "Building safety"
    NEIGHBOURHOOD = "neighbourhood", "Estates and neighbourhoods"
    CUSTOMER_SERVICE = "customer_service", "Customer service and communication"
    STAFF_CONDUCT = "staff_conduct", "How our staff or contractors behaved"
    OTHER = "other", "Something else"


class QuickResolutionOutcome(models.TextChoices):
    RESOLVED = "resolved", "Put right within 2 working days"
    NOT_RESOLVED_IN_TIME = "not_resolved_in_time", "Not put right within 2 working days"
    CUSTOMER_NOT_SATISFIED = "customer_not_satisfied", "Customer not satisfied"
    NEEDS_INVESTIGATION = "needs_investigation", "Needs a full investigation"


class Outcome(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"


UPHELD_OUTCOMES = (Outcome.UPHELD, Outcome.PARTLY_UPHELD)


class RefusalReason(models.TextChoices):
    """Exclusions the Code allows (2.1 to 2.3); each must be explained to the customer."""

    OUTSIDE_TIME_LIMIT = "outside_time_limit", "Raised more than 12 months after the issue"
    LEGAL_PROCEEDINGS = "legal_proceedings", "Legal proceedings have started"
    ALREADY_CONSIDERED = "already_considered", "Already considered under our complaints policy"
    OTHER_EXCLUSION = "other_exclusion", "Another matter our policy excludes"


class Complaint(Case):
    REFERENCE_PREFIX = "CMP"
    NEXT_STEP_PHRASE = "We will respond by"

    # The base field, with this model's statuses as its choices (labels in the admin and pages).
    status = models.CharField(max_length=30, choices=ComplaintStatus.choices, editable=False)
    subject = models.CharField(max_length=200)
    details = models.TextField()
    outcome_wanted = models.TextField(blank=True)
    service_area = models.CharField(max_length=20, choices=ServiceArea.choices)
    # When the issue happened or the customer became aware of it: the 12-month window (Code 2.1).
    issue_date = models.DateField(null=True, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # One complaint per submitted form, however many times the button is pressed.
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    stage = models.PositiveSmallIntegerField(default=1, editable=False)

    # Quick Resolution: a fast track inside stage 1. ``opened_at`` stays the receipt date.
    quick_resolution = models.BooleanField(default=False, editable=False)
    quick_resolution_outcome = models.CharField(
        max_length=30, choices=QuickResolutionOutcome.choices, blank=True, editable=False
    )
    quick_resolution_ended_at = models.DateTimeField(null=True, blank=True, editable=False)

    stage1_acknowledged_at = models.DateTimeField(null=True, blank=True, editable=False)
    stage1_outcomes_sought = models.TextField(blank=True, editable=False)
    stage1_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    stage1_responded_at = models.DateTimeField(null=True, blank=True, editable=False)
    stage1_outcome = models.CharField(
        max_length=20, choices=Outcome.choices, blank=True, editable=False
    )

    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalation_received_by = models.CharField(max_length=10, blank=True, editable=False)
    escalation_note = models.TextField(blank=True, editable=False)
    stage2_acknowledged_at = models.DateTimeField(null=True, blank=True, editable=False)
    stage2_outcomes_sought = models.TextField(blank=True, editable=False)
    stage2_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    stage2_responded_at = models.DateTimeField(null=True, blank=True, editable=False)
    stage2_outcome = models.CharField(
        max_length=20, choices=Outcome.choices, blank=True, editable=False
    )

    refused_at = models.DateTimeField(null=True, blank=True, editable=False)
    refusal_reason = models.CharField(
        max_length=30, choices=RefusalReason.choices, blank=True, editable=False
    )
    refusal_explanation = models.TextField(blank=True, editable=False)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_due_at"],
                name="complaints_next_due_idx",
                condition=Q(closed_at__isnull=True),
            ),
            models.Index(fields=["tenancy", "opened_at"], name="complaints_household_idx"),
            models.Index(fields=["opened_at"], name="complaints_opened_idx"),
            models.Index(fields=["escalated_at"], name="complaints_escalated_idx"),
            models.Index(fields=["stage1_responded_at"], name="complaints_s1_responded_idx"),
            models.Index(fields=["stage2_responded_at"], name="complaints_s2_responded_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="complaints_stage_is_1_or_2", condition=Q(stage__in=[1, 2])
            ),
            # Code 6.13: the final review is handled by someone other than the stage 1 handler.
            models.CheckConstraint(
                name="complaints_stage2_handler_differs",
                condition=Q(stage2_handler__isnull=True)
                | Q(stage1_handler__isnull=True)
                | ~Q(stage2_handler=F("stage1_handler")),
            ),
            models.CheckConstraint(
                name="complaints_stage2_needs_escalation",
                condition=Q(stage=1) | Q(escalated_at__isnull=False),
            ),
        ]

    @builtins.property
    def received_at(self):
        """Stage 1 receipt: the first contact, kept when a Quick Resolution turns formal or a
        service request becomes a complaint."""
        return self.opened_at

    @builtins.property
    def is_refused(self) -> bool:
        return self.refused_at is not None

    @builtins.property
    def final_outcome(self) -> str:
        return self.stage2_outcome or self.stage1_outcome

    def acknowledged_at(self, stage: int):
        return self.stage1_acknowledged_at if stage == 1 else self.stage2_acknowledged_at

    def responded_at(self, stage: int):
        return self.stage1_responded_at if stage == 1 else self.stage2_responded_at

    def handler(self, stage: int):
        return self.stage1_handler if stage == 1 else self.stage2_handler

    def outcomes_sought(self, stage: int) -> str:
        return self.stage1_outcomes_sought if stage == 1 else self.stage2_outcomes_sought


class ComplaintPoint(models.Model):
    """One issue in a stage's complaint definition, recorded at acknowledgement (Code 6.2,
    6.11). The response must give a decision and reasons on each (Code 6.7)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="points")
    stage = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField()
    issue = models.TextField()

    class Meta:
        ordering = ["stage", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "stage", "position"], name="complaints_point_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return f"Point {self.position}: {self.issue[:60]}"


class LetterKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
    EXTENSION = "extension", "Extension notice"
    RESPONSE = "response", "Response"
    REFUSAL = "refusal", "Decision not to accept the complaint"


class ComplaintLetter(models.Model):
    """A letter to the customer about their complaint.

    A response holds each part the Code requires (6.9, and for stage 2 the route to the
    Ombudsman) as its own field, so ``missing_parts`` can say exactly what is absent and the
    response service refuses to send it until nothing is. ``body`` is the text as sent: once
    ``sent_at`` is set the letter is a record and never changes.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(max_length=20, choices=LetterKind.choices)
    stage = models.PositiveSmallIntegerField(null=True, blank=True)
    subject = models.CharField(max_length=200)
    # Response parts.
    definition = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    remedy = models.TextField(blank=True)
    compensation_amount = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    no_outstanding_actions = models.BooleanField(default=False)
    escalation_text = models.TextField(blank=True)
    ombudsman_text = models.TextField(blank=True)
    quick_resolution = models.BooleanField(default=False)
    # The text as sent (every kind), written when it is sent.
    body = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["kind", "sent_at"], name="complaints_letter_sent_idx")]
        constraints = [
            # One draft response per stage: staff edit it until it is sent.
            models.UniqueConstraint(
                fields=["complaint", "stage", "kind"],
                condition=Q(sent_at__isnull=True),
                name="complaints_letter_one_draft",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @builtins.property
    def is_sent(self) -> bool:
        return self.sent_at is not None

    def missing_parts(self) -> list[str]:
        """What the Code requires of a response that this letter does not yet hold, in the
        order the letter reads. Empty when it may be sent. Only responses have parts."""
        if self.kind != LetterKind.RESPONSE:
            return []
        missing: list[str] = []
        if self.stage not in (1, 2):
            missing.append("The complaint stage")
        if not self.definition.strip():
            missing.append("The complaint definition: the issues and the outcomes sought")
        decisions = {d.point_id: d for d in self.decisions.all()}
        points = list(self.complaint.points.filter(stage=self.stage)) if self.stage else []
        if not points:
            missing.append("The points of the complaint, recorded when it was acknowledged")
        for point in points:
            decision = decisions.get(point.pk)
            if decision is None or not decision.decision:
                missing.append(f"A decision on point {point.position}")
            if decision is None or not decision.reasons.strip():
                missing.append(f"The reasons for the decision on point {point.position}")
        if not self.outcome:
            missing.append("The overall decision: upheld, partly upheld or not upheld")
        if not self.remedy.strip() and self.compensation_amount is None:
            missing.append("The remedy or compensation, or why there is none")
        actions = list(self.actions.all())
        if not actions and not self.no_outstanding_actions:
            missing.append(
                "Any outstanding actions with their dates, or a statement that there are none"
            )
        for number, action in enumerate(actions, start=1):
            if not action.description.strip():
                missing.append(f"What outstanding action {number} is")
            if action.due_date is None:
                missing.append(f"The date for outstanding action {number}")
        if self.stage == 2:
            if not self.ombudsman_text.strip():
                missing.append("How to take the complaint to the Housing Ombudsman")
        elif not self.escalation_text.strip():
            missing.append("How to escalate the complaint to stage 2")
        return missing


class LetterDecision(models.Model):
    """The decision and reasons on one point of the definition, in one response."""

    letter = models.ForeignKey(ComplaintLetter, on_delete=models.CASCADE, related_name="decisions")
    point = models.ForeignKey(ComplaintPoint, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["point__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["letter", "point"], name="complaints_decision_one_per_point"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display() or 'No decision'} on point {self.point_id}"


class OutstandingAction(models.Model):
    """Something a response promised to do after it was sent (Code 6.6), with its own date."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="actions")
    letter = models.ForeignKey(ComplaintLetter, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(blank=True)
    due_date = models.DateField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(
                fields=["due_date"],
                name="complaints_action_open_due_idx",
                condition=Q(completed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @builtins.property
    def is_done(self) -> bool:
        return self.completed_at is not None


class ActionUpdate(models.Model):
    action = models.ForeignKey(OutstandingAction, on_delete=models.PROTECT, related_name="updates")
    note = models.TextField()
    completed = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.note[:80]


class ComplaintExtension(models.Model):
    """A moved response date: why, to when, how far, and the notice that told the customer."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="extensions")
    stage = models.PositiveSmallIntegerField()
    previous_due_at = models.DateTimeField()
    new_due_at = models.DateTimeField()
    # Working days beyond the Code's original deadline for this stage (Code 6.4: at most 10 at
    # stage 1, 20 at stage 2, without good reason).
    further_working_days = models.PositiveSmallIntegerField()
    reason = models.TextField()
    good_reason = models.TextField(blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    letter = models.OneToOneField(ComplaintLetter, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Stage {self.stage} extension to {london_short_date(self.new_due_at)}"


class ComplaintLearning(models.Model):
    """What an upheld complaint taught us and what changes because of it."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="learning")
    lesson = models.TextField()
    improvement = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = "learning outcome"
        indexes = [models.Index(fields=["recorded_at"], name="complaints_learning_at_idx")]

    def __str__(self) -> str:
        return self.lesson[:80]


class Satisfaction(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", "Very satisfied"
    FAIRLY_SATISFIED = "fairly_satisfied", "Fairly satisfied"
    NEITHER = "neither", "Neither satisfied nor dissatisfied"
    FAIRLY_DISSATISFIED = "fairly_dissatisfied", "Fairly dissatisfied"
    VERY_DISSATISFIED = "very_dissatisfied", "Very dissatisfied"


SATISFIED = (Satisfaction.VERY_SATISFIED, Satisfaction.FAIRLY_SATISFIED)


class ComplaintRating(models.Model):
    """How the customer rated our handling of their complaint, once it was closed."""

    complaint = models.OneToOneField(Complaint, on_delete=models.PROTECT, related_name="rating")
    customer = models.ForeignKey("tenancy.Customer", on_delete=models.PROTECT, related_name="+")
    satisfaction = models.CharField(max_length=20, choices=Satisfaction.choices)
    comment = models.TextField(blank=True)
    rated_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["rated_at"], name="complaints_rating_at_idx")]

    def __str__(self) -> str:
        return self.get_satisfaction_display()


class FeedbackKind(models.TextChoices):
    COMPLIMENT = "compliment", "Compliment"
    COMMENT = "comment", "Comment or suggestion"


class Feedback(models.Model):
    """A compliment or a comment: not a complaint, routed to the team it is about."""

    kind = models.CharField(max_length=20, choices=FeedbackKind.choices)
    customer = models.ForeignKey("tenancy.Customer", on_delete=models.PROTECT, related_name="+")
    tenancy = models.ForeignKey("tenancy.Tenancy", on_delete=models.PROTECT, related_name="+")
    service_area = models.CharField(max_length=20, choices=ServiceArea.choices)
    details = models.TextField()
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_by = models.CharField(max_length=10, default="portal")
    received_at = models.DateTimeField()
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name_plural = "compliments and comments"
        indexes = [
            models.Index(fields=["tenancy", "received_at"], name="complaints_feedback_hh_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.details[:60]}"


class OmbudsmanRecordKind(models.TextChoices):
    ANNUAL_LETTER = "annual_letter", "Annual landlord performance letter"
    DETERMINATION = "determination", "Determination on a complaint"
    ORDER = "order", "Order or recommendation"
    SPECIAL_REPORT = "special_report", "Special report or other report"
    REFERRAL = "referral", "Complaint referred to the Ombudsman"


class OmbudsmanRecord(models.Model):
    """Correspondence from or to the Housing Ombudsman, for the annual report (Code 8.1)."""

    kind = models.CharField(max_length=20, choices=OmbudsmanRecordKind.choices)
    received_on = models.DateField()
    summary = models.TextField()
    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, null=True, blank=True, related_name="ombudsman_records"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({london_short_date(self.received_on)})"
