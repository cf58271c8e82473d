"""Demo rent accounts: every demo household has one, charged for the last few weeks, with
payments in; the demo tenant pays by Direct Debit, another household is behind (with an
arrears case), the leaseholder has service charge costs and a rent change is on its way.

Run by ``seed_demo`` again and again: accounts are opened once, the charges run posts only
what is due, the payments carry fixed transaction ids and the rest is made only if missing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from kernel.roles import Role
from rent.models import (
    ChargeFrequency,
    DirectDebitInstruction,
    RentAccount,
    RentChange,
    ServiceChargeCost,
    week_start,
)
from rent.services import (
    account_open,
    charges_post_due,
    direct_debit_set_up,
    payments_import,
    rent_change_schedule,
)
from rent.services.notices import earliest_effective_date
from tenancy.models import Tenure

WEEKS_OF_HISTORY = 8


def seed(demo) -> None:
    today = timezone.localdate()
    first_monday = week_start(today) - dt.timedelta(weeks=WEEKS_OF_HISTORY)
    accounts = {}
    for customer in demo.customers:
        tenancy = customer.tenancy
        if tenancy.pk in accounts:
            continue
        account = RentAccount.objects.filter(tenancy=tenancy).first()
        if account is None:
            home_owner = tenancy.property.tenure != Tenure.GENERAL_NEEDS
            monthly_start = dt.date(first_monday.year, first_monday.month, 1)
            account = account_open(
                tenancy=tenancy,
                frequency=ChargeFrequency.MONTHLY if home_owner else ChargeFrequency.WEEKLY,
                rent_pence=0 if tenancy.property.tenure == Tenure.LEASEHOLD else 11250,
                service_charge_pence=9500 if home_owner else 450,
                charges_from=max(monthly_start if home_owner else first_monday, tenancy.start_date),
            )
        accounts[tenancy.pk] = account
    charges_post_due(today=today)

    behind = demo.other_tenant.tenancy_id
    lines = ["date,reference,amount,transaction_id,method"]
    for account in accounts.values():
        if account.tenancy_id == behind:
            continue
        weeks = WEEKS_OF_HISTORY if account.frequency == ChargeFrequency.WEEKLY else 0
        charge = Decimal(account.rent_pence + account.service_charge_pence) / 100
        for week in range(weeks + 1):
            paid_on = first_monday + dt.timedelta(weeks=week, days=2)
            if paid_on <= today:
                lines.append(
                    f"{paid_on.isoformat()},{account.tenancy.reference},{charge:.2f},"
                    f"DEMO-{account.tenancy.reference}-{week},bank_transfer"
                )
    payments_import(filename="demo-payments.csv", content="\n".join(lines).encode(), actor=None)

    tenant_account = accounts[demo.tenant.tenancy_id]
    if not DirectDebitInstruction.objects.filter(account=tenant_account).exists():
        direct_debit_set_up(
            account=tenant_account,
            customer=demo.tenant,
            account_holder=demo.tenant.full_name[:18],
            sort_code="089999",
            account_number="66374958",
            collection_day=1,
        )

    leaseholder_account = accounts[demo.leaseholder.tenancy_id]
    if not ServiceChargeCost.objects.filter(account=leaseholder_account).exists():
        last_year = today.year - 1 if today.month >= 4 else today.year - 2
        for description, month, pence in (
            ("Communal cleaning", 6, 42000),
            ("Lift maintenance contract", 9, 61000),
            ("Buildings insurance", 11, 38500),
        ):
            ServiceChargeCost.objects.create(
                account=leaseholder_account,
                description=description,
                incurred_on=dt.date(last_year, month, 15),
                amount_pence=pence,
            )

    if not RentChange.objects.exists():
        effective = week_start(earliest_effective_date(today)) + dt.timedelta(weeks=1)
        rent_change_schedule(
            accounts=[tenant_account],
            effective_from=effective,
            rent_percent=Decimal("4.8"),
            service_charge_percent=Decimal("0"),
            cpi_percent=Decimal("3.8"),
            reason="Our yearly rent review, within the Rent Standard (CPI + 1%)",
            actor=demo.staff[Role.INCOME],
        )
