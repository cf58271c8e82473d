"""A customer's journeys end to end in a real browser, with and without JavaScript."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from tenancy.models import Channel
from tests.browser.helpers import assert_accessible, sign_in_with_form
from tests.factories import CustomerFactory

NEW_PASSWORD = "orchard kettle lantern 19"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def update_details(page) -> None:
    page.get_by_role("link", name="Your details").click()
    page.get_by_label("Home phone number").fill("01632 960 123")
    page.get_by_role("radio", name="Text message").check()
    page.get_by_label("You may send me text messages").check()
    page.get_by_label("Large print letters").check()
    page.get_by_role("button", name="Save your details").click()


def test_customer_signs_in_and_updates_their_details(page, tenant_a):
    sign_in_with_form(page, tenant_a.user.email)
    assert page.url.endswith(reverse("portal:your_home"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your home")

    update_details(page)

    expect(page.get_by_text("Your details have been saved.")).to_be_visible()
    tenant_a.refresh_from_db()
    assert tenant_a.phone == "01632 960 123"
    assert tenant_a.preferred_channel == Channel.SMS
    assert tenant_a.consent_to_sms is True
    assert tenant_a.large_print is True


def test_portal_works_without_javascript(page_without_javascript, tenant_a):
    page = page_without_javascript

    sign_in_with_form(page, tenant_a.user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your home")
    update_details(page)

    expect(page.get_by_text("Your details have been saved.")).to_be_visible()
    tenant_a.refresh_from_db()
    assert tenant_a.preferred_channel == Channel.SMS


def test_sign_out_button_signs_the_customer_out(page, tenant_a):
    sign_in_with_form(page, tenant_a.user.email)

    page.get_by_role("button", name="Sign out").click()

    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
    page.goto(reverse("portal:your_home"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_customer_registers_confirms_their_email_and_signs_in(page):
    customer = CustomerFactory(email="")
    page.goto(reverse("accounts:register"))
    page.get_by_label("Tenancy reference").fill(customer.tenancy.reference)
    page.get_by_label("Postcode of your home").fill(customer.tenancy.property.postcode)
    page.get_by_label("Day").fill(str(customer.date_of_birth.day))
    page.get_by_label("Month").fill(str(customer.date_of_birth.month))
    page.get_by_label("Year").fill(str(customer.date_of_birth.year))
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Email address").fill("new.tenant@example.org")
    page.get_by_label("Create a password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create your account").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page)

    link = re.search(r"http://\S+/account/confirm-email/\S+/", mail.outbox[-1].body)[0]
    page.goto("/" + link.split("/", 3)[3])
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()

    sign_in_with_form(page, "new.tenant@example.org", NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your home")
    customer.refresh_from_db()
    assert customer.user.email == "new.tenant@example.org"
