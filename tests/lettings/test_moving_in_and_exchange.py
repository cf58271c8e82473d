"""Settling in (the 6-week visit and the new tenant's view of their home) and mutual exchanges
(the 42-day decision, its checks, its grounds, and the escalation when it is missed)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from casework.models import CaseEvent, EventKind
from lettings import services
from lettings.models import ExchangeStatus, MutualExchange, RefusalGround, SettlingInStatus
from notifications.models import Message
from sla.models import Deadline
from sla.services import hand_over_claimed, sweep_deadlines
from tests.factories import CustomerFactory, CustomerWithLoginFactory


@pytest.fixture
def settling_in(accepted, officer):
    return services.application_sign_up(
        application=accepted, actor=officer, tenancy_start_date=timezone.localdate()
    )


def test_the_settling_in_visit_meets_its_clock(settling_in, officer, frozen):
    frozen.shift(dt.timedelta(weeks=5))
    visited = services.settling_in_record_visit(
        settling_in=settling_in, actor=officer, visited_at=timezone.now(), notes="Settling well"
    )
    assert visited.status == SettlingInStatus.VISITED
    clock = Deadline.objects.get(
        object_id=visited.pk, commitment__code="lettings.settling_in_visit"
    )
    assert clock.met_at is not None and clock.met_at <= clock.due_at


def test_a_visit_cannot_be_recorded_before_it_happens(settling_in, officer):
    with pytest.raises(services.LettingRefused, match="once it has happened"):
        services.settling_in_record_visit(
            settling_in=settling_in,
            actor=officer,
            visited_at=timezone.now() + dt.timedelta(days=1),
        )
    settling_in.refresh_from_db()
    assert settling_in.visited_at is None


def test_the_new_tenant_answers_the_satisfaction_question_once(settling_in):
    tenant = settling_in.customer
    services.settling_in_record_satisfaction(
        settling_in=settling_in, customer=tenant, satisfaction=4
    )
    with pytest.raises(services.LettingRefused, match="already told us"):
        services.settling_in_record_satisfaction(
            settling_in=settling_in, customer=tenant, satisfaction=1
        )
    settling_in.refresh_from_db()
    assert settling_in.satisfaction == 4


def test_another_household_cannot_answer_for_the_new_tenant(settling_in, tenant_b):
    with pytest.raises(services.LettingRefused):
        services.settling_in_record_satisfaction(
            settling_in=settling_in, customer=tenant_b, satisfaction=1
        )


# --- mutual exchange --------------------------------------------------------------------------


def _apply(customer, **kwargs) -> MutualExchange:
    fields = {
        "partner_name": "Jo Bloggs",
        "partner_address": "4 Elm Road, Riverton RV3 1AB",
        "partner_landlord": "Riverton Homes Trust",
    }
    fields.update(kwargs)
    return services.exchange_apply(customer=customer, **fields)


@pytest.fixture
def exchange(frozen, team, tenant_a):
    return _apply(tenant_a)


def _checks(exchange, officer):
    return services.exchange_record_checks(
        exchange=exchange,
        actor=officer,
        rent_account_clear=True,
        no_tenancy_breach=True,
        property_suitable=True,
        safety_checks_arranged=True,
        safety_checks_recharge_pence=15_000,
    )


def test_an_exchange_application_starts_the_42_day_decision_clock(exchange, tenant_a):
    clock = Deadline.objects.get(object_id=exchange.pk, commitment__code="exchange.decision")
    assert (
        clock.due_at.astimezone(dt.UTC).date()
        >= (exchange.opened_at + dt.timedelta(days=42)).date()
    )
    assert Message.objects.filter(customer=tenant_a, subject__contains=exchange.reference).exists()


def test_a_former_tenant_cannot_apply_to_exchange(frozen, team):
    former = CustomerWithLoginFactory(tenancy__end_date=dt.date(2025, 1, 1))
    with pytest.raises(services.LettingRefused, match="current tenant"):
        _apply(former)
    assert not MutualExchange.objects.exists()


def test_one_open_exchange_per_household(exchange, tenant_a):
    with pytest.raises(services.LettingRefused, match="already has"):
        _apply(tenant_a)
    assert MutualExchange.objects.count() == 1


def test_a_decision_before_the_checks_is_refused(exchange, officer):
    with pytest.raises(services.LettingRefused, match="checks"):
        services.exchange_decide(
            exchange=exchange, actor=officer, decision=ExchangeStatus.CONSENTED, explanation=""
        )
    exchange.refresh_from_db()
    assert exchange.decided_at is None


def test_conditional_consent_needs_its_conditions(exchange, officer):
    _checks(exchange, officer)
    with pytest.raises(services.LettingRefused, match="conditions"):
        services.exchange_decide(
            exchange=exchange, actor=officer, decision=ExchangeStatus.CONDITIONAL, explanation=""
        )
    decided = services.exchange_decide(
        exchange=exchange,
        actor=officer,
        decision=ExchangeStatus.CONDITIONAL,
        conditions="Clear the £40 arrears before the move.",
        explanation="",
    )
    assert decided.status == ExchangeStatus.CONDITIONAL
    assert not decided.is_open


def test_a_refusal_needs_a_statutory_ground_and_the_tenant_is_told_it(exchange, officer, tenant_a):
    _checks(exchange, officer)
    with pytest.raises(services.LettingRefused, match="statutory ground"):
        services.exchange_decide(
            exchange=exchange, actor=officer, decision=ExchangeStatus.REFUSED, explanation="No"
        )
    services.exchange_decide(
        exchange=exchange,
        actor=officer,
        decision=ExchangeStatus.REFUSED,
        refusal_ground=RefusalGround.G3,
        explanation="The home has two more bedrooms than you need.",
    )
    letter = Message.objects.get(customer=tenant_a, subject__startswith="Decision")
    assert "Ground 3" in letter.body
    clock = Deadline.objects.get(object_id=exchange.pk, commitment__code="exchange.decision")
    assert clock.met_at is not None and clock.met_at <= clock.due_at


def test_missing_the_42_days_escalates_like_any_breach(exchange, frozen, officer, team):
    frozen.shift(dt.timedelta(days=43))
    sweep_deadlines()
    hand_over_claimed()
    clock = Deadline.objects.get(object_id=exchange.pk, commitment__code="exchange.decision")
    assert clock.breached_at is not None
    assert CaseEvent.objects.filter(
        object_id=exchange.pk, kind=EventKind.DEADLINE_BREACHED
    ).exists()


def test_a_household_member_who_is_not_a_tenant_cannot_apply(frozen, team, tenant_a):
    member = CustomerFactory(tenancy=tenant_a.tenancy, household_role="member")
    with pytest.raises(services.LettingRefused, match="current tenant"):
        _apply(member)


def test_the_visit_is_booked_within_the_6_weeks_and_the_tenant_told(settling_in, officer):
    too_late = settling_in.next_due_at + dt.timedelta(days=1)
    with pytest.raises(services.LettingRefused, match="Book the visit by"):
        services.settling_in_book_visit(settling_in=settling_in, actor=officer, visit_at=too_late)
    visit_at = timezone.now() + dt.timedelta(weeks=5)
    booked = services.settling_in_book_visit(
        settling_in=settling_in, actor=officer, visit_at=visit_at
    )
    assert booked.visit_booked_for == visit_at
    assert Message.objects.filter(
        customer=settling_in.customer, subject="Your settling-in visit"
    ).exists()
