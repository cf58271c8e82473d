"""The customer's inbox and one message: only ever the customer it was sent to."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from notifications.models import MessageChannel, MessageStatus
from tests.notifications.factories import MessageFactory

pytestmark = pytest.mark.django_db


def _inbox() -> str:
    return reverse("notifications:inbox")


def _detail(message) -> str:
    return reverse("notifications:detail", args=[message.pk])


def test_inbox_lists_the_customers_messages_newest_first(client_a, tenant_a):
    older = MessageFactory(
        customer=tenant_a,
        subject="Older message",
        created_at=dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC),
    )
    newer = MessageFactory(
        customer=tenant_a,
        subject="Newer message",
        created_at=dt.datetime(2026, 2, 5, 10, tzinfo=dt.UTC),
    )

    response = client_a.get(_inbox())

    assert response.status_code == 200
    assert [m.pk for m in response.context["page"].object_list] == [newer.pk, older.pk]
    html = response.content.decode()
    assert html.index("Newer message") < html.index("Older message")
    assert f'href="{_detail(newer)}"' in html


def test_inbox_shows_no_one_elses_messages(client_a, tenant_a, tenant_b, joint_tenant_a):
    MessageFactory(customer=tenant_b, subject="For Ben only")
    MessageFactory(customer=joint_tenant_a, subject="For Sam only")

    response = client_a.get(_inbox())

    assert list(response.context["page"].object_list) == []
    assert "For Ben only" not in response.content.decode()
    assert "For Sam only" not in response.content.decode()
    assert "We have not sent you any messages yet." in response.content.decode()


def test_inbox_says_how_each_message_was_sent(client_a, tenant_a):
    MessageFactory(customer=tenant_a, channel=MessageChannel.LETTER, status=MessageStatus.SENT)
    MessageFactory(customer=tenant_a, channel=MessageChannel.SMS, status=MessageStatus.PENDING)
    MessageFactory(customer=tenant_a, channel=MessageChannel.PORTAL, status=MessageStatus.SENT)

    html = client_a.get(_inbox()).content.decode()

    assert "Sent by post" in html
    assert "Being sent by text message" in html
    assert "In your account only" in html


def test_inbox_is_paginated(client_a, tenant_a):
    MessageFactory.create_batch(45, customer=tenant_a)

    first = client_a.get(_inbox())
    last = client_a.get(_inbox(), {"page": 3})

    assert len(first.context["page"].object_list) == 20
    assert len(last.context["page"].object_list) == 5
    assert 'aria-current="page"' in last.content.decode()
    assert "Messages 41 to 45 of 45" in last.content.decode()


def test_inbox_page_past_the_end_shows_the_last_page(client_a, tenant_a):
    MessageFactory.create_batch(3, customer=tenant_a)

    response = client_a.get(_inbox(), {"page": 99})

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 3


@pytest.mark.parametrize("count", [1, 30])
def test_inbox_query_count_does_not_grow_with_messages(
    client_a, tenant_a, count, django_assert_max_num_queries
):
    MessageFactory.create_batch(count, customer=tenant_a)

    # Session, user, the access check, the household, the count, one page of messages.
    with django_assert_max_num_queries(6):
        response = client_a.get(_inbox())

    assert response.status_code == 200


def test_inbox_anonymous_is_sent_to_sign_in(client):
    response = client.get(_inbox())

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_inbox_staff_are_refused(client, repairs_officer):
    client.force_login(repairs_officer)

    assert client.get(_inbox()).status_code == 403


def test_inbox_refuses_post(client_a):
    assert client_a.post(_inbox()).status_code == 405


def test_owner_reads_their_message(client_a, tenant_a):
    message = MessageFactory(
        customer=tenant_a,
        subject="Your repair is booked",
        body="We will visit on Tuesday.\nBetween 8am and 1pm.",
    )

    response = client_a.get(_detail(message))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Your repair is booked</h1>' in html
    assert "We will visit on Tuesday.<br>Between 8am and 1pm." in html


def test_message_text_is_escaped(client_a, tenant_a):
    message = MessageFactory(customer=tenant_a, body="<script>alert(1)</script>")

    html = client_a.get(_detail(message)).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_other_customer_gets_404(client_a, tenant_b):
    message = MessageFactory(customer=tenant_b)

    assert client_a.get(_detail(message)).status_code == 404


def test_joint_tenant_cannot_read_a_message_sent_to_the_other_joint_tenant(
    client_a, joint_tenant_a
):
    message = MessageFactory(
        customer=joint_tenant_a, subject="A message for Sam", is_sensitive=True
    )

    response = client_a.get(_detail(message))

    assert response.status_code == 404
    assert "A message for Sam" not in response.content.decode()


def test_staff_message_is_not_shown_to_customers(client_a, repairs_officer):
    message = MessageFactory(customer=None, staff_user=repairs_officer)

    assert client_a.get(_detail(message)).status_code == 404


def test_missing_message_gets_404(client_a):
    assert client_a.get(reverse("notifications:detail", args=[999999])).status_code == 404


def test_detail_anonymous_is_sent_to_sign_in(client, tenant_a):
    message = MessageFactory(customer=tenant_a)

    response = client.get(_detail(message))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_detail_staff_are_refused(client, tenant_a, asb_officer):
    message = MessageFactory(customer=tenant_a)
    client.force_login(asb_officer)

    assert client.get(_detail(message)).status_code == 403


def test_detail_refuses_post(client_a, tenant_a):
    message = MessageFactory(customer=tenant_a)

    assert client_a.post(_detail(message)).status_code == 405
