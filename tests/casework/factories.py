"""Factories for the case kernel's tests. Enquiry stands in for every case model.

``EnquiryFactory`` builds rows directly (for queue and list tests that need many); tests of
behaviour open cases through ``casework.services.case_open`` instead.
"""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from casework.models import Team
from enquiries.models import Enquiry, EnquiryStatus
from kernel.roles import Role
from tests.factories import CustomerFactory, StaffFactory


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Test team {n}")
    role = Role.CUSTOMER_SERVICES
    lead = factory.SubFactory(StaffFactory, roles=[Role.CUSTOMER_SERVICES])


class EnquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enquiry

    reference = factory.Sequence(lambda n: f"ENQ-2026-{900000 + n:06d}")
    customer = factory.SubFactory(CustomerFactory)
    tenancy = factory.SelfAttribute("customer.tenancy")
    property = factory.SelfAttribute("customer.tenancy.property")
    status = EnquiryStatus.RECEIVED
    opened_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    subject = factory.Sequence(lambda n: f"Question {n} about my rent")
    details = "When does my rent change this year?"
