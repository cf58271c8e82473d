"""The rent measures on the manager dashboard, against hand-counted figures."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from rent.models import ArrangementStatus, PaymentArrangement
from rent.selectors import rent_measures
from rent.services import arrears_contact_record, charges_post_due, direct_debit_set_up
from tests.rent.factories import rent_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts(tenant_a, tenant_b):
    with time_machine.travel("2026-04-13 09:00 +01:00", tick=False):
        a = rent_account(tenancy=tenant_a.tenancy, rent_pence=10000)
        b = rent_account(tenancy=tenant_b.tenancy, rent_pence=5200)
        for account in (a, b):
            account.tenancy.start_date = dt.date(2026, 4, 6)
            account.tenancy.save()
        charges_post_due(today=dt.date(2026, 4, 13))
    return a, b


def test_arrears_share_direct_debits_arrangements_and_contact_on_time(
    accounts, tenant_a, income_officer
):
    a, b = accounts
    with time_machine.travel("2026-04-14 09:00 +01:00", tick=False):
        direct_debit_set_up(
            account=a,
            customer=tenant_a,
            account_holder="A Khan",
            sort_code="089999",
            account_number="66374958",
            collection_day=1,
        )
        case = a.arrears.get()
        arrears_contact_record(case=case, actor=income_officer, method="phone", note="")
        PaymentArrangement.objects.create(
            case=case,
            amount_pence=500,
            frequency="weekly",
            starts_on=dt.date(2026, 4, 20),
            status=ArrangementStatus.KEPT,
            made_at=case.opened_at,
        )
        measures = rent_measures(today=dt.date(2026, 4, 14))
    # Arrears: 20000 + 10400 = 30400 of a roll of (10000 + 5200) x 52 = 790400: 3.85%.
    assert measures.arrears_pence == 30400
    assert measures.rent_roll_pence == 790400
    assert str(measures.arrears_percent) == "3.85"
    assert str(measures.direct_debit_percent) == "50.0"
    assert str(measures.arrangements_kept_percent) == "100.0"
    # One contact clock met, the other still running: 1 of 1 finished, on time.
    assert (measures.contacts_on_time, measures.contacts_finished) == (1, 1)


@time_machine.travel("2026-04-14 09:00 +01:00", tick=False)
def test_the_dashboard_shows_the_rent_measures(client, manager, accounts):
    client.force_login(manager)
    page = client.get(reverse("performance:dashboard")).content.decode()
    assert "Current tenant arrears as a share of the rent roll" in page
    assert "3.85%" in page
