"""Queueing messages: one row per key, in the caller's transaction, delivered on commit."""

from __future__ import annotations

import logging
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import transaction
from kombu.exceptions import OperationalError

from notifications import services
from notifications.models import Message, MessageChannel, MessageStatus
from notifications.services import deliver_pending, notify_customer, notify_staff
from notifications.sms import MemorySmsBackend
from notifications.tasks import deliver_message
from tenancy.models import Channel
from tests.factories import CustomerFactory, CustomerWithLoginFactory

pytestmark = pytest.mark.django_db

SENSITIVE_SUBJECT = "Your domestic abuse report DA-2026-000012"
SENSITIVE_BODY = "Our ASB officer will call you about the abuse you reported by your partner."
SENSITIVE_WORDS = ["domestic", "abuse", "partner", "asb", "DA-2026", "report"]


def _notify(customer, key="repair:1:booked", **overrides):
    arguments = {"subject": "Your repair is booked", "body": "Tuesday, 8am to 1pm.", **overrides}
    return notify_customer(customer=customer, key=key, **arguments)


def test_same_key_twice_writes_one_row():
    customer = CustomerFactory()

    first = _notify(customer)
    second = _notify(customer, body="A different body")

    assert first.pk == second.pk
    assert Message.objects.filter(idempotency_key="repair:1:booked").count() == 1
    assert Message.objects.get().body == "Tuesday, 8am to 1pm."


def test_losing_the_insert_race_returns_the_winners_row_and_keeps_the_transaction_usable():
    customer = CustomerFactory()
    winner = _notify(customer)
    real_lookup = services._existing_for_key
    lookups = []

    def lookup_missing_the_concurrent_insert(**kwargs):
        # The first look happens before the other transaction commits, so it finds nothing.
        lookups.append(kwargs)
        return None if len(lookups) == 1 else real_lookup(**kwargs)

    with (
        transaction.atomic(),
        mock.patch.object(services, "_existing_for_key", lookup_missing_the_concurrent_insert),
    ):
        loser = _notify(customer)
        # The savepoint absorbed the IntegrityError: the caller can go on writing.
        assert Message.objects.count() == 1

    assert loser.pk == winner.pk
    assert len(lookups) == 2


def test_same_key_for_another_recipient_is_refused():
    _notify(CustomerFactory())

    with pytest.raises(ValueError, match="another recipient"):
        _notify(CustomerFactory())
    assert Message.objects.count() == 1


@pytest.mark.parametrize(
    "overrides",
    [{"key": ""}, {"key": "k" * 201}, {"subject": ""}, {"subject": "s" * 201}],
    ids=["no-key", "long-key", "no-subject", "long-subject"],
)
def test_message_without_a_usable_key_or_subject_is_refused(overrides):
    with pytest.raises(ValueError):
        _notify(CustomerFactory(), **overrides)
    assert not Message.objects.exists()


def test_message_records_what_it_is_about():
    customer = CustomerFactory()

    message = _notify(customer, about=customer.tenancy)

    message.refresh_from_db()
    assert message.about_type == ContentType.objects.get_for_model(customer.tenancy)
    assert message.about_id == customer.tenancy.pk
    assert message.about == customer.tenancy


def test_message_is_delivered_when_the_caller_commits(django_capture_on_commit_callbacks):
    customer = CustomerFactory(email="amina@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        message = _notify(customer)
        assert mail.outbox == []

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert [m.to for m in mail.outbox] == [["amina@example.org"]]
    assert mail.outbox[0].subject == "Your repair is booked"


def test_rolled_back_event_leaves_no_message_and_queues_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _notify(CustomerFactory())
        raise RuntimeError("the event failed")

    assert not Message.objects.exists()
    assert callbacks == []


def test_second_call_with_the_same_key_queues_no_second_delivery(
    django_capture_on_commit_callbacks,
):
    customer = CustomerFactory()
    _notify(customer)

    with django_capture_on_commit_callbacks() as callbacks:
        _notify(customer)

    assert callbacks == []


def test_broker_down_loses_nothing_and_the_sweep_sends_it_later(
    django_capture_on_commit_callbacks, caplog
):
    customer = CustomerFactory(email="amina@example.org")
    refused = OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    with (
        mock.patch.object(deliver_message, "delay", side_effect=refused) as delay,
        caplog.at_level(logging.WARNING, logger="notifications.services"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        message = _notify(customer)

    delay.assert_called_once_with(message.pk)
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert mail.outbox == []
    assert "the sweep will send it" in caplog.text

    assert deliver_pending() == 1

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(mail.outbox) == 1


def test_safe_contact_email_names_no_sensitive_subject(
    django_capture_on_commit_callbacks, settings
):
    customer = CustomerFactory(
        email="shared@example.org",
        safe_contact_channel=Channel.EMAIL,
        safe_contact_detail="safe@example.net",
    )

    with django_capture_on_commit_callbacks(execute=True):
        _notify(customer, subject=SENSITIVE_SUBJECT, body=SENSITIVE_BODY, sensitive=True)

    [email] = mail.outbox
    assert email.to == ["safe@example.net"]
    outward = f"{email.subject}\n{email.body}".lower()
    assert [word for word in SENSITIVE_WORDS if word.lower() in outward] == []
    assert "We have a message for you. Please sign in to your account" in email.body
    assert settings.ORGANISATION["office_phone"] in email.body
    stored = Message.objects.get()
    assert (stored.subject, stored.body) == (SENSITIVE_SUBJECT, SENSITIVE_BODY)


def test_safe_contact_text_names_no_sensitive_subject(django_capture_on_commit_callbacks):
    customer = CustomerFactory(safe_contact_channel=Channel.SMS, safe_contact_detail="07700 900999")

    with django_capture_on_commit_callbacks(execute=True):
        _notify(customer, subject=SENSITIVE_SUBJECT, body=SENSITIVE_BODY, sensitive=True)

    [text] = MemorySmsBackend.outbox
    assert text.to == "07700 900999"
    assert [word for word in SENSITIVE_WORDS if word.lower() in text.body.lower()] == []
    assert text.body.startswith("We have a message for you.")


def test_sensitive_message_is_shown_in_full_in_the_customers_inbox(
    client, django_capture_on_commit_callbacks
):
    customer = CustomerWithLoginFactory(
        safe_contact_channel=Channel.EMAIL, safe_contact_detail="safe@example.net"
    )
    with django_capture_on_commit_callbacks(execute=True):
        message = _notify(customer, subject=SENSITIVE_SUBJECT, body=SENSITIVE_BODY, sensitive=True)
    client.force_login(customer.user)

    inbox = client.get("/notifications/")
    detail = client.get(f"/notifications/{message.pk}/")

    assert SENSITIVE_SUBJECT in inbox.content.decode()
    assert SENSITIVE_SUBJECT in detail.content.decode()
    assert SENSITIVE_BODY in detail.content.decode()


def test_staff_notice_is_emailed_to_the_staff_user(
    django_capture_on_commit_callbacks, repairs_officer
):
    with django_capture_on_commit_callbacks(execute=True):
        message = notify_staff(
            user=repairs_officer,
            subject="REP-2026-000001 is overdue",
            body="The repair was due yesterday.",
            key="deadline:1:breach",
        )

    message.refresh_from_db()
    assert (message.channel, message.to_address, message.customer) == (
        MessageChannel.EMAIL,
        repairs_officer.email,
        None,
    )
    assert message.status == MessageStatus.SENT
    [email] = mail.outbox
    assert email.to == [repairs_officer.email]
    assert email.subject == "REP-2026-000001 is overdue"
    assert "The repair was due yesterday." in email.body


def test_staff_notice_with_the_same_key_writes_one_row(repairs_officer):
    first = notify_staff(
        user=repairs_officer, subject="Overdue", body="...", key="deadline:1:breach"
    )
    again = notify_staff(
        user=repairs_officer, subject="Overdue", body="...", key="deadline:1:breach"
    )

    assert first.pk == again.pk
    assert Message.objects.filter(staff_user=repairs_officer).count() == 1


def test_staff_and_customer_cannot_share_a_key(repairs_officer):
    notify_staff(user=repairs_officer, subject="Overdue", body="...", key="deadline:1:breach")

    with pytest.raises(ValueError, match="another recipient"):
        _notify(CustomerFactory(), key="deadline:1:breach")
    assert Message.objects.count() == 1
