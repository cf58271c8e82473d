"""'Your details': how we contact a customer and the adjustments they need."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tenancy.models import Channel, Customer

pytestmark = pytest.mark.django_db

URL = reverse("tenancy:your_details")
HOSTILE = {
    "nul": "abc\x00def",
    "very_long": "A" * 10_000,
    "emoji": "🏠🔥😀",
    "right_to_left": "مرحبا بالعالم שלום",
}


def details(**overrides) -> dict[str, str]:
    data = {
        "email": "amina@example.org",
        "phone": "01632 960 001",
        "mobile": "07700 900 982",
        "preferred_channel": Channel.EMAIL,
        "interpreter_language": "",
        "other_adjustments": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def snapshot(customer: Customer) -> dict:
    return Customer.objects.filter(pk=customer.pk).values().get()


def test_customer_sees_their_current_details(client_a, tenant_a):
    html = client_a.get(URL).content.decode()

    assert f'value="{tenant_a.email}"' in html
    assert "<title>Your details - Riverside Homes</title>" in html


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_staff_are_refused(client, repairs_officer):
    client.force_login(repairs_officer)

    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_are_refused(client_a, method):
    assert getattr(client_a, method)(URL).status_code == 405


def test_customer_updates_contact_details_and_adjustments(client_a, tenant_a):
    response = client_a.post(
        URL,
        details(
            email=tenant_a.email,
            preferred_channel=Channel.SMS,
            consent_to_sms="on",
            large_print="on",
            interpreter_language="Polish",
            other_adjustments="Please call after 2pm.",
        ),
    )

    assert response.status_code == 302
    email_before = tenant_a.email
    tenant_a.refresh_from_db()
    assert tenant_a.email == email_before
    assert tenant_a.phone == "01632 960 001"
    assert tenant_a.mobile == "07700 900 982"
    assert tenant_a.preferred_channel == Channel.SMS
    assert tenant_a.consent_to_sms is True
    assert tenant_a.large_print is True
    assert tenant_a.easy_read is False
    assert tenant_a.interpreter_language == "Polish"
    assert tenant_a.other_adjustments == "Please call after 2pm."
    page = client_a.get(response["Location"]).content.decode()
    assert "Your details have been saved." in page


def test_customer_only_changes_their_own_record(client_a, tenant_a, joint_tenant_a, tenant_b):
    others = [snapshot(joint_tenant_a), snapshot(tenant_b)]

    client_a.post(URL, details(email="new@example.org"))

    assert [snapshot(joint_tenant_a), snapshot(tenant_b)] == others


def test_invalid_email_shows_the_summary_and_keeps_what_was_typed(client_a, tenant_a):
    before = snapshot(tenant_a)

    response = client_a.post(
        URL,
        details(
            email="amina at example",
            phone="01632 960 777",
            other_adjustments="Large text please",
            preferred_channel=Channel.LETTER,
        ),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Your details - Riverside Homes</title>" in html
    assert 'class="govuk-error-summary"' in html
    assert '<a href="#id_email">Enter an email address in the correct format' in html
    assert 'value="amina at example"' in html
    assert 'value="01632 960 777"' in html
    assert "Large text please</textarea>" in html
    assert 'value="letter"\n    \n      checked="checked"' in html
    assert snapshot(tenant_a) == before


def test_text_messages_without_a_mobile_or_consent_are_field_errors(client_a, tenant_a):
    before = snapshot(tenant_a)

    response = client_a.post(URL, details(preferred_channel=Channel.SMS, mobile=""))

    html = response.content.decode()
    assert '<a href="#id_mobile">Enter a mobile number so that we can text you</a>' in html
    assert '<a href="#id_consent_to_sms">Tick the box to let us send you text messages</a>' in html
    assert html.count('class="govuk-error-message"') == 2
    assert snapshot(tenant_a) == before


def test_missing_channel_links_to_the_first_radio(client_a):
    html = client_a.post(URL, details(preferred_channel=None)).content.decode()

    assert (
        '<a href="#id_preferred_channel_1">Select how you would like us to contact you</a>' in html
    )
    assert 'id="id_preferred_channel_1"' in html


def test_phone_call_needs_a_phone_number(client_a):
    html = client_a.post(
        URL, details(preferred_channel=Channel.PHONE, phone="", mobile="")
    ).content.decode()

    assert '<a href="#id_phone">Enter a phone number so that we can call you</a>' in html


@pytest.mark.parametrize(
    "field", ["email", "phone", "mobile", "interpreter_language", "other_adjustments"]
)
@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_answers_are_accepted_or_refused_with_a_message(client_a, tenant_a, field, value):
    before = snapshot(tenant_a)

    response = client_a.post(URL, details(**{field: value}))

    if response.status_code == 302:
        tenant_a.refresh_from_db()
        assert getattr(tenant_a, field) == value
    else:
        assert response.status_code == 200
        html = response.content.decode()
        assert '<a href="#id_' + field in html
        assert snapshot(tenant_a) == before


@pytest.mark.parametrize("field", ["interpreter_language", "other_adjustments"])
@pytest.mark.parametrize("value", ["🏠🔥😀", "مرحبا بالعالم שלום"], ids=["emoji", "right_to_left"])
def test_emoji_and_right_to_left_text_are_kept_exactly(client_a, tenant_a, field, value):
    response = client_a.post(URL, details(**{field: value}))

    assert response.status_code == 302
    tenant_a.refresh_from_db()
    assert getattr(tenant_a, field) == value
    assert value in client_a.get(URL).content.decode()


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_channel_is_refused_with_a_message(client_a, value):
    response = client_a.post(URL, details(preferred_channel=value))

    assert response.status_code == 200
    assert '<a href="#id_preferred_channel_1">' in response.content.decode()


def test_staff_only_notes_never_reach_the_customer(client_a, tenant_a):
    tenant_a.vulnerability_notes = "STAFF-ONLY-NOTE hearing loss, partner is a risk"
    tenant_a.safe_contact_detail = "SAFE-CONTACT-07700900555"
    tenant_a.save()

    for url in (URL, reverse("portal:your_home"), reverse("portal:home")):
        html = client_a.get(url).content.decode()
        assert "STAFF-ONLY-NOTE" not in html
        assert "SAFE-CONTACT" not in html

    client_a.post(URL, details(email="not an email"))
    html = client_a.post(URL, details(email="not an email")).content.decode()
    assert "STAFF-ONLY-NOTE" not in html


def test_saving_details_keeps_staff_only_notes(client_a, tenant_a):
    tenant_a.vulnerability_notes = "Keep me"
    tenant_a.save()

    client_a.post(URL, details(vulnerability_notes="overwritten", safe_contact_detail="x"))

    tenant_a.refresh_from_db()
    assert tenant_a.vulnerability_notes == "Keep me"
    assert tenant_a.safe_contact_detail == ""
