"""axe-core on every customer page, signed out, signed in and with form errors: 0 violations."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from kernel.roles import Role
from tests.browser.helpers import assert_accessible, sign_in_with_cookie, sign_in_with_form
from tests.factories import PASSWORD, CustomerFactory, StaffFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.parametrize(
    "name",
    [
        "portal:home",
        "account_login",
        "accounts:register",
        "account_reset_password",
        "account_reset_password_done",
        "account_email_verification_sent",
        "accounts:register_done",
        "portal:accessibility",
        "portal:privacy",
        "account_signup",
    ],
)
def test_signed_out_page_is_accessible(page, name):
    response = page.goto(reverse(name))

    assert response.status == 200
    assert_accessible(page)


def test_both_registration_steps_are_accessible(page):
    customer = CustomerFactory()
    page.goto(reverse("accounts:register"))
    page.get_by_label("Tenancy reference").fill(customer.tenancy.reference)
    page.get_by_label("Postcode of your home").fill(customer.tenancy.property.postcode)
    page.get_by_label("Day").fill(str(customer.date_of_birth.day))
    page.get_by_label("Month").fill(str(customer.date_of_birth.month))
    page.get_by_label("Year").fill(str(customer.date_of_birth.year))
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Create your sign-in details")
    assert_accessible(page)

    page.get_by_role("button", name="Create your account").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize(
    ("name", "button"),
    [
        ("accounts:register", "Continue"),
        ("account_login", "Sign in"),
        ("account_reset_password", "Send the link"),
    ],
)
def test_empty_form_with_its_errors_is_accessible(page, name, button):
    page.goto(reverse(name))
    page.get_by_role("button", name=button).click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    # GOV.UK Frontend moves focus to the summary so screen readers announce it.
    assert summary.evaluate("el => el === document.activeElement")
    assert_accessible(page)


@pytest.mark.parametrize(
    "name", ["portal:your_home", "tenancy:your_details", "notifications:inbox", "account_email"]
)
def test_signed_in_page_is_accessible(page, live_server, tenant_a, joint_tenant_a, name):
    sign_in_with_cookie(page, tenant_a.user, live_server.url)

    response = page.goto(reverse(name))

    assert response.status == 200
    assert_accessible(page)


def test_your_details_with_an_invalid_email_is_accessible(page, live_server, tenant_a):
    sign_in_with_cookie(page, tenant_a.user, live_server.url)
    page.goto(reverse("tenancy:your_details"))
    page.get_by_label("Email address").fill("not an email")
    page.get_by_role("button", name="Save your details").click()

    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.get_by_label("Email address").input_value() == "not an email"
    assert_accessible(page)

    page.locator(".govuk-error-summary a").first.click()
    assert page.get_by_label("Email address").evaluate("el => el === document.activeElement")


@pytest.fixture
def new_officer(db):
    """A member of staff who has not yet set up an authenticator app."""
    return StaffFactory(roles=[Role.REPAIRS], authenticator=False)


def test_staff_authenticator_pages_are_accessible(page, new_officer):
    sign_in_with_form(page, new_officer.email)
    page.goto(reverse("admin:index"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    assert_accessible(page)

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Turn on two-step verification").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_code_page_for_staff_with_an_authenticator_is_accessible(page, new_officer):
    TOTP.activate(new_officer, generate_totp_secret())

    sign_in_with_form(page, new_officer.email)

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    assert_accessible(page)


def test_choosing_a_new_password_from_the_email_link_is_accessible(page, tenant_a):
    page.goto(reverse("account_reset_password"))
    page.get_by_label("Email address").fill(tenant_a.user.email)
    page.get_by_role("button", name="Send the link").click()
    link = re.search(r"http://\S+/account/password/reset/key/\S+/", mail.outbox[-1].body)[0]
    path = link.split("/", 3)[3]

    page.goto(f"/{path}")

    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    assert_accessible(page)
    page.get_by_role("button", name="Save your new password").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("name", ["mfa_index", "mfa_view_recovery_codes"])
def test_staff_two_step_settings_pages_are_accessible(page, live_server, new_officer, name):
    TOTP.activate(new_officer, generate_totp_secret())
    RecoveryCodes.activate(new_officer)
    sign_in_with_cookie(page, new_officer, live_server.url)

    response = page.goto(reverse(name))

    assert response.status == 200
    assert_accessible(page)
