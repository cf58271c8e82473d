"""Residents report cleaning or grounds work not done, bulk rubbish and graffiti: ours opens a
case with its clock (offensive graffiti a shorter one), the council's gets their link."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework.models import Attachment
from neighbourhoods.models import NeighbourhoodReport
from neighbourhoods.services import NeighbourhoodRuleBroken, report_create, report_mark_done
from notifications.models import Message
from sla.models import Deadline
from tests.neighbourhoods.factories import CommunalServiceFactory, EstateFactory
from tests.repairs.photos import jpeg_bytes

pytestmark = pytest.mark.django_db

NEW = reverse("neighbourhoods:report_new")
# Monday 9 November 2026, 10:00 in London (GMT).
MONDAY = dt.datetime(2026, 11, 9, 10, 0, tzinfo=dt.UTC)


def _graffiti(**overrides):
    return {
        "kind": "graffiti",
        "place": "block",
        "where": "Entrance door",
        "details": "Spray paint on the door",
        **overrides,
    }


@time_machine.travel(MONDAY)
def test_offensive_graffiti_is_due_within_24_hours_and_other_graffiti_in_10_working_days(
    resident_a,
):
    offensive = report_create(customer=resident_a, offensive=True, **_graffiti())
    other = report_create(customer=resident_a, **_graffiti())
    due = {
        d.object_id: (d.commitment.code, d.due_at)
        for d in Deadline.objects.select_related("commitment")
    }
    assert due[offensive.pk] == (
        "neighbourhood.graffiti.offensive.remove",
        MONDAY + dt.timedelta(hours=24),
    )
    code, other_due = due[other.pk]
    assert code == "neighbourhood.graffiti.remove"
    # 10 working days after Monday 9 November: Monday 23 November, end of day in London.
    assert other_due == dt.datetime(2026, 11, 23, 23, 59, 59, tzinfo=dt.UTC)
    assert offensive.next_due_at < other.next_due_at


@time_machine.travel(MONDAY)
def test_a_resident_reports_graffiti_with_a_photo_and_sees_its_due_date(client, resident_a):
    client.force_login(resident_a.user)
    assert client.get(NEW).status_code == 200
    data = _graffiti(photo=SimpleUploadedFile("door.jpg", jpeg_bytes(), "image/jpeg"))
    response = client.post(NEW, data)
    report = NeighbourhoodReport.objects.get()
    assert response.status_code == 302 and report.reference in response["Location"]
    assert report.block_id == resident_a.tenancy.property.block_id
    assert Attachment.objects.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Remove graffiti: by" in page and "Monday 23 November 2026" in page


@time_machine.travel(MONDAY)
def test_a_street_is_the_councils_job_and_nothing_is_kept(client, resident_a):
    client.force_login(resident_a.user)
    page = client.post(NEW, _graffiti(place="elsewhere", kind="bulk_rubbish"))
    body = page.content.decode()
    assert "This is for the council" in body
    assert "https://www.gov.uk/report-flytipping" in body
    assert NeighbourhoodReport.objects.count() == 0 and Deadline.objects.count() == 0


@time_machine.travel(MONDAY)
def test_a_service_not_done_goes_to_its_contractor_with_a_clock(client, resident_a, block_a):
    service = CommunalServiceFactory(block=block_a, contractor="Sparkle Cleaning Ltd")
    client.force_login(resident_a.user)
    client.post(
        NEW,
        {
            "kind": "missed_service",
            "communal_service": str(service.pk),
            "place": "block",
            "where": "Stairs",
            "details": "Not cleaned this week",
        },
    )
    report = NeighbourhoodReport.objects.get()
    assert (report.status, report.contractor) == ("with_contractor", "Sparkle Cleaning Ltd")
    assert report.deadlines.get().commitment.code == "neighbourhood.missed_service.put_right"


@time_machine.travel(MONDAY)
def test_a_service_of_another_area_cannot_be_reported(resident_a, resident_b):
    other = CommunalServiceFactory(block=resident_b.tenancy.property.block)
    with pytest.raises(NeighbourhoodRuleBroken):
        report_create(
            customer=resident_a,
            kind="missed_service",
            place="block",
            where="x",
            details="y",
            communal_service=other,
        )
    assert NeighbourhoodReport.objects.count() == 0


@time_machine.travel(MONDAY)
def test_the_form_shows_errors_and_keeps_the_text(client, resident_a):
    client.force_login(resident_a.user)
    page = client.post(NEW, {"kind": "bulk_rubbish", "offensive": "on", "where": "Bin store"})
    body = page.content.decode()
    assert "There is a problem" in body and "Only graffiti can be marked as offensive" in body
    assert 'value="Bin store"' in body
    assert NeighbourhoodReport.objects.count() == 0


@time_machine.travel(MONDAY)
def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_kept(client, resident_a):
    client.force_login(resident_a.user)
    data = _graffiti(photo=SimpleUploadedFile("x.pdf", b"%PDF-1.4 nothing", "application/pdf"))
    page = client.post(NEW, data)
    assert "There is a problem" in page.content.decode()
    assert NeighbourhoodReport.objects.count() == 0 and Deadline.objects.count() == 0


@time_machine.travel(MONDAY)
def test_sending_the_form_twice_makes_one_report(client, resident_a):
    client.force_login(resident_a.user)
    data = _graffiti(idempotency_key="6f0c6f3e-5d6b-4b9b-8a59-1c2d3e4f5a6b")
    client.post(NEW, data)
    client.post(NEW, data)
    assert NeighbourhoodReport.objects.count() == 1


@time_machine.travel(MONDAY)
def test_another_household_gets_404_and_anonymous_is_sent_to_sign_in(
    client, resident_a, resident_b
):
    report = report_create(customer=resident_a, **_graffiti())
    url = reverse("neighbourhoods:report_detail", kwargs={"reference": report.reference})
    response = client.get(url)
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    client.force_login(resident_b.user)
    assert client.get(url).status_code == 404
    client.force_login(resident_a.user)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 405


def test_staff_cannot_use_the_resident_form(client, manager):
    client.force_login(manager)
    assert client.get(NEW).status_code == 403


def test_a_former_tenant_cannot_report(client, resident_a):
    resident_a.tenancy.end_date = dt.date(2026, 1, 1)
    resident_a.tenancy.save()
    client.force_login(resident_a.user)
    assert client.post(NEW, _graffiti()).status_code == 403
    assert NeighbourhoodReport.objects.count() == 0


@time_machine.travel(MONDAY)
def test_putting_it_right_meets_the_clock_and_closes_the_report(
    resident_a, customer_services_officer
):
    report = report_create(customer=resident_a, **_graffiti())
    report_mark_done(report=report, actor=customer_services_officer, note="Cleaned off")
    report.refresh_from_db()
    assert report.closed_at is not None and report.status == "done"
    assert report.deadlines.get().met_at is not None
    subjects = list(
        Message.objects.filter(customer=resident_a).order_by("pk").values_list("subject", "body")
    )
    assert subjects[0][0] == f"We have your report {report.reference}"
    assert "Monday 23 November 2026" in subjects[0][1]
    assert subjects[1] == (f"Your report {report.reference} has been put right", "Cleaned off")


@time_machine.travel(MONDAY)
def test_the_done_step_works_in_the_admin_for_customer_services(
    client, resident_a, customer_services_officer, repairs_officer
):
    report = report_create(customer=resident_a, **_graffiti())
    url = reverse("admin:neighbourhoods_neighbourhoodreport_step", args=[report.pk, "done"])
    client.force_login(repairs_officer)
    client.post(url, {"note": "Cleaned"})
    report.refresh_from_db()
    assert report.closed_at is None
    client.force_login(customer_services_officer)
    assert client.post(url, {"note": "Cleaned"}).status_code == 302
    report.refresh_from_db()
    assert report.status == "done"


@time_machine.travel(MONDAY)
def test_estate_reports_are_filed_on_the_estate(resident_a, block_a):
    estate = EstateFactory(blocks=[block_a])
    report = report_create(customer=resident_a, **_graffiti(place="estate"))
    assert (report.estate_id, report.block_id) == (estate.pk, None)
