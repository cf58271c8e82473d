"""The checks service apps register with the outbox: a refused message is not sent, is kept as
failed with the reason, and the registering app is told."""

from __future__ import annotations

import pytest
from django.core import mail

from notifications import guards
from notifications.models import MessageStatus
from notifications.services import message_deliver, message_retry
from tests.notifications.factories import MessageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def refusing_check():
    told = []
    saved = dict(guards._guards)
    guards.register_delivery_check(
        "test.refuse_all",
        lambda message: "not today.",
        on_withheld=lambda message, reason: told.append((message.pk, reason)),
    )
    yield told
    guards._guards.clear()
    guards._guards.update(saved)


def test_a_message_a_check_refuses_is_not_sent_and_the_app_is_told(refusing_check):
    message = MessageFactory()

    assert message_deliver(message_id=message.pk) is False

    assert mail.outbox == []
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.last_error == "Withheld: not today."
    assert refusing_check == [(message.pk, "not today.")]


def test_a_retried_message_is_checked_again(refusing_check):
    message = MessageFactory()
    message_deliver(message_id=message.pk)
    assert message_retry(message_id=message.pk) is True

    assert message_deliver(message_id=message.pk) is False
    assert mail.outbox == []


def test_without_a_refusing_check_the_message_goes():
    message = MessageFactory()
    assert message_deliver(message_id=message.pk) is True
    assert len(mail.outbox) == 1
