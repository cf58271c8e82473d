"""Who may open the workspace, and that each member of staff sees only what their role allows in
every list, count and search, tested per role with a case of every type, sensitive ones
included: a sensitive case's existence is hidden from everyone outside its team."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from asb.models import AsbCase
from casework.models import SensitiveCaseRead
from casework.services import case_assign
from complaints.models import Complaint
from dataprotection.models import DataRequest
from enquiries.models import CallBack, ChatSession, Enquiry
from kernel.roles import Role
from lettings.models import Application, MutualExchange, SettlingIn
from neighbourhoods.models import NeighbourhoodReport
from notifications.models import Message
from rent.models import ArrearsCase
from repairs.models import Repair
from safety.models import SafetyReport
from tests.factories import StaffFactory
from tests.workspace.factories import one_case_of_every_type
from workspace.selectors import find_case_for_staff, household_picture, my_work

pytestmark = pytest.mark.django_db


def pages(tenancy_id: int) -> list[str]:
    return [
        reverse("workspace:my_work"),
        reverse("workspace:household", args=[tenancy_id]),
        reverse("workspace:find") + "?q=Khan",
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, tenant_a):
    for url in pages(tenant_a.tenancy_id):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_customers_are_refused(client_a, tenant_a):
    for url in pages(tenant_a.tenancy_id):
        assert client_a.get(url).status_code == 403


def test_staff_without_a_role_are_refused(client, tenant_a):
    client.force_login(StaffFactory(roles=[]))
    for url in pages(tenant_a.tenancy_id):
        assert client.get(url).status_code == 403


def test_staff_without_an_authenticator_are_sent_to_set_one_up(client, tenant_a):
    client.force_login(StaffFactory(roles=[Role.REPAIRS], authenticator=False))
    for url in pages(tenant_a.tenancy_id):
        assert client.get(url)["Location"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_rejected(client, tenant_a, repairs_officer, method):
    client.force_login(repairs_officer)
    for url in pages(tenant_a.tenancy_id):
        assert getattr(client, method)(url).status_code == 405


def test_posting_to_the_read_only_pages_is_rejected(client, tenant_a, repairs_officer):
    client.force_login(repairs_officer)
    assert client.post(reverse("workspace:household", args=[tenant_a.tenancy_id])).status_code == (
        405
    )
    assert client.post(reverse("workspace:find")).status_code == 405


def test_a_household_that_does_not_exist_is_a_404(client, repairs_officer):
    client.force_login(repairs_officer)
    assert client.get(reverse("workspace:household", args=[999999])).status_code == 404


# What each role's own queues hold (casework registrations of repairs, complaints, enquiries),
# with call backs made sensitive: the ASB team's alone.
SEES = {
    Role.REPAIRS: {Repair},
    Role.COMPLAINTS: {Complaint},
    Role.CUSTOMER_SERVICES: {Repair, Enquiry, ChatSession, NeighbourhoodReport},
    # Every ASB case is sensitive (decisions 0003 and 0014): the ASB team's alone.
    Role.ASB: {CallBack, AsbCase},
    Role.MANAGER: {
        Repair,
        Complaint,
        Enquiry,
        ChatSession,
        Application,
        MutualExchange,
        SettlingIn,
        NeighbourhoodReport,
        # Not DataRequest: a request about one's own data is the data-protection team's alone.
        SafetyReport,
        ArrearsCase,
    },
    Role.LETTINGS: {Application, MutualExchange, SettlingIn},
    Role.DATA_PROTECTION: {DataRequest},
    Role.COMPLIANCE: {SafetyReport},
    Role.INCOME: {ArrearsCase},
}


@pytest.fixture
def every_type_with_a_sensitive_one(callbacks_are_sensitive, tenant_a):
    cases = one_case_of_every_type(tenant_a)
    # A message about the sensitive case, as its service would send one.
    callback = cases[CallBack]
    about_callback = Message.objects.filter(
        about_type=ContentType.objects.get_for_model(CallBack), about_id=callback.pk
    )
    assert about_callback.exists()
    about_callback.update(is_sensitive=True)
    return cases


@pytest.mark.parametrize("role", list(SEES))
def test_my_work_holds_only_the_case_types_my_role_may_see_even_if_assigned_to_me(
    every_type_with_a_sensitive_one, role
):
    officer = StaffFactory(roles=[role])
    for case in every_type_with_a_sensitive_one.values():
        case_assign(case=case, assignee=officer, actor=None)

    page = my_work(officer)

    assert {type(row.case) for row in page.rows} == SEES[role]


@pytest.mark.parametrize("role", list(SEES))
def test_the_households_picture_holds_only_what_my_role_may_see(
    client, every_type_with_a_sensitive_one, tenant_a, role
):
    officer = StaffFactory(roles=[role])
    client.force_login(officer)

    response = client.get(reverse("workspace:household", args=[tenant_a.tenancy_id]))

    assert response.status_code == 200
    body = response.content.decode()
    picture = response.context["picture"]
    assert {type(c.case) for c in picture.cases} == SEES[role]
    for model, case in every_type_with_a_sensitive_one.items():
        assert (case.reference in body) is (model in SEES[role])
    sensitive_messages = [m for m in picture.messages if m.is_sensitive]
    assert bool(sensitive_messages) is (role == Role.ASB)


def test_a_sensitive_case_named_on_the_picture_is_a_logged_read(
    client, every_type_with_a_sensitive_one, tenant_a, asb_officer
):
    client.force_login(asb_officer)

    client.get(reverse("workspace:household", args=[tenant_a.tenancy_id]))

    # One logged read for each sensitive case named: the call back and the ASB case.
    reads = SensitiveCaseRead.objects.all()
    assert {read.user for read in reads} == {asb_officer}
    assert len(reads) == 2
    assert {(read.content_type.model_class(), read.object_id) for read in reads} == {
        (CallBack, every_type_with_a_sensitive_one[CallBack].pk),
        (AsbCase, every_type_with_a_sensitive_one[AsbCase].pk),
    }


def test_nobody_outside_the_team_leaves_a_read_or_a_hint(
    client, every_type_with_a_sensitive_one, tenant_a, manager
):
    client.force_login(manager)

    body = client.get(reverse("workspace:household", args=[tenant_a.tenancy_id])).content
    assert b"Call back" not in body
    assert not SensitiveCaseRead.objects.exists()


@pytest.mark.parametrize("role", list(SEES))
def test_finding_a_case_by_reference_finds_only_what_my_role_may_see(
    client, every_type_with_a_sensitive_one, role
):
    officer = StaffFactory(roles=[role])
    client.force_login(officer)

    for model, case in every_type_with_a_sensitive_one.items():
        found = find_case_for_staff(officer, case.reference)
        assert (found is not None) is (model in SEES[role])
        response = client.get(reverse("workspace:find"), {"q": case.reference.lower()})
        if model in SEES[role]:
            assert response["Location"] == reverse("workspace:household", args=[case.tenancy_id])
        else:
            # The same page as for a reference nobody has: no customer matched it.
            assert response.status_code == 200
            assert response.context["customers"] == []


def test_the_picture_counts_nothing_it_does_not_show(every_type_with_a_sensitive_one, manager):
    picture = household_picture(manager, every_type_with_a_sensitive_one[Repair].tenancy)

    assert len(picture.cases) == len(SEES[Role.MANAGER])
    assert picture.sensitive_cases == []
