"""Personas shared by every test: two tenants in different homes, a joint tenant, each staff
role, and the anonymous visitor (the plain ``client``)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from accounts.roles import Role
from tests.factories import CustomerWithLoginFactory, StaffFactory
from tenancy.models import HouseholdRole


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits live in the cache; one test's attempts must not count against the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tenant_a(db):
    return CustomerWithLoginFactory(first_name="Amina", last_name="Khan")


@pytest.fixture
def tenant_b(db):
    """A tenant in another home: must never see tenant A's records."""
    return CustomerWithLoginFactory(first_name="Ben", last_name="Okafor")


@pytest.fixture
def joint_tenant_a(db, tenant_a):
    return CustomerWithLoginFactory(tenancy=tenant_a.tenancy, first_name="Sam", last_name="Khan",
                                    household_role=HouseholdRole.JOINT_TENANT)


@pytest.fixture
def client_a(client, tenant_a):
    client.force_login(tenant_a.user)
    return client


def _staff(role: Role):
    return StaffFactory(roles=[role], first_name=role.label, last_name="Officer")


@pytest.fixture
def customer_services_officer(db):
    return _staff(Role.CUSTOMER_SERVICES)


@pytest.fixture
def repairs_officer(db):
    return _staff(Role.REPAIRS)


@pytest.fixture
def complaints_officer(db):
    return _staff(Role.COMPLAINTS)


@pytest.fixture
def asb_officer(db):
    return _staff(Role.ASB)


@pytest.fixture
def manager(db):
    return _staff(Role.MANAGER)
