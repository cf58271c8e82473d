"""General contacts: questions, requests for information, anything not yet a repair, a
complaint or a report ("Keeping in Touch")."""

from __future__ import annotations

from django.db import models

from casework.models import Case


class EnquiryStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    REFERRED = "referred", "With the right team"
    ANSWERED = "answered", "Answered"
    CLOSED = "closed", "Closed"


class EnquiryTopic(models.TextChoices):
    GENERAL = "general", "General question"
    RENT = "rent", "Rent or service charges"
    TENANCY = "tenancy", "My tenancy"
    NEIGHBOURHOOD = "neighbourhood", "My neighbourhood"
    MOVING = "moving", "Moving home"
    OTHER = "other", "Something else"


class Enquiry(Case):
    REFERENCE_PREFIX = "ENQ"

    topic = models.CharField(max_length=20, choices=EnquiryTopic.choices,
                             default=EnquiryTopic.GENERAL)
    subject = models.CharField(max_length=200)
    details = models.TextField()
    resolved_at_first_contact = models.BooleanField(default=False)
    answer = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "enquiries"
        indexes = [
            models.Index(fields=["next_due_at"], name="enquiries_next_due_idx",
                         condition=models.Q(closed_at__isnull=True)),
            models.Index(fields=["customer", "opened_at"], name="enquiries_customer_idx"),
        ]
