"""The outbox: every message to a customer or a member of staff is a row first.

A row is written in the same transaction as the event it reports, with an idempotency key, so a
message is neither lost when the broker is down nor sent twice when a delivery is retried.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


class MessageChannel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"
    LETTER = "letter", "Letter"
    PORTAL = "portal", "Portal only"


class MessageStatus(models.TextChoices):
    PENDING = "pending", "Waiting to send"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed: needs a person"


# The delivery note of a message a delivery check refused (``notifications.guards``). It stays
# until an attempt sends the message (a retry asks the checks again), so it marks the row.
WITHHELD_NOTE = "Not sent: not a safe way to reach this person"
# Withheld, and not sent since: the message exists for the officer the check's app told, and for
# nobody else. Its recipient's inbox, its counts and its page, a household's picture and the
# outbox's readers outside the team told all leave it out, so it cannot reveal that its
# recipient asked for a safe contact, nor reach them a way they said is unsafe.
WITHHELD = Q(delivery_note=WITHHELD_NOTE)


class Message(models.Model):
    # Unique by a constraint rather than unique=True, which on PostgreSQL adds a second,
    # pattern-matching index on the key that no query reads (docs/decisions/0012).
    idempotency_key = models.CharField(max_length=200)
    # Covered by notif_message_customer_idx, which starts with it.
    customer = models.ForeignKey(
        "tenancy.Customer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
        db_index=False,
    )
    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_messages",
    )
    # An organisation outside the association (a contractor), reached by email at
    # ``to_address``: neither a customer nor a member of staff.
    outside_recipient = models.CharField(max_length=200, blank=True)
    channel = models.CharField(max_length=10, choices=MessageChannel.choices)
    to_address = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    # A message about a sensitive matter sent through a safe-contact channel names no subject.
    is_sensitive = models.BooleanField(default=False)
    large_print = models.BooleanField(default=False)
    # No query looks messages up by what they are about.
    about_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, db_index=False
    )
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # What the channel did with it, for staff: "Queued for print: letters/...", "Portal only".
    delivery_note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="notif_message_due_idx",
                condition=Q(status__in=["pending", "sending"]),
            ),
            models.Index(fields=["customer", "created_at"], name="notif_message_customer_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"], name="notifications_message_key_unique"
            ),
            models.CheckConstraint(
                name="notifications_message_has_recipient",
                condition=Q(customer__isnull=False)
                | Q(staff_user__isnull=False)
                | ~Q(outside_recipient=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.subject}"

    @property
    def delivery_summary(self) -> str:
        """How the message reached the customer, in their words."""
        ways: dict[str, str] = {
            MessageChannel.EMAIL: "by email",
            MessageChannel.SMS: "by text message",
            MessageChannel.LETTER: "by post",
        }
        how = ways.get(self.channel)
        if how is None:
            return "In your account only"
        if self.status == MessageStatus.SENT:
            return f"Sent {how}"
        if self.status == MessageStatus.FAILED:
            return f"We could not send it {how}; we are looking into it"
        return f"Being sent {how}"
