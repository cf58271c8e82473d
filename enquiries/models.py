"""Keeping in Touch: general contacts, call backs, live web chat, home visits and the telephone
figures that show how well we answer.

An enquiry is anything not yet a repair, a complaint or a report. Written contacts (portal, email,
letter) run the acknowledge (3 working days) and respond (10 working days) clocks; a live contact
(phone, office, home visit, chat) that is not resolved there and then runs the contact-back clock
(3 working days). Chats and call backs are cases of their own, so their clocks, timelines and
access rules are the same as every other case's.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from casework.models import Case
from kernel.formatting import london_short_date, london_short_datetime, london_time


class EnquiryStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    REFERRED = "referred", "With the right team"
    ANSWERED = "answered", "Answered"
    CLOSED = "closed", "Closed"
    BECAME_COMPLAINT = "became_complaint", "Now a complaint"


class EnquiryTopic(models.TextChoices):
    GENERAL = "general", "General question"
    RENT = "rent", "Rent or service charges"
    TENANCY = "tenancy", "My tenancy"
    NEIGHBOURHOOD = "neighbourhood", "My neighbourhood"
    MOVING = "moving", "Moving home"
    HOME_VISIT = "home_visit", "I would like a home visit"
    OTHER = "other", "Something else"


class ComplaintChoice(models.TextChoices):
    """What the customer said when offered the choice to complain (Complaint Handling Code 1.3)."""

    ACCEPTED = "accepted", "Wants to complain"
    DECLINED = "declined", "Does not want to complain"


class Enquiry(Case):
    REFERENCE_PREFIX = "ENQ"

    topic = models.CharField(
        max_length=20, choices=EnquiryTopic.choices, default=EnquiryTopic.GENERAL
    )
    subject = models.CharField(max_length=200)
    details = models.TextField()
    resolved_at_first_contact = models.BooleanField(default=False)
    answer = models.TextField(blank=True)
    # "Visit" covers the office and the home; this says which, for the figures by channel.
    at_home_visit = models.BooleanField(default=False)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The actual time of each milestone, not only whether a clock was met: reports and any later
    # complaint need the real dates.
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    contacted_back_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    complaint_offered_at = models.DateTimeField(null=True, blank=True)
    complaint_choice = models.CharField(max_length=10, choices=ComplaintChoice.choices, blank=True)
    # One enquiry per submitted form, however many times the button is pressed.
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name_plural = "enquiries"
        indexes = [
            models.Index(
                fields=["next_due_at"],
                name="enquiries_next_due_idx",
                condition=models.Q(closed_at__isnull=True),
            ),
            models.Index(fields=["customer", "opened_at"], name="enquiries_customer_idx"),
            models.Index(fields=["tenancy", "opened_at"], name="enquiries_household_idx"),
            models.Index(fields=["opened_at"], name="enquiries_opened_idx"),
        ]

    @property
    def status_label(self) -> str:
        return str(EnquiryStatus(self.status).label)


class ChatStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for an adviser"
    ACTIVE = "active", "Chatting"
    ENDED = "ended", "Ended"


class ChatSession(Case):
    """One live web chat. The adviser is the case's assignee; the transcript is its messages."""

    REFERENCE_PREFIX = "CHAT"

    picked_up_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = "web chat"
        indexes = [
            # The live queue: chats still open, oldest first.
            models.Index(
                fields=["opened_at"],
                name="enquiries_chat_open_idx",
                condition=models.Q(closed_at__isnull=True),
            ),
            models.Index(fields=["tenancy", "opened_at"], name="enquiries_chat_household_idx"),
        ]

    @property
    def status_label(self) -> str:
        return str(ChatStatus(self.status).label)

    @property
    def acknowledgement_seconds(self) -> float | None:
        if self.picked_up_at is None:
            return None
        return (self.picked_up_at - self.opened_at).total_seconds()


class ChatSender(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    ADVISER = "adviser", "Adviser"
    SYSTEM = "system", "System"


class ChatMessage(models.Model):
    """One line of a chat. Stored verbatim; every page and the socket escape it on output."""

    MAX_LENGTH = 2000

    chat = models.ForeignKey(ChatSession, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=10, choices=ChatSender.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    body = models.TextField()
    sent_at = models.DateTimeField()
    # Chosen by the sender's browser, so a retried send after a dropped connection is stored once.
    client_token = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["chat", "client_token"], name="enquiries_chatmessage_token_unique"
            ),
        ]
        indexes = [models.Index(fields=["chat", "id"], name="enquiries_chatmsg_chat_idx")]

    def __str__(self) -> str:
        return f"{self.get_sender_display()} at {london_time(self.sent_at)}"


class CallBackStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    TRIED = "tried", "We tried to call"
    DONE = "done", "Done"


class PreferredTime(models.TextChoices):
    ANY = "any", "Any time in office hours"
    MORNING = "morning", "Morning (8am to 12pm)"
    AFTERNOON = "afternoon", "Afternoon (12pm to 4pm)"
    LATE_AFTERNOON = "late_afternoon", "Late afternoon (4pm to 6pm)"


class CallBackOutcome(models.TextChoices):
    RESOLVED = "resolved", "Spoke to the customer: resolved"
    FOLLOW_UP = "follow_up", "Spoke to the customer: follow-up needed"
    NO_ANSWER = "no_answer", "No answer: will try again"
    UNREACHABLE = "unreachable", "Could not reach the customer: closed"


class CallBack(Case):
    """A request to be phoned back, from the portal or logged by staff at busy times."""

    REFERENCE_PREFIX = "CB"

    phone = models.CharField(max_length=30)
    reason = models.TextField()
    preferred_date = models.DateField(
        null=True, blank=True, help_text="Empty means as soon as possible."
    )
    preferred_time = models.CharField(
        max_length=20, choices=PreferredTime.choices, default=PreferredTime.ANY
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    outcome = models.CharField(max_length=20, choices=CallBackOutcome.choices, blank=True)
    outcome_note = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = "call back"
        indexes = [
            models.Index(
                fields=["next_due_at"],
                name="enquiries_callback_due_idx",
                condition=models.Q(closed_at__isnull=True),
            ),
            models.Index(fields=["tenancy", "opened_at"], name="enquiries_cb_household_idx"),
        ]

    @property
    def status_label(self) -> str:
        return str(CallBackStatus(self.status).label)


class VisitStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    RUNNING_LATE = "running_late", "Running late"
    COMPLETED = "completed", "Visited"
    NO_ACCESS = "no_access", "No one in: card left"
    CANCELLED = "cancelled", "Cancelled"


class HomeVisit(models.Model):
    """A visit by an officer to a customer's home, booked for a time window.

    The customer is told the time and the officer's name when it is booked, told again if the
    officer is running late, and sent a message when nobody was in and a card was left.
    """

    customer = models.ForeignKey("tenancy.Customer", on_delete=models.PROTECT, related_name="+")
    tenancy = models.ForeignKey("tenancy.Tenancy", on_delete=models.PROTECT, related_name="+")
    property = models.ForeignKey("tenancy.Property", on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=VisitStatus.choices, default=VisitStatus.BOOKED, editable=False
    )
    enquiry = models.ForeignKey(
        Enquiry, on_delete=models.PROTECT, null=True, blank=True, related_name="home_visits"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField()
    late_expected_at = models.DateTimeField(null=True, blank=True)
    late_told_at = models.DateTimeField(null=True, blank=True)
    card_left_at = models.DateTimeField(null=True, blank=True)
    # Commitment: "show you suitable identification". Recorded by the officer at every visit.
    identification_shown = models.BooleanField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["officer", "starts_at"], name="enquiries_visit_officer_idx"),
            models.Index(fields=["tenancy", "starts_at"], name="enquiries_visit_household_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="enquiries_visit_ends_after_start", condition=Q(ends_at__gt=F("starts_at"))
            ),
            models.CheckConstraint(
                name="enquiries_visit_completed_has_id_check",
                condition=~Q(status="completed") | Q(identification_shown__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Home visit {london_short_datetime(self.starts_at)}"


class CallStatistic(models.Model):
    """One day's telephone figures, imported from the phone system's daily CSV."""

    day = models.DateField(unique=True)
    offered = models.PositiveIntegerField()
    answered = models.PositiveIntegerField()
    abandoned = models.PositiveIntegerField()
    callbacks_offered = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.CheckConstraint(
                name="enquiries_callstat_answered_within_offered",
                condition=Q(offered__gte=F("answered") + F("abandoned")),
            ),
        ]

    def __str__(self) -> str:
        return f"Calls on {london_short_date(self.day)}"

    @property
    def answer_rate(self) -> float | None:
        return self.answered / self.offered if self.offered else None
