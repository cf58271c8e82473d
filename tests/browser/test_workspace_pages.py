"""The staff workspace in a browser on a 1280 px laptop: My work and every case queue fit the
screen without scrolling sideways, a bulk take works end to end, and the pages pass axe."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import expect

from casework.access import registered_case_models
from casework.models import CaseEvent, EventKind
from kernel.roles import Role
from tests.browser.helpers import WCAG_22_AA, _axe, sign_in_with_cookie
from tests.factories import StaffFactory
from tests.workspace.factories import one_case_of_every_type

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

LAPTOP = {"width": 1280, "height": 800}
# A Tuesday morning, when the web chat is open, so a chat can be started.
TUESDAY_MORNING = dt.datetime(2026, 12, 8, 10, 0, tzinfo=dt.UTC)

SCROLLS_SIDEWAYS = """() => {
  const page = document.documentElement.scrollWidth > window.innerWidth;
  const boxes = [...document.querySelectorAll('#result_list, .results, #changelist-form')]
    .filter(box => box.scrollWidth > box.clientWidth + 1);
  return page || boxes.length > 0;
}"""


@pytest.fixture
def every_type(tenant_a):
    with time_machine.travel(TUESDAY_MORNING, tick=True):
        yield one_case_of_every_type(tenant_a)


@pytest.fixture
def officer(page, live_server, every_type):
    officer = StaffFactory(
        roles=[Role.MANAGER, Role.CUSTOMER_SERVICES], first_name="Jo", last_name="Adviser"
    )
    sign_in_with_cookie(page, officer, live_server.url)
    page.set_viewport_size(LAPTOP)
    return officer


def _changelist(model) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")


def test_every_case_queue_fits_a_laptop_with_its_filters_folded(page, live_server, every_type):
    # A manager sees every queue but the sensitive ones, which are the ASB team's alone, and
    # requests about a person's own data, which are the data-protection team's.
    staff = StaffFactory(roles=[Role.MANAGER, Role.ASB, Role.DATA_PROTECTION])
    sign_in_with_cookie(page, staff, live_server.url)
    page.set_viewport_size(LAPTOP)
    for entry in registered_case_models():
        page.goto(live_server.url + _changelist(entry.model))
        expect(page.locator("#result_list")).to_be_visible()
        assert not page.evaluate(SCROLLS_SIDEWAYS), f"{entry.model.__name__} scrolls sideways"
        expect(page.locator("#result_list th.column-clock")).to_be_visible()
        # The filters open on request.
        page.locator(".portal-filters > summary").click()
        expect(page.locator(".portal-filters")).to_have_attribute("open", "")


def test_taking_cases_from_my_team_in_bulk(page, live_server, officer, every_type):
    page.goto(live_server.url + reverse("workspace:my_work") + "?scope=team")
    rows = page.locator("#result_list tbody tr")
    expect(rows.first).to_be_visible()
    assert not page.evaluate(SCROLLS_SIDEWAYS)
    references = [rows.nth(i).locator("th a").inner_text() for i in range(min(2, rows.count()))]
    for reference in references:
        page.get_by_label(f"Tick {reference}").check()

    with page.expect_navigation():
        page.get_by_role("button", name="Take them").click()

    expect(page.locator(".messagelist")).to_contain_text(f"{len(references)} case")
    assert CaseEvent.objects.filter(kind=EventKind.ASSIGNED, actor=officer).count() == len(
        references
    )
    page.goto(live_server.url + reverse("workspace:my_work"))
    for reference in references:
        expect(page.get_by_role("link", name=reference)).to_be_visible()


def test_my_work_and_the_households_picture_pass_axe(page, live_server, officer, tenant_a):
    for url in (
        reverse("workspace:my_work") + "?scope=team",
        reverse("workspace:household", args=[tenant_a.tenancy_id]),
        reverse("workspace:find") + "?q=Khan",
        reverse("workspace:find") + "?q=K",
    ):
        page.goto(live_server.url + url)
        results = _axe.run(page, options=WCAG_22_AA)
        assert results.violations_count == 0, f"{url}\n{results.generate_report()}"
