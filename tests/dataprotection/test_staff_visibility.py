"""A request about a person's own data is seen by the data-protection team and the person who
asked: not by managers, not by an administrator without the role, in no list, count or search."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from casework.access import staff_can_see, staff_visible_content_type_ids
from casework.models import CaseEvent
from casework.services import case_assign
from dataprotection.models import DataRequest
from kernel.roles import Role
from notifications.models import Message
from tests.dataprotection.factories import ask
from tests.factories import StaffFactory
from workspace.selectors import find_case_for_staff, household_picture, my_work
from workspace.services import BulkAssignmentRefused, cases_assign_in_bulk

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_of_a(tenant_a):
    return ask(tenant_a, details="Everything you hold about me and my ex-partner.")


@pytest.fixture
def administrator(db):
    return StaffFactory(roles=[], is_superuser=True)


@pytest.fixture(params=["manager", "administrator"])
def outsider(request):
    """A manager, and an administrator without the data-protection role."""
    return request.getfixturevalue(request.param)


def test_my_work_does_not_hold_a_request_even_one_assigned_to_them(outsider, request_of_a):
    case_assign(case=request_of_a, assignee=outsider, actor=None)

    page = my_work(outsider)

    assert request_of_a.reference not in {row.reference for row in page.rows}
    assert "data protection requests" not in page.case_types


def test_the_my_work_page_does_not_name_the_case_type(client, manager, request_of_a):
    case_assign(case=request_of_a, assignee=manager, actor=None)
    client.force_login(manager)

    body = client.get(reverse("workspace:my_work")).content.decode()

    assert request_of_a.reference not in body
    assert "data protection request" not in body.lower()


def test_the_household_page_neither_lists_nor_counts_it(client, manager, tenant_a, request_of_a):
    client.force_login(manager)

    response = client.get(reverse("workspace:household", args=[tenant_a.tenancy_id]))

    assert response.status_code == 200
    body = response.content.decode()
    assert request_of_a.reference not in body
    picture = response.context["picture"]
    assert all(not isinstance(c.case, DataRequest) for c in picture.cases)
    # Nor a message about it (the request's acknowledgement was sent to the customer).
    about = Message.objects.filter(
        about_type=ContentType.objects.get_for_model(DataRequest), about_id=request_of_a.pk
    )
    assert about.exists()
    assert not set(picture.messages) & set(about)


def test_the_household_picture_holds_nothing_of_it(outsider, tenant_a, request_of_a):
    picture = household_picture(outsider, tenant_a.tenancy)

    assert [c for c in picture.cases if isinstance(c.case, DataRequest)] == []


def test_searching_for_its_reference_finds_nothing(client, outsider, request_of_a):
    assert find_case_for_staff(outsider, request_of_a.reference) is None
    client.force_login(outsider)

    response = client.get(reverse("workspace:find"), {"q": request_of_a.reference})

    # The same page as for a reference nobody has.
    assert response.status_code == 200
    assert response.context["customers"] == []


def test_the_admin_queue_and_the_request_are_refused(client, outsider, request_of_a):
    client.force_login(outsider)

    listing = client.get(reverse("admin:dataprotection_datarequest_changelist"))
    page = client.get(reverse("admin:dataprotection_datarequest_change", args=[request_of_a.pk]))

    assert listing.status_code == 403
    assert page.status_code in (302, 403, 404)
    assert request_of_a.reference.encode() not in page.content
    assert not staff_can_see(outsider, request_of_a)
    # Nor its events in the event log.
    data_requests = ContentType.objects.get_for_model(DataRequest).pk
    assert data_requests not in staff_visible_content_type_ids(outsider)


def test_a_request_cannot_be_passed_to_a_manager_and_nothing_is_written(
    officer, manager, request_of_a
):
    before = CaseEvent.objects.count()

    with pytest.raises(BulkAssignmentRefused):
        cases_assign_in_bulk(references=[request_of_a.reference], assignee=manager, actor=officer)

    assert DataRequest.objects.get(pk=request_of_a.pk).assignee_id is None
    assert CaseEvent.objects.count() == before


def test_the_data_protection_team_still_sees_it(client, officer, tenant_a, request_of_a):
    assert staff_can_see(officer, request_of_a)
    assert find_case_for_staff(officer, request_of_a.reference) is not None
    case_assign(case=request_of_a, assignee=officer, actor=None)
    assert request_of_a.reference in {row.reference for row in my_work(officer).rows}
    client.force_login(officer)
    household = client.get(reverse("workspace:household", args=[tenant_a.tenancy_id]))
    assert request_of_a.reference in household.content.decode()


def test_a_manager_who_also_holds_the_role_sees_it(request_of_a):
    both = StaffFactory(roles=[Role.MANAGER, Role.DATA_PROTECTION])

    assert staff_can_see(both, request_of_a)
    assert find_case_for_staff(both, request_of_a.reference) is not None
