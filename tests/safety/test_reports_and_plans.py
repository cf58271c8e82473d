"""What households report and ask: a fire, items in a shared area (with a photo), permission to
alter the home (a decision with a clock), and personal emergency evacuation plans."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from casework.models import Attachment, CaseEvent
from kernel.formatting import LONDON
from notifications.models import Message
from safety.models import Peep, PeepStatus, ReportStatus, SafetyReport
from safety.services import (
    SafetyRefused,
    alteration_decide,
    peep_agree,
    safety_report_create,
    safety_report_deal_with,
)
from sla.models import Deadline
from tests.factories import BlockFactory, CustomerWithLoginFactory, PropertyFactory, TenancyFactory

pytestmark = pytest.mark.usefixtures("frozen", "compliance_team")


def _photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, format="JPEG")
    return SimpleUploadedFile("hall.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def flat_resident(db):
    block = BlockFactory(storeys=9, height_metres=27, has_lift=True)
    return CustomerWithLoginFactory(tenancy=TenancyFactory(property=PropertyFactory(block=block)))


def test_a_fire_report_is_an_urgent_record_told_to_the_team(tenant_a, compliance_team):
    report = safety_report_create(customer=tenant_a, kind="fire", details="Toaster caught fire")

    clock = Deadline.objects.for_case(report).get()
    assert clock.commitment.code == "safety.fire_report.respond"
    assert clock.due_at - clock.started_at == dt.timedelta(hours=24)
    assert Message.objects.filter(
        staff_user=compliance_team.lead, subject__startswith="Fire reported"
    ).exists()
    assert report.reference.startswith("SAF-")


def test_items_in_a_shared_area_keep_their_photo(flat_resident):
    report = safety_report_create(
        customer=flat_resident,
        kind="communal_items",
        details="Sofa on landing",
        where="3rd floor",
        photo=_photo(),
    )

    assert Attachment.objects.filter(object_id=report.pk).count() == 1
    assert Deadline.objects.for_case(report).get().commitment.code == "safety.communal_items.remove"


def test_a_home_without_shared_areas_cannot_report_items_in_them(tenant_a):
    with pytest.raises(SafetyRefused):
        safety_report_create(customer=tenant_a, kind="communal_items", details="Bike")

    assert not SafetyReport.objects.exists()


def test_an_alteration_is_decided_on_its_clock_and_the_household_told(
    tenant_a, compliance_officer, frozen
):
    report = safety_report_create(
        customer=tenant_a, kind="alteration", alteration_kind="walls", details="Knock through"
    )
    clock = Deadline.objects.for_case(report).get()
    assert clock.commitment.code == "safety.alteration.decision"
    assert clock.due_at.astimezone(LONDON).date() == dt.date(2026, 7, 8)

    alteration_decide(
        report=report, actor=compliance_officer, approved=True, reason="Use a builder"
    )

    report.refresh_from_db()
    clock.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and report.closed_at is not None
    assert clock.met_at is not None
    assert Message.objects.filter(customer=tenant_a, subject__icontains="permission given").exists()


def test_a_refusal_must_say_why_and_writes_nothing(tenant_a, compliance_officer):
    report = safety_report_create(
        customer=tenant_a, kind="alteration", alteration_kind="doors", details="New front door"
    )
    events = CaseEvent.objects.count()

    with pytest.raises(SafetyRefused):
        alteration_decide(report=report, actor=compliance_officer, approved=False, reason=" ")

    report.refresh_from_db()
    assert report.status == ReportStatus.RECEIVED and CaseEvent.objects.count() == events
    assert Deadline.objects.for_case(report).get().met_at is None


def test_a_fire_is_dealt_with_and_closed(tenant_a, compliance_officer):
    report = safety_report_create(customer=tenant_a, kind="fire", details="Bin fire")

    safety_report_deal_with(report=report, actor=compliance_officer, note="Visited; FRA reviewed")

    report.refresh_from_db()
    assert report.status == ReportStatus.DEALT_WITH and report.closed_at is not None


def test_the_household_reports_a_fire_from_the_portal(client_a, tenant_a):
    response = client_a.post(
        reverse("safety:report_fire"), {"details": "Pan fire, out now", "where": "Kitchen"}
    )

    report = SafetyReport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{report.reference}/")
    assert client_a.get(response["Location"]).status_code == 200


def test_a_report_without_details_is_shown_again_with_what_was_typed(client_a):
    response = client_a.post(reverse("safety:report_fire"), {"details": "", "where": "Bin store"})

    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert 'value="Bin store"' in page
    assert not SafetyReport.objects.exists()


def test_sending_the_same_report_twice_makes_one(client_a):
    form_page = client_a.get(reverse("safety:report_fire")).content.decode()
    key = form_page.split('name="idempotency_key" value="')[1].split('"')[0]

    for _ in range(2):
        client_a.post(reverse("safety:report_fire"), {"details": "Bin", "idempotency_key": key})

    assert SafetyReport.objects.count() == 1


def test_another_household_cannot_open_the_report(client, tenant_a, tenant_b):
    report = safety_report_create(customer=tenant_a, kind="fire", details="Bin fire")
    client.force_login(tenant_b.user)

    assert (
        client.get(
            reverse("casework:case_detail", kwargs={"reference": report.reference})
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    "name", ["safety:report_fire", "safety:ask_alteration", "safety:evacuation_plan"]
)
def test_customer_report_pages_send_anonymous_visitors_to_sign_in_and_refuse_staff(
    client, name, compliance_officer
):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(compliance_officer)
    assert client.get(reverse(name)).status_code == 403
    assert client.put(reverse(name)).status_code in (403, 405)


def test_a_former_tenant_cannot_start_a_report(client, db):
    former = CustomerWithLoginFactory(tenancy=TenancyFactory(end_date=dt.date(2026, 1, 1)))
    client.force_login(former.user)

    response = client.post(reverse("safety:report_fire"), {"details": "x"})

    assert response.status_code == 403 and not SafetyReport.objects.exists()


def test_a_high_rise_resident_asks_for_a_plan_with_consent(client, flat_resident, compliance_team):
    client.force_login(flat_resident.user)
    assert (
        reverse("safety:evacuation_plan")
        in client.get(reverse("safety:your_safety")).content.decode()
    )

    refused = client.post(reverse("safety:evacuation_plan"), {"needs": "Wheelchair user"})
    assert "consent" in refused.content.decode() and not Peep.objects.exists()

    client.post(reverse("safety:evacuation_plan"), {"needs": "Wheelchair user", "consent": "on"})

    peep = Peep.objects.get()
    assert peep.customer == flat_resident and not peep.share_with_fire_service
    assert Message.objects.filter(staff_user=compliance_team.lead).exists()


def test_a_plan_is_only_for_high_rise_buildings(client_a):
    response = client_a.post(
        reverse("safety:evacuation_plan"), {"needs": "Stairs", "consent": "on"}
    )

    assert "18 metres" in response.content.decode() and not Peep.objects.exists()


def test_an_agreed_plan_is_reviewed_yearly_and_seen_only_by_its_resident(
    client, flat_resident, compliance_officer
):
    from safety.services import peep_request

    peep = peep_request(
        customer=flat_resident, needs="Deaf", consent=True, share_with_fire_service=True
    )
    peep = peep_agree(
        peep=peep, statement="Vibrating alarm; neighbour alerts", actor=compliance_officer
    )

    clock = Deadline.objects.for_case(peep).get()
    assert clock.commitment.code == "peep.review"
    assert clock.due_at.astimezone(LONDON).date() == dt.date(2027, 6, 10)
    housemate = CustomerWithLoginFactory(tenancy=flat_resident.tenancy, household_role="member")
    client.force_login(housemate.user)
    assert "Vibrating alarm" not in client.get(reverse("safety:evacuation_plan")).content.decode()
    client.force_login(flat_resident.user)
    assert "Vibrating alarm" in client.get(reverse("safety:evacuation_plan")).content.decode()


def test_withdrawing_consent_stops_the_plan_and_its_sharing(client, flat_resident):
    from safety.services import peep_request

    peep_request(customer=flat_resident, needs="Deaf", consent=True, share_with_fire_service=True)
    client.force_login(flat_resident.user)

    client.post(reverse("safety:evacuation_plan_withdraw"))

    peep = Peep.objects.get()
    assert peep.status == PeepStatus.WITHDRAWN and not peep.share_with_fire_service


def test_the_compliance_team_records_the_agreed_plan(
    client, flat_resident, compliance_officer, repairs_officer
):
    from safety.services import peep_request

    peep = peep_request(
        customer=flat_resident, needs="Deaf", consent=True, share_with_fire_service=False
    )
    url = reverse("safety:peep", kwargs={"peep_id": peep.pk})
    client.force_login(repairs_officer)
    assert client.get(url).status_code == 403
    assert client.get(reverse("safety:peeps")).status_code == 403
    client.force_login(compliance_officer)
    assert client.get(reverse("safety:peeps")).status_code == 200

    empty = client.post(url, {"statement": ""})
    assert "There is a problem" in empty.content.decode()
    client.post(url, {"statement": "Stay put; fire service told"})

    peep.refresh_from_db()
    assert peep.status == PeepStatus.AGREED
    assert client.delete(url).status_code == 405


def test_withdrawing_needs_a_plan_of_ones_own(client, flat_resident, tenant_b, compliance_officer):
    from safety.services import peep_request

    peep_request(customer=flat_resident, needs="Deaf", consent=True, share_with_fire_service=True)
    url = reverse("safety:evacuation_plan_withdraw")

    assert "login" in client.post(url)["Location"]
    client.force_login(tenant_b.user)
    assert client.post(url).status_code == 404
    client.force_login(compliance_officer)
    assert client.post(url).status_code == 403
    client.force_login(flat_resident.user)
    assert client.get(url).status_code == 405
    assert Peep.objects.get().status == PeepStatus.REQUESTED
