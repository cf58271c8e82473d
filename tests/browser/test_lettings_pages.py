"""Letting homes and moving in a real browser: axe-core on every public and customer page
(0 violations at WCAG 2.2 AA, desktop and 320 px), with and without form errors; expressing
interest and sending the application form without JavaScript."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from kernel.formatting import LONDON
from kernel.roles import Role
from lettings import services
from lettings.models import Application, ApplicationStatus
from tests.browser.helpers import assert_accessible, sign_in_with_cookie
from tests.factories import CustomerWithLoginFactory, StaffFactory
from tests.lettings import factories as f
from tests.safety.factories import CLEAN_PDF

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

MONDAY_10AM = dt.datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)


@pytest.fixture
def running_clock(time_machine):
    time_machine.move_to(MONDAY_10AM, tick=True)


@pytest.fixture
def tenant(db):
    return CustomerWithLoginFactory(first_name="Amina", last_name="Khan")


@pytest.fixture
def officer(db):
    f.lettings_team()
    f.LettingSchemeFactory(name="Riverton Home Choice")
    return f.lettings_officer()


@pytest.fixture
def advert(officer, running_clock):
    return f.advert_for(f.sign_off(f.empty_home(adaptations="Level-access shower"), officer))


@pytest.fixture
def offer(tenant, officer, running_clock):
    advert = f.advert_for(f.sign_off(f.empty_home(), officer))
    application = f.interest(tenant, advert)
    f.close_now(advert)
    return f.offered(application, officer)


def test_the_public_pages_are_accessible(page, live_server, advert):
    for url in [
        reverse("lettings:finding_a_home"),
        reverse("lettings:advert_list"),
        reverse("lettings:advert_detail", args=[advert.pk]),
    ]:
        assert page.goto(url).status == 200, url
        assert_accessible(page)


def test_every_applicant_page_is_accessible(page, live_server, tenant, offer, advert, officer):
    sign_in_with_cookie(page, tenant.user, live_server.url)
    for url in [
        reverse("lettings:interest", args=[advert.pk]),
        reverse("lettings:application_list"),
        reverse("lettings:application_detail", args=[offer.reference]),
        reverse("lettings:application_form", args=[offer.reference]),
        reverse("lettings:exchange_new"),
    ]:
        assert page.goto(url).status == 200, url
        assert_accessible(page)
    booked = f.viewing_booked(f.assessed(f.form_sent(offer), officer), officer)
    assert (
        page.goto(reverse("lettings:application_decision", args=[booked.reference])).status == 200
    )
    assert_accessible(page)
    services.application_sign_up(
        application=f.rent_requested(f.accepted(booked, officer), officer),
        actor=officer,
        tenancy_start_date=timezone.localdate(),
    )
    assert page.goto(reverse("lettings:move_in")).status == 200
    expect(page.get_by_role("heading", name="Your move-in pack")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize(
    ("name", "button"),
    [
        ("lettings:application_form", "Send the form"),
        ("lettings:exchange_new", "Send the application"),
    ],
)
def test_a_form_with_its_errors_is_accessible(page, live_server, tenant, offer, name, button):
    sign_in_with_cookie(page, tenant.user, live_server.url)
    args = [offer.reference] if name == "lettings:application_form" else []
    page.goto(reverse(name, args=args))
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()
    page.locator(".govuk-error-summary").wait_for()
    assert page.title().startswith("Error:")
    assert_accessible(page)


def test_interest_and_the_application_form_without_javascript(
    page_without_javascript, live_server, tenant, officer, running_clock
):
    page = page_without_javascript
    advert = f.advert_for(f.sign_off(f.empty_home(), officer))
    sign_in_with_cookie(page, tenant.user, live_server.url)
    page.goto(reverse("lettings:advert_detail", args=[advert.pk]))
    with page.expect_navigation():
        page.get_by_role("button", name="Tell us you are interested").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Send my interest").click()
    application = Application.objects.get(customer=tenant)
    expect(page.get_by_role("heading", level=1)).to_have_text(advert.title)
    f.close_now(advert)
    f.offered(application, officer)
    page.goto(reverse("lettings:application_detail", args=[application.reference]))
    with page.expect_navigation():
        page.get_by_role("button", name="Complete the application form").click()
    page.get_by_label("Who would live in the home").fill("Me and my son, 9")
    page.get_by_label("Household income each week, in pounds").fill("420.50")
    page.get_by_label("Your addresses in the last 5 years").fill("1 Mill Lane, 2019 to now")
    page.get_by_label("I agree that you may check").check()
    page.get_by_label("I have read the tenancy agreement's terms and accept them").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send the form").click()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.FORM_SENT
    assert application.weekly_income_pence == 42_050


def test_the_signed_agreement_upload_page_and_the_pack_that_serves_it(
    page, live_server, tenant, offer, officer, settings, tmp_path
):
    """The pack's 'not yet' line, the staff upload page, and the pack once the signed PDF is
    in, each accessible."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    booked = f.viewing_booked(f.assessed(f.form_sent(offer), officer), officer)
    settling_in = services.application_sign_up(
        application=f.rent_requested(f.accepted(booked, officer), officer),
        actor=officer,
        tenancy_start_date=timezone.localdate(),
    )
    sign_in_with_cookie(page, tenant.user, live_server.url)
    page.goto(reverse("lettings:move_in"))
    expect(page.locator("#signed-agreement-not-yet")).to_be_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in_with_cookie(page, officer, live_server.url)
    page.goto(reverse("lettings:staff_signed_agreement", args=[settling_in.pk]))
    expect(page.get_by_label("Signed tenancy agreement (PDF)")).to_be_visible()
    assert_accessible(page)

    services.settling_in_upload_signed_agreement(
        settling_in=settling_in,
        uploaded_file=SimpleUploadedFile("signed.pdf", CLEAN_PDF, content_type="application/pdf"),
        actor=officer,
    )
    page.context.clear_cookies()
    sign_in_with_cookie(page, tenant.user, live_server.url)
    page.goto(reverse("lettings:move_in"))
    expect(page.get_by_role("link", name="Download your signed tenancy agreement")).to_be_visible()
    assert_accessible(page)


def test_the_lettings_measures_table_is_on_the_dashboard_and_accessible(
    page, live_server, officer, running_clock
):
    manager = StaffFactory(roles=[Role.MANAGER])
    sign_in_with_cookie(page, manager, live_server.url)
    # The table is the same partial on both pages; the measures page is checked whole (the
    # dashboard's wide commitment tables are not this area's).
    assert page.goto(reverse("performance:dashboard")).status == 200
    expect(page.locator("#lettings-measures")).to_be_visible()
    assert page.goto(reverse("lettings:measures")).status == 200
    expect(page.locator("#lettings-measures")).to_be_visible()
    assert_accessible(page)


@pytest.fixture
def applicant(db):
    """A person who has never been one of our tenants (docs/decisions/0030)."""
    from tenancy.services import customer_create_applicant
    from tests.factories import UserFactory

    return customer_create_applicant(
        first_name="Robin",
        last_name="Okafor",
        date_of_birth=dt.date(1995, 4, 2),
        email="",
        user=UserFactory(email="robin@example.org"),
    )


def test_the_applicant_sign_up_page_is_accessible_with_and_without_errors(page, live_server):
    assert page.goto(reverse("accounts:register_applicant")).status == 200
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Create your account").click()
    page.locator(".govuk-error-summary").wait_for()
    assert page.title().startswith("Error:")
    assert_accessible(page)


def test_every_page_of_an_applicant_without_a_household_is_accessible(
    page, live_server, applicant, officer, running_clock
):
    advert = f.advert_for(f.sign_off(f.empty_home(), officer))
    application = f.interest(applicant, advert)
    f.close_now(advert)
    f.offered(application, officer)
    sign_in_with_cookie(page, applicant.user, live_server.url)
    for url in [
        reverse("lettings:application_list"),
        reverse("lettings:application_detail", args=[application.reference]),
        reverse("lettings:application_form", args=[application.reference]),
        reverse("notifications:inbox"),
        reverse("tenancy:your_details"),
        reverse("portal:home"),
    ]:
        assert page.goto(url).status == 200, url
        assert_accessible(page)
    # A household's page: the clear refusal says what they can use instead.
    assert page.goto(reverse("rent:account")).status == 403
    expect(page.get_by_role("heading", name="This page is for our tenants")).to_be_visible()
    assert_accessible(page)
