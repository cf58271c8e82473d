"""The ASB team's queue and steps in the admin: only the ASB role sees them, high risk first,
reports taken by phone logged through the same service, every read logged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from asb.models import AnonymousReport, AsbAction, AsbCase, AsbKind, AsbStatus, Risk
from asb.services import Incident, SafeContactAnswers, anonymous_report, asb_assess_risk
from casework.models import ReceivedBy, SensitiveCaseRead
from kernel.roles import Role
from sla.models import Deadline
from tests.asb.factories import SAFE_BY_PHONE_ONLY, report
from tests.factories import CustomerWithLoginFactory, StaffFactory

pytestmark = pytest.mark.usefixtures("frozen", "team")

CHANGELIST = "admin:asb_asbcase_changelist"


def _step(case, name):
    return reverse("admin:asb_asbcase_step", args=[case.pk, name])


def test_the_queue_is_for_the_asb_team_only(client, tenant_a, asb_officer, manager):
    case = report(tenant_a)
    for outsider in (
        manager,
        StaffFactory(roles=[Role.REPAIRS]),
        StaffFactory(is_superuser=True),
    ):
        client.force_login(outsider)
        response = client.get(reverse(CHANGELIST))
        assert response.status_code in (302, 403), outsider
        change = client.get(reverse("admin:asb_asbcase_change", args=[case.pk]))
        assert change.status_code in (302, 403, 404)
        assert case.reference not in change.content.decode()
    assert not SensitiveCaseRead.objects.exists()
    client.force_login(asb_officer)
    assert case.reference in client.get(reverse(CHANGELIST)).content.decode()


def test_high_risk_comes_first_then_the_soonest_due(client, tenant_a, asb_officer):
    due_soon = report(tenant_a, AsbKind.HATE_CRIME)  # 24 hours
    high_later = report(tenant_a)  # 3 working days, but high risk
    asb_assess_risk(case=high_later, actor=asb_officer, risk=Risk.HIGH, refer_to_marac=False)
    client.force_login(asb_officer)
    page = client.get(reverse(CHANGELIST)).content.decode()
    assert page.index(high_later.reference) < page.index(due_soon.reference)


def test_an_officer_logs_a_phone_report_and_its_clock_starts_when_it_was_received(
    client, tenant_a, asb_officer
):
    client.force_login(asb_officer)
    search = client.get(reverse("admin:asb_asbcase_log"), {"q": tenant_a.last_name})
    assert tenant_a.full_name in search.content.decode()
    response = client.post(
        reverse("admin:asb_asbcase_log_for", args=[tenant_a.pk]),
        {
            "received_by": "phone",
            "received_at": "2026-06-01 08:30",
            "kind": "domestic_abuse",
            "place": "home",
            "details": "Told us by phone.",
            "safe_phone": "07700 900 444",
            "may_leave_message": "no",
        },
    )
    case = AsbCase.objects.get()
    assert response.status_code == 302
    assert (case.received_by, case.logged_by, case.safe_phone) == (
        ReceivedBy.PHONE,
        asb_officer,
        "07700 900 444",
    )
    clock = Deadline.objects.get(object_id=case.pk)
    assert clock.started_at == dt.datetime(2026, 6, 1, 7, 30, tzinfo=dt.UTC)  # 08:30 BST


def test_logging_is_refused_to_staff_without_the_role(client, tenant_a, complaints_officer):
    client.force_login(complaints_officer)
    assert client.get(reverse("admin:asb_asbcase_log")).status_code == 403
    response = client.post(
        reverse("admin:asb_asbcase_log_for", args=[tenant_a.pk]),
        {"received_by": "phone", "received_at": "2026-06-01 08:30", "kind": "asb"},
    )
    assert response.status_code == 403
    assert not AsbCase.objects.exists()


def test_acknowledging_by_an_unsafe_way_is_refused_on_the_form(client, tenant_a, asb_officer):
    case = report(tenant_a, AsbKind.DOMESTIC_ABUSE, safe=SAFE_BY_PHONE_ONLY)
    client.force_login(asb_officer)
    page = client.get(_step(case, "acknowledge")).content.decode()
    assert "07700 900 982" in page  # the safe number is on the page
    response = client.post(
        _step(case, "acknowledge"), {"contacted_by": "letter", "risk": "high", "note": "Wrote"}
    )
    assert response.status_code == 200
    assert "did not say that way of contacting them is safe" in response.content.decode()
    case.refresh_from_db()
    assert case.status == AsbStatus.RECEIVED


def test_the_action_plan_is_built_through_the_steps(client, tenant_a, asb_officer):
    case = report(tenant_a)
    client.force_login(asb_officer)
    client.post(_step(case, "acknowledge"), {"contacted_by": "phone", "risk": "standard"})
    response = client.post(
        _step(case, "action"),
        {"description": "Mediation referral", "owner": asb_officer.pk, "due_on": "2026-06-12"},
    )
    assert response.status_code == 302
    action = AsbAction.objects.get()
    assert (action.case, action.due_on) == (case, dt.date(2026, 6, 12))
    client.post(_step(case, "review"), {"review_on": "2026-06-20"})
    client.post(_step(case, "tool"), {"tool": "warning_letter", "note": ""})
    client.post(_step(case, "action_done"), {"action": action.pk})
    case.refresh_from_db()
    action.refresh_from_db()
    assert case.review_on == dt.date(2026, 6, 20)
    assert action.done_at is not None
    assert case.events.filter(note="Tool used: Warning letter", visible_to_customer=False).exists()


def test_an_officer_sees_other_reports_about_the_same_home(client, tenant_a, tenant_b, asb_officer):
    neighbour = CustomerWithLoginFactory()
    first = report(tenant_a)
    second = report(tenant_b)
    client.force_login(asb_officer)
    for case in (first, second):
        client.post(_step(case, "link"), {"tenancy_reference": neighbour.tenancy.reference})
    page = client.get(reverse("admin:asb_asbcase_change", args=[first.pk])).content.decode()
    assert second.reference in page


def test_reports_made_without_signing_in_are_for_the_asb_team_and_reads_are_logged(
    client, asb_officer, manager
):
    made = anonymous_report(
        incident=Incident(kind=AsbKind.ASB, category="drugs", place="street", details="Dealing"),
        safe_contact=SafeContactAnswers(),
        contact_way="none",
    )
    url = reverse("admin:asb_anonymousreport_change", args=[made.pk])
    client.force_login(manager)
    assert client.get(url).status_code in (302, 403)
    client.force_login(asb_officer)
    assert client.get(url).status_code == 200
    assert SensitiveCaseRead.objects.filter(user=asb_officer, object_id=made.pk).exists()
    client.post(
        reverse("admin:asb_anonymousreport_changelist"),
        {"action": "close", "_selected_action": [made.pk]},
    )
    made.refresh_from_db()
    assert made.closed_at is not None and made.acknowledged_at is not None
    assert AnonymousReport.objects.count() == 1


@pytest.mark.parametrize("object_id", ["abc", "%00", "99999999999999999999999", "-1"])
def test_a_case_address_that_names_no_case_is_not_found(client, asb_officer, object_id):
    client.force_login(asb_officer)
    for url in (
        f"/admin/asb/asbcase/{object_id}/change/",
        f"/admin/asb/asbcase/{object_id}/step/acknowledge/",
    ):
        assert client.get(url).status_code in (302, 404), url
    assert not SensitiveCaseRead.objects.exists()
