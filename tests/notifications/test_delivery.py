"""Delivering outbox rows: once, with retries and backoff, and after a worker dies."""

from __future__ import annotations

import datetime as dt
import smtplib
import threading
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.files.storage import default_storage
from django.db import connection

from notifications import services
from notifications.channels import SMS_MAX_CHARS, EmailChannel
from notifications.models import MessageChannel, MessageStatus
from notifications.services import (
    deliver_pending,
    message_deliver,
    message_retry,
    notify_customer,
)
from notifications.sms import MemorySmsBackend
from tenancy.models import Channel
from tests.factories import CustomerFactory
from tests.notifications.factories import MessageFactory

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


def _status(message) -> tuple[str, int]:
    message.refresh_from_db()
    return message.status, message.attempts


def test_delivering_twice_sends_once():
    message = MessageFactory()

    assert message_deliver(message_id=message.pk) is True
    assert message_deliver(message_id=message.pk) is False

    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 1)
    assert message.sent_at is not None
    assert message.delivery_note == f"Emailed to {message.to_address}"


def test_second_worker_finds_the_message_claimed_while_the_first_is_sending():
    message = MessageFactory()
    real_send = EmailChannel.send
    second_worker = []

    def send_while_another_worker_tries(channel, msg):
        second_worker.append(message_deliver(message_id=msg.pk))
        return real_send(channel, msg)

    with mock.patch.object(EmailChannel, "send", send_while_another_worker_tries):
        first_worker = message_deliver(message_id=message.pk)

    assert (first_worker, second_worker) == (True, [False])
    assert len(mail.outbox) == 1
    assert _status(message) == (MessageStatus.SENT, 1)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_once():
    """Two real connections race for one message. SQLite serialises writers with a file lock
    rather than row locks, so this runs on PostgreSQL (CI); the test above covers the claim
    itself on any database."""
    message = MessageFactory()
    start = threading.Barrier(2)
    results = []

    def worker():
        try:
            start.wait(timeout=5)
            results.append(message_deliver(message_id=message.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results) == [False, True]
    assert len(mail.outbox) == 1
    assert _status(message) == (MessageStatus.SENT, 1)


def test_message_not_yet_due_is_not_sent():
    with time_machine.travel(T0, tick=False):
        message = MessageFactory(next_attempt_at=T0 + dt.timedelta(seconds=1))

        assert message_deliver(message_id=message.pk) is False
        assert deliver_pending() == 0

    assert mail.outbox == []
    assert _status(message) == (MessageStatus.PENDING, 0)


def test_failed_sends_back_off_then_fail_after_five_attempts():
    refused = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    with (
        time_machine.travel(T0, tick=False) as clock,
        mock.patch.object(EmailChannel, "send", side_effect=refused),
    ):
        message = MessageFactory()
        waits = []
        for attempt in range(1, 5):
            assert message_deliver(message_id=message.pk) is False
            message.refresh_from_db()
            assert (message.status, message.attempts) == (MessageStatus.PENDING, attempt)
            assert "SMTPServerDisconnected" in message.last_error
            waits.append(message.next_attempt_at - dt.datetime.now(tz=dt.UTC))
            # Not due a moment before the backoff ends: neither the task nor the sweep sends.
            clock.move_to(message.next_attempt_at - dt.timedelta(seconds=1))
            assert deliver_pending() == 0
            assert message.attempts == _status(message)[1]
            clock.move_to(message.next_attempt_at)

        assert deliver_pending() == 0

    assert waits == [dt.timedelta(minutes=m) for m in (1, 5, 25, 125)]
    assert _status(message) == (MessageStatus.FAILED, 5)
    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        assert deliver_pending() == 0
    assert _status(message) == (MessageStatus.FAILED, 5)


def test_a_retry_that_succeeds_marks_the_message_sent():
    with time_machine.travel(T0, tick=False) as clock:
        message = MessageFactory()
        with mock.patch.object(EmailChannel, "send", side_effect=OSError("DNS lookup failed")):
            assert message_deliver(message_id=message.pk) is False
        clock.shift(dt.timedelta(minutes=1))

        assert deliver_pending() == 1

    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 2)
    assert message.sent_at == T0 + dt.timedelta(minutes=1)
    assert len(mail.outbox) == 1


def test_message_left_sending_by_a_dead_worker_is_reclaimed_after_two_minutes():
    with time_machine.travel(T0, tick=False) as clock:
        message = MessageFactory()
        # The worker process dies mid-send: nothing records the outcome.
        with (
            mock.patch.object(EmailChannel, "send", side_effect=SystemExit),
            pytest.raises(SystemExit),
        ):
            message_deliver(message_id=message.pk)
        message.refresh_from_db()
        assert (message.status, message.claimed_at) == (MessageStatus.SENDING, T0)

        clock.shift(dt.timedelta(minutes=1, seconds=59))
        assert deliver_pending() == 0
        clock.shift(dt.timedelta(seconds=1))
        assert deliver_pending() == 1

    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 2)
    assert message.claimed_at == T0 + dt.timedelta(minutes=2)
    assert len(mail.outbox) == 1


def _accepted_then_worker_killed(self, message):
    """The mail server takes the message; the worker dies before it can record that."""
    _real_email_send(self, message)
    raise SystemExit


_real_email_send = EmailChannel.send


def test_a_message_sent_again_after_its_worker_died_keeps_its_message_id():
    with time_machine.travel(T0, tick=False) as clock:
        message = MessageFactory()
        with (
            mock.patch.object(EmailChannel, "send", _accepted_then_worker_killed),
            pytest.raises(SystemExit),
        ):
            message_deliver(message_id=message.pk)
        clock.shift(services.CLAIM_LEASE)
        assert deliver_pending() == 1

    first, again = mail.outbox
    assert first.to == again.to == [message.to_address]
    assert first.message()["Message-ID"] == again.message()["Message-ID"]
    assert str(message.pk) in first.message()["Message-ID"]


def test_two_messages_never_share_a_message_id():
    first, second = MessageFactory(), MessageFactory()
    message_deliver(message_id=first.pk)
    message_deliver(message_id=second.pk)

    ids = {email.message()["Message-ID"] for email in mail.outbox}
    assert len(ids) == 2
    assert all(value.endswith("@riverside-homes.example>") for value in ids)


def test_message_whose_worker_dies_every_time_ends_failed():
    with time_machine.travel(T0, tick=False):
        message = MessageFactory(
            status=MessageStatus.SENDING,
            attempts=5,
            claimed_at=T0 - dt.timedelta(minutes=11),
            next_attempt_at=T0 - dt.timedelta(minutes=1),
        )

        assert deliver_pending() == 0

    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.FAILED, 5)
    assert "worker stopped" in message.last_error
    assert mail.outbox == []


def test_sweep_delivers_every_due_message_in_batches(monkeypatch):
    monkeypatch.setattr(services, "SWEEP_BATCH_SIZE", 3)
    with time_machine.travel(T0, tick=False):
        due = MessageFactory.create_batch(7, next_attempt_at=T0 - dt.timedelta(hours=1))
        later = MessageFactory(next_attempt_at=T0 + dt.timedelta(minutes=5))
        already_sent = MessageFactory(status=MessageStatus.SENT, sent_at=T0)
        failed = MessageFactory(status=MessageStatus.FAILED, attempts=5)

        assert deliver_pending() == 7
        assert deliver_pending() == 0

    assert {m.to[0] for m in mail.outbox} == {m.to_address for m in due}
    assert len(mail.outbox) == 7
    assert _status(later) == (MessageStatus.PENDING, 0)
    assert _status(already_sent) == (MessageStatus.SENT, 0)
    assert _status(failed) == (MessageStatus.FAILED, 5)


def test_sweep_with_a_clock_ahead_of_the_database_stops():
    # A row the sweep sees as due but cannot claim yet must not keep the sweep going round.
    with time_machine.travel(T0, tick=False):
        soon = MessageFactory(next_attempt_at=T0 + dt.timedelta(minutes=30))

        assert deliver_pending(now=T0 + dt.timedelta(hours=1)) == 0

    assert _status(soon) == (MessageStatus.PENDING, 0)


def test_sweep_query_count_grows_with_due_messages_not_with_the_outbox(
    django_assert_max_num_queries,
):
    with time_machine.travel(T0, tick=False):
        MessageFactory.create_batch(30, status=MessageStatus.SENT, sent_at=T0)
        MessageFactory.create_batch(2)

        # Per message: claim, load, the registered delivery checks (one: the ASB safe
        # contact), mark sent; plus two id pages.
        with django_assert_max_num_queries(2 * 4 + 2):
            assert deliver_pending() == 2


def test_retry_puts_a_failed_message_back_and_sends_it(django_capture_on_commit_callbacks):
    message = MessageFactory(status=MessageStatus.FAILED, attempts=5, last_error="SMTP down")

    with django_capture_on_commit_callbacks(execute=True):
        assert message_retry(message_id=message.pk) is True

    assert _status(message) == (MessageStatus.SENT, 1)
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "status", [MessageStatus.PENDING, MessageStatus.SENDING, MessageStatus.SENT]
)
def test_retry_of_a_message_that_has_not_failed_changes_nothing(
    status, django_capture_on_commit_callbacks
):
    message = MessageFactory(status=status, attempts=1)

    with django_capture_on_commit_callbacks() as callbacks:
        assert message_retry(message_id=message.pk) is False

    assert _status(message) == (status, 1)
    assert callbacks == []


def test_letter_is_queued_for_print_in_large_print_when_needed():
    customer = CustomerFactory(
        preferred_channel=Channel.LETTER,
        large_print=True,
        interpreter_language="Polish",
        first_name="Amina",
        last_name="Khan",
    )
    with time_machine.travel(T0, tick=False):
        message = notify_customer(
            customer=customer,
            subject="Your gas safety check",
            body="We will visit on 10 March.",
            key="gas:1:booked",
        )
        assert message_deliver(message_id=message.pk) is True

    message.refresh_from_db()
    path = f"letters/2026-03-02/message-{message.pk}.txt"
    assert message.delivery_note == f"Queued for print: {path}"
    with default_storage.open(path) as letter:
        text = letter.read().decode()
    assert text.startswith("*** PRINT IN LARGE PRINT")
    assert "Dear Amina Khan," in text
    assert customer.tenancy.property.postcode in text
    assert "Language: Polish." in text
    assert "We will visit on 10 March." in text
    assert "2 March 2026" in text


def test_sensitive_letter_to_a_safe_address_names_no_subject():
    customer = CustomerFactory(
        safe_contact_channel=Channel.LETTER,
        safe_contact_detail="c/o 4 Refuge Road, Riverton, RV9 9ZZ",
    )
    message = notify_customer(
        customer=customer,
        subject="Your domestic abuse report",
        body="About your partner.",
        key="asb:1:ack",
        sensitive=True,
    )

    assert message_deliver(message_id=message.pk) is True

    message.refresh_from_db()
    with default_storage.open(message.delivery_note.removeprefix("Queued for print: ")) as letter:
        text = letter.read().decode()
    assert "4 Refuge Road" in text
    assert "abuse" not in text.lower()
    assert "partner" not in text.lower()
    assert "We have a message for you." in text


def test_portal_only_message_is_marked_sent_without_sending_anything():
    message = MessageFactory(channel=MessageChannel.PORTAL, to_address="")

    assert message_deliver(message_id=message.pk) is True

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.delivery_note == "Shown in the portal inbox only"
    assert (mail.outbox, MemorySmsBackend.outbox) == ([], [])


def test_text_message_carries_subject_and_body():
    message = MessageFactory(
        channel=MessageChannel.SMS,
        to_address="07700 900456",
        subject="Repair booked",
        body="Tuesday, 8am to 1pm.",
    )

    assert message_deliver(message_id=message.pk) is True

    [text] = MemorySmsBackend.outbox
    assert (text.to, text.body) == ("07700 900456", "Repair booked\nTuesday, 8am to 1pm.")
    assert text.sender == "Riverside"


def test_long_text_message_is_cut_with_a_link_to_the_whole_message(settings):
    message = MessageFactory(
        channel=MessageChannel.SMS, to_address="07700 900456", body="word " * 200
    )

    message_deliver(message_id=message.pk)

    [text] = MemorySmsBackend.outbox
    assert len(text.body) <= SMS_MAX_CHARS
    assert text.body.endswith(f"Read it all at {settings.SITE_URL}/notifications/{message.pk}/")


def test_failing_sms_provider_is_recorded_for_a_retry(settings):
    settings.SMS_BACKEND = "notifications.sms.HttpSmsBackend"
    settings.SMS_HTTP_URL = "http://127.0.0.1:9/unreachable"
    settings.SMS_HTTP_TOKEN = "token"
    message = MessageFactory(channel=MessageChannel.SMS, to_address="07700 900456")

    assert message_deliver(message_id=message.pk) is False

    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.PENDING, 1)
    assert "SMS provider unreachable" in message.last_error
