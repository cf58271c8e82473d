"""Who has looked at my records, complete: every way staff open a confidential record is in the
person's answer, whichever of their records the case was made under, and the pack's own reads
too; a read of another household's record, or of a household member's confidential report,
never is."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework import access
from casework.models import CaseEvent, SensitiveCaseRead
from casework.services import attachment_add
from dataprotection import selectors
from enquiries.models import Enquiry, EnquiryStatus
from kernel.roles import Role
from tests.asb.factories import report
from tests.dataprotection.factories import ask, gathered
from tests.dataprotection.test_moved_home import move_home
from tests.enquiries.factories import submit_enquiry

pytestmark = pytest.mark.django_db

ANSWER = "dataprotection:who_has_looked"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _answer(client, customer) -> str:
    client.force_login(customer.user)
    response = client.get(reverse(ANSWER))
    assert response.status_code == 200
    return response.content.decode()


def _read_by_staff(client, staff, url: str) -> str:
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200
    return "" if response.streaming else response.content.decode()


# -- every way an ASB officer opens a report ---------------------------------------------------


@pytest.mark.parametrize(
    "way",
    ["admin page", "a step", "the household picture", "a file of the case", "an event of the case"],
)
def test_each_way_staff_open_a_report_is_in_the_reporters_answer(
    client, tenant_a, tenant_b, asb_officer, way
):
    case = report(tenant_a)
    url = {
        "admin page": lambda: reverse("admin:asb_asbcase_change", args=[case.pk]),
        "a step": lambda: reverse("admin:asb_asbcase_step", args=[case.pk, "risk"]),
        "the household picture": lambda: reverse("workspace:household", args=[case.tenancy_id]),
        "a file of the case": lambda: reverse(
            "casework:attachment_download",
            args=[
                case.reference,
                attachment_add(
                    case=case,
                    uploaded_file=SimpleUploadedFile("letter.pdf", PDF),
                    uploaded_by=tenant_a.user,
                ).pk,
            ],
        ),
        "an event of the case": lambda: reverse(
            "admin:casework_caseevent_change",
            args=[CaseEvent.objects.filter(object_id=case.pk).first().pk],
        ),
    }[way]()
    page = _read_by_staff(client, asb_officer, url)
    assert SensitiveCaseRead.objects.filter(user=asb_officer, object_id=case.pk).exists()
    if way in ("admin page", "a step"):
        # Staff are told on the record itself that the opening is written down.
        assert "Confidential record." in page
    answer = _answer(client, tenant_a)
    assert case.reference in answer
    assert "A member of our ASB team" in answer
    assert case.reference not in _answer(client, tenant_b)


def test_a_household_members_report_and_its_reads_stay_theirs(
    client, tenant_a, joint_tenant_a, asb_officer
):
    sams = report(joint_tenant_a, details="My partner frightens me.")
    access.log_sensitive_read(user=asb_officer, case=sams, path="/admin/")
    assert sams.reference in _answer(client, joint_tenant_a)
    answer = _answer(client, tenant_a)
    assert sams.reference not in answer
    assert "You have no confidential records with us." in answer


# -- the person's earlier records --------------------------------------------------------------


def test_reads_of_a_report_made_in_the_home_they_left_are_in_the_answer(
    client, tenant_a, joint_tenant_a, asb_officer
):
    before_the_move = report(tenant_a, details="Shouting on the landing every night.")
    sams = report(joint_tenant_a, details="Sam's own report.")
    new_record = move_home(tenant_a)
    for case in (before_the_move, sams):
        access.log_sensitive_read(user=asb_officer, case=case, path="/admin/")
    answer = _answer(client, new_record)
    assert before_the_move.reference in answer
    # Sam stayed in the home she left: his report is his.
    assert sams.reference not in answer


# -- a request about one's own data -----------------------------------------------------------


def test_every_staff_read_of_a_data_request_is_logged_shown_and_said(
    client, tenant_a, tenant_b, officer
):
    request = gathered(tenant_a, officer)
    pages = {
        "request": reverse("admin:dataprotection_datarequest_change", args=[request.pk]),
        "step": reverse("admin:dataprotection_datarequest_step", args=[request.pk, "redact"]),
        "the pack under review": reverse("dataprotection:staff_review", args=[request.reference]),
    }
    for name, url in pages.items():
        page = _read_by_staff(client, officer, url)
        assert "Confidential record." in page, name
    assert SensitiveCaseRead.objects.filter(user=officer, object_id=request.pk).count() == 3
    answer = _answer(client, tenant_a)
    # Three reads by one officer on one day: one line saying how many, the log keeps all three.
    assert answer.count(request.reference) == 1
    assert "3 times, from" in answer
    assert "A member of our Data protection team" in answer
    assert officer.get_full_name() not in answer
    assert request.reference not in _answer(client, tenant_b)


def test_a_data_requests_reads_are_not_the_household_members(
    client, tenant_a, joint_tenant_a, officer
):
    sams = ask(joint_tenant_a, details="Everything about my tenancy.")
    _read_by_staff(
        client, officer, reverse("admin:dataprotection_datarequest_change", args=[sams.pk])
    )
    assert sams.reference in _answer(client, joint_tenant_a)
    assert sams.reference not in _answer(client, tenant_a)


def test_a_read_of_a_household_case_of_a_logged_kind_is_in_every_members_answer(
    client, monkeypatch, tenant_a, joint_tenant_a, tenant_b, customer_services_officer
):
    """A kind every member of the household sees, if its reads are logged, is every member's
    to ask about; never another household's."""
    monkeypatch.setattr(access, "_registry", dict(access._registry))
    access.register_case_model(
        Enquiry, staff_roles={Role.CUSTOMER_SERVICES}, statuses=EnquiryStatus, log_reads=True
    )
    sams = submit_enquiry(joint_tenant_a, subject="The boiler")
    bens = submit_enquiry(tenant_b, subject="His own boiler")
    attachment = attachment_add(
        case=sams, uploaded_file=SimpleUploadedFile("quote.pdf", PDF), uploaded_by=None
    )
    _read_by_staff(
        client,
        customer_services_officer,
        reverse("casework:attachment_download", args=[sams.reference, attachment.pk]),
    )
    assert SensitiveCaseRead.objects.filter(object_id=sams.pk).count() == 1
    assert sams.reference in _answer(client, tenant_a)
    assert bens.reference not in _answer(client, tenant_a)


def test_the_answer_asks_the_log_once_whatever_the_kinds_and_reads(
    tenant_a, asb_officer, officer, django_assert_max_num_queries
):
    cases = [report(tenant_a) for _ in range(3)]
    request = ask(tenant_a)
    for case in cases:
        access.log_sensitive_read(user=asb_officer, case=case, path="/admin/")
    access.log_sensitive_read(user=officer, case=request, path="/admin/")
    # The person's other records (a query of the moves), the log, then one per kind found.
    with django_assert_max_num_queries(4):
        reads = selectors.reads_of_my_records(tenant_a)
    assert sorted(r.reference for r in reads) == sorted(
        [request.reference, *(c.reference for c in cases)]
    )
