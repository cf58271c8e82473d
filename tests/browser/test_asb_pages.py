"""axe-core on every page of the ASB, hate crime and domestic abuse journey (0 violations at
WCAG 2.2 AA), with and without form errors; the quick exit with and without JavaScript; a report
made without JavaScript."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from asb.models import AnonymousReport, AsbCase, AsbKind, CloseReason, Risk
from asb.services import (
    action_add,
    asb_acknowledge,
    asb_close,
    close_answer,
    close_ask,
    review_set,
)
from kernel.roles import Role
from tests.asb.factories import report
from tests.browser.helpers import assert_accessible, sign_in_with_cookie
from tests.factories import CustomerWithLoginFactory, StaffFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

NEUTRAL_SITE = "https://www.bbc.co.uk/weather"


@pytest.fixture
def tenant(db):
    return CustomerWithLoginFactory(first_name="Amina", last_name="Khan")


@pytest.fixture
def cases(tenant):
    import datetime as dt

    from django.utils import timezone

    officer = StaffFactory(roles=[Role.ASB])
    worked = report(tenant, AsbKind.DOMESTIC_ABUSE)
    asb_acknowledge(case=worked, actor=officer, contacted_by="phone", risk=Risk.HIGH)
    action_add(
        case=worked,
        actor=officer,
        description="Fit a door chain",
        owner=officer,
        due_on=timezone.localdate() + dt.timedelta(days=5),
    )
    review_set(case=worked, actor=officer, review_on=timezone.localdate() + dt.timedelta(days=14))
    closing = report(tenant)
    asb_acknowledge(case=closing, actor=officer, contacted_by="phone", risk=Risk.STANDARD)
    close_ask(case=closing, actor=officer)
    closed = report(tenant)
    asb_acknowledge(case=closed, actor=officer, contacted_by="phone", risk=Risk.STANDARD)
    close_ask(case=closed, actor=officer)
    close_answer(case=closed, agrees=True)
    asb_close(case=closed, actor=officer, reason=CloseReason.RESOLVED)
    return {"worked": worked, "closing": closing, "closed": closed}


@pytest.fixture
def neutral_site(page):
    # The test machine has no internet: the neutral site answers from here.
    page.context.route(
        "https://www.bbc.co.uk/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<p>Weather</p>"),
    )
    return page


def _customer_pages(cases) -> list[str]:
    worked = cases["worked"].reference
    return [
        reverse("asb:list"),
        reverse("asb:new"),
        reverse("asb:detail", args=[worked]),
        reverse("asb:diary", args=[worked]),
        reverse("asb:close", args=[cases["closing"].reference]),
        reverse("asb:satisfaction", args=[cases["closed"].reference]),
    ]


def test_every_page_of_the_journey_is_accessible(page, live_server, tenant, cases):
    for url in (reverse("asb:start"), reverse("asb:anonymous"), reverse("asb:anonymous_sent")):
        assert page.goto(url).status == 200, url
        assert_accessible(page)
    sign_in_with_cookie(page, tenant.user, live_server.url)
    for url in _customer_pages(cases):
        assert page.goto(url).status == 200, url
        expect(page.get_by_role("link", name="Leave this site")).to_be_visible()
        assert_accessible(page)


@pytest.mark.parametrize(
    ("name", "button", "signed_in"),
    [("asb:new", "Send your report", True), ("asb:anonymous", "Send your report", False)],
)
def test_a_form_with_its_errors_is_accessible(page, live_server, tenant, name, button, signed_in):
    if signed_in:
        sign_in_with_cookie(page, tenant.user, live_server.url)
    page.goto(reverse(name))
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_the_diary_and_closing_forms_with_errors_are_accessible(page, live_server, tenant, cases):
    sign_in_with_cookie(page, tenant.user, live_server.url)
    for url, button in (
        (reverse("asb:diary", args=[cases["worked"].reference]), "Add to your diary"),
        (reverse("asb:close", args=[cases["closing"].reference]), "Send your answer"),
        (reverse("asb:satisfaction", args=[cases["closed"].reference]), "Send your answer"),
    ):
        page.goto(url)
        with page.expect_navigation():
            page.get_by_role("button", name=button).click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert_accessible(page)


def test_escape_three_times_leaves_and_back_does_not_return(neutral_site, live_server):
    page = neutral_site
    page.goto(reverse("portal:home"))
    page.goto(reverse("asb:start"))
    with page.expect_navigation():
        for _ in range(3):
            page.keyboard.press("Escape")
    assert page.url == NEUTRAL_SITE
    page.go_back()
    assert reverse("asb:start") not in page.url


def test_the_quick_exit_button_replaces_the_page(neutral_site, live_server):
    page = neutral_site
    page.goto(reverse("portal:home"))
    page.goto(reverse("asb:anonymous"))
    with page.expect_navigation():
        page.get_by_role("link", name="Leave this site").click()
    assert page.url == NEUTRAL_SITE
    page.go_back()
    assert reverse("asb:anonymous") not in page.url


def test_the_quick_exit_works_without_javascript(page_without_javascript, live_server):
    page = page_without_javascript
    page.context.route(
        "https://www.bbc.co.uk/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<p>Weather</p>"),
    )
    page.goto(reverse("asb:start"))
    with page.expect_navigation():
        page.get_by_role("link", name="Leave this site").click()
    assert page.url == NEUTRAL_SITE


def test_a_report_made_without_javascript(page_without_javascript, live_server, tenant):
    page = page_without_javascript
    sign_in_with_cookie(page, tenant.user, live_server.url)
    page.goto(reverse("asb:new"))
    page.get_by_label("Anti-social behaviour").check()
    page.get_by_label("Noise").check()
    page.get_by_label("In my block or building").check()
    page.get_by_label("What happened?").fill("Loud parties every night.")
    page.get_by_label("Messages in this website").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send your report").click()
    case = AsbCase.objects.get()
    expect(page.get_by_text(f"Your reference is {case.reference}")).to_be_visible()


def test_a_report_without_signing_in_without_javascript(page_without_javascript, live_server):
    page = page_without_javascript
    page.goto(reverse("asb:anonymous"))
    page.get_by_label("Domestic abuse").check()
    page.get_by_label("In or at my home").check()
    page.get_by_label("What happened?").fill("My partner threatens me.")
    page.get_by_label("By phone").check()
    page.get_by_label("A safe phone number to call (optional)").fill("07700 900 321")
    with page.expect_navigation():
        page.get_by_role("button", name="Send your report").click()
    expect(page.get_by_role("heading", name="Report sent")).to_be_visible()
    assert AnonymousReport.objects.get().safe_phone == "07700 900 321"
