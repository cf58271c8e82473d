"""Every lettings page: who may open it, what another household gets, the wrong method, and the
journeys a customer takes through the forms (errors shown with what they typed)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from kernel.roles import Role
from lettings import services
from lettings.models import Application, ApplicationStatus, MutualExchange
from tests.factories import CustomerFactory, CustomerWithLoginFactory, StaffFactory
from tests.lettings import factories as f

S = ApplicationStatus


@pytest.fixture
def settled(accepted, officer):
    return services.application_sign_up(
        application=accepted, actor=officer, tenancy_start_date=timezone.localdate()
    )


# --- public ---------------------------------------------------------------------------------


def test_the_public_pages_need_no_sign_in(client, advert):
    f.LettingSchemeFactory(name="Riverton Home Choice")
    page = client.get(reverse("lettings:finding_a_home"))
    assert page.status_code == 200
    assert "Riverton Home Choice" in page.content.decode()
    assert "Shared ownership" in page.content.decode()
    listing = client.get(reverse("lettings:advert_list"))
    assert advert.title in listing.content.decode()
    assert "£135.00" in listing.content.decode()
    assert client.get(reverse("lettings:advert_detail", args=[advert.pk])).status_code == 200


def test_a_withdrawn_or_unknown_advert_is_404(client, advert):
    services.advert_withdraw(advert=advert)
    assert client.get(reverse("lettings:advert_detail", args=[advert.pk])).status_code == 404
    assert client.get("/moving-home/homes/999999999999/").status_code == 404


def test_the_public_list_is_a_fixed_number_of_queries(
    client, advert, django_assert_max_num_queries
):
    for _ in range(5):
        f.advert_for(f.empty_home())
    with django_assert_max_num_queries(4):
        assert client.get(reverse("lettings:advert_list")).status_code == 200


# --- expressing interest --------------------------------------------------------------------


def test_an_applicant_expresses_interest_and_sees_their_application(client_a, advert, tenant_a):
    page = client_a.get(reverse("lettings:interest", args=[advert.pk]))
    assert page.status_code == 200
    response = client_a.post(
        reverse("lettings:interest", args=[advert.pk]),
        {
            "needs_adapted_home": "on",
            "idempotency_key": page.context["form"].initial["idempotency_key"],
        },
    )
    application = Application.objects.get(customer=tenant_a)
    assert response["Location"] == reverse(
        "lettings:application_detail", args=[application.reference]
    )
    assert application.needs_adapted_home
    listing = client_a.get(reverse("lettings:application_list"))
    assert application.reference in listing.content.decode()


def test_a_former_tenant_may_apply_for_a_home(client, advert, frozen):
    former = CustomerWithLoginFactory(tenancy__end_date=dt.date(2025, 1, 1))
    client.force_login(former.user)
    response = client.post(reverse("lettings:interest", args=[advert.pk]), {})
    assert response.status_code == 302
    assert Application.objects.filter(customer=former).exists()


def test_interest_after_closing_shows_the_reason_and_writes_nothing(client_a, advert, frozen):
    f.close(advert, frozen)
    # A closed advert is no longer public: the page is gone.
    assert client_a.post(reverse("lettings:interest", args=[advert.pk]), {}).status_code == 404
    assert not Application.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in_to_express_interest(client, advert):
    response = client.get(reverse("lettings:interest", args=[advert.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- applications: owner, other household, staff, anonymous, wrong method -------------------

CUSTOMER_PAGES = [
    ("lettings:application_detail", "get"),
    ("lettings:application_form", "get"),
    ("lettings:application_decision", "get"),
]


@pytest.mark.parametrize(("name", "method"), CUSTOMER_PAGES)
def test_another_household_gets_404(client, offer, tenant_b, name, method):
    client.force_login(tenant_b.user)
    assert client.get(reverse(name, args=[offer.reference])).status_code == 404


def test_a_joint_tenant_does_not_see_the_applicants_application(client, offer, joint_tenant_a):
    client.force_login(joint_tenant_a.user)
    assert (
        client.get(reverse("lettings:application_detail", args=[offer.reference])).status_code
        == 404
    )
    assert offer.reference not in client.get(reverse("lettings:application_list")).content.decode()


@pytest.mark.parametrize(("name", "method"), CUSTOMER_PAGES)
def test_anonymous_is_sent_to_sign_in(client, offer, name, method):
    response = client.get(reverse(name, args=[offer.reference]))
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(("name", "method"), CUSTOMER_PAGES)
def test_staff_are_refused_the_applicants_pages(client, offer, officer, name, method):
    client.force_login(officer)
    assert client.get(reverse(name, args=[offer.reference])).status_code == 403


def test_the_wrong_method_is_refused(client_a, offer):
    assert (
        client_a.delete(reverse("lettings:application_form", args=[offer.reference])).status_code
        == 405
    )
    assert (
        client_a.post(reverse("lettings:application_detail", args=[offer.reference])).status_code
        == 405
    )
    assert client_a.get(reverse("lettings:move_in_feedback")).status_code == 405


def test_the_application_form_shows_errors_with_what_was_typed(client_a, offer):
    url = reverse("lettings:application_form", args=[offer.reference])
    response = client_a.post(
        url, {"household_summary": "Me and my daughter", "weekly_income": "abc"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Me and my daughter" in body
    assert "Give your consent" in body
    offer.refresh_from_db()
    assert offer.status == S.OFFERED


def test_the_applicant_sends_the_form_then_accepts_after_the_viewing(client_a, offer, officer):
    url = reverse("lettings:application_form", args=[offer.reference])
    response = client_a.post(
        url,
        {
            "household_summary": "Me and my daughter, 6",
            "weekly_income": "450.00",
            "support_needs": "",
            "previous_addresses": "1 Mill Lane",
            "consent_given": "on",
            "accepts_tenancy_terms": "on",
        },
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.weekly_income_pence == 45_000
    assert offer.status == S.FORM_SENT
    f.viewing_booked(f.assessed(offer, officer), officer)
    decision_url = reverse("lettings:application_decision", args=[offer.reference])
    refused = client_a.post(decision_url, {"decision": "refuse", "reason": ""})
    assert "Tell us why" in refused.content.decode()
    client_a.post(decision_url, {"decision": "accept"})
    offer.refresh_from_db()
    assert offer.status == S.ACCEPTED


# --- moving in ------------------------------------------------------------------------------


def test_the_new_tenant_reads_their_move_in_pack_and_draft_agreement(client, settled, tenant_a):
    client.force_login(tenant_a.user)  # the login moved to the new household's record
    page = client.get(reverse("lettings:move_in"))
    body = page.content.decode()
    assert page.status_code == 200
    assert settled.tenancy.reference in body
    assert "Gas safety check done" in body
    # The certificates themselves are the safety app's, on the household's safety page.
    assert reverse("safety:your_safety") in body
    pdf = client.get(reverse("lettings:move_in_agreement_draft"))
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert settled.tenancy.reference in text
    assert "£125.00" in text


def test_a_household_that_did_not_move_in_through_a_letting_gets_404(client, tenant_b, settled):
    client.force_login(tenant_b.user)
    assert client.get(reverse("lettings:move_in")).status_code == 404
    assert client.get(reverse("lettings:move_in_agreement")).status_code == 404
    assert client.get(reverse("lettings:move_in_agreement_draft")).status_code == 404


def test_the_new_tenant_answers_the_satisfaction_question(client, settled, tenant_a):
    client.force_login(tenant_a.user)
    missing = client.post(reverse("lettings:move_in_feedback"), {"comment": "Lovely"})
    assert "Select how satisfied" in missing.content.decode()
    assert "Lovely" in missing.content.decode()
    client.post(reverse("lettings:move_in_feedback"), {"satisfaction": "5"})
    settled.refresh_from_db()
    assert settled.satisfaction == 5


# --- exchange -------------------------------------------------------------------------------


def test_a_tenant_applies_to_exchange_and_sees_the_decision_date(client_a, tenant_a, frozen, team):
    page = client_a.get(reverse("lettings:exchange_new"))
    response = client_a.post(
        reverse("lettings:exchange_new"),
        {
            "partner_name": "Jo Bloggs",
            "partner_address": "4 Elm Road",
            "partner_landlord": "Riverton Homes Trust",
            "idempotency_key": page.context["form"].initial["idempotency_key"],
        },
    )
    exchange = MutualExchange.objects.get(customer=tenant_a)
    assert response["Location"] == reverse("casework:case_detail", args=[exchange.reference])
    detail = client_a.get(response["Location"]).content.decode()
    assert "We will decide by" in detail


def test_the_exchange_form_shows_errors_with_what_was_typed(client_a, frozen):
    response = client_a.post(reverse("lettings:exchange_new"), {"partner_name": "Jo\x00"})
    body = response.content.decode()
    assert "Remove the unusual characters" in body
    assert "Enter the address" in body
    assert not MutualExchange.objects.exists()


def test_a_former_tenant_is_told_they_cannot_apply_to_exchange(client, db, frozen):
    former = CustomerWithLoginFactory(tenancy__end_date=dt.date(2025, 1, 1))
    client.force_login(former.user)
    response = client.post(reverse("lettings:exchange_new"), {"partner_name": "Jo"})
    assert response.status_code == 403
    assert not MutualExchange.objects.exists()


# --- staff pages ----------------------------------------------------------------------------


def test_the_lettings_team_sees_the_queue_and_the_shortlist(
    client, application, advert, officer, frozen
):
    f.close(advert, frozen)
    client.force_login(officer)
    queue = client.get(reverse("lettings:staff_queue")).content.decode()
    assert advert.title in queue
    shortlist = client.get(reverse("lettings:staff_shortlist", args=[advert.pk])).content.decode()
    assert application.reference in shortlist
    assert application.customer.full_name in shortlist


@pytest.mark.parametrize("name", ["lettings:staff_queue", "lettings:staff_shortlist"])
def test_staff_pages_refuse_customers_other_roles_and_anonymous(client, advert, tenant_a, name):
    args = [advert.pk] if name.endswith("shortlist") else []
    url = reverse(name, args=args)
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    client.force_login(tenant_a.user)
    assert client.get(url).status_code == 403
    client.force_login(StaffFactory(roles=[Role.REPAIRS]))
    assert client.get(url).status_code == 403
    client.force_login(StaffFactory(roles=[Role.LETTINGS]))
    assert client.post(url).status_code == 405


def test_the_shortlist_of_an_unknown_advert_is_404(client, officer):
    client.force_login(officer)
    assert client.get("/moving-home/staff/adverts/123456/").status_code == 404


def test_the_queue_is_a_fixed_number_of_queries(
    client, officer, frozen, django_assert_max_num_queries
):
    for _ in range(3):
        advert = f.advert_for(f.empty_home())
        f.interest(CustomerFactory(), advert)
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("lettings:staff_queue")).status_code == 200


def _form_data(**extra):
    return {
        "household_summary": "Me",
        "weekly_income": "450.00",
        "previous_addresses": "1 Mill Lane",
        "consent_given": "on",
        "accepts_tenancy_terms": "on",
        **extra,
    }


def test_proof_of_income_is_kept_for_the_lettings_team_only(client_a, offer, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from casework.models import Attachment

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    pdf = SimpleUploadedFile("payslip.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    url = reverse("lettings:application_form", args=[offer.reference])
    assert client_a.post(url, _form_data(evidence=pdf)).status_code == 302
    attachment = Attachment.objects.get(object_id=offer.pk)
    assert attachment.original_name == "payslip.pdf"
    assert attachment.visible_to_customer is False


def test_a_refused_upload_shows_why_and_writes_nothing(client_a, offer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from casework.models import Attachment

    text = SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain")
    url = reverse("lettings:application_form", args=[offer.reference])
    response = client_a.post(url, _form_data(evidence=text))
    assert "must be a JPG, PNG or PDF" in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == S.OFFERED
    assert offer.form_sent_at is None
    assert not Attachment.objects.exists()
