"""Which channel and address a customer's message goes to."""

from __future__ import annotations

import pytest

from notifications.models import Message, MessageChannel
from notifications.services import notify_customer
from tenancy.models import Channel
from tests.factories import CustomerFactory, CustomerWithLoginFactory

pytestmark = pytest.mark.django_db

EMAIL = "amina@example.org"
MOBILE = "07700 900456"


def _notify(customer, *, sensitive=False) -> Message:
    notify_customer(
        customer=customer,
        subject="Your repair is booked",
        body="Tuesday, 8am to 1pm.",
        key=f"routing:{customer.pk}",
        sensitive=sensitive,
    )
    return Message.objects.get(customer=customer)


def _home_address(customer) -> str:
    return customer.tenancy.property.full_address


@pytest.mark.parametrize(
    ("preferred", "email", "mobile", "consent", "expected_channel", "expected_to"),
    [
        (Channel.EMAIL, EMAIL, MOBILE, True, MessageChannel.EMAIL, EMAIL),
        (Channel.SMS, EMAIL, MOBILE, True, MessageChannel.SMS, MOBILE),
        (Channel.SMS, EMAIL, MOBILE, False, MessageChannel.EMAIL, EMAIL),
        (Channel.SMS, EMAIL, "", True, MessageChannel.EMAIL, EMAIL),
    ],
    ids=["email", "sms-with-consent", "sms-without-consent-emails", "sms-without-mobile-emails"],
)
def test_preference_with_the_details_it_needs(
    preferred, email, mobile, consent, expected_channel, expected_to
):
    customer = CustomerFactory(
        preferred_channel=preferred, email=email, mobile=mobile, consent_to_sms=consent
    )

    message = _notify(customer)

    assert (message.channel, message.to_address) == (expected_channel, expected_to)


@pytest.mark.parametrize(
    ("preferred", "mobile", "consent"),
    [
        (Channel.EMAIL, MOBILE, True),
        (Channel.SMS, MOBILE, False),
        (Channel.SMS, "", True),
        (Channel.LETTER, MOBILE, True),
        (Channel.PHONE, MOBILE, True),
    ],
    ids=[
        "email-without-address",
        "sms-without-consent-or-email",
        "sms-without-mobile-or-email",
        "letter",
        "phone",
    ],
)
def test_written_to_the_home_when_nothing_else_will_do(preferred, mobile, consent):
    customer = CustomerFactory(
        preferred_channel=preferred, email="", mobile=mobile, consent_to_sms=consent
    )

    message = _notify(customer)

    assert message.channel == MessageChannel.LETTER
    assert message.to_address == _home_address(customer)


def test_letter_preference_is_posted_even_with_an_email_address():
    customer = CustomerFactory(preferred_channel=Channel.LETTER, email=EMAIL)

    assert _notify(customer).channel == MessageChannel.LETTER


def test_portal_preference_with_an_account_stays_in_the_portal():
    customer = CustomerWithLoginFactory(preferred_channel=Channel.PORTAL)

    message = _notify(customer)

    assert (message.channel, message.to_address) == (MessageChannel.PORTAL, "")


def test_portal_preference_without_an_account_is_emailed():
    customer = CustomerFactory(preferred_channel=Channel.PORTAL, email=EMAIL)

    message = _notify(customer)

    assert (message.channel, message.to_address) == (MessageChannel.EMAIL, EMAIL)


def test_large_print_is_copied_to_the_message():
    customer = CustomerFactory(preferred_channel=Channel.LETTER, large_print=True)

    assert _notify(customer).large_print is True


def test_letter_to_a_customer_needing_an_interpreter_opens_with_the_language():
    customer = CustomerFactory(preferred_channel=Channel.LETTER, interpreter_language="Polish")

    message = _notify(customer)

    assert message.body.startswith("Language: Polish.")
    assert message.body.endswith("Tuesday, 8am to 1pm.")


def test_email_to_a_customer_needing_an_interpreter_is_unchanged():
    customer = CustomerFactory(preferred_channel=Channel.EMAIL, interpreter_language="Polish")

    assert _notify(customer).body == "Tuesday, 8am to 1pm."


@pytest.mark.parametrize(
    ("safe_channel", "safe_detail", "expected_channel", "expected_to"),
    [
        (Channel.EMAIL, "safe@example.net", MessageChannel.EMAIL, "safe@example.net"),
        (Channel.SMS, "07700 900999", MessageChannel.SMS, "07700 900999"),
        (
            Channel.LETTER,
            "c/o 4 Refuge Road, Riverton, RV9 9ZZ",
            MessageChannel.LETTER,
            "c/o 4 Refuge Road, Riverton, RV9 9ZZ",
        ),
        (Channel.PHONE, "07700 900999", MessageChannel.PORTAL, ""),
        (Channel.PORTAL, "", MessageChannel.PORTAL, ""),
        (Channel.EMAIL, "", MessageChannel.PORTAL, ""),
    ],
    ids=["email", "sms", "letter", "phone-stays-in-portal", "portal", "no-detail-stays-in-portal"],
)
def test_sensitive_message_goes_only_to_the_safe_contact(
    safe_channel, safe_detail, expected_channel, expected_to
):
    # The usual email and mobile may be read by the person the message is about.
    customer = CustomerFactory(
        preferred_channel=Channel.SMS,
        email=EMAIL,
        mobile=MOBILE,
        consent_to_sms=False,
        safe_contact_channel=safe_channel,
        safe_contact_detail=safe_detail,
    )

    message = _notify(customer, sensitive=True)

    assert (message.channel, message.to_address) == (expected_channel, expected_to)
    assert message.is_sensitive is True


def test_sensitive_message_without_a_safe_contact_follows_the_preference():
    customer = CustomerFactory(preferred_channel=Channel.EMAIL, email=EMAIL)

    message = _notify(customer, sensitive=True)

    assert (message.channel, message.to_address, message.is_sensitive) == (
        MessageChannel.EMAIL,
        EMAIL,
        True,
    )


def test_ordinary_message_ignores_the_safe_contact():
    customer = CustomerFactory(
        preferred_channel=Channel.EMAIL,
        email=EMAIL,
        safe_contact_channel=Channel.EMAIL,
        safe_contact_detail="safe@example.net",
    )

    assert _notify(customer).to_address == EMAIL
