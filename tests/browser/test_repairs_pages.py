"""Repairs in a real browser: every customer page checked by axe-core (WCAG 2.2 AA), with and
without its error messages, and the report journey end to end without JavaScript."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from casework.models import Team
from repairs import services
from repairs.models import Appointment, CapacityPlan, Repair
from tests.browser.helpers import assert_accessible, sign_in_with_cookie, sign_in_with_form
from tests.repairs.factories import leaseholder_with_login
from tests.repairs.photos import jpeg_bytes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def open_slots(db, repairs_officer):
    Team.objects.update_or_create(
        name=services.TEAM_NAME, defaults={"role": "repairs", "lead": repairs_officer}
    )
    for trade in ("carpentry", "damp", "plumbing"):
        for window in ("morning", "afternoon", "school_run"):
            CapacityPlan.objects.create(trade=trade, patch="North", window=window, jobs=2)
    services.slots_open()


def continue_(page, button="Continue"):
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def test_every_page_of_a_report_is_accessible(page, live_server, tenant_a, open_slots):
    sign_in_with_cookie(page, tenant_a.user, live_server.url)
    page.goto(reverse("repairs:planned_works"))
    assert_accessible(page)
    page.goto(reverse("repairs:list"))
    assert_accessible(page)
    page.get_by_role("button", name="Report a repair").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a repair")
    assert_accessible(page)

    continue_(page, "Start now")
    expect(page.get_by_role("heading", level=1)).to_have_text("Is it one of these emergencies?")
    assert_accessible(page)
    continue_(page)
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("No, none of these").check()
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Which part of your home is the problem in?"
    )
    assert_accessible(page)
    page.get_by_label("Kitchen").check()
    continue_(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Kitchen: what is the problem?")
    assert_accessible(page)
    page.get_by_label("Broken cupboard door, drawer or hinge").check()
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Describe the problem")
    assert_accessible(page)
    continue_(page)
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Describe the problem").fill("The door under the sink hangs off.")
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Add photos (optional)")
    assert_accessible(page)
    page.get_by_label("Add a photo").set_input_files(
        files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"not a photo"}]
    )
    continue_(page, "Add photo")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Add a photo").set_input_files(
        files=[{"name": "door.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}]
    )
    continue_(page, "Add photo")
    expect(page.get_by_text("door.jpg")).to_be_visible()
    assert_accessible(page)
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Choose an appointment")
    assert_accessible(page)
    page.locator("input[name=slot]").first.check()
    continue_(page, "Choose this appointment")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending your report"
    )
    assert_accessible(page)
    continue_(page, "Send report")

    expect(page.get_by_role("heading", level=1)).to_have_text("Repair reported")
    assert_accessible(page)
    repair = Repair.objects.get()
    assert Appointment.objects.filter(repair=repair, status="booked").exists()
    page.goto(reverse("repairs:list"))
    expect(page.get_by_role("link", name=repair.title)).to_be_visible()
    assert_accessible(page)
    page.go_back()

    page.get_by_role("link", name="Follow your repair").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(repair.title)
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Change the appointment").click()
    assert_accessible(page)
    page.goto(reverse("repairs:appointment_cancel", args=[repair.reference]))
    assert_accessible(page)
    page.goto(reverse("repairs:add_photo", args=[repair.reference]))
    assert_accessible(page)


def test_damp_and_mould_questions_are_accessible(page, live_server, tenant_a, open_slots):
    sign_in_with_cookie(page, tenant_a.user, live_server.url)
    page.goto(reverse("repairs:report_start"))
    continue_(page, "Start now")
    page.get_by_label("No, none of these").check()
    continue_(page)
    page.get_by_label("Damp, mould and danger").check()
    continue_(page)
    page.get_by_label("Damp or mould", exact=True).check()
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Where is the damp or mould?")
    assert_accessible(page)
    page.get_by_label("A bedroom").check()
    continue_(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("How much damp or mould is there?")
    assert_accessible(page)
    page.get_by_label("More than 1 square metre, or in more than one room").check()
    continue_(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Does anyone who lives in your home have any of these?"
    )
    assert_accessible(page)
    page.get_by_label("No, none of these").check()
    page.get_by_label("Someone aged 65 or over").check()
    continue_(page)
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_pages_that_end_a_report_are_accessible(page, live_server, tenant_a, open_slots):
    sign_in_with_cookie(page, tenant_a.user, live_server.url)
    page.goto(reverse("repairs:report_start"))
    continue_(page, "Start now")
    page.get_by_label("I can smell gas").check()
    continue_(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("National Gas Emergency Service")
    assert_accessible(page)

    page.goto(reverse("repairs:report_start"))
    continue_(page, "Start a new report")
    page.get_by_label("No, none of these").check()
    continue_(page)
    page.get_by_label("Bathroom and toilet").check()
    continue_(page)
    page.get_by_label("Broken toilet seat").check()
    continue_(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("This is a repair you do yourself")
    assert_accessible(page)


def test_a_leaseholders_report_pages_are_accessible(page, live_server, open_slots):
    leaseholder = leaseholder_with_login()
    sign_in_with_cookie(page, leaseholder.user, live_server.url)
    page.goto(reverse("repairs:report_start"))
    assert_accessible(page)
    continue_(page, "Start now")
    page.get_by_label("No, none of these").check()
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Where is the problem?")
    expect(page.get_by_text("responsible for repairs inside your own home")).to_be_visible()
    assert_accessible(page)


def test_after_completion_pages_are_accessible(
    page, live_server, tenant_a, open_slots, repairs_officer
):
    repair = services.repair_create(
        customer=tenant_a,
        item_code="bathroom.leak",
        location="home",
        description="Leak under the basin.",
    )
    services.repair_record_completed(repair=repair, actor=repairs_officer, first_time_fix=True)
    sign_in_with_cookie(page, tenant_a.user, live_server.url)

    page.goto(reverse("repairs:detail", args=[repair.reference]))
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Tell us how we did").click()
    assert_accessible(page)
    continue_(page, "Send")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)

    page.goto(reverse("repairs:not_fixed", args=[repair.reference]))
    assert_accessible(page)
    continue_(page, "Send")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_a_repair_can_be_reported_without_javascript(page_without_javascript, tenant_a, open_slots):
    page = page_without_javascript
    sign_in_with_form(page, tenant_a.user.email)
    page.goto(reverse("repairs:report_start"))
    continue_(page, "Start now")
    page.get_by_label("No, none of these").check()
    continue_(page)
    page.get_by_label("Kitchen").check()
    continue_(page)
    page.get_by_label("Dripping or loose tap").check()
    continue_(page)
    page.get_by_label("Describe the problem").fill("The hot tap drips all night.")
    continue_(page)
    continue_(page)
    page.get_by_label("None of these: I will choose later").check()
    continue_(page, "Choose this appointment")
    continue_(page, "Send report")

    expect(page.get_by_role("heading", level=1)).to_have_text("Repair reported")
    repair = Repair.objects.get()
    assert repair.catalogue_code == "kitchen.tap"
    assert repair.reference in page.content()
