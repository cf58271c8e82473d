"""Factories for outbox rows. Services write real messages; these build rows in a given state."""

from __future__ import annotations

import factory
from django.utils import timezone

from notifications.models import Message, MessageChannel, MessageStatus
from tests.factories import CustomerFactory


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    idempotency_key = factory.Sequence(lambda n: f"test:message:{n}")
    customer = factory.SubFactory(CustomerFactory)
    channel = MessageChannel.EMAIL
    to_address = factory.LazyAttribute(lambda m: m.customer.email if m.customer else "")
    subject = factory.Sequence(lambda n: f"Your repair {n} is booked")
    body = "We will visit on Tuesday between 8am and 1pm."
    status = MessageStatus.PENDING
    created_at = factory.LazyFunction(timezone.now)
    next_attempt_at = factory.LazyAttribute(lambda m: m.created_at)
