"""axe-core on every resident neighbourhood page (0 violations at WCAG 2.2 AA), with and without
form errors, and a report made without JavaScript."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from neighbourhoods.models import NeighbourhoodReport, ResidentInspector
from neighbourhoods.services import report_create
from tests.browser.helpers import assert_accessible, sign_in_with_cookie
from tests.factories import BlockFactory, CustomerWithLoginFactory, PropertyFactory, TenancyFactory
from tests.neighbourhoods.factories import (
    CommunalServiceFactory,
    EstateFactory,
    InspectionFactory,
    PartnerFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def resident(db):
    block = BlockFactory(name="Alder Court")
    home = PropertyFactory(block=block, property_type="flat")
    return CustomerWithLoginFactory(tenancy=TenancyFactory(property=home), first_name="Amina")


@pytest.fixture
def area(resident):
    block = resident.tenancy.property.block
    estate = EstateFactory(name="Riverside Estate", blocks=[block])
    inspection = InspectionFactory(block=None, estate=estate)
    CommunalServiceFactory(block=block)
    PartnerFactory(name="Riverton Police Team", website="https://police.example")
    ResidentInspector.objects.create(
        customer=resident, estate=estate, signed_up_at="2026-11-01T10:00Z"
    )
    report = report_create(
        customer=resident, kind="graffiti", place="block", where="Door", details="Paint"
    )
    return {"estate": estate, "inspection": inspection, "report": report}


def test_every_neighbourhood_page_is_accessible(page, live_server, resident, area):
    sign_in_with_cookie(page, resident.user, live_server.url)
    inspection = area["inspection"]
    for url in [
        "/",
        reverse("neighbourhoods:home"),
        reverse("neighbourhoods:inspection", args=[inspection.pk]),
        reverse("neighbourhoods:inspection_score", args=[inspection.pk]),
        reverse("neighbourhoods:report_new"),
        reverse("neighbourhoods:report_detail", args=[area["report"].reference]),
    ]:
        response = page.goto(url)
        assert response.status == 200, url
        assert_accessible(page)


@pytest.mark.parametrize(
    ("name", "button"),
    [
        ("neighbourhoods:report_new", "Send the report"),
        ("neighbourhoods:inspection_score", "Send your scores"),
    ],
)
def test_a_form_with_its_errors_is_accessible(page, live_server, resident, area, name, button):
    sign_in_with_cookie(page, resident.user, live_server.url)
    args = [area["inspection"].pk] if name.endswith("score") else []
    page.goto(reverse(name, args=args))
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_the_council_page_is_accessible(page, live_server, resident, area):
    sign_in_with_cookie(page, resident.user, live_server.url)
    page.goto(reverse("neighbourhoods:report_new"))
    page.get_by_label("Bulk rubbish or fly-tipping").check()
    page.get_by_label("Somewhere else (a street, a park, a road)").check()
    page.get_by_label("Describe exactly where").fill("Mill Lane")
    page.get_by_label("Tell us what you found").fill("A sofa")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("This is for the council")
    assert_accessible(page)


def test_graffiti_reported_without_javascript(page_without_javascript, live_server, resident, area):
    page = page_without_javascript
    sign_in_with_cookie(page, resident.user, live_server.url)
    page.goto(reverse("neighbourhoods:report_new"))
    page.get_by_label("Graffiti", exact=True).check()
    page.get_by_label("The graffiti is racist, sexual, threatening or abusive", exact=False).check()
    page.get_by_label("In or around my block").check()
    page.get_by_label("Describe exactly where").fill("Lift door")
    page.get_by_label("Tell us what you found").fill("Racist words sprayed on the lift")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Offensive graffiti")
    report = NeighbourhoodReport.objects.get(where="Lift door")
    assert report.offensive
