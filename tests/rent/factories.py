"""Rent accounts for tests: opened through the service, charged by the real charges run."""

from __future__ import annotations

import datetime as dt

from rent.models import ChargeFrequency, RentAccount
from rent.services import account_open
from tests.factories import CustomerWithLoginFactory, TenancyFactory


def rent_account(
    *,
    tenancy=None,
    rent_pence: int = 10000,
    service_charge_pence: int = 0,
    other_charges_pence: int = 0,
    frequency: str = ChargeFrequency.WEEKLY,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
) -> RentAccount:
    if tenancy is None:
        tenancy = TenancyFactory(start_date=start_date or dt.date(2026, 4, 1), end_date=end_date)
    return account_open(
        tenancy=tenancy,
        frequency=frequency,
        rent_pence=rent_pence,
        service_charge_pence=service_charge_pence,
        other_charges_pence=other_charges_pence,
    )


def tenant_with_account(**kwargs):
    """A lead tenant with a login and a rent account for their home."""
    customer = CustomerWithLoginFactory(**kwargs)
    account = rent_account(tenancy=customer.tenancy)
    return customer, account


def account_in_arrears(customer=None):
    """A rent account two weeks behind today, with its arrears case open (charged by the real
    charges run, so the case and its contact clock are the ones production would make)."""
    from django.utils import timezone

    from rent.models import ArrearsCase
    from rent.services import charges_post_due
    from tests.factories import CustomerFactory

    today = timezone.localdate()
    customer = customer or CustomerFactory(
        tenancy=TenancyFactory(start_date=today - dt.timedelta(days=14))
    )
    account = rent_account(tenancy=customer.tenancy)
    charges_post_due(today=today)
    return account, ArrearsCase.objects.get(account=account)


def held_payment(reference: str = "RH-UNKNOWN", transaction_id: str = "HELD-1"):
    """A payment held in suspense: its reference named no tenancy."""
    from rent.models import SuspensePayment
    from rent.services import payments_import

    payments_import(
        filename="held.csv",
        content=(
            f"date,reference,amount,transaction_id\n2026-04-10,{reference},25.00,{transaction_id}\n"
        ).encode(),
        actor=None,
    )
    return SuspensePayment.objects.get(transaction_id=transaction_id)
