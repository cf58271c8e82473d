"""Finding a household, and every case changelist showing the clock's state."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from casework.access import registered_case_models
from kernel.roles import Role
from tests.factories import StaffFactory
from tests.workspace.conftest import NOW
from tests.workspace.factories import one_case_of_every_type

pytestmark = pytest.mark.django_db

FIND = reverse("workspace:find")


@pytest.fixture
def officer_client(client, customer_services_officer):
    client.force_login(customer_services_officer)
    return client


def test_finding_a_customer_by_name_links_to_their_households_picture(officer_client, tenant_a):
    response = officer_client.get(FIND, {"q": tenant_a.last_name})

    assert response.context["customers"] == [tenant_a]
    household = reverse("workspace:household", args=[tenant_a.tenancy_id])
    assert f'href="{household}"' in response.content.decode()


def test_finding_by_tenancy_reference(officer_client, tenant_a, tenant_b):
    response = officer_client.get(FIND, {"q": tenant_a.tenancy.reference})

    assert response.context["customers"] == [tenant_a]


@pytest.mark.parametrize("query", ["a", "x\x00y", "z" * 101])
def test_a_search_that_cannot_be_run_says_why_and_keeps_the_text(officer_client, query):
    response = officer_client.get(FIND, {"q": query})

    assert response.status_code == 200
    assert response.context["customers"] is None
    assert 'class="errornote"' in response.content.decode()


def test_the_empty_search_page_asks_for_a_name(officer_client):
    response = officer_client.get(FIND)

    assert response.status_code == 200
    assert response.context["customers"] is None


def _changelist(model) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")


def test_every_case_queue_shows_the_clock_state_as_word_and_colour(client, tenant_a):
    cases = one_case_of_every_type(tenant_a)
    # The ASB role too: a sensitive model's queue is the ASB team's alone; and data protection,
    # whose requests are that team's alone.
    client.force_login(
        StaffFactory(roles=[Role.MANAGER, Role.CUSTOMER_SERVICES, Role.ASB, Role.DATA_PROTECTION])
    )

    for entry in registered_case_models():
        body = client.get(_changelist(entry.model)).content.decode()
        assert 'class="column-clock' in body, entry.model
        assert "casework-clock-" in body, entry.model
        assert cases[entry.model].reference in body

    for model in cases:
        model._default_manager.update(next_due_at=NOW - dt.timedelta(minutes=1))
    for entry in registered_case_models():
        body = client.get(_changelist(entry.model)).content.decode()
        assert '<strong class="casework-clock casework-clock-overdue">Overdue</strong>' in body
