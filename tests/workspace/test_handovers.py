"""Hand-overs between teams appear in the receiving team's queue with who passed the case on and
why: an enquiry referred to another team, a complaint about a repair."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casework.models import Team
from casework.services import case_assign
from complaints.handover import complaint_create_from_case
from enquiries import services as enquiry_services
from kernel.roles import Role
from tests.enquiries.factories import submit_enquiry
from tests.factories import StaffFactory
from tests.repairs.conftest import report
from workspace.selectors import Scope, my_work

pytestmark = pytest.mark.django_db


def test_an_enquiry_referred_to_repairs_shows_who_referred_it_and_why(
    client, tenant_a, customer_services_officer, repairs_officer
):
    repairs_team = Team.objects.filter(role=Role.REPAIRS).first()
    enquiry = submit_enquiry(tenant_a, subject="Boiler pressure")
    enquiry_services.enquiry_refer(
        enquiry=enquiry,
        team=repairs_team,
        actor=customer_services_officer,
        note="Pressure drops every night; needs a gas engineer, not an answer.",
    )

    (row,) = my_work(repairs_officer, scope=Scope.UNASSIGNED).rows

    assert row.case == enquiry
    assert row.handover.by == customer_services_officer.get_full_name()
    assert row.handover.why == "Pressure drops every night; needs a gas engineer, not an answer."
    client.force_login(repairs_officer)
    body = client.get(reverse("workspace:my_work"), {"scope": "team"}).content.decode()
    assert "Passed on by Customer services Officer" in body
    assert "Why: Pressure drops every night" in body


def test_a_complaint_about_a_repair_shows_the_repair_it_came_from(
    tenant_a, repairs_officer, complaints_officer
):
    repair = report(tenant_a)
    complaint = complaint_create_from_case(
        source_case=repair, actor=repairs_officer, subject="Still no cupboard door"
    )

    (row,) = my_work(complaints_officer, scope=Scope.TEAM).rows

    assert row.case == complaint
    assert row.handover is not None
    assert repair.reference in row.handover.what


def test_taking_a_case_myself_is_not_a_hand_over(tenant_a, customer_services_officer):
    team = Team.objects.create(name="Contact centre desk", role=Role.CUSTOMER_SERVICES)
    enquiry = submit_enquiry(tenant_a)
    case_assign(
        case=enquiry, assignee=customer_services_officer, team=team, actor=customer_services_officer
    )

    (row,) = my_work(customer_services_officer).rows

    assert row.handover is None


def test_a_case_given_to_me_by_a_colleague_says_who_gave_it(tenant_a, customer_services_officer):
    lead = StaffFactory(roles=[Role.CUSTOMER_SERVICES])
    team = Team.objects.create(name="Contact centre desk", role=Role.CUSTOMER_SERVICES, lead=lead)
    enquiry = submit_enquiry(tenant_a)
    case_assign(case=enquiry, assignee=customer_services_officer, team=team, actor=lead)

    (row,) = my_work(customer_services_officer).rows

    assert row.handover is not None
    assert row.handover.what == "Assigned to Customer services Officer (Contact centre desk)"
