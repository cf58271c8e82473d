"""Estates, inspections, communal services and partners for tests."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from neighbourhoods.models import (
    ChecklistItem,
    CommunalService,
    Estate,
    Inspection,
    InspectionScore,
    Partner,
)
from tests.factories import BlockFactory, StaffFactory


class EstateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Estate

    name = factory.Sequence(lambda n: f"Riverside Estate {n}")

    @factory.post_generation
    def blocks(self, create, extracted, **kwargs):
        if create and extracted:
            self.blocks.set(extracted)


class InspectionFactory(factory.django.DjangoModelFactory):
    """A published inspection of a block, every item scored 4 unless told otherwise."""

    class Meta:
        model = Inspection

    block = factory.SubFactory(BlockFactory)
    inspected_on = dt.date(2026, 11, 3)
    officer = factory.SubFactory(StaffFactory)
    summary = "Clean and tidy; two lights out on the stairs."
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def scored(self, create, extracted, **kwargs):
        if create and extracted is not False:
            for item in ChecklistItem:
                InspectionScore.objects.create(inspection=self, item=item, score=extracted or 4)


class CommunalServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunalService

    block = factory.SubFactory(BlockFactory)
    kind = "cleaning"
    what = "Sweep and mop stairs and landings, clean entrance glass."
    frequency = "weekly"
    next_visit_on = dt.date(2026, 12, 9)
    contractor = "Sparkle Cleaning Ltd"


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Riverton Neighbourhood Police Team {n}")
    kind = "police"
    what_they_do = "Local policing and crime prevention."
    phone = "101"
