"""Factories for the repairs tests. Repairs themselves are made through ``repair_create`` (see
``conftest.report``), so every test repair has its clocks, events and messages."""

from __future__ import annotations

import datetime as dt

import factory

from repairs.catalogue import Trade
from repairs.models import (
    CapacityPlan,
    Contractor,
    Operative,
    Programme,
    ProgrammeKind,
    Slot,
    SlotWindow,
)
from tenancy.models import HouseholdRole, PropertyType, TenancyType, Tenure
from tests.factories import BlockFactory, CustomerWithLoginFactory, PropertyFactory, TenancyFactory


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot

    trade = Trade.CARPENTRY
    patch = "North"
    date = factory.LazyFunction(lambda: dt.date(2026, 6, 10))
    window = SlotWindow.MORNING
    capacity = 2
    booked = 0


class CapacityPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CapacityPlan

    trade = Trade.CARPENTRY
    patch = "North"
    window = SlotWindow.MORNING
    jobs = 2


class ContractorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contractor

    name = factory.Sequence(lambda n: f"Contractor {n} Ltd")


class OperativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Operative

    name = factory.Sequence(lambda n: f"Operative {n}")
    trade = Trade.CARPENTRY


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Kitchens {n}")
    kind = ProgrammeKind.KITCHENS
    description = "New kitchen units and worktops."
    works_start = dt.date(2026, 9, 1)
    works_end = dt.date(2027, 3, 31)


class FlatFactory(PropertyFactory):
    property_type = PropertyType.FLAT
    block = factory.SubFactory(BlockFactory)
    patch = "South"


def leaseholder_with_login(**property_fields):
    flat = FlatFactory(tenure=Tenure.LEASEHOLD, **property_fields)
    tenancy = TenancyFactory(property=flat, tenancy_type=TenancyType.LEASE)
    return CustomerWithLoginFactory(tenancy=tenancy, household_role=HouseholdRole.LEASEHOLDER)


def tenant_in_flat_with_login(**property_fields):
    flat = FlatFactory(**property_fields)
    return CustomerWithLoginFactory(tenancy=TenancyFactory(property=flat))


def new_build_tenant_with_login(handover: dt.date, months: int = 12):
    home = PropertyFactory(
        handover_date=handover, builder="Kestrel Construction Ltd", defects_period_months=months
    )
    return CustomerWithLoginFactory(tenancy=TenancyFactory(property=home))
