"""The outbox in the staff admin: read-only, filtered, and "Retry now" for failed messages."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kernel.roles import Role
from notifications.models import MessageStatus
from tests.factories import StaffFactory
from tests.notifications.factories import MessageFactory

pytestmark = pytest.mark.django_db


def _staff(client, *, role: Role, perms=("view_message",)):
    user = StaffFactory(roles=[role])
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="notifications", codename__in=perms)
    )
    client.force_login(user)
    return user


def _changelist() -> str:
    return reverse("admin:notifications_message_changelist")


def _change_url(message) -> str:
    return reverse("admin:notifications_message_change", args=[message.pk])


def test_failed_filter_lists_only_failed_messages(client):
    _staff(client, role=Role.CUSTOMER_SERVICES)
    failed = MessageFactory(status=MessageStatus.FAILED, subject="Bounced notice")
    MessageFactory(status=MessageStatus.SENT, subject="Delivered notice")

    response = client.get(_changelist(), {"status__exact": "failed"})

    assert response.status_code == 200
    assert [m.pk for m in response.context["cl"].result_list] == [failed.pk]


def test_search_finds_a_message_by_recipient(client):
    _staff(client, role=Role.CUSTOMER_SERVICES)
    wanted = MessageFactory(to_address="amina@example.org")
    MessageFactory(to_address="ben@example.org")

    response = client.get(_changelist(), {"q": "amina@"})

    assert [m.pk for m in response.context["cl"].result_list] == [wanted.pk]


def test_list_query_count_does_not_grow_with_messages(client, django_assert_max_num_queries):
    _staff(client, role=Role.CUSTOMER_SERVICES)
    MessageFactory()
    with CaptureQueriesContext(connection) as one_message:
        client.get(_changelist())
    MessageFactory.create_batch(40)

    # Session, user, MFA check, permissions and roles, the count, the page; the admin's
    # sidebar adds a query or two for other apps' models.
    with django_assert_max_num_queries(12) as many_messages:
        response = client.get(_changelist())

    assert len(response.context["cl"].result_list) == 41
    assert len(many_messages.captured_queries) == len(one_message.captured_queries)


def test_sensitive_messages_are_hidden_from_staff_outside_the_asb_team(client):
    _staff(client, role=Role.CUSTOMER_SERVICES)
    sensitive = MessageFactory(is_sensitive=True, subject="Domestic abuse report received")
    ordinary = MessageFactory()

    listed = client.get(_changelist()).context["cl"].result_list

    assert [m.pk for m in listed] == [ordinary.pk]
    assert client.get(_change_url(sensitive)).status_code == 302  # "does not exist" redirect


def test_asb_officer_reads_a_sensitive_message_and_the_read_is_logged(client, caplog):
    officer = _staff(client, role=Role.ASB)
    sensitive = MessageFactory(is_sensitive=True, subject="Domestic abuse report received")

    with caplog.at_level(logging.INFO, logger="portal.audit"):
        response = client.get(_change_url(sensitive))

    assert response.status_code == 200
    assert "Domestic abuse report received" in response.content.decode()
    assert f"Staff user {officer.pk} read sensitive message {sensitive.pk}." in caplog.text


def test_nobody_can_edit_a_sent_message(client):
    _staff(client, role=Role.MANAGER, perms=("view_message", "change_message"))
    message = MessageFactory(status=MessageStatus.SENT, body="The original words.")

    page = client.get(_change_url(message))
    posted = client.post(_change_url(message), {"body": "Rewritten history."})

    assert page.status_code == 200
    assert 'name="body"' not in page.content.decode()
    assert posted.status_code == 403
    message.refresh_from_db()
    assert message.body == "The original words."


def test_nobody_can_add_or_delete_messages_by_hand(client):
    _staff(
        client,
        role=Role.MANAGER,
        perms=("view_message", "add_message", "change_message", "delete_message"),
    )
    message = MessageFactory()

    assert client.get(reverse("admin:notifications_message_add")).status_code == 403
    assert (
        client.post(reverse("admin:notifications_message_delete", args=[message.pk])).status_code
        == 403
    )


def test_retry_now_sends_failed_messages_again(client, django_capture_on_commit_callbacks):
    _staff(client, role=Role.CUSTOMER_SERVICES, perms=("view_message", "change_message"))
    failed = MessageFactory(status=MessageStatus.FAILED, attempts=5, last_error="SMTP down")
    sent = MessageFactory(status=MessageStatus.SENT, attempts=1)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _changelist(), {"action": "retry_now", "_selected_action": [failed.pk, sent.pk]}
        )

    assert response.status_code == 302
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.status, failed.attempts) == (MessageStatus.SENT, 1)
    assert (sent.status, sent.attempts) == (MessageStatus.SENT, 1)
    assert [m.to[0] for m in mail.outbox] == [failed.to_address]


def test_retry_now_is_not_offered_to_staff_who_may_only_view(client):
    _staff(client, role=Role.REPAIRS)
    failed = MessageFactory(status=MessageStatus.FAILED, attempts=5)

    page = client.get(_changelist())
    client.post(_changelist(), {"action": "retry_now", "_selected_action": [failed.pk]})

    assert "retry_now" not in page.content.decode()
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (MessageStatus.FAILED, 5)


def test_a_repairs_officer_cannot_read_the_message_log(client):
    _staff(client, role=Role.REPAIRS)
    MessageFactory()

    assert client.get(_changelist()).status_code == 403
