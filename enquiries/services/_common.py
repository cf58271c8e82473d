"""What the enquiry services share: the contact-back clock, the status map, once-only rows, pausing."""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from enquiries.models import EnquiryStatus
from sla.models import Deadline
from sla.services import deadline_pause

CONTACT_BACK = "enquiry.contact_back"

ENQUIRY_TRANSITIONS: dict[str, set[str]] = {
    EnquiryStatus.RECEIVED: {
        EnquiryStatus.ACKNOWLEDGED,
        EnquiryStatus.REFERRED,
        EnquiryStatus.ANSWERED,
        EnquiryStatus.BECAME_COMPLAINT,
        EnquiryStatus.CLOSED,
    },
    EnquiryStatus.ACKNOWLEDGED: {
        EnquiryStatus.REFERRED,
        EnquiryStatus.ANSWERED,
        EnquiryStatus.BECAME_COMPLAINT,
        EnquiryStatus.CLOSED,
    },
    EnquiryStatus.REFERRED: {
        EnquiryStatus.ANSWERED,
        EnquiryStatus.BECAME_COMPLAINT,
        EnquiryStatus.CLOSED,
    },
}


def _existing(model, key: uuid.UUID | None):
    return model.objects.filter(idempotency_key=key).first() if key else None


def _once(model, key: uuid.UUID | None, create):
    """Run ``create`` unless ``key`` already made a row; a concurrent double submit that loses
    the race on the unique key gets the winner's row."""
    found = _existing(model, key)
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        found = _existing(model, key)
        if found is None:
            raise
        return found, False


def _stop_clocks(case) -> None:
    """Pause the case's clocks that have not yet run out: the matter now runs on another case's
    clocks. A clock already overdue stays as it is, and counts as missed."""
    now = timezone.now()
    for deadline in (
        Deadline.objects.for_case(case).open().filter(paused_at__isnull=True, due_at__gt=now)
    ):
        deadline_pause(deadline=deadline, at=now)
