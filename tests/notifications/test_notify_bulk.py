"""Queueing many staff emails at once: one row per key, a fixed number of queries, one kick."""

from __future__ import annotations

import dataclasses
import logging
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from kombu.exceptions import OperationalError

from kernel.roles import Role
from notifications import services
from notifications.models import Message, MessageChannel, MessageStatus
from notifications.services import (
    StaffNotice,
    deliver_pending,
    notify_customer,
    notify_staff,
    notify_staff_bulk,
)
from notifications.tasks import deliver_message
from notifications.tasks import deliver_pending as deliver_pending_task
from tests.factories import CustomerFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _notices(users, *, prefix="deadline:1", about=None):
    return [
        StaffNotice(
            user=user,
            subject=f"Overdue: ENQ-2026-{n:06d}",
            body=f"ENQ-2026-{n:06d} was due yesterday.",
            key=f"{prefix}:{n}:{user.pk}",
            about=about,
        )
        for n, user in enumerate(users)
    ]


@pytest.fixture
def staff():
    return StaffFactory.create_batch(3, roles=[Role.CUSTOMER_SERVICES])


def test_each_notice_is_one_email_row_to_its_member_of_staff(staff):
    customer = CustomerFactory()

    written = notify_staff_bulk(items=_notices(staff, about=customer.tenancy))

    assert written == 3
    rows = Message.objects.order_by("pk")
    assert [(m.staff_user, m.to_address, m.customer) for m in rows] == [
        (user, user.email, None) for user in staff
    ]
    for n, message in enumerate(rows):
        assert message.channel == MessageChannel.EMAIL
        assert message.status == MessageStatus.PENDING
        assert message.subject == f"Overdue: ENQ-2026-{n:06d}"
        assert message.body == f"ENQ-2026-{n:06d} was due yesterday."
        assert message.idempotency_key == f"deadline:1:{n}:{staff[n].pk}"
        assert message.about_type == ContentType.objects.get_for_model(customer.tenancy)
        assert message.about_id == customer.tenancy.pk
        assert message.next_attempt_at == message.created_at


def test_the_same_notices_again_write_nothing_and_queue_no_second_delivery(
    staff, django_capture_on_commit_callbacks
):
    notify_staff_bulk(items=_notices(staff))
    first = set(Message.objects.values_list("pk", "idempotency_key", "body"))

    with django_capture_on_commit_callbacks() as callbacks:
        written = notify_staff_bulk(
            items=[
                StaffNotice(user=n.user, subject="Changed", body="Changed", key=n.key)
                for n in _notices(staff)
            ]
        )

    assert written == 0
    assert callbacks == []
    assert set(Message.objects.values_list("pk", "idempotency_key", "body")) == first


def test_a_key_already_written_by_notify_staff_is_not_written_twice(staff):
    [notice, *others] = _notices(staff)
    single = notify_staff(
        user=notice.user, subject=notice.subject, body=notice.body, key=notice.key
    )

    assert notify_staff_bulk(items=[notice, *others]) == 2

    assert Message.objects.filter(idempotency_key=notice.key).get().pk == single.pk
    assert Message.objects.count() == 3


def test_a_key_repeated_in_one_call_is_one_row(staff):
    [notice] = _notices(staff[:1])

    assert notify_staff_bulk(items=[notice, notice]) == 1

    assert Message.objects.count() == 1


def test_staff_without_an_email_address_are_skipped(staff):
    no_email = StaffFactory(roles=[Role.CUSTOMER_SERVICES], email="")

    written = notify_staff_bulk(items=_notices([staff[0], no_email, staff[1]]))

    assert written == 2
    assert list(Message.objects.order_by("pk").values_list("staff_user", flat=True)) == [
        staff[0].pk,
        staff[1].pk,
    ]
    assert not Message.objects.filter(staff_user=no_email).exists()


def test_nobody_to_email_writes_nothing_and_queues_nothing(django_capture_on_commit_callbacks):
    no_email = StaffFactory(email="")

    with django_capture_on_commit_callbacks() as callbacks:
        assert notify_staff_bulk(items=_notices([no_email])) == 0

    assert callbacks == []
    assert not Message.objects.exists()


def test_a_key_used_for_a_customer_is_refused_and_nothing_written(staff):
    [first, second] = _notices(staff[:2])
    notify_customer(customer=CustomerFactory(), subject="Booked", body="...", key=second.key)

    with pytest.raises(ValueError, match="another recipient"):
        notify_staff_bulk(items=[first, second])

    assert list(Message.objects.values_list("idempotency_key", flat=True)) == [second.key]


def test_one_key_for_two_members_of_staff_is_refused_and_nothing_written(staff):
    [notice] = _notices(staff[:1])
    clash = StaffNotice(user=staff[1], subject="Overdue", body="...", key=notice.key)

    with pytest.raises(ValueError, match="two recipients"):
        notify_staff_bulk(items=[notice, clash])

    assert not Message.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [{"key": ""}, {"key": "k" * 201}, {"subject": ""}, {"subject": "s" * 201}],
    ids=["no-key", "long-key", "no-subject", "long-subject"],
)
def test_a_notice_without_a_usable_key_or_subject_refuses_the_whole_call(staff, overrides):
    [good, bad] = _notices(staff[:2])
    bad = dataclasses.replace(bad, **overrides)

    with pytest.raises(ValueError):
        notify_staff_bulk(items=[good, bad])

    assert not Message.objects.exists()


def test_the_queries_do_not_grow_with_the_number_of_notices(django_assert_max_num_queries):
    few = StaffFactory.create_batch(3)
    many = StaffFactory.create_batch(30)

    # A savepoint and its release, the keys already used, and one INSERT.
    with django_assert_max_num_queries(4) as for_few:
        notify_staff_bulk(items=_notices(few, prefix="few"))
    with django_assert_max_num_queries(4) as for_many:
        notify_staff_bulk(items=_notices(many, prefix="many"))

    assert len(for_few) == len(for_many)
    assert Message.objects.count() == 33


def test_a_long_list_is_written_in_batches(monkeypatch):
    monkeypatch.setattr(services, "BULK_BATCH_SIZE", 2)
    users = StaffFactory.create_batch(5)

    with CaptureQueriesContext(connection) as queries:
        assert notify_staff_bulk(items=_notices(users)) == 5

    inserts = [q for q in queries.captured_queries if "INSERT" in q["sql"]]
    assert len(inserts) == 3
    assert set(Message.objects.values_list("staff_user", flat=True)) == {u.pk for u in users}


def test_one_delivery_kick_on_commit_sends_every_email(staff, django_capture_on_commit_callbacks):
    with (
        mock.patch.object(deliver_message, "delay") as per_message,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        notify_staff_bulk(items=_notices(staff))
        assert mail.outbox == []

    assert len(callbacks) == 1
    per_message.assert_not_called()
    assert sorted(email.to[0] for email in mail.outbox) == sorted(user.email for user in staff)
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}


def test_rolled_back_caller_leaves_no_message_and_queues_nothing(
    staff, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify_staff_bulk(items=_notices(staff))
        raise RuntimeError("the sweep failed")

    assert not Message.objects.exists()
    assert callbacks == []


def test_broker_down_at_the_kick_loses_nothing_and_the_sweep_sends_them_later(
    staff, django_capture_on_commit_callbacks, caplog
):
    refused = OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    with (
        mock.patch.object(deliver_pending_task, "delay", side_effect=refused) as delay,
        caplog.at_level(logging.WARNING, logger="notifications.services"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify_staff_bulk(items=_notices(staff))

    delay.assert_called_once_with()
    assert list(Message.objects.values_list("status", flat=True)) == [MessageStatus.PENDING] * 3
    assert mail.outbox == []
    assert "the sweep will send them" in caplog.text

    assert deliver_pending() == 3

    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
    assert sorted(email.to[0] for email in mail.outbox) == sorted(user.email for user in staff)
