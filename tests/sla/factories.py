"""Factories for the clock engine's tests. An Enquiry stands in for every kind of case."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from enquiries.models import Enquiry, EnquiryStatus
from sla.models import ClockType, Commitment, Source
from tests.factories import CustomerFactory


class EnquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enquiry

    reference = factory.Sequence(lambda n: f"ENQ-2026-{700000 + n:06d}")
    customer = factory.SubFactory(CustomerFactory)
    tenancy = factory.SelfAttribute("customer.tenancy")
    property = factory.SelfAttribute("customer.tenancy.property")
    status = EnquiryStatus.RECEIVED
    opened_at = factory.LazyFunction(timezone.now)
    subject = factory.Sequence(lambda n: f"Question {n} about my tenancy")
    details = "Can I keep a dog in my flat?"


class CommitmentFactory(factory.django.DjangoModelFactory):
    """A commitment outside the seeded catalogue, for clocks the catalogue does not have."""

    class Meta:
        model = Commitment

    code = factory.Sequence(lambda n: f"test.clock{n}")
    title = factory.Sequence(lambda n: f"Test clock {n}")
    promise = "We will do it in time."
    clock = ClockType.HOURS
    amount = 24
    starts_on = "Test event"
    source = Source.LANDLORD
    warn_before = dt.timedelta(hours=4)
