"""Officers record, score (on a phone-sized page, with photos) and publish inspections, and
raise communal repairs from what they find, through the repairs service."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from neighbourhoods.models import ChecklistItem, Inspection, InspectionSchedule, InspectionScore
from neighbourhoods.services import (
    NeighbourhoodRuleBroken,
    inspection_publish,
    inspection_raise_repair,
    inspection_record,
    inspection_score,
)
from repairs.models import Repair
from tests.neighbourhoods.factories import EstateFactory
from tests.repairs.photos import jpeg_bytes

pytestmark = pytest.mark.django_db

ALL_SCORES = {f"{item.value}_score": "4" for item in ChecklistItem}


def _scoring_url(inspection):
    return reverse(
        "neighbourhoods:staff_inspection_scoring", kwargs={"inspection_id": inspection.pk}
    )


@pytest.fixture
def draft(customer_services_officer, block_a):
    return inspection_record(
        actor=customer_services_officer, inspected_on=dt.date(2026, 11, 3), block=block_a
    )


def test_an_officer_scores_every_item_with_a_photo_and_publishes(
    client, customer_services_officer, draft
):
    client.force_login(customer_services_officer)
    assert client.get(_scoring_url(draft)).status_code == 200
    data = ALL_SCORES | {
        "lighting_score": "2",
        "lighting_comment": "Two lights out on the second floor.",
        "lighting_photo": SimpleUploadedFile("stairs.jpg", jpeg_bytes(), "image/jpeg"),
    }
    response = client.post(_scoring_url(draft), data)
    assert response.status_code == 302
    lighting = InspectionScore.objects.get(inspection=draft, item="lighting")
    assert (lighting.score, lighting.comment) == (2, "Two lights out on the second floor.")
    assert lighting.photo.name.endswith(".jpg")
    assert InspectionScore.objects.filter(inspection=draft).count() == 6
    inspection_publish(inspection=draft, actor=customer_services_officer)
    assert Inspection.objects.get(pk=draft.pk).published_at is not None


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_kept(
    client, customer_services_officer, draft
):
    client.force_login(customer_services_officer)
    data = ALL_SCORES | {
        "graffiti_photo": SimpleUploadedFile("x.jpg", b"not a photo", "image/jpeg")
    }
    page = client.post(_scoring_url(draft), data)
    assert page.status_code == 200
    assert "There is a problem" in page.content.decode()
    assert InspectionScore.objects.count() == 0


def test_a_missing_score_is_shown_and_nothing_is_kept(client, customer_services_officer, draft):
    client.force_login(customer_services_officer)
    page = client.post(_scoring_url(draft), {"lighting_score": "3"})
    assert "Score graffiti" in page.content.decode()
    assert InspectionScore.objects.count() == 0


def test_scoring_is_for_neighbourhood_staff_only(client, repairs_officer, resident_a, draft):
    assert client.get(_scoring_url(draft)).status_code == 302
    client.force_login(repairs_officer)
    assert client.get(_scoring_url(draft)).status_code == 403
    assert client.post(_scoring_url(draft), ALL_SCORES).status_code == 403
    client.force_login(resident_a.user)
    assert client.get(_scoring_url(draft)).status_code == 403
    assert InspectionScore.objects.count() == 0


def test_scoring_rejects_a_wrong_method(client, manager, draft):
    client.force_login(manager)
    assert client.put(_scoring_url(draft)).status_code == 405


def test_an_inspection_is_published_only_when_every_item_is_scored(
    customer_services_officer, draft
):
    inspection_score(inspection=draft, item="lighting", score=3)
    with pytest.raises(NeighbourhoodRuleBroken) as refused:
        inspection_publish(inspection=draft, actor=customer_services_officer)
    assert "Score graffiti first." in refused.value.problems
    assert Inspection.objects.get(pk=draft.pk).published_at is None


def test_published_scores_are_final(customer_services_officer, draft):
    for item in ChecklistItem:
        inspection_score(inspection=draft, item=item, score=4)
    inspection_publish(inspection=draft, actor=customer_services_officer)
    with pytest.raises(NeighbourhoodRuleBroken):
        inspection_score(inspection=draft, item="lighting", score=1)
    assert InspectionScore.objects.get(inspection=draft, item="lighting").score == 4


def test_an_inspection_from_a_schedule_moves_the_next_one_on(customer_services_officer, block_a):
    estate = EstateFactory(blocks=[block_a])
    schedule = InspectionSchedule.objects.create(
        estate=estate, frequency="quarterly", next_due_on=dt.date(2026, 11, 30)
    )
    inspection = inspection_record(
        actor=customer_services_officer, inspected_on=dt.date(2026, 11, 30), schedule=schedule
    )
    schedule.refresh_from_db()
    assert inspection.estate == estate and inspection.block is None
    assert schedule.next_due_on == dt.date(2027, 2, 28)


def test_an_inspection_needs_exactly_one_area(customer_services_officer, block_a):
    with pytest.raises(NeighbourhoodRuleBroken):
        inspection_record(actor=customer_services_officer, inspected_on=dt.date(2026, 11, 3))
    assert Inspection.objects.count() == 0


def test_a_repair_is_raised_from_an_item_through_the_repairs_service(
    client, customer_services_officer, resident_a, draft
):
    score = inspection_score(inspection=draft, item="lighting", score=1, comment="Stair lights out")
    client.force_login(customer_services_officer)
    url = reverse("neighbourhoods:staff_raise_repair", kwargs={"score_id": score.pk})
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "block": str(draft.block_id),
            "item_code": "communal.lighting",
            "description": "Stair lights out on floor 2",
        },
    )
    assert response.status_code == 302
    repair = Repair.objects.get()
    assert repair.location == "communal" and repair.block_id == draft.block_id
    assert repair.received_by == "staff" and repair.customer == resident_a
    assert repair.deadlines.exists()  # the repairs service started its clock
    score.refresh_from_db()
    assert score.repair_reference == repair.reference
    with pytest.raises(NeighbourhoodRuleBroken):
        inspection_raise_repair(
            score=score,
            block=draft.block,
            item_code="communal.lighting",
            description="again",
            actor=customer_services_officer,
        )
    assert Repair.objects.count() == 1


def test_a_repair_for_a_block_outside_the_inspected_area_is_refused(
    customer_services_officer, resident_b, draft
):
    score = inspection_score(inspection=draft, item="lighting", score=1)
    with pytest.raises(NeighbourhoodRuleBroken):
        inspection_raise_repair(
            score=score,
            block=resident_b.tenancy.property.block,
            item_code="communal.lighting",
            description="Lights",
            actor=customer_services_officer,
        )
    assert Repair.objects.count() == 0


def test_raising_a_repair_is_for_neighbourhood_staff_only(client, repairs_officer, draft):
    score = inspection_score(inspection=draft, item="lighting", score=1)
    url = reverse("neighbourhoods:staff_raise_repair", kwargs={"score_id": score.pk})
    client.force_login(repairs_officer)
    assert client.post(url, {"block": str(draft.block_id)}).status_code == 403
    assert Repair.objects.count() == 0


@pytest.mark.parametrize(
    "name",
    [
        "estate",
        "inspectionschedule",
        "inspection",
        "communalservice",
        "partner",
        "residentinspector",
    ],
)
def test_admin_lists_open_for_neighbourhood_staff_and_not_for_others(
    client, customer_services_officer, repairs_officer, draft, name
):
    url = reverse(f"admin:neighbourhoods_{name}_changelist")
    client.force_login(customer_services_officer)
    assert client.get(url).status_code == 200
    client.force_login(repairs_officer)
    assert client.get(url).status_code == 403


def test_admin_inspection_page_links_the_checklist_and_publishes(client, manager, draft):
    for item in ChecklistItem:
        inspection_score(inspection=draft, item=item, score=3)
    client.force_login(manager)
    page = client.get(reverse("admin:neighbourhoods_inspection_change", args=[draft.pk]))
    assert _scoring_url(draft) in page.content.decode()
    client.post(
        reverse("admin:neighbourhoods_inspection_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    assert Inspection.objects.get(pk=draft.pk).published_at is not None


def test_an_inspection_is_started_in_the_admin_through_the_service(
    client, customer_services_officer, block_a
):
    client.force_login(customer_services_officer)
    response = client.post(
        reverse("admin:neighbourhoods_inspection_add"),
        {"block": str(block_a.pk), "inspected_on": "2026-11-03", "summary": "Walked round"},
    )
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert inspection.officer == customer_services_officer and inspection.block == block_a


def test_the_admin_refuses_an_inspection_of_both_an_estate_and_a_block(
    client, customer_services_officer, block_a
):
    estate = EstateFactory(blocks=[block_a])
    client.force_login(customer_services_officer)
    page = client.post(
        reverse("admin:neighbourhoods_inspection_add"),
        {"block": str(block_a.pk), "estate": str(estate.pk), "inspected_on": "2026-11-03"},
    )
    assert page.status_code == 200
    assert Inspection.objects.count() == 0


def test_officers_are_reminded_once_a_day_of_inspections_due(customer_services_officer, block_a):
    from neighbourhoods.services import inspections_due_remind
    from neighbourhoods.tasks import remind_inspections_due
    from notifications.models import Message
    from portal.celery import app

    InspectionSchedule.objects.create(
        block=block_a, next_due_on=dt.date(2026, 11, 30), officer=customer_services_officer
    )
    InspectionSchedule.objects.create(
        block=block_a, next_due_on=dt.date(2026, 12, 31), officer=customer_services_officer
    )
    assert inspections_due_remind(today=dt.date(2026, 11, 29)) == 0
    assert inspections_due_remind(today=dt.date(2026, 11, 30)) == 1
    inspections_due_remind(today=dt.date(2026, 11, 30))
    assert Message.objects.filter(staff_user=customer_services_officer).count() == 1
    inspections_due_remind(today=dt.date(2026, 12, 1))  # still not done: reminded again
    assert Message.objects.filter(staff_user=customer_services_officer).count() == 2
    assert "Alder Court" in Message.objects.first().subject
    assert any(e["task"] == remind_inspections_due.name for e in app.conf.beat_schedule.values())
