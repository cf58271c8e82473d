"""Lists cost the same number of queries however many rows they show."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.enquiries.factories import (
    book_visit,
    request_callback,
    start_chat,
    submit_enquiry,
)
from tests.factories import CustomerWithLoginFactory


def _households(n):
    return [CustomerWithLoginFactory() for _ in range(n)]


@pytest.mark.parametrize("rows", [1, 6])
def test_the_customers_list_of_contacts(
    client_a, tenant_a, monday, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        submit_enquiry(tenant_a)
        request_callback(tenant_a)
    start_chat(tenant_a)

    with django_assert_max_num_queries(8):
        assert client_a.get(reverse("enquiries:enquiry_list")).status_code == 200


@pytest.mark.parametrize("rows", [1, 6])
def test_the_live_chat_queue(client, adviser, monday, rows, django_assert_max_num_queries):
    for customer in _households(rows):
        start_chat(customer)
    client.force_login(adviser)

    with django_assert_max_num_queries(6):
        assert client.get(reverse("enquiries:staff_chat_queue")).status_code == 200
    with django_assert_max_num_queries(5):
        assert len(client.get(reverse("enquiries:staff_chat_queue_json")).json()["chats"]) == rows


@pytest.mark.parametrize("rows", [1, 6])
def test_the_call_back_queue(client, adviser, monday, rows, django_assert_max_num_queries):
    for customer in _households(rows):
        request_callback(customer)
    client.force_login(adviser)

    with django_assert_max_num_queries(5):
        assert client.get(reverse("enquiries:staff_callback_queue")).status_code == 200


@pytest.mark.parametrize("rows", [1, 6])
def test_the_home_visit_list(client, adviser, monday, rows, django_assert_max_num_queries):
    for customer in _households(rows):
        book_visit(customer, adviser)
    client.force_login(adviser)

    with django_assert_max_num_queries(5):
        assert client.get(reverse("enquiries:staff_visit_list")).status_code == 200


@pytest.mark.parametrize("rows", [2, 12])
def test_a_long_chat(client_a, tenant_a, adviser, monday, rows, django_assert_max_num_queries):
    from enquiries import services

    chat = start_chat(tenant_a)
    services.chat_pick_up(chat=chat, adviser=adviser)
    for n in range(rows):
        services.chat_post_message(chat=chat, author=adviser, body=f"Line {n}")

    with django_assert_max_num_queries(8):
        assert (
            client_a.get(reverse("enquiries:chat_detail", args=[chat.reference])).status_code == 200
        )
