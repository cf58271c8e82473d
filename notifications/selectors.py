"""Reads of the outbox: a customer's inbox, one message, and the rows due for delivery."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404

from kernel import personal_data
from notifications.guards import hidden_from_inbox
from notifications.models import Message, MessageStatus
from tenancy.models import Customer
from tenancy.selectors import customer_for_user

# Rows the sweep may claim: waiting to send, or "sending" with an expired claim (a worker died).
DELIVERABLE_STATUSES = [MessageStatus.PENDING, MessageStatus.SENDING]


def messages_for_customer(customer: Customer) -> QuerySet[Message]:
    """Every message we have sent (or are sending) to this person, newest first; never one a
    delivery check withheld nor one an inbox filter hides (``guards.hidden_from_inbox``)."""
    return (
        Message.objects.filter(customer=customer)
        .exclude(hidden_from_inbox(customer))
        .order_by("-created_at", "-id")
    )


def access_message(user, pk: int) -> Message:
    """One message, for the customer it was sent to and nobody else, or 404.

    Not the household: a message is addressed to one person, and joint tenants may need privacy
    from each other (a safe-contact message about domestic abuse must never reach the partner
    it is about). Staff read messages in the admin, not here.
    """
    customer = customer_for_user(user)
    if customer is None:
        raise Http404
    message = (
        Message.objects.filter(pk=pk, customer=customer)
        .exclude(hidden_from_inbox(customer))
        .first()
    )
    if message is None:
        raise Http404
    return message


def messages_due(
    *, now: dt.datetime, after: tuple[dt.datetime, int] | None, limit: int
) -> list[tuple[dt.datetime, int]]:
    """``(next_attempt_at, id)`` of rows due for delivery, in that order, after ``after``.

    Filtered and ordered by the partial index ``notif_message_due_idx`` (status pending or
    sending, ``next_attempt_at``), so the cost follows the number of due rows, not the size of
    the outbox. A claimed row's ``next_attempt_at`` is the end of its claim, so one condition
    finds both rows waiting to be sent and rows a crashed worker left in "sending". The keyset
    (``after``) lets a caller page through without meeting a row twice.
    """
    due = Message.objects.filter(status__in=DELIVERABLE_STATUSES, next_attempt_at__lte=now)
    if after is not None:
        after_at, after_id = after
        due = due.filter(
            Q(next_attempt_at__gt=after_at) | Q(next_attempt_at=after_at, pk__gt=after_id)
        )
    return list(due.order_by("next_attempt_at", "pk").values_list("next_attempt_at", "pk")[:limit])


# --- what we hold about a person (kernel/personal_data.py) ------------------------------------

PERSONAL_DATA_COVERAGE = personal_data.Coverage(
    included={
        "notifications.Message": "every message sent to the person: when, how, subject, text, "
        "where it went and whether it arrived",
    },
)


def personal_data_for(customer: Customer) -> personal_data.Part:
    """Every message we sent or are sending this person, oldest first."""
    records = tuple(
        personal_data.record_of(
            message,
            title=f"{message.subject}",
            exclude=(
                "customer",
                "staff_user",
                "about_id",
                "attempts",
                "next_attempt_at",
                "claimed_at",
                "last_error",
            ),
        )
        for message in Message.objects.filter(customer=customer).order_by("created_at", "id")
    )
    return personal_data.Part(area="Messages we have sent you", records=records)
