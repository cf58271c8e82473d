from __future__ import annotations

import pytest

from kernel.roles import Role
from rent.direct_debit import MemoryDirectDebitBackend
from rent.services import account_open
from tests.factories import StaffFactory


@pytest.fixture(autouse=True)
def _clear_direct_debits():
    MemoryDirectDebitBackend.lodged.clear()
    MemoryDirectDebitBackend.fail_next = False
    yield
    MemoryDirectDebitBackend.lodged.clear()


@pytest.fixture
def income_officer(db):
    return StaffFactory(roles=[Role.INCOME], first_name="Ivy", last_name="Income")


@pytest.fixture
def account_a(tenant_a):
    return account_open(tenancy=tenant_a.tenancy, rent_pence=10000, service_charge_pence=550)


@pytest.fixture
def account_b(tenant_b):
    return account_open(tenancy=tenant_b.tenancy, rent_pence=9000)
