"""Two charges runs at once, and a payments file imported twice at once, on two real database
connections, post each period and each payment once. Needs PostgreSQL: SQLite has one writer
at a time, so there is no race (the one-connection half is in test_ledger_and_charges.py and
test_payments_import.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from rent.models import LedgerEntry, RentAccount
from rent.services import charges_post_due, payments_import
from tests.complaints.test_concurrency import _race
from tests.factories import CustomerFactory, TenancyFactory
from tests.rent.factories import rent_account


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_charges_runs_at_once_post_each_period_once(require_postgres):
    assert connection.vendor == "postgresql"
    accounts = []
    for _ in range(5):
        tenancy = TenancyFactory(start_date=dt.date(2026, 4, 6))
        CustomerFactory(tenancy=tenancy)
        accounts.append(rent_account(tenancy=tenancy, rent_pence=10000))

    errors = _race(lambda: charges_post_due(today=dt.date(2026, 4, 13)))

    # The second run waits for the first's row locks, then finds the periods charged.
    assert errors == []
    assert LedgerEntry.objects.count() == 10
    assert set(RentAccount.objects.values_list("balance_pence", flat=True)) == {20000}


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_same_file_imported_twice_at_once_posts_once(require_postgres):
    account = rent_account(rent_pence=10000)
    content = (
        "date,reference,amount,transaction_id\n"
        f"2026-04-10,{account.tenancy.reference},10.00,C1\n"
        f"2026-04-11,{account.tenancy.reference},15.00,C2\n"
    ).encode()

    errors = _race(lambda: payments_import(filename="f.csv", content=content, actor=None))

    assert errors == []
    assert LedgerEntry.objects.count() == 2
    account.refresh_from_db()
    assert account.balance_pence == -2500
