"""A "this was not done" report goes to the contractor doing the round, by the outbox: sent to
the address recorded for that service, retried when a send fails, sent once."""

from __future__ import annotations

import datetime as dt
import smtplib
from unittest import mock

import pytest
import time_machine
from django.core import mail

from neighbourhoods.models import NeighbourhoodReport
from neighbourhoods.services import NeighbourhoodRuleBroken, report_create
from notifications.channels import EmailChannel
from notifications.models import Message, MessageStatus
from notifications.services import deliver_pending, message_deliver
from tests.neighbourhoods.factories import CommunalServiceFactory

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 11, 9, 10, 0, tzinfo=dt.UTC)


def _missed(customer, service, **overrides):
    fields = {
        "kind": "missed_service",
        "place": "block",
        "where": "Stairs and landings",
        "details": "Not cleaned this week",
        "communal_service": service,
    }
    return report_create(customer=customer, **(fields | overrides))


def _to_contractor() -> list[Message]:
    return list(Message.objects.exclude(outside_recipient=""))


@time_machine.travel(MONDAY, tick=False)
def test_the_contractor_is_emailed_at_the_services_address(resident_a, block_a):
    service = CommunalServiceFactory(
        block=block_a, contractor="Sparkle Cleaning Ltd", contractor_email="jobs@sparkle.example"
    )
    report = _missed(resident_a, service)

    [message] = _to_contractor()
    assert (message.outside_recipient, message.to_address) == (
        "Sparkle Cleaning Ltd",
        "jobs@sparkle.example",
    )
    assert message.customer_id is None and message.staff_user_id is None
    assert report.reference in message.subject
    assert "Not cleaned this week" in message.body and "Stairs and landings" in message.body
    # The resident's name is not the contractor's business.
    assert resident_a.last_name not in message.body

    mail.outbox.clear()
    assert deliver_pending() >= 1
    sent = [m for m in mail.outbox if m.to == ["jobs@sparkle.example"]]
    assert len(sent) == 1 and report.reference in sent[0].subject
    assert "/account/" not in sent[0].body and "Staff queues" not in sent[0].body
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_a_failed_send_to_the_contractor_is_retried_and_then_sent(resident_a, block_a):
    service = CommunalServiceFactory(block=block_a, contractor_email="jobs@sparkle.example")
    with time_machine.travel(MONDAY, tick=False) as clock:
        _missed(resident_a, service)
        [message] = _to_contractor()
        refused = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        with mock.patch.object(EmailChannel, "send", side_effect=refused):
            assert message_deliver(message_id=message.pk) is False
        message.refresh_from_db()
        assert (message.status, message.attempts) == (MessageStatus.PENDING, 1)
        assert message.next_attempt_at == MONDAY + dt.timedelta(minutes=1)

        mail.outbox.clear()
        clock.move_to(MONDAY + dt.timedelta(minutes=1))
        deliver_pending()

    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 2)
    assert [m.to for m in mail.outbox if m.to == ["jobs@sparkle.example"]] == [
        ["jobs@sparkle.example"]
    ]


@time_machine.travel(MONDAY, tick=False)
def test_a_service_without_an_address_sends_nothing_outside(resident_a, block_a):
    service = CommunalServiceFactory(block=block_a, contractor_email="")
    _missed(resident_a, service)
    assert _to_contractor() == []


@time_machine.travel(MONDAY, tick=False)
def test_a_refused_report_sends_nothing_to_any_contractor(resident_a, resident_b):
    other = CommunalServiceFactory(
        block=resident_b.tenancy.property.block, contractor_email="jobs@sparkle.example"
    )
    with pytest.raises(NeighbourhoodRuleBroken):
        _missed(resident_a, other)
    assert NeighbourhoodReport.objects.count() == 0 and _to_contractor() == []
