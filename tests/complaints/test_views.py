"""The customer's complaint pages: who may see each (every URL), and what each does."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from casework.models import CaseLink, ReceivedBy
from complaints.models import (
    Complaint,
    ComplaintRating,
    ComplaintStatus,
    Feedback,
    LetterKind,
    QuickResolutionOutcome,
)
from complaints.services import complaint_close, complaint_learning_record
from kernel.formatting import LONDON
from tests.complaints.factories import ComplaintFactory, acknowledge, receive, respond

MONDAY = dt.datetime(2026, 6, 1, 9, 0, tzinfo=LONDON)


@pytest.fixture
def cases(tenant_a, complaints_officer, time_machine):
    """Tenant A's complaints in each state a page needs."""
    time_machine.move_to(MONDAY, tick=False)
    responded = receive(tenant_a, subject="Responded")
    acknowledge(responded, complaints_officer)
    letter = respond(responded, complaints_officer)
    closed = receive(tenant_a, subject="Closed")
    acknowledge(closed, complaints_officer)
    respond(closed, complaints_officer)
    complaint_learning_record(
        complaint=closed, actor=complaints_officer, lesson="l", improvement="i"
    )
    complaint_close(complaint=closed, actor=complaints_officer)
    quick = receive(
        tenant_a,
        subject="Quick",
        received_by=ReceivedBy.PHONE,
        actor=complaints_officer,
        quick_resolution=True,
    )
    return {"responded": responded, "closed": closed, "quick": quick, "letter": letter}


def _urls(cases) -> list[tuple[str, str, set[str]]]:
    """(url, a method the view takes, methods it takes) for every customer URL."""
    responded, closed, quick = cases["responded"], cases["closed"], cases["quick"]
    letter = cases["letter"]
    return [
        (reverse("complaints:list"), "get", {"get"}),
        (reverse("complaints:new"), "get", {"get", "post"}),
        (reverse("complaints:feedback"), "get", {"get", "post"}),
        (reverse("complaints:detail", args=[responded.reference]), "get", {"get"}),
        (reverse("complaints:escalate", args=[responded.reference]), "get", {"get", "post"}),
        (reverse("complaints:not_satisfied", args=[quick.reference]), "get", {"get", "post"}),
        (reverse("complaints:rate", args=[closed.reference]), "get", {"get", "post"}),
        (reverse("complaints:letter", args=[responded.reference, letter.pk]), "get", {"get"}),
        (reverse("complaints:letter_print", args=[responded.reference, letter.pk]), "get", {"get"}),
    ]


def test_the_owner_sees_every_page(client, tenant_a, cases):
    client.force_login(tenant_a.user)
    for url, method, _ in _urls(cases):
        assert getattr(client, method)(url).status_code == 200, url


def test_a_joint_tenant_sees_the_households_complaints(client, joint_tenant_a, cases):
    client.force_login(joint_tenant_a.user)
    for url, method, _ in _urls(cases):
        assert getattr(client, method)(url).status_code == 200, url


def test_another_household_gets_404_for_every_complaint_page(client, tenant_b, cases):
    client.force_login(tenant_b.user)
    for url, method, _ in _urls(cases)[3:]:
        assert getattr(client, method)(url).status_code == 404, url


def test_anonymous_visitors_are_sent_to_sign_in(client, cases):
    for url, method, _ in _urls(cases):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url


def test_staff_are_refused_the_customer_pages(client, complaints_officer, cases):
    client.force_login(complaints_officer)
    for url, method, _ in _urls(cases):
        assert getattr(client, method)(url).status_code == 403, url


def test_a_wrong_method_is_rejected(client, tenant_a, cases):
    client.force_login(tenant_a.user)
    for url, _, methods in _urls(cases):
        wrong = "post" if "post" not in methods else "put"
        assert getattr(client, wrong)(url).status_code == 405, url


def test_a_letter_of_another_complaint_is_404_under_this_one(client, tenant_a, cases):
    client.force_login(tenant_a.user)
    url = reverse("complaints:letter", args=[cases["closed"].reference, cases["letter"].pk])
    assert client.get(url).status_code == 404


def test_a_draft_letter_is_never_shown_to_the_customer(client, tenant_a, complaints_officer, cases):
    from complaints.services import ResponseDraft, complaint_response_save_draft

    complaint = receive(tenant_a)
    acknowledge(complaint, complaints_officer)
    draft = complaint_response_save_draft(
        complaint=complaint,
        actor=complaints_officer,
        draft=ResponseDraft(remedy="internal thoughts"),
    )
    client.force_login(tenant_a.user)

    assert (
        client.get(reverse("complaints:letter", args=[complaint.reference, draft.pk])).status_code
        == 404
    )
    assert (
        b"internal thoughts"
        not in client.get(reverse("complaints:detail", args=[complaint.reference])).content
    )


# --- making a complaint ------------------------------------------------------------------------


def _complaint_post(**overrides) -> dict:
    data = {
        "service_area": "repairs",
        "subject": "Damp in the bedroom",
        "details": "Black mould is back on the bedroom wall.",
        "outcome_wanted": "Treat the mould properly.",
        "issue_date_0": "",
        "issue_date_1": "",
        "issue_date_2": "",
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_a_customer_makes_a_complaint_and_lands_on_its_page(client_a, tenant_a, time_machine):
    time_machine.move_to(MONDAY, tick=False)

    response = client_a.post(
        reverse("complaints:new"),
        _complaint_post(issue_date_0="20", issue_date_1="5", issue_date_2="2026"),
    )

    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("complaints:detail", args=[complaint.reference])
    assert complaint.customer == tenant_a
    assert complaint.received_by == ReceivedBy.PORTAL
    assert complaint.issue_date == dt.date(2026, 5, 20)
    assert complaint.status == ComplaintStatus.STAGE1_RECEIVED
    page = client_a.get(response.url)
    assert b"Your complaint has been sent" in page.content
    assert "We will confirm what your complaint is about by Thursday 4 June 2026" in (
        page.content.decode()
    )


def test_pressing_send_twice_makes_one_complaint(client_a, time_machine):
    time_machine.move_to(MONDAY, tick=False)
    data = _complaint_post()

    first = client_a.post(reverse("complaints:new"), data)
    second = client_a.post(reverse("complaints:new"), data)

    assert Complaint.objects.count() == 1
    assert first.url == second.url


def test_a_complaint_with_mistakes_is_shown_again_with_the_error_summary(client_a):
    response = client_a.post(
        reverse("complaints:new"),
        _complaint_post(
            subject="",
            service_area="",
            details="Typed <b>this</b>",
            issue_date_0="31",
            issue_date_1="12",
            issue_date_2="2099",
        ),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Enter a short title for your complaint" in html
    assert "Select what your complaint is about" in html
    assert "The date must be today or in the past" in html
    assert "Typed &lt;b&gt;this&lt;/b&gt;" in html
    assert html.startswith("<!DOCTYPE html>") and "<title>Error: " in html
    assert not Complaint.objects.exists()


def test_a_complaint_about_one_of_the_households_cases_links_it(client_a, tenant_a, time_machine):
    time_machine.move_to(MONDAY, tick=False)
    earlier = ComplaintFactory(customer=tenant_a, reference="CMP-2026-000900")
    # Complaints are not offered as the thing complained about; any other case is. Use the
    # registered Enquiry model as "another case of the household".
    from enquiries.models import Enquiry

    enquiry = Enquiry.objects.create(
        reference="ENQ-2026-000001",
        customer=tenant_a,
        tenancy=tenant_a.tenancy,
        property=tenant_a.tenancy.property,
        received_by=ReceivedBy.PORTAL,
        status="received",
        opened_at=MONDAY,
        subject="Boiler question",
        details="When is the service?",
    )
    page = client_a.get(reverse("complaints:new"))
    assert b"ENQ-2026-000001" in page.content
    assert earlier.reference.encode() not in page.content

    client_a.post(reverse("complaints:new"), _complaint_post(about=enquiry.reference))

    complaint = Complaint.objects.exclude(pk=earlier.pk).get()
    assert CaseLink.objects.filter(
        from_id=complaint.pk, to_id=enquiry.pk, relation="about"
    ).exists()
    detail = client_a.get(reverse("complaints:detail", args=[complaint.reference]))
    assert b"ENQ-2026-000001: Boiler question" in detail.content


def test_another_households_case_cannot_be_chosen(client_a, tenant_a, tenant_b, time_machine):
    from enquiries.models import Enquiry

    time_machine.move_to(MONDAY, tick=False)
    for reference, customer in (("ENQ-2026-000001", tenant_a), ("ENQ-2026-000002", tenant_b)):
        Enquiry.objects.create(
            reference=reference,
            customer=customer,
            tenancy=customer.tenancy,
            property=customer.tenancy.property,
            received_by=ReceivedBy.PORTAL,
            status="received",
            opened_at=MONDAY,
            subject="Question",
            details="Question",
        )

    response = client_a.post(reverse("complaints:new"), _complaint_post(about="ENQ-2026-000002"))

    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert not Complaint.objects.exists()
    assert not CaseLink.objects.exists()


def test_markup_a_customer_typed_is_escaped_on_every_page(
    client_a, tenant_a, complaints_officer, time_machine
):
    time_machine.move_to(MONDAY, tick=False)
    evil = '<script>alert("x")</script>'
    complaint = receive(tenant_a, subject=evil, details=evil, outcome_wanted=evil)
    letter = acknowledge(complaint, complaints_officer, issues=[evil])

    for url in (
        reverse("complaints:list"),
        reverse("complaints:detail", args=[complaint.reference]),
        reverse("complaints:letter", args=[complaint.reference, letter.pk]),
        reverse("complaints:letter_print", args=[complaint.reference, letter.pk]),
    ):
        html = client_a.get(url).content.decode()
        assert evil not in html, url
        assert "&lt;script&gt;" in html, url


# --- after a response ----------------------------------------------------------------------------


def test_the_customer_asks_for_a_final_review(client_a, cases):
    complaint = cases["responded"]
    url = reverse("complaints:escalate", args=[complaint.reference])

    response = client_a.post(url, {"note": ""})

    complaint.refresh_from_db()
    assert response.status_code == 302
    assert complaint.stage == 2 and complaint.status == ComplaintStatus.STAGE2_RECEIVED
    # Asking again takes them back to the complaint, and changes nothing.
    again = client_a.post(url, {"note": "again"})
    assert again.status_code == 302
    complaint.refresh_from_db()
    assert complaint.escalation_note == ""


def test_a_complaint_not_yet_answered_has_no_final_review_page(client_a, tenant_a, time_machine):
    time_machine.move_to(MONDAY, tick=False)
    complaint = receive(tenant_a)

    assert (
        client_a.get(reverse("complaints:escalate", args=[complaint.reference])).status_code == 404
    )


def test_the_customer_asks_for_a_formal_investigation_of_a_quick_resolution(client_a, cases):
    quick = cases["quick"]

    response = client_a.post(
        reverse("complaints:not_satisfied", args=[quick.reference]),
        {"note": "A new fan is not enough"},
    )

    quick.refresh_from_db()
    assert response.status_code == 302
    assert quick.status == ComplaintStatus.STAGE1_RECEIVED
    assert quick.quick_resolution_outcome == QuickResolutionOutcome.CUSTOMER_NOT_SATISFIED


def test_the_customer_rates_a_closed_complaint(client_a, tenant_a, cases):
    closed = cases["closed"]
    url = reverse("complaints:rate", args=[closed.reference])

    bad = client_a.post(url, {"satisfaction": ""})
    assert bad.status_code == 200 and b"Select how satisfied you are" in bad.content
    client_a.post(url, {"satisfaction": "very_satisfied", "comment": "=1+1"})
    second = client_a.post(url, {"satisfaction": "very_dissatisfied"})

    rating = ComplaintRating.objects.get()
    assert rating.satisfaction == "very_satisfied" and rating.comment == "=1+1"
    assert rating.customer == tenant_a
    assert second.status_code == 302


def test_an_open_complaint_cannot_be_rated(client_a, cases):
    assert (
        client_a.get(reverse("complaints:rate", args=[cases["responded"].reference])).status_code
        == 404
    )


def test_the_complaint_page_shows_the_stage_letters_and_promised_actions(client_a, cases):
    complaint = cases["responded"]

    html = client_a.get(reverse("complaints:detail", args=[complaint.reference])).content.decode()

    assert "Stage 1" in html
    assert "Stage 1 response sent" in html
    assert "Ask for a Final Review" in html
    assert complaint.letters.get(kind=LetterKind.ACKNOWLEDGEMENT).subject in html
    assert "Fit a new extractor fan" in html


def test_the_printable_letter_has_a_print_stylesheet_and_no_script(client_a, cases):
    letter = cases["letter"]
    html = client_a.get(
        reverse("complaints:letter_print", args=[cases["responded"].reference, letter.pk])
    ).content.decode()

    assert "complaints/print.css" in html
    assert "<script" not in html
    assert "Our reference: " + cases["responded"].reference in html


def test_the_list_costs_the_same_queries_for_many_complaints(
    client, django_assert_max_num_queries, tenant_a
):
    client.force_login(tenant_a.user)
    for _ in range(25):
        ComplaintFactory(customer=tenant_a)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("complaints:list"))

    assert response.status_code == 200
    assert response.content.count(b"CMP-2026-") >= 25


# --- compliments and comments --------------------------------------------------------------------


def test_a_compliment_is_routed_to_the_team_it_is_about(client_a, tenant_a, repairs_officer):
    from casework.models import Team
    from notifications.models import Message

    team, _ = Team.objects.get_or_create(name="Repairs", defaults={"role": "repairs"})
    team.lead = repairs_officer
    team.save()
    data = {
        "kind": "compliment",
        "service_area": "repairs",
        "details": "The plumber was brilliant",
        "idempotency_key": str(uuid.uuid4()),
    }

    client_a.post(reverse("complaints:feedback"), data)
    client_a.post(reverse("complaints:feedback"), data)

    feedback = Feedback.objects.get()
    assert feedback.team == team and feedback.customer == tenant_a
    assert (
        Message.objects.filter(
            staff_user=repairs_officer, body__contains="The plumber was brilliant"
        ).count()
        == 1
    )


def test_feedback_with_mistakes_is_shown_again(client_a):
    response = client_a.post(
        reverse("complaints:feedback"),
        {"kind": "", "service_area": "", "details": "", "idempotency_key": str(uuid.uuid4())},
    )

    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert not Feedback.objects.exists()


def test_the_complaint_page_costs_the_same_queries_however_long_its_history(
    client_a, tenant_a, complaints_officer, django_assert_max_num_queries, time_machine
):
    from complaints.services import complaint_action_update

    time_machine.move_to(MONDAY, tick=False)
    complaint = receive(tenant_a)
    acknowledge(complaint, complaints_officer, issues=[f"Point {n}" for n in range(5)])
    respond(complaint, complaints_officer)
    action = complaint.actions.get()
    for n in range(6):
        complaint_action_update(action=action, actor=complaints_officer, note=f"Update {n}")

    with django_assert_max_num_queries(16):
        response = client_a.get(reverse("complaints:detail", args=[complaint.reference]))

    assert response.content.decode().count("Update 5") >= 1
