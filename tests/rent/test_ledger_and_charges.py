"""Balances to the penny against a hand-computed ledger: part periods at the start and end,
a rent-free week, a charges run run twice and a catch-up after downtime."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction

from rent.models import (
    AppendOnly,
    ArrearsCase,
    ArrearsStatus,
    EntryKind,
    LedgerEntry,
    RentAccount,
    RentFreeWeek,
)
from rent.services import RentRuleBroken, charges_post_due, ledger_post
from sla.models import Deadline
from tests.factories import CustomerFactory, TenancyFactory
from tests.rent.factories import rent_account

pytestmark = pytest.mark.django_db


def _rows(account):
    return list(
        LedgerEntry.objects.filter(account=account)
        .order_by("on", "id")
        .values_list("on", "kind", "amount_pence", "balance_after_pence")
    )


@pytest.fixture
def weekly_account():
    # Wednesday 1 April 2026; £100.00 rent and £5.50 service charge a week.
    tenancy = TenancyFactory(start_date=dt.date(2026, 4, 1))
    CustomerFactory(tenancy=tenancy)
    RentFreeWeek.objects.create(week_starting=dt.date(2026, 4, 6))
    return rent_account(tenancy=tenancy, rent_pence=10000, service_charge_pence=550)


@time_machine.travel("2026-04-13 09:00 +01:00", tick=False)
def test_part_week_rent_free_week_and_full_week_to_the_penny(weekly_account):
    written = charges_post_due(today=dt.date(2026, 4, 13))

    # Wed 1 to Sun 5 April, 5 of 7 days: 10000 x 5/7 = 7142.86 -> 7143, 550 x 5/7 -> 393.
    # Week of 6 April is rent free. Week of 13 April: 10000 + 550.
    assert _rows(weekly_account) == [
        (dt.date(2026, 4, 1), EntryKind.RENT, 7143, 7143),
        (dt.date(2026, 4, 1), EntryKind.SERVICE_CHARGE, 393, 7536),
        (dt.date(2026, 4, 13), EntryKind.RENT, 10000, 17536),
        (dt.date(2026, 4, 13), EntryKind.SERVICE_CHARGE, 550, 18086),
    ]
    assert written == 4
    weekly_account.refresh_from_db()
    assert weekly_account.balance_pence == 18086
    assert weekly_account.charged_to == dt.date(2026, 4, 19)


@time_machine.travel("2026-04-13 09:00 +01:00", tick=False)
def test_a_charges_run_run_twice_posts_nothing_the_second_time(weekly_account):
    charges_post_due(today=dt.date(2026, 4, 13))
    assert charges_post_due(today=dt.date(2026, 4, 13)) == 0
    assert charges_post_due(today=dt.date(2026, 4, 14)) == 0
    weekly_account.refresh_from_db()
    assert weekly_account.balance_pence == 18086
    assert LedgerEntry.objects.filter(account=weekly_account).count() == 4


def test_a_period_cannot_be_charged_twice_even_past_the_run(weekly_account):
    with time_machine.travel("2026-04-13 09:00 +01:00", tick=False):
        charges_post_due(today=dt.date(2026, 4, 13))
    duplicate = LedgerEntry.objects.filter(account=weekly_account).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            account=weekly_account,
            kind=duplicate.kind,
            amount_pence=1,
            balance_after_pence=1,
            on=duplicate.on,
            period_start=duplicate.period_start,
            created_at=duplicate.created_at,
        )


def test_the_run_catches_up_after_downtime_and_stops_at_the_tenancys_end(weekly_account):
    tenancy = weekly_account.tenancy
    tenancy.end_date = dt.date(2026, 4, 22)  # a Wednesday
    tenancy.save()
    with time_machine.travel("2026-04-27 09:00 +01:00", tick=False):
        charges_post_due(today=dt.date(2026, 4, 27))
        assert charges_post_due(today=dt.date(2026, 5, 4)) == 0
    # 18086 as above, then Mon 20 to Wed 22 April, 3 of 7 days:
    # 10000 x 3/7 = 4285.71 -> 4286, 550 x 3/7 = 235.71 -> 236.
    rows = _rows(weekly_account)
    assert rows[-2:] == [
        (dt.date(2026, 4, 20), EntryKind.RENT, 4286, 22372),
        (dt.date(2026, 4, 20), EntryKind.SERVICE_CHARGE, 236, 22608),
    ]
    weekly_account.refresh_from_db()
    assert weekly_account.balance_pence == 22608 == sum(r[2] for r in rows)


@time_machine.travel("2026-02-01 09:00 +00:00", tick=False)
def test_monthly_accounts_are_charged_by_calendar_month():
    account = rent_account(frequency="monthly", rent_pence=40000, start_date=dt.date(2026, 1, 20))
    CustomerFactory(tenancy=account.tenancy)
    charges_post_due(today=dt.date(2026, 2, 1))
    # 12 of January's 31 days: 40000 x 12/31 = 15483.87 -> 15484; then February in full.
    assert [r[2] for r in _rows(account)] == [15484, 40000]
    account.refresh_from_db()
    assert account.balance_pence == 55484


def test_a_ledger_row_is_never_changed_or_deleted(weekly_account):
    with time_machine.travel("2026-04-13 09:00 +01:00", tick=False):
        charges_post_due(today=dt.date(2026, 4, 13))
    row = LedgerEntry.objects.filter(account=weekly_account).first()
    row.amount_pence = 1
    with pytest.raises(AppendOnly):
        row.save()
    with pytest.raises(AppendOnly):
        row.delete()
    assert LedgerEntry.objects.get(pk=row.pk).amount_pence == 7143


@time_machine.travel("2026-04-13 09:00 +01:00", tick=False)
def test_falling_into_arrears_opens_a_case_with_the_five_working_day_contact_clock(
    weekly_account,
):
    charges_post_due(today=dt.date(2026, 4, 13))
    case = ArrearsCase.objects.get(account=weekly_account)
    assert case.status == ArrearsStatus.TO_CONTACT
    deadline = Deadline.objects.get(object_id=case.pk, commitment__code="rent.arrears.contact")
    # Monday 13 April + 5 working days = Monday 20 April, end of day London.
    assert deadline.due_at.isoformat() == "2026-04-20T22:59:59+00:00"


@time_machine.travel("2026-04-13 09:00 +01:00", tick=False)
def test_paying_what_is_owed_closes_the_arrears_case(weekly_account, django_user_model):
    charges_post_due(today=dt.date(2026, 4, 13))
    ledger_post(
        account=weekly_account,
        kind=EntryKind.PAYMENT,
        amount_pence=18086,
        on=dt.date(2026, 4, 13),
        description="Paid at the office",
        actor=None,
    )
    case = ArrearsCase.objects.get(account=weekly_account)
    assert case.status == ArrearsStatus.CLEARED
    assert case.closed_at is not None
    weekly_account.refresh_from_db()
    assert weekly_account.balance_pence == 0


@time_machine.travel("2026-04-06 09:00 +01:00", tick=False)
def test_the_period_just_charged_is_owed_but_not_arrears(weekly_account):
    charges_post_due(today=dt.date(2026, 4, 6))
    weekly_account.refresh_from_db()
    assert weekly_account.balance_pence == 7536
    assert not ArrearsCase.objects.exists()


def test_a_refund_cannot_exceed_the_credit_and_writes_nothing(weekly_account):
    with pytest.raises(RentRuleBroken):
        ledger_post(
            account=weekly_account,
            kind=EntryKind.REFUND,
            amount_pence=500,
            on=dt.date(2026, 4, 1),
            description="Refund",
            actor=None,
        )
    assert not LedgerEntry.objects.exists()
    assert RentAccount.objects.get(pk=weekly_account.pk).balance_pence == 0


def test_a_credit_adjustment_then_a_refund_of_it(weekly_account):
    ledger_post(
        account=weekly_account,
        kind=EntryKind.ADJUSTMENT,
        amount_pence=-1500,
        on=dt.date(2026, 4, 1),
        description="Goodwill payment for a late repair",
        actor=None,
    )
    ledger_post(
        account=weekly_account,
        kind=EntryKind.REFUND,
        amount_pence=1500,
        on=dt.date(2026, 4, 2),
        description="Refund of credit",
        actor=None,
    )
    assert [r[2:] for r in _rows(weekly_account)] == [(-1500, -1500), (1500, 0)]


@time_machine.travel("2026-04-08 09:00 +01:00", tick=False)
def test_a_first_week_that_is_rent_free_moves_the_charged_day_and_leaves_the_balance_clear():
    # The tenancy starts on Monday 6 April, a rent-free week: the run writes no row, yet the
    # week is charged (to Sunday 12 April) and the balance, with no rows, is nothing owed.
    tenancy = TenancyFactory(start_date=dt.date(2026, 4, 6))
    CustomerFactory(tenancy=tenancy)
    RentFreeWeek.objects.create(week_starting=dt.date(2026, 4, 6))
    account = rent_account(tenancy=tenancy, rent_pence=10000)

    assert charges_post_due(today=dt.date(2026, 4, 8)) == 0

    account.refresh_from_db()
    assert account.charged_to == dt.date(2026, 4, 12)
    assert account.balance_pence == 0
    assert not LedgerEntry.objects.filter(account=account).exists()
