"""Taking or giving cases in bulk from My work: each assignment is a case event; a selection
with one case the officer may not change is refused whole, with nothing written."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from casework.models import CaseEvent, EventKind
from complaints.models import Complaint
from enquiries.models import Enquiry
from kernel.roles import Role
from tests.casework.factories import EnquiryFactory, TeamFactory
from tests.complaints.factories import ComplaintFactory
from tests.factories import StaffFactory
from tests.workspace.conftest import NOW
from tests.workspace.factories import reload
from workspace.services import BulkAssignmentRefused, cases_assign_in_bulk

pytestmark = pytest.mark.django_db

MY_WORK = reverse("workspace:my_work")


@pytest.fixture
def team():
    return TeamFactory(name="Contact centre", role=Role.CUSTOMER_SERVICES)


@pytest.fixture
def officer_client(client, customer_services_officer):
    client.force_login(customer_services_officer)
    return client


def assignments() -> int:
    return CaseEvent.objects.filter(kind=EventKind.ASSIGNED).count()


def test_taking_ticked_cases_assigns_them_to_me_with_an_event_on_each(
    officer_client, customer_services_officer, team
):
    first, second = EnquiryFactory.create_batch(2, team=team, assignee=None)

    response = officer_client.post(
        MY_WORK + "?scope=unassigned",
        {"action": "take", "case": [first.reference, second.reference]},
    )

    assert response.status_code == 302
    assert response["Location"] == MY_WORK + "?scope=unassigned"
    for case in (first, second):
        assert reload(case).assignee == customer_services_officer
        event = CaseEvent.objects.get(object_id=case.pk, kind=EventKind.ASSIGNED)
        assert event.actor == customer_services_officer
        assert not event.visible_to_customer
    assert "2 cases given to you." in [str(m) for m in get_messages(response.wsgi_request)]


def test_giving_ticked_cases_to_a_colleague_in_my_team(
    officer_client, customer_services_officer, team
):
    colleague = StaffFactory(roles=[Role.CUSTOMER_SERVICES], first_name="Sam", last_name="Lee")
    case = EnquiryFactory(team=team, assignee=customer_services_officer)

    officer_client.post(
        MY_WORK, {"action": "assign", "assignee": colleague.pk, "case": [case.reference]}
    )

    assert reload(case).assignee == colleague
    assert CaseEvent.objects.get(object_id=case.pk).note == "Assigned to Sam Lee (Contact centre)"


def test_a_selection_with_a_case_i_may_not_change_is_refused_whole(
    officer_client, customer_services_officer, team
):
    mine = EnquiryFactory(team=team, assignee=None)
    not_mine = ComplaintFactory(assignee=None)  # complaints are not this officer's work

    response = officer_client.post(
        MY_WORK, {"action": "take", "case": [mine.reference, not_mine.reference]}
    )

    assert response.status_code == 302
    assert reload(mine).assignee is None
    assert reload(not_mine).assignee is None
    assert assignments() == 0
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == f"Nothing was changed. You may not change {not_mine.reference}."


def test_a_case_that_does_not_exist_is_refused_in_the_same_words_as_a_hidden_one(
    customer_services_officer,
):
    hidden = ComplaintFactory()
    with pytest.raises(BulkAssignmentRefused) as refused:
        cases_assign_in_bulk(
            actor=customer_services_officer,
            references=[hidden.reference, "ENQ-2026-999999"],
            assignee=customer_services_officer,
        )

    assert refused.value.problems == [
        f"You may not change {hidden.reference}.",
        "You may not change ENQ-2026-999999.",
    ]


def test_a_closed_case_in_the_selection_refuses_it_whole(customer_services_officer, team):
    open_case = EnquiryFactory(team=team)
    closed = EnquiryFactory(team=team, closed_at=NOW)

    with pytest.raises(BulkAssignmentRefused, match="is closed"):
        cases_assign_in_bulk(
            actor=customer_services_officer,
            references=[open_case.reference, closed.reference],
            assignee=customer_services_officer,
        )

    assert reload(open_case).assignee is None
    assert assignments() == 0


def test_giving_a_case_to_someone_whose_role_may_not_work_it_is_refused(
    customer_services_officer, complaints_officer, team
):
    case = EnquiryFactory(team=team)

    with pytest.raises(BulkAssignmentRefused, match="does not work cases like"):
        cases_assign_in_bulk(
            actor=customer_services_officer,
            references=[case.reference],
            assignee=complaints_officer,
        )

    assert reload(case).assignee is None
    assert assignments() == 0


def test_a_manager_may_take_cases_of_several_types_at_once(manager):
    enquiry = EnquiryFactory()
    complaint = ComplaintFactory()

    changed = cases_assign_in_bulk(
        actor=manager, references=[enquiry.reference, complaint.reference], assignee=manager
    )

    assert changed == 2
    assert Enquiry.objects.get(pk=enquiry.pk).assignee == manager
    assert Complaint.objects.get(pk=complaint.pk).assignee == manager


def test_nothing_ticked_is_refused_with_a_message(officer_client):
    response = officer_client.post(MY_WORK, {"action": "take"})

    assert response.status_code == 302
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == "Nothing was changed. Tick at least one case."


def test_assigning_without_choosing_a_colleague_writes_nothing(officer_client, team):
    case = EnquiryFactory(team=team)

    response = officer_client.post(MY_WORK, {"action": "assign", "case": [case.reference]})

    assert reload(case).assignee is None
    assert assignments() == 0
    assert "Choose who to give the cases to." in str(list(get_messages(response.wsgi_request))[0])


def test_a_colleague_outside_my_roles_cannot_be_chosen(officer_client, complaints_officer, team):
    case = EnquiryFactory(team=team)

    officer_client.post(
        MY_WORK, {"action": "assign", "assignee": complaints_officer.pk, "case": [case.reference]}
    )

    assert reload(case).assignee is None
    assert assignments() == 0


@pytest.mark.parametrize("reference", ["\x00", "A" * 500, "'; drop table"])
def test_hostile_references_are_refused_not_a_server_error(officer_client, reference):
    response = officer_client.post(MY_WORK, {"action": "take", "case": [reference]})

    assert response.status_code == 302
    assert assignments() == 0
