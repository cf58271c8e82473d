"""Celery tasks: thin wrappers, run eagerly here (CI also runs them on a real worker)."""

from __future__ import annotations

import pytest
from django.core import mail

from notifications.models import MessageStatus
from notifications.tasks import deliver_message, deliver_pending
from portal.celery import app
from tests.notifications.factories import MessageFactory

pytestmark = pytest.mark.django_db


def test_beat_schedule_names_a_registered_task():
    app.loader.import_default_modules()
    scheduled = app.conf.beat_schedule["notifications-sweep"]["task"]

    assert scheduled == deliver_pending.name
    assert scheduled in app.tasks
    assert deliver_message.name in app.tasks


def test_deliver_message_task_sends_the_message_once():
    message = MessageFactory()

    assert deliver_message.delay(message.pk).get() is True
    assert deliver_message.delay(message.pk).get() is False

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(mail.outbox) == 1


def test_deliver_pending_task_sends_what_is_due():
    MessageFactory.create_batch(3)

    assert deliver_pending.delay().get() == 3
    assert len(mail.outbox) == 3
