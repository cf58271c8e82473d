"""The customer's whole picture: one page for a household, reached from any case or from
finding a customer, with how to talk to them first."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.access import registered_case_models
from enquiries.models import Enquiry
from kernel.roles import Role
from tests.casework.factories import EnquiryFactory
from tests.factories import CustomerFactory, StaffFactory
from tests.notifications.factories import MessageFactory
from tests.workspace.conftest import NOW
from tests.workspace.factories import one_case_of_every_type

pytestmark = pytest.mark.django_db


def household_url(customer) -> str:
    return reverse("workspace:household", args=[customer.tenancy_id])


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def test_reasonable_adjustments_come_before_everything_else(manager_client, tenant_a):
    tenant_a.large_print = True
    tenant_a.interpreter_language = "Somali"
    tenant_a.vulnerability_notes = "Hard of hearing; speak slowly."
    tenant_a.save()

    body = manager_client.get(household_url(tenant_a)).content.decode()

    adjustments = body.index("reasonable adjustments")
    assert adjustments < body.index("<h2>People</h2>") < body.index("<h2>Open cases</h2>")
    assert "Interpreter: Somali" in body
    assert "Large print" in body
    assert "Hard of hearing; speak slowly." in body


def test_every_person_in_the_household_and_how_they_prefer_to_be_contacted(
    manager_client, tenant_a, joint_tenant_a
):
    body = manager_client.get(household_url(tenant_a)).content.decode()

    assert tenant_a.full_name in body
    assert joint_tenant_a.full_name in body
    assert tenant_a.get_preferred_channel_display() in body


def test_every_case_of_every_type_with_its_status_and_next_clock(
    client, tenant_a, customer_services_officer
):
    # Customer services see every non-sensitive type except complaints; a manager sees them all
    # but those only their own team sees.
    manager = StaffFactory(roles=[Role.MANAGER])
    cases = one_case_of_every_type(tenant_a)
    client.force_login(manager)

    response = client.get(household_url(tenant_a))

    picture = response.context["picture"]
    # Sensitive cases (every ASB case) are the ASB team's alone, and requests about a person's
    # own data the data-protection team's: never a manager's.
    team_only = {e.model for e in registered_case_models() if e.sensitive or e.role_holders_only}
    assert {type(c.case) for c in picture.open_cases} == {
        e.model for e in registered_case_models()
    } - team_only
    body = response.content.decode()
    for model, case in cases.items():
        assert (case.reference in body) is (model not in team_only)
    enquiry = next(c for c in picture.open_cases if isinstance(c.case, Enquiry))
    assert enquiry.status == "Received"
    assert enquiry.clock_name == "Acknowledge a written, email or portal contact"


def test_closed_cases_are_listed_apart(manager_client, tenant_a):
    open_case = EnquiryFactory(customer=tenant_a)
    closed = EnquiryFactory(customer=tenant_a, closed_at=NOW)

    picture = manager_client.get(household_url(tenant_a)).context["picture"]

    assert [c.case for c in picture.open_cases] == [open_case]
    assert [c.case for c in picture.closed_cases] == [closed]


def test_other_households_cases_are_not_on_the_page(manager_client, tenant_a, tenant_b):
    theirs = EnquiryFactory(customer=tenant_b)

    body = manager_client.get(household_url(tenant_a)).content.decode()

    assert theirs.reference not in body


def test_recent_messages_and_contacts(manager_client, tenant_a):
    MessageFactory(customer=tenant_a, subject="Your repair is booked")
    enquiry = EnquiryFactory(customer=tenant_a, received_by="phone")

    response = manager_client.get(household_url(tenant_a))

    body = response.content.decode()
    assert "Your repair is booked" in body
    contacts = response.context["picture"].recent_contacts
    assert contacts[0].case == enquiry
    assert contacts[0].received_by == "Phone"


def test_every_case_page_links_to_the_households_picture(manager_client, tenant_a):
    enquiry = EnquiryFactory(customer=tenant_a)

    body = manager_client.get(
        reverse("admin:enquiries_enquiry_change", args=[enquiry.pk])
    ).content.decode()

    assert f'href="{household_url(tenant_a)}"' in body


def test_the_picture_costs_the_same_queries_for_a_busy_household(manager_client, tenant_a):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert manager_client.get(household_url(tenant_a)).status_code == 200
        return len(captured)

    people = [tenant_a, CustomerFactory(tenancy=tenant_a.tenancy)]
    EnquiryFactory(customer=people[0])
    MessageFactory(customer=tenant_a)
    count()  # content types are cached for the process after the first request
    few = count()
    for person in people:
        EnquiryFactory.create_batch(20, customer=person)
        MessageFactory.create_batch(3, customer=person)

    assert count() == few


def test_the_contact_centres_customer_search_links_to_the_picture(
    client, tenant_a, customer_services_officer
):
    client.force_login(customer_services_officer)

    body = client.get(reverse("enquiries:staff_customer_search"), {"q": tenant_a.last_name})

    assert f'href="{household_url(tenant_a)}"' in body.content.decode()


def test_a_busy_households_latest_closed_cases_are_shown_and_every_one_on_request(
    manager_client, tenant_a
):
    for days in range(30):
        EnquiryFactory(customer=tenant_a, closed_at=NOW, opened_at=NOW - dt.timedelta(days=days))

    first = manager_client.get(household_url(tenant_a))
    every_one = manager_client.get(household_url(tenant_a), {"closed": "all"})

    assert len(first.context["closed_shown"]) == 25
    assert "Show all 30 closed cases" in first.content.decode()
    assert len(every_one.context["closed_shown"]) == 30
    assert "Show all" not in every_one.content.decode()


def test_the_picture_costs_one_query_per_case_model_and_a_fixed_few_more(
    manager_client, manager, tenant_a, django_assert_max_num_queries
):
    from casework.access import staff_cases

    EnquiryFactory.create_batch(5, customer=tenant_a, next_due_at=NOW + dt.timedelta(days=2))
    MessageFactory(customer=tenant_a)
    models_read = sum(
        not staff_cases(manager, e.model).query.is_empty() for e in registered_case_models()
    )
    manager_client.get(household_url(tenant_a))  # content types are cached after this

    # Session (read from the database when no cache holds it), user, authenticator and roles; the
    # household and its people; one query per case model; the open cases' clocks; the messages; the
    # manager's model permissions (two).
    with django_assert_max_num_queries(10 + models_read):
        manager_client.get(household_url(tenant_a))
