"""The safe-contact rule on every outbound channel: a message that would go a way the reporter
said is unsafe is not sent, whoever queued it, and the officer is told."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.urls import reverse

from asb.models import AsbKind, Risk
from asb.services import SafeContactAnswers, action_add, asb_acknowledge
from casework.models import CaseEvent
from kernel.roles import Role
from notifications.models import Message, MessageChannel, MessageStatus
from notifications.services import Route, message_deliver, message_retry, notify_customer
from notifications.sms import MemorySmsBackend
from tenancy.models import Channel
from tests.asb.factories import SAFE_BY_PHONE_ONLY, report
from tests.factories import StaffFactory

pytestmark = pytest.mark.usefixtures("frozen", "team")


@pytest.fixture(autouse=True)
def _letters_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    MemorySmsBackend.outbox.clear()


def _prefer(customer, channel):
    customer.preferred_channel = channel
    customer.consent_to_sms = True
    customer.save()


def _another_apps_message(customer, key="repairs:1:booked"):
    # A message queued by another service app, which knows nothing of the report.
    return notify_customer(
        customer=customer, subject="Your repair is booked", body="Tuesday, 8am to 1pm.", key=key
    )


def _withheld(message) -> bool:
    message.refresh_from_db()
    return message.status == MessageStatus.FAILED and message.last_error.startswith("Withheld")


@pytest.mark.parametrize(
    "channel", [Channel.EMAIL, Channel.SMS, Channel.LETTER, Channel.PORTAL], ids=str
)
def test_no_message_goes_by_a_channel_the_reporter_said_is_unsafe(tenant_a, asb_officer, channel):
    case = report(tenant_a, AsbKind.DOMESTIC_ABUSE, safe=SAFE_BY_PHONE_ONLY)
    _prefer(tenant_a, channel)
    message = _another_apps_message(tenant_a)
    assert message.channel == channel

    assert message_deliver(message_id=message.pk) is False

    assert _withheld(message)
    assert mail.outbox == []
    assert MemorySmsBackend.outbox == []
    assert not default_storage.exists(f"letters/2026-06-01/message-{message.pk}.txt")
    # The officer is told: on the case, and by email to the team's lead.
    assert CaseEvent.objects.filter(
        object_id=case.pk, note__contains="was not sent", visible_to_customer=False
    ).exists()
    assert Message.objects.filter(staff_user=asb_officer, about_id=case.pk).exists()


def test_a_text_to_a_number_that_is_not_the_safe_one_is_not_sent(tenant_a):
    report(
        tenant_a,
        safe=SafeContactAnswers(safe_phone="07700 900 982", may_text=True),
    )
    _prefer(tenant_a, Channel.SMS)  # the household's mobile, 07700 900123
    message = _another_apps_message(tenant_a)
    assert message_deliver(message_id=message.pk) is False
    assert _withheld(message)
    assert MemorySmsBackend.outbox == []


def test_a_way_the_reporter_said_is_safe_is_used(tenant_a):
    report(tenant_a, safe=SafeContactAnswers(may_email=True))
    _prefer(tenant_a, Channel.EMAIL)
    message = _another_apps_message(tenant_a)
    assert message_deliver(message_id=message.pk) is True
    assert len(mail.outbox) == 1


def test_messages_to_someone_who_never_reported_are_untouched(tenant_b):
    message = _another_apps_message(tenant_b)
    assert message_deliver(message_id=message.pk) is True


def test_the_reporters_own_updates_go_by_the_safe_number_and_name_nothing(tenant_a, asb_officer):
    case = report(
        tenant_a,
        AsbKind.HATE_CRIME,
        hate_characteristic="religion",
        safe=SafeContactAnswers(safe_phone="07700 900 982", may_text=True),
    )
    _prefer(tenant_a, Channel.LETTER)  # their usual preference is ignored for the case
    asb_acknowledge(case=case, actor=asb_officer, contacted_by="sms", risk=Risk.MEDIUM)
    action_add(
        case=case,
        actor=asb_officer,
        description="Remove the graffiti",
        owner=asb_officer,
        due_on=dt.date(2026, 6, 3),
    )
    message = Message.objects.get(customer=tenant_a)
    assert (message.channel, message.to_address) == (MessageChannel.SMS, "07700 900 982")
    assert message_deliver(message_id=message.pk) is True
    (text,) = MemorySmsBackend.outbox
    assert "graffiti" not in str(text).lower()
    assert "hate" not in str(text).lower()


def test_with_no_safe_written_way_nothing_is_queued_and_the_officer_phones(tenant_a, asb_officer):
    case = report(tenant_a, AsbKind.DOMESTIC_ABUSE, safe=SAFE_BY_PHONE_ONLY)
    asb_acknowledge(case=case, actor=asb_officer, contacted_by="phone", risk=Risk.HIGH)
    action_add(
        case=case,
        actor=asb_officer,
        description="Fit a door chain",
        owner=asb_officer,
        due_on=dt.date(2026, 6, 3),
    )
    assert not Message.objects.filter(customer=tenant_a).exists()
    assert CaseEvent.objects.filter(
        object_id=case.pk, note__contains="no safe written way", visible_to_customer=False
    ).exists()


def test_an_email_about_a_report_names_no_subject(tenant_a, asb_officer):
    case = report(tenant_a, safe=SafeContactAnswers(may_email=True))
    asb_acknowledge(case=case, actor=asb_officer, contacted_by="email", risk=Risk.STANDARD)
    action_add(
        case=case,
        actor=asb_officer,
        description="Warning letter",
        owner=asb_officer,
        due_on=dt.date(2026, 6, 3),
    )
    message = Message.objects.get(customer=tenant_a)
    message_deliver(message_id=message.pk)
    (email,) = mail.outbox
    assert "action plan" not in email.subject.lower()
    assert "warning" not in email.body.lower()
    assert case.reference not in email.subject


# --- a withheld message is seen by nobody but the officer told --------------------------------


def _withheld_and_sent(customer):
    """The reporter said email is unsafe and the portal safe: another app's email to them is
    withheld; a message in their account goes."""
    case = report(customer, safe=SafeContactAnswers(may_use_portal=True))
    _prefer(customer, Channel.EMAIL)
    withheld = _another_apps_message(customer)
    message_deliver(message_id=withheld.pk)
    assert _withheld(withheld)
    sent = notify_customer(
        customer=customer,
        subject="Your rent statement is ready",
        body="See your rent account.",
        key="rent:1:statement",
        route=Route(MessageChannel.PORTAL, ""),
    )
    assert message_deliver(message_id=sent.pk) is True
    return case, withheld, sent


def test_a_withheld_message_is_not_in_the_inbox_its_count_or_its_own_page(
    client, tenant_a, asb_officer
):
    case, withheld, sent = _withheld_and_sent(tenant_a)
    client.force_login(tenant_a.user)

    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert sent.subject in inbox
    assert withheld.subject not in inbox
    assert "1 message<" in inbox
    assert "could not send" not in inbox
    assert client.get(reverse("notifications:detail", args=[withheld.pk])).status_code == 404
    # Nor on the case's timeline; the officer alone is told.
    page = client.get(reverse("asb:detail", args=[case.reference])).content.decode()
    assert withheld.subject not in page and "not sent" not in page
    assert CaseEvent.objects.filter(
        object_id=case.pk, note__contains=withheld.subject, visible_to_customer=False
    ).exists()
    assert Message.objects.filter(staff_user=asb_officer, subject__contains="not sent").exists()


def test_a_withheld_message_put_back_in_the_queue_stays_hidden_until_it_is_sent(client, tenant_a):
    _case, withheld, _sent = _withheld_and_sent(tenant_a)
    assert message_retry(message_id=withheld.pk) is True
    client.force_login(tenant_a.user)
    assert withheld.subject not in client.get(reverse("notifications:inbox")).content.decode()
    assert client.get(reverse("notifications:detail", args=[withheld.pk])).status_code == 404


def test_staff_outside_the_asb_team_never_see_a_withheld_message(client, tenant_a, asb_officer):
    _case, withheld, sent = _withheld_and_sent(tenant_a)
    contact_centre = StaffFactory(roles=[Role.CUSTOMER_SERVICES])
    client.force_login(contact_centre)
    household = client.get(
        reverse("workspace:household", args=[tenant_a.tenancy_id])
    ).content.decode()
    assert sent.subject in household
    assert withheld.subject not in household
    outbox = client.get(reverse("admin:notifications_message_changelist")).content.decode()
    assert sent.subject in outbox
    assert withheld.subject not in outbox
    assert (
        client.get(reverse("admin:notifications_message_change", args=[withheld.pk])).status_code
        != 200
    )
    # The ASB team, who were told, see it and why.
    client.force_login(asb_officer)
    outbox = client.get(reverse("admin:notifications_message_changelist")).content.decode()
    assert withheld.subject in outbox


def test_when_the_account_is_not_safe_nothing_about_the_report_is_kept_in_it(
    client, tenant_a, asb_officer
):
    # Texts to the safe number are safe; the online account (someone else reads it) is not.
    case = report(tenant_a, safe=SafeContactAnswers(safe_phone="07700 900 982", may_text=True))
    asb_acknowledge(case=case, actor=asb_officer, contacted_by="sms", risk=Risk.MEDIUM)
    action_add(
        case=case,
        actor=asb_officer,
        description="Visit the other party",
        owner=asb_officer,
        due_on=dt.date(2026, 6, 3),
    )
    texted = Message.objects.get(customer=tenant_a)
    assert message_deliver(message_id=texted.pk) is True  # it went to the safe number
    other = _another_apps_message(tenant_a)
    client.force_login(tenant_a.user)

    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert texted.subject not in inbox
    assert other.subject in inbox
    assert "1 message<" in inbox
    assert client.get(reverse("notifications:detail", args=[texted.pk])).status_code == 404


def test_when_the_account_is_safe_the_reporter_keeps_their_messages_in_it(
    client, tenant_a, asb_officer
):
    case = report(tenant_a, safe=SafeContactAnswers(may_use_portal=True))
    asb_acknowledge(case=case, actor=asb_officer, contacted_by="portal", risk=Risk.MEDIUM)
    action_add(
        case=case,
        actor=asb_officer,
        description="Visit the other party",
        owner=asb_officer,
        due_on=dt.date(2026, 6, 3),
    )
    message = Message.objects.get(customer=tenant_a)
    client.force_login(tenant_a.user)
    assert message.subject in client.get(reverse("notifications:inbox")).content.decode()
    assert client.get(reverse("notifications:detail", args=[message.pk])).status_code == 200
