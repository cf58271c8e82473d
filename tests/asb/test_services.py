"""Reporting, the 24-hour and 3-working-day clocks, the action plan, closing with consent."""

from __future__ import annotations

import datetime as dt

import pytest

from asb.models import AsbAction, AsbCase, AsbKind, AsbStatus, CloseReason, Risk
from asb.services import (
    AsbRuleBroken,
    action_add,
    action_done,
    asb_acknowledge,
    asb_assess_risk,
    asb_close,
    close_answer,
    close_ask,
    diary_add,
    satisfaction_record,
)
from casework.models import CaseEvent
from sla.models import Deadline
from tests.asb.factories import SAFE_BY_PHONE_ONLY, report

pytestmark = pytest.mark.usefixtures("frozen", "team")


def _clock(case, code):
    return Deadline.objects.get(object_id=case.pk, commitment__code=code)


def test_a_hate_crime_report_is_due_for_acknowledgement_in_24_hours(tenant_a):
    case = report(tenant_a, AsbKind.HATE_CRIME, hate_characteristic="race")
    clock = _clock(case, "asb.hate_crime.acknowledge")
    assert clock.due_at == clock.started_at + dt.timedelta(hours=24)
    assert case.next_due_at == clock.due_at
    assert case.status == AsbStatus.RECEIVED


def test_a_domestic_abuse_report_is_due_in_24_hours(tenant_a):
    case = report(tenant_a, AsbKind.DOMESTIC_ABUSE)
    clock = _clock(case, "asb.domestic_abuse.acknowledge")
    assert clock.due_at - clock.started_at == dt.timedelta(hours=24)


def test_an_asb_report_is_due_within_3_working_days(tenant_a):
    case = report(tenant_a)  # Monday 1 June 2026
    clock = _clock(case, "asb.acknowledge")
    # Day 0 Monday; the third working day is Thursday 4 June, 23:59:59 UK time.
    assert clock.due_at == dt.datetime(2026, 6, 4, 22, 59, 59, tzinfo=dt.UTC)


def test_an_asb_report_needs_its_kind_of_behaviour(tenant_a):
    with pytest.raises(AsbRuleBroken):
        report(tenant_a, category="")
    assert not AsbCase.objects.exists()


def test_acknowledging_through_a_safe_channel_meets_the_clock(tenant_a, asb_officer, frozen):
    case = report(tenant_a, AsbKind.HATE_CRIME, safe=SAFE_BY_PHONE_ONLY)
    frozen.shift(dt.timedelta(hours=3))
    asb_acknowledge(case=case, actor=asb_officer, contacted_by="phone", risk=Risk.MEDIUM)
    clock = _clock(case, "asb.hate_crime.acknowledge")
    assert clock.met_at is not None and clock.met_on_time
    case.refresh_from_db()
    assert case.status == AsbStatus.INVESTIGATING
    assert case.risk == Risk.MEDIUM


def test_acknowledging_by_a_way_the_reporter_said_is_unsafe_is_refused(tenant_a, asb_officer):
    case = report(tenant_a, AsbKind.DOMESTIC_ABUSE, safe=SAFE_BY_PHONE_ONLY)
    events_before = CaseEvent.objects.count()
    for way in ("letter", "email", "sms", "portal"):
        with pytest.raises(AsbRuleBroken):
            asb_acknowledge(case=case, actor=asb_officer, contacted_by=way, risk=Risk.HIGH)
    case.refresh_from_db()
    assert case.status == AsbStatus.RECEIVED
    assert _clock(case, "asb.domestic_abuse.acknowledge").met_at is None
    assert CaseEvent.objects.count() == events_before


def test_a_high_risk_domestic_abuse_case_is_referred_to_marac(tenant_a, asb_officer):
    case = report(tenant_a, AsbKind.DOMESTIC_ABUSE)
    asb_assess_risk(case=case, actor=asb_officer, risk=Risk.HIGH, refer_to_marac=True)
    case.refresh_from_db()
    assert case.marac_referred_at is not None
    assert CaseEvent.objects.filter(object_id=case.pk, note__contains="MARAC").exists()


def test_only_high_risk_domestic_abuse_goes_to_marac(tenant_a, asb_officer):
    case = report(tenant_a)
    with pytest.raises(AsbRuleBroken):
        asb_assess_risk(case=case, actor=asb_officer, risk=Risk.HIGH, refer_to_marac=True)
    case.refresh_from_db()
    assert case.marac_referred_at is None and case.risk == ""


def _acknowledged(customer, officer, kind=AsbKind.ASB):
    case = report(customer, kind)
    return asb_acknowledge(case=case, actor=officer, contacted_by="phone", risk=Risk.STANDARD)


def test_each_action_runs_its_own_clock_to_its_agreed_day(tenant_a, asb_officer):
    case = _acknowledged(tenant_a, asb_officer)
    first = action_add(
        case=case,
        actor=asb_officer,
        description="Warning letter to the flat",
        owner=asb_officer,
        due_on=dt.date(2026, 6, 5),
    )
    second = action_add(
        case=case,
        actor=asb_officer,
        description="Visit the block",
        owner=asb_officer,
        due_on=dt.date(2026, 6, 10),
    )
    assert first.deadline.due_at == dt.datetime(2026, 6, 5, 22, 59, 59, tzinfo=dt.UTC)
    action_done(action=first, actor=asb_officer)
    first.deadline.refresh_from_db()
    second.deadline.refresh_from_db()
    assert first.deadline.met_at is not None
    assert second.deadline.met_at is None  # meeting one action leaves the other running
    case.refresh_from_db()
    assert case.next_due_at == second.deadline.due_at


def test_an_action_due_today_or_earlier_is_refused(tenant_a, asb_officer):
    case = _acknowledged(tenant_a, asb_officer)
    with pytest.raises(AsbRuleBroken):
        action_add(
            case=case,
            actor=asb_officer,
            description="x",
            owner=asb_officer,
            due_on=dt.date(2026, 6, 1),
        )
    assert not AsbAction.objects.exists()


def test_a_case_closes_only_with_the_reporters_consent(tenant_a, asb_officer):
    case = _acknowledged(tenant_a, asb_officer)
    with pytest.raises(AsbRuleBroken):
        asb_close(case=case, actor=asb_officer, reason=CloseReason.RESOLVED)
    close_ask(case=case, actor=asb_officer)
    with pytest.raises(AsbRuleBroken):
        asb_close(case=case, actor=asb_officer, reason=CloseReason.RESOLVED)
    case.refresh_from_db()
    assert case.closed_at is None
    close_answer(case=case, agrees=True)
    asb_close(case=case, actor=asb_officer, reason=CloseReason.RESOLVED)
    case.refresh_from_db()
    assert case.status == AsbStatus.CLOSED and case.closed_at is not None


def test_a_reporter_who_says_no_puts_the_case_back_to_work(tenant_a, asb_officer):
    case = _acknowledged(tenant_a, asb_officer)
    close_ask(case=case, actor=asb_officer)
    close_answer(case=case, agrees=False, note="It happened again last night")
    case.refresh_from_db()
    assert case.status == AsbStatus.INVESTIGATING


def test_a_case_with_actions_to_do_cannot_be_closed(tenant_a, asb_officer):
    case = _acknowledged(tenant_a, asb_officer)
    action_add(
        case=case,
        actor=asb_officer,
        description="Visit",
        owner=asb_officer,
        due_on=dt.date(2026, 6, 9),
    )
    with pytest.raises(AsbRuleBroken):
        close_ask(case=case, actor=asb_officer)
    case.refresh_from_db()
    assert case.status == AsbStatus.INVESTIGATING


def test_satisfaction_is_asked_once_after_closing(tenant_a, asb_officer):
    case = _acknowledged(tenant_a, asb_officer)
    with pytest.raises(AsbRuleBroken):
        satisfaction_record(case=case, answer="very_satisfied")
    close_ask(case=case, actor=asb_officer)
    close_answer(case=case, agrees=True)
    asb_close(case=case, actor=asb_officer, reason=CloseReason.RESOLVED)
    satisfaction_record(case=case, answer="fairly_satisfied")
    with pytest.raises(AsbRuleBroken):
        satisfaction_record(case=case, answer="very_dissatisfied")
    case.refresh_from_db()
    assert case.satisfaction == "fairly_satisfied"


def test_the_reporter_adds_to_the_diary(tenant_a):
    case = report(tenant_a)
    diary_add(case=case, happened_on=dt.date(2026, 5, 30), what_happened="Shouting", added_by=None)
    assert case.diary.count() == 1
    assert CaseEvent.objects.filter(object_id=case.pk, note__startswith="Diary").exists()


def test_the_officer_is_reminded_on_the_review_date_once(tenant_a, asb_officer, frozen):
    from asb.services import review_set, reviews_due_remind
    from notifications.models import Message

    case = _acknowledged(tenant_a, asb_officer)
    review_set(case=case, actor=asb_officer, review_on=dt.date(2026, 6, 8))
    assert reviews_due_remind() == 0
    frozen.move_to(dt.datetime(2026, 6, 8, 7, tzinfo=dt.UTC))
    assert reviews_due_remind() == 1
    reviews_due_remind()
    assert Message.objects.filter(staff_user=asb_officer, subject__contains="review").count() == 1
