"""axe-core on every customer safety page (0 violations at WCAG 2.2 AA), with and without form
errors, and the journeys with JavaScript off: download a certificate, book a visit, report a
fire, ask for an evacuation plan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from repairs.models import Slot
from safety.models import CheckVisit, Peep, SafetyReport
from safety.services import check_register, home_checks_register
from tests.browser.helpers import assert_accessible, sign_in_with_cookie
from tests.factories import BlockFactory, CustomerWithLoginFactory, PropertyFactory, TenancyFactory
from tests.safety.factories import record

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def tenant(db):
    block = BlockFactory(storeys=9, height_metres=27, has_lift=True)
    home = PropertyFactory(block=block, property_type="flat")
    return CustomerWithLoginFactory(
        tenancy=TenancyFactory(property=home), first_name="Amina", last_name="Khan"
    )


@pytest.fixture
def gas_check(tenant):
    home = tenant.tenancy.property
    checks = {c.check_type: c for c in home_checks_register(home=home, appliances=["boiler"])}
    today = timezone.localdate()
    record(checks["gas"], today - dt.timedelta(days=330))
    check_register(check_type="fire_risk", block=home.block, risk="high")
    Slot.objects.create(
        trade="heating",
        patch=home.patch,
        date=today + dt.timedelta(days=3),
        window="morning",
        capacity=2,
    )
    return checks["gas"]


def _pages(check) -> list[str]:
    return [
        reverse("safety:your_safety"),
        reverse("safety:visit_book", kwargs={"check_id": check.pk}),
        reverse("safety:report_fire"),
        reverse("safety:report_items"),
        reverse("safety:ask_alteration"),
        reverse("safety:evacuation_plan"),
    ]


def test_every_safety_page_is_accessible(page, live_server, tenant, gas_check):
    sign_in_with_cookie(page, tenant.user, live_server.url)

    for url in _pages(gas_check):
        response = page.goto(url)
        assert response.status == 200, url
        assert_accessible(page)


@pytest.mark.parametrize(
    ("name", "button"),
    [
        ("safety:report_fire", "Send"),
        ("safety:report_items", "Send"),
        ("safety:ask_alteration", "Send"),
        ("safety:evacuation_plan", "Ask for a plan"),
    ],
)
def test_a_form_with_its_errors_is_accessible(page, live_server, tenant, gas_check, name, button):
    sign_in_with_cookie(page, tenant.user, live_server.url)
    page.goto(reverse(name))
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()

    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_the_visit_form_with_its_error_is_accessible(page, live_server, tenant, gas_check):
    sign_in_with_cookie(page, tenant.user, live_server.url)
    page.goto(reverse("safety:visit_book", kwargs={"check_id": gas_check.pk}))
    with page.expect_navigation():
        page.get_by_role("button", name="Book this time").click()

    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_the_safety_journeys_without_javascript(
    page_without_javascript, live_server, tenant, gas_check
):
    page = page_without_javascript
    sign_in_with_cookie(page, tenant.user, live_server.url)
    page.goto(reverse("portal:your_home"))
    with page.expect_navigation():
        page.get_by_role("link", name="See your home's safety checks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your home's safety")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the certificate").first.click()
    assert download.value.suggested_filename.endswith(".pdf")

    with page.expect_navigation():
        page.get_by_role("link", name="Book a visit for the gas safety check").click()
    page.locator("input[name=slot]").first.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_text("Visit booked")).to_be_visible()
    assert CheckVisit.objects.count() == 1

    page.goto(reverse("safety:report_fire"))
    page.get_by_label("What happened?").fill("Pan fire, put out with a lid")
    with page.expect_navigation():
        page.get_by_role("button", name="Send").click()
    assert SafetyReport.objects.filter(kind="fire").count() == 1

    page.goto(reverse("safety:evacuation_plan"))
    page.get_by_label("What help would you need").fill("I use a wheelchair")
    page.get_by_label("I agree that you keep this information").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Ask for a plan").click()
    expect(page.get_by_text("Asked for: assessment to arrange")).to_be_visible()
    assert Peep.objects.count() == 1
