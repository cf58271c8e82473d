"""axe-core on every customer complaints page (0 violations at WCAG 2.2 AA), with and without
form errors, and the main journey with JavaScript off."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from casework.models import ReceivedBy
from complaints.models import Complaint, ComplaintStatus
from complaints.services import complaint_close, complaint_escalate, complaint_learning_record
from kernel.roles import Role
from tests.browser.helpers import assert_accessible, sign_in_with_cookie
from tests.complaints.factories import acknowledge, receive, respond
from tests.factories import CustomerWithLoginFactory, StaffFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def tenant(db):
    return CustomerWithLoginFactory(first_name="Amina", last_name="Khan")


@pytest.fixture
def complaints(tenant):
    from kernel.roles import Role

    officer = StaffFactory(roles=[Role.COMPLAINTS], first_name="Cara", last_name="Officer")
    responded = receive(tenant, subject="Mould in the bedroom")
    acknowledge(responded, officer, issues=["Mould came back", "Nobody called"])
    letter = respond(responded, officer)
    closed = receive(tenant, subject="Bins not collected")
    acknowledge(closed, officer)
    respond(closed, officer)
    complaint_learning_record(complaint=closed, actor=officer, lesson="l", improvement="i")
    complaint_close(complaint=closed, actor=officer)
    quick = receive(
        tenant,
        subject="Light out on the stairs",
        received_by=ReceivedBy.PHONE,
        actor=officer,
        quick_resolution=True,
    )
    return {"responded": responded, "closed": closed, "quick": quick, "letter": letter}


def _pages(complaints) -> list[str]:
    responded, letter = complaints["responded"], complaints["letter"]
    return [
        reverse("complaints:list"),
        reverse("complaints:new"),
        reverse("complaints:feedback"),
        reverse("complaints:detail", args=[responded.reference]),
        reverse("complaints:detail", args=[complaints["quick"].reference]),
        reverse("complaints:detail", args=[complaints["closed"].reference]),
        reverse("complaints:escalate", args=[responded.reference]),
        reverse("complaints:not_satisfied", args=[complaints["quick"].reference]),
        reverse("complaints:rate", args=[complaints["closed"].reference]),
        reverse("complaints:letter", args=[responded.reference, letter.pk]),
        reverse("complaints:letter_print", args=[responded.reference, letter.pk]),
    ]


def test_every_complaints_page_is_accessible(page, live_server, tenant, complaints):
    sign_in_with_cookie(page, tenant.user, live_server.url)

    for url in _pages(complaints):
        response = page.goto(url)
        assert response.status == 200, url
        assert_accessible(page)


@pytest.mark.parametrize(
    ("name", "button"),
    [
        ("complaints:new", "Send your complaint"),
        ("complaints:feedback", "Send"),
    ],
)
def test_a_form_with_its_errors_is_accessible(page, live_server, tenant, name, button):
    sign_in_with_cookie(page, tenant.user, live_server.url)
    page.goto(reverse(name))
    page.get_by_role("button", name=button, exact=True).click()

    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_the_rating_form_with_its_errors_is_accessible(page, live_server, tenant, complaints):
    sign_in_with_cookie(page, tenant.user, live_server.url)
    page.goto(reverse("complaints:rate", args=[complaints["closed"].reference]))
    page.get_by_role("button", name="Send your rating").click()

    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_a_complaint_made_and_escalated_without_javascript(
    page_without_javascript, live_server, tenant
):
    from kernel.roles import Role

    page = page_without_javascript
    sign_in_with_cookie(page, tenant.user, live_server.url)
    page.goto(reverse("complaints:new"))
    page.get_by_label("Repairs and maintenance").check()
    page.get_by_label("Give your complaint a short title").fill("Leaking gutter")
    page.get_by_label("What went wrong?").fill("Water pours down the wall when it rains.")
    page.get_by_role("button", name="Send your complaint").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Leaking gutter")
    complaint = Complaint.objects.get(subject="Leaking gutter")
    assert complaint.status == ComplaintStatus.STAGE1_RECEIVED

    officer = StaffFactory(roles=[Role.COMPLAINTS])
    acknowledge(complaint, officer)
    respond(complaint, officer)
    page.goto(reverse("complaints:detail", args=[complaint.reference]))
    page.get_by_role("button", name="Ask for a Final Review").click()
    page.get_by_role("button", name="Ask for a Final Review").click()

    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.STAGE2_RECEIVED
    expect(page.get_by_text("You have asked for a Final Review")).to_be_visible()


@pytest.mark.parametrize(
    ("stage", "last_part"),
    [(1, "How to escalate to stage 2"), (2, "How to go to the Housing Ombudsman")],
)
def test_the_staff_response_form_is_accessible(page, live_server, tenant, stage, last_part):
    officer = StaffFactory(roles=[Role.COMPLAINTS])
    complaint = receive(tenant)
    acknowledge(complaint, officer)
    if stage == 2:
        respond(complaint, officer)
        complaint_escalate(complaint=Complaint.objects.get(pk=complaint.pk))
        # The Final Review is answered by someone other than the stage 1 handler.
        officer = StaffFactory(roles=[Role.COMPLAINTS])
        acknowledge(Complaint.objects.get(pk=complaint.pk), officer)
    sign_in_with_cookie(page, officer, live_server.url)

    response = page.goto(reverse("admin:complaints_complaint_step", args=[complaint.pk, "respond"]))

    assert response.status == 200
    expect(page.get_by_label(last_part)).to_be_visible()
    assert_accessible(page)
