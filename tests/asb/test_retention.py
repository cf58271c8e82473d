"""The retention schedule's ASB rule: six years after a case closed, what the reporter told us
and whatever names the other party is removed; what the figures count from stays."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from asb.models import AsbAction, AsbCase, DiaryEntry, Risk
from asb.services import action_add, asb_acknowledge, diary_add, other_party_link
from casework.models import CaseEvent
from casework.services import case_add_note
from dataprotection.models import RetentionRule
from dataprotection.retention import ANONYMISED, retention_apply, rule_apply
from tests.asb.factories import report


def _closed_report(tenant_a, tenant_b, asb_officer, *, years_ago: float) -> AsbCase:
    case = report(tenant_a, details="The people at 9 Elm Court shout at my children.")
    asb_acknowledge(case=case, actor=asb_officer, contacted_by="phone", risk=Risk.MEDIUM)
    other_party_link(case=case, actor=asb_officer, tenancy=tenant_b.tenancy)
    diary_add(
        case=case, happened_on=dt.date(2026, 5, 30), what_happened="Again today.", added_by=None
    )
    action_add(
        case=case,
        actor=asb_officer,
        description="Warning letter to 9 Elm Court",
        owner=asb_officer,
        due_on=dt.date(2026, 6, 12),
    )
    case_add_note(
        case=case, actor=asb_officer, note="Reporter's son named.", visible_to_customer=False
    )
    closed_at = timezone.now() - dt.timedelta(days=365.25 * years_ago)
    AsbCase.objects.filter(pk=case.pk).update(
        status="closed", closed_at=closed_at, close_reason="resolved", satisfaction="very_satisfied"
    )
    return AsbCase.objects.get(pk=case.pk)


def test_asb_cases_closed_over_six_years_ago_are_anonymised_and_newer_ones_kept(
    frozen, team, tenant_a, tenant_b, asb_officer
):
    old = _closed_report(tenant_a, tenant_b, asb_officer, years_ago=6.2)
    recent = _closed_report(tenant_a, tenant_b, asb_officer, years_ago=5.5)
    run = rule_apply(rule=RetentionRule.objects.get(code="asb.closed"))
    assert run.count == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.details == ANONYMISED
    assert (old.other_party_address, old.other_party_tenancy_id, old.safe_phone) == ("", None, "")
    assert set(DiaryEntry.objects.filter(case=old).values_list("what_happened", flat=True)) == {
        ANONYMISED
    }
    assert set(AsbAction.objects.filter(case=old).values_list("description", flat=True)) == {
        ANONYMISED
    }
    assert not CaseEvent.objects.filter(object_id=old.pk, note__contains="son named").exists()
    # What the figures count from stays.
    assert (old.kind, old.close_reason, old.satisfaction) == ("asb", "resolved", "very_satisfied")
    assert recent.details.startswith("The people at 9 Elm Court")
    assert recent.other_party_tenancy_id == tenant_b.tenancy_id
    assert DiaryEntry.objects.filter(case=recent, what_happened="Again today.").exists()


def test_a_second_asb_run_finds_nothing(frozen, team, tenant_a, tenant_b, asb_officer):
    _closed_report(tenant_a, tenant_b, asb_officer, years_ago=7)
    assert retention_apply()["asb.closed"] == 1
    assert retention_apply()["asb.closed"] == 0
