"""The income team's work on arrears, rent change notices and the 18-month rule."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from casework.models import CaseEvent
from kernel.roles import Role
from notifications.models import Message
from rent.models import (
    ArrangementFrequency,
    ArrangementStatus,
    ArrearsCase,
    ArrearsStatus,
    RecoveryAction,
    RecoveryStage,
    RentChange,
    RentChangeLine,
    ServiceChargeCost,
)
from rent.services import (
    RentRuleBroken,
    arrangement_make,
    arrangements_check,
    arrears_contact_record,
    charges_post_due,
    payments_import,
    recovery_action_plan,
    rent_change_schedule,
    service_charge_cost_bill,
)
from rent.services.notices import earliest_effective_date
from sla.models import Deadline
from tenancy.models import Tenure
from tests.factories import PropertyFactory, StaffFactory, TenancyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_arrears(account_a):
    tenancy = account_a.tenancy
    tenancy.start_date = dt.date(2026, 4, 6)
    tenancy.save()
    with time_machine.travel("2026-04-13 09:00 +01:00", tick=False):
        charges_post_due(today=dt.date(2026, 4, 13))
    return ArrearsCase.objects.get(account=account_a)


def _pay(account, amount: str, on: str, tid: str):
    payments_import(
        filename="f.csv",
        content=(
            f"date,reference,amount,transaction_id\n{on},{account.tenancy.reference},{amount},{tid}\n"
        ).encode(),
        actor=None,
    )


def test_recording_contact_meets_the_clock_in_time(in_arrears, income_officer):
    with time_machine.travel("2026-04-15 11:00 +01:00", tick=False):
        arrears_contact_record(case=in_arrears, actor=income_officer, method="phone", note="Spoke")
    deadline = Deadline.objects.get(
        object_id=in_arrears.pk, commitment__code="rent.arrears.contact"
    )
    assert deadline.met_at is not None and deadline.breached_at is None
    assert in_arrears.status == ArrearsStatus.CONTACTED


def test_an_arrangement_kept_then_broken(in_arrears, income_officer):
    account = in_arrears.account
    with time_machine.travel("2026-04-15 11:00 +01:00", tick=False):
        arrears_contact_record(case=in_arrears, actor=income_officer, method="phone", note="")
        arrangement = arrangement_make(
            case=in_arrears,
            actor=income_officer,
            amount_pence=1000,
            frequency=ArrangementFrequency.WEEKLY,
            starts_on=dt.date(2026, 4, 20),
        )
    assert Message.objects.filter(subject="Your payment arrangement").count() == 1
    # Week of 20 April: charge 10550 + instalment 1000 = 11550 due, paid on the 20th.
    with time_machine.travel("2026-04-20 09:00 +01:00", tick=False):
        charges_post_due(today=dt.date(2026, 4, 20))
    _pay(account, "115.50", "2026-04-20", "P1")
    with time_machine.travel("2026-04-24 08:00 +01:00", tick=False):
        assert arrangements_check(today=dt.date(2026, 4, 24)) == {"kept": 0, "broken": 0}
    # Week of 27 April charged, nothing paid: by 30 April (3 days' grace) it is broken.
    with time_machine.travel("2026-04-27 09:00 +01:00", tick=False):
        charges_post_due(today=dt.date(2026, 4, 27))
    with time_machine.travel("2026-04-30 08:00 +01:00", tick=False):
        assert arrangements_check(today=dt.date(2026, 4, 30)) == {"kept": 0, "broken": 1}
        assert arrangements_check(today=dt.date(2026, 4, 30)) == {"kept": 0, "broken": 0}
    arrangement.refresh_from_db()
    assert arrangement.status == ArrangementStatus.BROKEN
    assert CaseEvent.objects.filter(
        object_id=in_arrears.pk, visible_to_customer=True, note__contains="have not all reached us"
    ).exists()


@time_machine.travel("2026-04-15 11:00 +01:00", tick=False)
def test_recovery_action_is_told_to_the_tenant_before_it_happens(in_arrears, income_officer):
    with pytest.raises(RentRuleBroken):
        recovery_action_plan(
            case=in_arrears,
            actor=income_officer,
            stage=RecoveryStage.REMINDER,
            planned_for=dt.date(2026, 4, 16),
        )
    assert not RecoveryAction.objects.exists()
    arrears_contact_record(case=in_arrears, actor=income_officer, method="letter", note="")
    recovery_action_plan(
        case=in_arrears,
        actor=income_officer,
        stage=RecoveryStage.NOTICE_OF_SEEKING_POSSESSION,
        planned_for=dt.date(2026, 4, 29),
    )
    message = Message.objects.get(subject="Action we are planning on your rent account")
    assert "Wednesday 29 April 2026" in message.body
    assert "notice of seeking possession" in message.body


@time_machine.travel("2026-04-15 11:00 +01:00", tick=False)
def test_court_action_needs_a_manager_and_the_steps_taken(in_arrears, income_officer):
    arrears_contact_record(case=in_arrears, actor=income_officer, method="visit", note="")
    with pytest.raises(RentRuleBroken, match="manager"):
        recovery_action_plan(
            case=in_arrears,
            actor=income_officer,
            stage=RecoveryStage.COURT_APPLICATION,
            planned_for=dt.date(2026, 5, 30),
            steps_taken_to_avoid_court="Two arrangements, money advice referral",
        )
    manager = StaffFactory(roles=[Role.MANAGER, Role.INCOME])
    with pytest.raises(RentRuleBroken, match="steps taken"):
        recovery_action_plan(
            case=in_arrears,
            actor=manager,
            stage=RecoveryStage.COURT_APPLICATION,
            planned_for=dt.date(2026, 5, 30),
        )
    assert not RecoveryAction.objects.exists()
    action = recovery_action_plan(
        case=in_arrears,
        actor=manager,
        stage=RecoveryStage.COURT_APPLICATION,
        planned_for=dt.date(2026, 5, 30),
        steps_taken_to_avoid_court="Two arrangements, money advice referral",
    )
    assert action.approved_by == manager


def test_notice_must_be_a_month_and_four_weeks_whichever_is_longer():
    assert earliest_effective_date(dt.date(2026, 1, 31)) == dt.date(2026, 2, 28)
    assert earliest_effective_date(dt.date(2026, 2, 1)) == dt.date(2026, 3, 1)
    # 31 days in a month: the month is longer than four weeks.
    assert earliest_effective_date(dt.date(2026, 3, 2)) == dt.date(2026, 4, 2)


@time_machine.travel("2026-02-02 10:00 +00:00", tick=False)
def test_a_change_with_too_little_notice_is_refused_and_nothing_sent(account_a, income_officer):
    with pytest.raises(RentRuleBroken, match="notice"):
        rent_change_schedule(
            accounts=[account_a],
            effective_from=dt.date(2026, 2, 23),  # a Monday, three weeks away
            rent_percent=Decimal("2"),
            service_charge_percent=Decimal("0"),
            cpi_percent=Decimal("3.8"),
            reason="Annual review",
            actor=income_officer,
        )
    assert not RentChange.objects.exists()
    assert not Message.objects.exists()


@time_machine.travel("2026-02-02 10:00 +00:00", tick=False)
def test_a_rise_above_cpi_plus_one_is_refused_for_social_rent(account_a, income_officer):
    with pytest.raises(RentRuleBroken, match="rent standard"):
        rent_change_schedule(
            accounts=[account_a],
            effective_from=dt.date(2026, 4, 6),
            rent_percent=Decimal("5"),
            service_charge_percent=Decimal("0"),
            cpi_percent=Decimal("3.8"),
            reason="Annual review",
            actor=income_officer,
        )
    assert not RentChangeLine.objects.exists()


def test_a_scheduled_change_is_noticed_seen_and_applied_from_its_day(
    client_a, account_a, income_officer
):
    tenancy = account_a.tenancy
    tenancy.start_date = dt.date(2026, 3, 30)
    tenancy.save()
    with time_machine.travel("2026-02-02 10:00 +00:00", tick=False):
        rent_change_schedule(
            accounts=[account_a],
            effective_from=dt.date(2026, 4, 6),
            rent_percent=Decimal("4.8"),
            service_charge_percent=Decimal("0"),
            cpi_percent=Decimal("3.8"),
            reason="Annual review",
            actor=income_officer,
        )
    line = RentChangeLine.objects.get()
    assert (line.old_rent_pence, line.new_rent_pence) == (10000, 10480)
    message = Message.objects.get(subject="Your rent is changing")
    assert "£104.80 a week" in message.body
    with time_machine.travel("2026-04-06 10:00 +01:00", tick=False):
        charges_post_due(today=dt.date(2026, 4, 6))
        page = client_a.get(reverse("rent:account")).content.decode()
        assert "From Monday 6 April 2026: rent £104.80" in page
        letter = client_a.get(reverse("rent:notice_letter", args=[line.pk]))
    text = PdfReader(io.BytesIO(letter.content)).pages[0].extract_text()
    assert "£100.00" in text and "£104.80" in text
    rents = list(
        account_a.entries.filter(kind="rent").order_by("on").values_list("amount_pence", flat=True)
    )
    assert rents == [10000, 10480]


@time_machine.travel("2027-12-01 10:00 +00:00", tick=False)
def test_a_cost_older_than_18_months_without_notice_cannot_be_billed():
    home = PropertyFactory(tenure=Tenure.LEASEHOLD)
    tenancy = TenancyFactory(property=home, tenancy_type="lease")
    from rent.services import account_open

    account = account_open(
        tenancy=tenancy, rent_pence=0, service_charge_pence=10000, frequency="monthly"
    )
    stale = ServiceChargeCost.objects.create(
        account=account,
        description="Roof repair",
        incurred_on=dt.date(2026, 5, 31),
        amount_pence=50000,
    )
    noticed = ServiceChargeCost.objects.create(
        account=account,
        description="Lift",
        incurred_on=dt.date(2026, 5, 31),
        amount_pence=20000,
        s20b_notice_on=dt.date(2026, 9, 1),
    )
    with pytest.raises(RentRuleBroken, match="18 months"):
        service_charge_cost_bill(cost=stale, actor=None)
    service_charge_cost_bill(cost=noticed, actor=None)
    account.refresh_from_db()
    assert account.balance_pence == 20000
    stale.refresh_from_db()
    assert stale.billed_entry is None
