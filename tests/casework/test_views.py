from __future__ import annotations

import datetime as dt
import logging

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework.models import ReceivedBy, SensitiveCaseRead
from casework.services import attachment_add, case_add_note, case_assign, case_open
from enquiries.models import Enquiry, EnquiryStatus
from kernel.roles import Role
from sla.services import deadline_start
from tests.casework.factories import EnquiryFactory, TeamFactory

PDF = b"%PDF-1.4\n%%EOF\n"
LOGIN_URL = reverse("account_login")


def case_url(case) -> str:
    return reverse("casework:case_detail", args=[case.reference])


def file_url(case, attachment) -> str:
    return reverse("casework:attachment_download", args=[case.reference, attachment.pk])


def add_pdf(case, *, visible_to_customer=True):
    return attachment_add(
        case=case,
        uploaded_file=SimpleUploadedFile("letter.pdf", PDF, content_type="text/html"),
        uploaded_by=None,
        visible_to_customer=visible_to_customer,
    )


@pytest.fixture
def enquiry(db, tenant_a):
    return case_open(
        model=Enquiry,
        customer=tenant_a,
        received_by=ReceivedBy.PORTAL,
        status=EnquiryStatus.RECEIVED,
        subject="Parking permit",
        details="How do I get one?",
    )


# --- the case page ---------------------------------------------------------------------------


def test_the_owner_sees_the_case_page(client_a, enquiry):
    response = client_a.get(case_url(enquiry))
    assert response.status_code == 200
    body = response.content.decode()
    assert enquiry.reference in body
    assert "Parking permit" in body
    assert "Received" in body  # the status, by its label
    assert "We received your request" in body


def test_a_joint_tenant_sees_the_household_case(client, joint_tenant_a, enquiry):
    client.force_login(joint_tenant_a.user)
    assert client.get(case_url(enquiry)).status_code == 200


def test_another_household_gets_404_for_the_case_page(client, tenant_b, enquiry):
    client.force_login(tenant_b.user)
    assert client.get(case_url(enquiry)).status_code == 404


def test_an_unknown_reference_gets_404(client_a, enquiry):
    assert (
        client_a.get(reverse("casework:case_detail", args=["ENQ-2026-999999"])).status_code == 404
    )
    assert client_a.get(reverse("casework:case_detail", args=["NOPE-2026-1"])).status_code == 404


def test_anonymous_is_sent_to_sign_in_from_the_case_page(client, enquiry):
    response = client.get(case_url(enquiry))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)


def test_staff_get_403_on_the_customer_case_page(client, customer_services_officer, enquiry):
    client.force_login(customer_services_officer)
    assert client.get(case_url(enquiry)).status_code == 403


def test_post_to_the_case_page_is_405(client_a, enquiry):
    assert client_a.post(case_url(enquiry)).status_code == 405


def test_the_case_page_says_when_we_will_reply_in_london_time(client_a, tenant_a):
    # 23:30 UTC on Thursday 9 April is 00:30 on Friday 10 April in London (summer time).
    enquiry = EnquiryFactory(
        customer=tenant_a, next_due_at=dt.datetime(2026, 4, 9, 23, 30, tzinfo=dt.UTC)
    )
    body = client_a.get(case_url(enquiry)).content.decode()
    assert "We will reply by Friday 10 April 2026" in body


def test_the_case_page_lists_the_running_clocks(client_a, tenant_a):
    # Wednesday 1 April 2026; Good Friday and Easter Monday are not working days.
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        enquiry = case_open(
            model=Enquiry,
            customer=tenant_a,
            received_by=ReceivedBy.PORTAL,
            status=EnquiryStatus.RECEIVED,
            subject="Bins",
            details="When?",
        )
        deadline_start(case=enquiry, code="enquiry.acknowledge")
        deadline_start(case=enquiry, code="enquiry.respond")
        body = client_a.get(case_url(enquiry)).content.decode()
    assert "We will reply by Wednesday 8 April 2026" in body
    assert "by Friday 17 April 2026" in body


def test_the_customer_timeline_hides_internal_events(client_a, enquiry, manager):
    case_add_note(
        case=enquiry, actor=manager, note="Tenant sounded upset", visible_to_customer=False
    )
    case_add_note(
        case=enquiry, actor=manager, note="We have asked the rent team", visible_to_customer=True
    )
    body = client_a.get(case_url(enquiry)).content.decode()
    assert "We have asked the rent team" in body
    assert "Tenant sounded upset" not in body


def test_a_sensitive_case_is_shown_only_to_its_reporter(
    client, tenant_a, joint_tenant_a, enquiry, enquiry_is_sensitive
):
    client.force_login(joint_tenant_a.user)
    assert client.get(case_url(enquiry)).status_code == 404
    client.force_login(tenant_a.user)
    assert client.get(case_url(enquiry)).status_code == 200


# --- the list of cases -----------------------------------------------------------------------


def test_the_case_list_shows_the_household_cases_newest_first(
    client_a, tenant_a, tenant_b, joint_tenant_a
):
    older = EnquiryFactory(
        customer=tenant_a,
        subject="Older question",
        opened_at=dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC),
    )
    newer = EnquiryFactory(
        customer=joint_tenant_a,
        subject="Newer question",
        opened_at=dt.datetime(2026, 2, 5, 9, 0, tzinfo=dt.UTC),
        next_due_at=dt.datetime(2026, 2, 10, 17, 0, tzinfo=dt.UTC),
    )
    theirs = EnquiryFactory(customer=tenant_b, subject="Someone else's question")
    body = client_a.get(reverse("casework:case_list")).content.decode()
    assert body.index(newer.reference) < body.index(older.reference)
    assert "Tuesday 10 February 2026" in body
    assert theirs.reference not in body


def test_the_case_list_costs_the_same_for_many_cases(
    client_a, tenant_a, django_assert_max_num_queries
):
    EnquiryFactory.create_batch(30, customer=tenant_a)
    # Session, user, customer and household; a count and a page per case model.
    with django_assert_max_num_queries(5):
        response = client_a.get(reverse("casework:case_list"))
    assert response.status_code == 200
    assert len(response.context["cases"]) == 30
    assert response.content.decode().count('<th scope="row"') == 30


def test_the_case_list_pages_through_older_cases_rather_than_dropping_them(
    client_a, tenant_a, monkeypatch
):
    from casework import views

    monkeypatch.setattr(views, "CASES_PER_PAGE", 2)
    oldest, middle, newest = (
        EnquiryFactory(customer=tenant_a, opened_at=dt.datetime(2026, 1, day, 9, tzinfo=dt.UTC))
        for day in (5, 6, 7)
    )

    first = client_a.get(reverse("casework:case_list")).content.decode()
    second = client_a.get(reverse("casework:case_list") + "?page=2").content.decode()

    assert newest.reference in first and middle.reference in first
    assert oldest.reference not in first
    assert 'href="?page=2" rel="next"' in first
    assert oldest.reference in second
    assert newest.reference not in second
    assert 'href="?page=1" rel="prev"' in second


def test_the_case_list_leaves_out_household_members_sensitive_cases(
    client, tenant_a, joint_tenant_a, enquiry_is_sensitive
):
    reported = EnquiryFactory(customer=tenant_a)
    client.force_login(joint_tenant_a.user)
    assert reported.reference not in client.get(reverse("casework:case_list")).content.decode()
    client.force_login(tenant_a.user)
    assert reported.reference in client.get(reverse("casework:case_list")).content.decode()


def test_anonymous_is_sent_to_sign_in_from_the_case_list(client, db):
    response = client.get(reverse("casework:case_list"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)


def test_staff_get_403_on_the_case_list(client, customer_services_officer):
    client.force_login(customer_services_officer)
    assert client.get(reverse("casework:case_list")).status_code == 403


def test_post_to_the_case_list_is_405(client_a):
    assert client_a.post(reverse("casework:case_list")).status_code == 405


# --- files -----------------------------------------------------------------------------------


def test_the_owner_downloads_a_file_as_an_attachment(client_a, enquiry):
    attachment = add_pdf(enquiry)
    response = client_a.get(file_url(enquiry, attachment))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="letter.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    # The type we found in the bytes, not what the browser claimed when uploading.
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_the_case_page_links_to_its_files(client_a, enquiry):
    attachment = add_pdf(enquiry)
    body = client_a.get(case_url(enquiry)).content.decode()
    assert file_url(enquiry, attachment) in body


def test_another_customer_gets_404_for_a_file(client, tenant_b, enquiry):
    attachment = add_pdf(enquiry)
    client.force_login(tenant_b.user)
    assert client.get(file_url(enquiry, attachment)).status_code == 404


def test_a_file_is_only_served_under_its_own_case(client_a, tenant_a, enquiry):
    attachment = add_pdf(enquiry)
    other = EnquiryFactory(customer=tenant_a)
    assert client_a.get(file_url(other, attachment)).status_code == 404


def test_anonymous_is_sent_to_sign_in_for_a_file(client, enquiry):
    attachment = add_pdf(enquiry)
    response = client.get(file_url(enquiry, attachment))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)


def test_staff_without_the_role_get_404_for_a_file(client, repairs_officer, enquiry):
    attachment = add_pdf(enquiry)
    client.force_login(repairs_officer)
    assert client.get(file_url(enquiry, attachment)).status_code == 404


def test_staff_with_the_role_download_a_file_including_staff_only_ones(
    client, customer_services_officer, enquiry
):
    hidden = add_pdf(enquiry, visible_to_customer=False)
    client.force_login(customer_services_officer)
    response = client.get(file_url(enquiry, hidden))
    assert response.status_code == 200
    assert not SensitiveCaseRead.objects.exists()


def test_a_staff_only_file_is_hidden_from_the_customer(client_a, enquiry):
    hidden = add_pdf(enquiry, visible_to_customer=False)
    assert client_a.get(file_url(enquiry, hidden)).status_code == 404
    assert file_url(enquiry, hidden) not in client_a.get(case_url(enquiry)).content.decode()


def test_post_for_a_file_is_405(client_a, enquiry):
    attachment = add_pdf(enquiry)
    assert client_a.post(file_url(enquiry, attachment)).status_code == 405


def test_a_staff_read_of_a_sensitive_file_is_logged(
    client, asb_officer, enquiry, enquiry_is_sensitive, caplog
):
    attachment = add_pdf(enquiry)
    client.force_login(asb_officer)
    with caplog.at_level(logging.INFO, logger="portal.audit"):
        response = client.get(file_url(enquiry, attachment))
    assert response.status_code == 200
    read = SensitiveCaseRead.objects.get()
    assert (read.user, read.object_id, read.path) == (
        asb_officer,
        enquiry.pk,
        file_url(enquiry, attachment),
    )
    assert any(
        enquiry.reference in r.getMessage() and r.name == "portal.audit" for r in caplog.records
    )


def test_a_manager_cannot_open_a_sensitive_file(client, manager, enquiry, enquiry_is_sensitive):
    attachment = add_pdf(enquiry)
    client.force_login(manager)
    assert client.get(file_url(enquiry, attachment)).status_code == 404
    assert not SensitiveCaseRead.objects.exists()


def test_a_household_member_cannot_open_a_sensitive_file(
    client, joint_tenant_a, enquiry, enquiry_is_sensitive
):
    attachment = add_pdf(enquiry)
    client.force_login(joint_tenant_a.user)
    assert client.get(file_url(enquiry, attachment)).status_code == 404


def test_staff_of_a_team_the_case_was_passed_to_download_its_files(
    client, repairs_officer, enquiry
):
    case_assign(case=enquiry, team=TeamFactory(role=Role.REPAIRS, lead=None), actor=None)
    attachment = add_pdf(enquiry)
    client.force_login(repairs_officer)
    assert client.get(file_url(enquiry, attachment)).status_code == 200
