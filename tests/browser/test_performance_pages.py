"""The published pages in a real browser: axe-core (WCAG 2.2 AA, desktop and 320 px) on the
public performance page, the annual customer report and the Complaint Handling Code
self-assessment (each provision in our words, linked to the Code), with and without
JavaScript, and the chart's figures in the table beneath it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kernel.roles import Role
from performance.services import published_figures_refresh, rollups_refresh
from tests.browser.helpers import assert_accessible, sign_in_with_cookie
from tests.factories import StaffFactory
from tests.performance.test_published import clocks, utc

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def published(time_machine):
    time_machine.move_to(utc(2026, 11, 25, 14), tick=True)
    clocks("enquiry.respond", 6, on_time=4, due=utc(2026, 10, 12, 9))
    clocks("enquiry.acknowledge", 3, on_time=3, due=utc(2026, 10, 13, 9))
    clocks("repair.routine.complete", 9, on_time=9, due=utc(2026, 10, 14, 9))
    rollups_refresh()
    published_figures_refresh()


def test_the_public_performance_page_is_accessible(page, live_server, published):
    page.goto(live_server.url + reverse("performance:published"))

    expect(page.get_by_role("heading", name="Our performance", exact=True)).to_be_visible()
    expect(
        page.get_by_role("img", name="Keeping in touch: share met on time, year to date")
    ).to_be_visible()
    row = page.locator('tr[data-commitment="enquiry.acknowledge"]')
    expect(row).to_contain_text("fewer than 5")
    assert_accessible(page)


def test_the_public_page_works_without_javascript(page_without_javascript, live_server, published):
    page = page_without_javascript
    page.goto(live_server.url + reverse("performance:published"))

    # The page uses no script of its own: the same HTML axe checks with JavaScript on above.
    expect(page.locator('tr[data-commitment="enquiry.respond"]')).to_contain_text("66.7%")
    expect(
        page.get_by_role("img", name="Keeping in touch: share met on time, year to date")
    ).to_be_visible()


def test_the_annual_customer_report_is_accessible(page, live_server, published):
    page.goto(live_server.url + reverse("performance:customer_report") + "?year=2026")

    expect(
        page.get_by_role("heading", name="Our annual report to customers, 2026 to 2027")
    ).to_be_visible()
    assert_accessible(page)


def test_a_provision_of_the_self_assessment_is_accessible(page, live_server, complaints_officer):
    sign_in_with_cookie(page, complaints_officer, live_server.url)
    url = reverse("performance:complaint_handling_provision", kwargs={"key": "6-13"})
    page.goto(live_server.url + url + "?year=2026")

    expect(page.get_by_role("heading", name="Provision 6.13")).to_be_visible()
    expect(page.locator("[data-wording]")).to_contain_text(
        "considered at stage 2 by a different person from the one who considered it at stage 1"
    )
    expect(
        page.get_by_role("link", name="Read the exact wording of provision 6.13", exact=False)
    ).to_have_attribute(
        "href", "https://www.housing-ombudsman.org.uk/landlords-info/complaint-handling-code/"
    )
    assert_accessible(page)


def test_the_self_assessment_table_is_accessible(page, live_server, complaints_officer):
    sign_in_with_cookie(page, complaints_officer, live_server.url)
    page.goto(live_server.url + reverse("performance:complaint_handling") + "?year=2026")

    row = page.locator('tr[data-provision="7.1"]')
    expect(row).to_contain_text("Where something has gone wrong, the landlord must say so")
    expect(row).to_contain_text("changing policies, procedures or practices.")
    expect(page.locator('tr[data-provision="9.8"]')).to_be_visible()
    assert_accessible(page)


def test_the_manager_dashboard_is_accessible_and_fits_a_phone(page, live_server, published):
    # Weeks with nothing due show a dash with hidden words for screen readers: those words
    # once escaped their table and made the whole page scroll sideways on a phone.
    manager = StaffFactory(roles=[Role.MANAGER])
    sign_in_with_cookie(page, manager, live_server.url)
    page.goto(live_server.url + reverse("performance:dashboard"))

    expect(page.locator("#trend-table")).to_contain_text("none due")
    assert_accessible(page)
