"""Factories for the manager dashboard's tests: commitments, enquiry cases and deadline rows
built directly in a given state (the sla services are tested in tests/sla)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from enquiries.models import Enquiry, EnquiryStatus
from sla.models import ClockType, Commitment, Deadline
from tests.factories import CustomerFactory


class CommitmentFactory(factory.django.DjangoModelFactory):
    """Gets the catalogue row when the code exists (the sla data migration seeds most)."""

    class Meta:
        model = Commitment
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"test.commitment_{n}")
    title = factory.Sequence(lambda n: f"Test commitment {n}")
    promise = "We will do it within 3 working days."
    clock = ClockType.WORKING_DAYS
    amount = 3
    starts_on = "Contact received"
    target_percent = Decimal("90")


class EnquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enquiry

    reference = factory.Sequence(lambda n: f"ENQ-T-{n:06d}")
    customer = factory.SubFactory(CustomerFactory)
    tenancy = factory.SelfAttribute("customer.tenancy")
    property = factory.SelfAttribute("customer.tenancy.property")
    status = EnquiryStatus.RECEIVED
    opened_at = factory.LazyFunction(timezone.now)
    subject = "Parking permit for a visitor"
    details = "How do I get a visitor's parking permit?"


class DeadlineFactory(factory.django.DjangoModelFactory):
    """A deadline on an enquiry. Pass ``started_at`` and ``due_at`` (and ``met_at`` or
    ``breached_at``) to put it exactly where a test needs it."""

    class Meta:
        model = Deadline

    class Params:
        case = factory.SubFactory(EnquiryFactory)

    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.case))
    object_id = factory.LazyAttribute(lambda o: o.case.pk)
    commitment = factory.SubFactory(CommitmentFactory)
    clock = factory.SelfAttribute("commitment.clock")
    amount = factory.SelfAttribute("commitment.amount")
    started_at = factory.LazyFunction(timezone.now)
    due_at = factory.LazyAttribute(lambda o: o.started_at + dt.timedelta(days=3))
    original_due_at = factory.SelfAttribute("due_at")
