"""Corrections, erasure requests and data-protection complaints: each with its clock, answered
through the portal; an erasure answer explains what must be kept; a complaint is acknowledged
within 30 days and its answer always gives the right to go to the ICO."""

from __future__ import annotations

import datetime as dt

import pytest

from dataprotection import services
from dataprotection.models import RequestKind, RequestStatus
from notifications.models import Message
from sla.models import Deadline
from tests.dataprotection.factories import ask, fresh

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 6, 22, 9, 0, tzinfo=dt.UTC)


def _deadline(request, code):
    return Deadline.objects.get(object_id=request.pk, commitment__code=code)


def test_a_correction_runs_a_calendar_month_and_is_met_by_the_answer(
    tenant_a, officer, time_machine
):
    time_machine.move_to(MONDAY, tick=False)
    request = ask(tenant_a, kind=RequestKind.CORRECTION, details="My date of birth is 1 May.")
    clock = _deadline(request, "dp.correction")
    assert clock.due_at == dt.datetime(2026, 7, 22, 22, 59, 59, tzinfo=dt.UTC)
    time_machine.move_to(MONDAY + dt.timedelta(days=3), tick=False)
    services.request_answer(request=request, actor=officer, answer="We have corrected it.")
    request = fresh(request)
    assert request.status == RequestStatus.ANSWERED and request.closed_at is not None
    assert _deadline(request, "dp.correction").met_at == MONDAY + dt.timedelta(days=3)
    assert Message.objects.filter(customer=tenant_a, body="We have corrected it.").exists()


def test_an_erasure_answer_starts_from_the_retention_schedule(tenant_a, officer):
    from dataprotection.selectors import erasure_assessment_text

    request = ask(tenant_a, kind=RequestKind.ERASURE, details="Erase everything.")
    assert _deadline(request, "dp.erasure").met_at is None
    text = erasure_assessment_text(tenant_a)
    assert "Repairs: kept for 6 years after the repair was closed" in text
    assert "Limitation Act 1980" in text
    services.request_answer(
        request=request, actor=officer, answer=f"We erased your chats.\n\n{text}"
    )
    assert "Limitation Act" in fresh(request).answer


def test_a_data_protection_complaint_is_acknowledged_within_30_days(
    tenant_a, officer, time_machine
):
    time_machine.move_to(MONDAY, tick=False)
    request = ask(
        tenant_a, kind=RequestKind.COMPLAINT, details="You sent my letter to my old address."
    )
    clock = _deadline(request, "dp.complaint.acknowledge")
    assert clock.due_at == dt.datetime(2026, 7, 22, 22, 59, 59, tzinfo=dt.UTC)
    assert request.team.name == "Data protection"
    services.complaint_acknowledge(request=request, actor=officer, note="We are looking into it.")
    assert _deadline(request, "dp.complaint.acknowledge").met_at == MONDAY


def test_an_answer_to_a_complaint_always_gives_the_right_to_go_to_the_ico(tenant_a, officer):
    request = ask(tenant_a, kind=RequestKind.COMPLAINT, details="You lost my form.")
    services.complaint_acknowledge(request=request, actor=officer, note="Thank you.")
    services.request_answer(request=fresh(request), actor=officer, answer="We found it; sorry.")
    answer = fresh(request).answer
    assert answer.startswith("We found it; sorry.")
    assert services.ICO_RIGHT in answer
    assert answer.count("Information Commissioner") == 1


def test_a_complaint_is_not_answered_before_it_is_acknowledged(tenant_a, officer):
    request = ask(tenant_a, kind=RequestKind.COMPLAINT, details="You lost my form.")
    with pytest.raises(services.RequestRefused):
        services.request_answer(request=request, actor=officer, answer="Done.")
    assert fresh(request).status == RequestStatus.RECEIVED
    assert fresh(request).answer == ""


def test_a_subject_access_request_is_answered_by_its_pack_not_a_letter(tenant_a, officer):
    request = ask(tenant_a)
    with pytest.raises(services.RequestRefused):
        services.request_answer(request=request, actor=officer, answer="Here it is.")
    assert fresh(request).closed_at is None


def test_a_complex_request_extends_to_three_months_and_the_person_is_told(
    tenant_a, officer, time_machine
):
    time_machine.move_to(MONDAY, tick=False)
    request = ask(tenant_a)
    services.extend_complex(request=request, actor=officer, reason="Twelve years of records.")
    clock = _deadline(request, "dp.subject_access")
    assert clock.due_at == dt.datetime(2026, 9, 22, 22, 59, 59, tzinfo=dt.UTC)
    assert clock.extension_reason == "Twelve years of records."
    assert Message.objects.filter(
        customer=tenant_a, subject__startswith="We need more time"
    ).exists()


def test_the_clock_breaches_if_nobody_answers(tenant_a, time_machine):
    from sla.services import sweep_deadlines

    time_machine.move_to(MONDAY, tick=False)
    request = ask(tenant_a, kind=RequestKind.CORRECTION, details="Wrong phone number.")
    time_machine.move_to(MONDAY + dt.timedelta(days=31), tick=False)
    sweep_deadlines()
    assert _deadline(request, "dp.correction").breached_at is not None
