"""News and perception surveys for tests."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from engagement.models import (
    Audience,
    Consultation,
    NewsItem,
    Survey,
    SurveyInvitation,
    SurveyResponse,
)
from tests.factories import CustomerFactory, StaffFactory


class NewsItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsItem

    title = factory.Sequence(lambda n: f"Estate fun day {n}")
    summary = "Join us on the green."
    body = "Stalls, games and a barbecue."
    audience = Audience.EVERYONE
    created_by = factory.SubFactory(StaffFactory)
    created_at = factory.LazyFunction(timezone.now)
    published_at = factory.LazyFunction(timezone.now)


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    title = "Your views on our services 2026"
    first_year = 2026
    opens_on = dt.date(2026, 10, 1)
    closes_on = dt.date(2026, 12, 31)
    approach_summary = "Simple random sample of households, by stock class."
    created_by = factory.SubFactory(StaffFactory)
    created_at = factory.LazyFunction(timezone.now)


class SurveyInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyInvitation

    survey = factory.SubFactory(SurveyFactory)
    customer = factory.SubFactory(CustomerFactory)
    stock_class = factory.LazyAttribute(lambda o: o.customer.tenancy.property.stock_class)
    invited_at = factory.LazyFunction(timezone.now)


class SurveyResponseFactory(factory.django.DjangoModelFactory):
    """A bare set of answers (no invitation): for counting."""

    class Meta:
        model = SurveyResponse

    survey = factory.SubFactory(SurveyFactory)
    customer = factory.SubFactory(CustomerFactory)
    stock_class = "lcra"
    method = "telephone"
    responded_at = factory.LazyFunction(timezone.now)


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    title = factory.Sequence(lambda n: f"New bin store {n}")
    summary = "Where should the new bin store go?"
    body = "Two places are possible."
    opens_on = dt.date(2026, 11, 1)
    closes_on = dt.date(2026, 11, 30)
    published_at = factory.LazyFunction(timezone.now)
    created_by = factory.SubFactory(StaffFactory)
    created_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def blocks(self, create, extracted, **kwargs):
        if create and extracted:
            self.blocks.set(extracted)
