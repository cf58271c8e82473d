"""The admin queues: enquiries for customer services and, once referred, the specialist team;
chats and call backs for customer services; visits and call figures looked up, never edited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casework.models import Team
from enquiries import services
from kernel.roles import Role
from tests.enquiries.factories import (
    CallStatisticFactory,
    book_visit,
    request_callback,
    start_chat,
    submit_enquiry,
)
from tests.factories import StaffFactory


def _login(client, role):
    user = StaffFactory(roles=[role])
    client.force_login(user)
    return user


def _rows(response) -> list[str]:
    return [row.reference for row in response.context["cl"].result_list]


def test_customer_services_see_every_enquiry_with_a_link_to_work_it(client, tenant_a, monday):
    enquiry = submit_enquiry(tenant_a)
    _login(client, Role.CUSTOMER_SERVICES)

    response = client.get(reverse("admin:enquiries_enquiry_changelist"))

    assert _rows(response) == [enquiry.reference]
    assert reverse("admin:enquiries_enquiry_change", args=[enquiry.pk]) in response.content.decode()


def test_a_referred_enquiry_moves_into_the_teams_queue(client, tenant_a, adviser, monday):
    kept, referred = submit_enquiry(tenant_a), submit_enquiry(tenant_a)
    services.enquiry_refer(enquiry=referred, team=Team.objects.get(name="Income"), actor=adviser)
    _login(client, Role.INCOME)

    response = client.get(reverse("admin:enquiries_enquiry_changelist"))

    assert _rows(response) == [referred.reference]
    assert (
        client.get(reverse("admin:enquiries_enquiry_change", args=[kept.pk])).status_code == 302
    )  # the admin's answer for a row outside the queue


def test_the_team_is_not_edited_in_the_admin_so_the_customer_is_always_told(
    client, tenant_a, monday
):
    enquiry = submit_enquiry(tenant_a)
    _login(client, Role.CUSTOMER_SERVICES)

    form = (
        client.get(reverse("admin:enquiries_enquiry_change", args=[enquiry.pk]))
        .context["adminform"]
        .form
    )

    assert "team" not in form.fields
    assert "assignee" in form.fields


def test_chats_and_call_backs_are_customer_services_queues(client, tenant_a, monday):
    chat, callback = start_chat(tenant_a), request_callback(tenant_a)
    _login(client, Role.CUSTOMER_SERVICES)

    assert _rows(client.get(reverse("admin:enquiries_chatsession_changelist"))) == [chat.reference]
    assert _rows(client.get(reverse("admin:enquiries_callback_changelist"))) == [callback.reference]


@pytest.mark.parametrize(
    "url",
    [
        "admin:enquiries_chatsession_changelist",
        "admin:enquiries_callback_changelist",
        "admin:enquiries_homevisit_changelist",
        "admin:enquiries_callstatistic_changelist",
    ],
)
def test_other_teams_do_not_see_the_customer_services_queues(client, db, url):
    _login(client, Role.REPAIRS)

    assert client.get(reverse(url)).status_code == 403


def test_visits_and_call_figures_are_looked_up_not_edited(client, tenant_a, adviser, monday):
    visit = book_visit(tenant_a, adviser)
    CallStatisticFactory()
    _login(client, Role.MANAGER)

    assert client.get(reverse("admin:enquiries_homevisit_changelist")).status_code == 200
    assert client.get(reverse("admin:enquiries_callstatistic_changelist")).status_code == 200
    page = client.get(reverse("admin:enquiries_homevisit_change", args=[visit.pk]))
    assert page.status_code == 200
    assert 'name="purpose"' not in page.content.decode()
    assert client.get(reverse("admin:enquiries_homevisit_add")).status_code == 403


def test_the_enquiry_page_offers_the_steps_that_apply_and_who_the_customer_is(
    client, tenant_a, monday
):
    enquiry = submit_enquiry(tenant_a)
    _login(client, Role.CUSTOMER_SERVICES)

    page = client.get(reverse("admin:enquiries_enquiry_change", args=[enquiry.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    step = "admin:enquiries_enquiry_step"
    assert reverse(step, args=[enquiry.pk, "acknowledge"]) in html
    assert reverse(step, args=[enquiry.pk, "answer"]) in html
    assert reverse(step, args=[enquiry.pk, "contact_back"]) not in html
    assert tenant_a.full_name in html
    assert reverse("enquiries:staff_visit_book", args=[tenant_a.pk]) in html
