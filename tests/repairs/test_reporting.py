"""Reporting a repair: who may report what, the clocks it starts, where it goes next, and the
message the customer gets."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.models import Attachment, CaseEvent
from notifications.models import Message
from repairs import services
from repairs.catalogue import Location, Priority
from repairs.models import (
    Appointment,
    DraftPhoto,
    Hazard,
    HazardCategory,
    Repair,
    RepairStatus,
    Slot,
)
from repairs.services import HazardAnswers, RepairRefused, SlotFull
from sla.models import Deadline
from tests.repairs.conftest import report
from tests.repairs.photos import jpeg_bytes

pytestmark = pytest.mark.usefixtures("frozen", "repairs_team")

LONDON_END_OF_DAY_UTC = dt.time(22, 59, 59)  # 23:59:59 in British Summer Time


def _clocks(repair) -> dict[str, dt.datetime]:
    return {
        d.commitment.code: d.due_at
        for d in Deadline.objects.for_case(repair).select_related("commitment")
    }


def _utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, LONDON_END_OF_DAY_UTC, tzinfo=dt.UTC)


def test_routine_repair_starts_the_20_working_day_clock_and_tells_the_customer(tenant_a):
    repair = report(tenant_a, "kitchen.units")

    assert repair.status == RepairStatus.REPORTED
    assert repair.priority == Priority.ROUTINE
    assert repair.reference.startswith("REP-2026-")
    assert _clocks(repair) == {"repair.routine.complete": _utc(dt.date(2026, 7, 8))}
    repair.refresh_from_db()
    assert repair.target_at == repair.next_due_at == _utc(dt.date(2026, 7, 8))
    assert repair.team.name == "Repairs"
    assert repair.patch == "North"
    message = Message.objects.get(customer=tenant_a)
    assert message.idempotency_key == f"repair:{repair.pk}:reported"
    assert repair.reference in message.body
    assert "Wednesday 8 July 2026" in message.body


def test_urgent_repair_is_due_in_5_working_days(tenant_a):
    repair = report(tenant_a, "bathroom.leak")

    assert _clocks(repair) == {"repair.urgent.complete": _utc(dt.date(2026, 6, 17))}


def test_emergency_is_dispatched_with_the_24_hour_clock_and_the_team_lead_told(
    tenant_a, repairs_officer
):
    repair = report(tenant_a, "doors.wont_lock", emergency_reason="insecure")

    assert repair.priority == Priority.EMERGENCY
    assert repair.status == RepairStatus.DISPATCHED
    assert _clocks(repair) == {
        "repair.emergency.attend": dt.datetime(2026, 6, 11, 9, 0, tzinfo=dt.UTC)
    }
    assert (
        Message.objects.filter(
            staff_user=repairs_officer, subject__startswith="Emergency to dispatch"
        ).count()
        == 1
    )
    assert "within 24 hours" in Message.objects.get(customer=tenant_a).body


def test_an_emergency_answer_raises_the_priority_of_any_problem(tenant_a):
    repair = report(tenant_a, "heating.none", emergency_reason="no_heating")

    assert repair.priority == Priority.EMERGENCY
    assert repair.emergency_reason == "no_heating"


def test_emergency_is_never_booked_into_a_slot(tenant_a, carpentry_slot):
    repair = report(tenant_a, "doors.wont_lock", emergency_reason="insecure", slot=carpentry_slot)

    assert not Appointment.objects.filter(repair=repair).exists()
    carpentry_slot.refresh_from_db()
    assert carpentry_slot.booked == 0


def test_chosen_slot_is_booked_with_the_report(tenant_a, carpentry_slot):
    repair = report(tenant_a, "kitchen.units", slot=carpentry_slot)

    appointment = Appointment.objects.get(repair=repair)
    assert appointment.date == dt.date(2026, 6, 11)
    repair.refresh_from_db()
    assert repair.status == RepairStatus.BOOKED
    carpentry_slot.refresh_from_db()
    assert carpentry_slot.booked == 1
    assert "Thursday 11 June 2026, morning" in Message.objects.get(customer=tenant_a).body


def test_full_slot_refuses_the_whole_report_and_writes_nothing(tenant_a, carpentry_slot):
    Slot.objects.filter(pk=carpentry_slot.pk).update(booked=2)

    with pytest.raises(SlotFull):
        report(tenant_a, "kitchen.units", slot=carpentry_slot)

    assert not Repair.objects.exists()
    assert not Deadline.objects.exists()
    assert not Message.objects.exists()
    assert not CaseEvent.objects.exists()


def test_same_token_twice_makes_one_repair(tenant_a):
    token = uuid.uuid4()

    first = report(tenant_a, idempotency_key=token)
    second = report(tenant_a, idempotency_key=token)

    assert first.pk == second.pk
    assert Repair.objects.count() == 1
    assert Deadline.objects.count() == 1
    assert Message.objects.filter(customer=tenant_a).count() == 1


def test_a_token_used_by_another_household_is_refused(tenant_a, tenant_b):
    token = uuid.uuid4()
    report(tenant_a, idempotency_key=token)

    with pytest.raises(RepairRefused):
        report(tenant_b, idempotency_key=token)

    assert Repair.objects.count() == 1


def test_tenant_responsibility_is_refused_with_the_reason(tenant_a):
    with pytest.raises(RepairRefused, match="yours to replace"):
        report(tenant_a, "bathroom.toilet_seat")

    assert not Repair.objects.exists()


def test_utility_problem_is_refused(tenant_a):
    with pytest.raises(RepairRefused):
        report(tenant_a, "electrics.street")

    assert not Repair.objects.exists()


def test_leaseholder_cannot_report_a_repair_inside_their_home(leaseholder):
    with pytest.raises(RepairRefused, match="leaseholder or shared owner"):
        report(leaseholder, "kitchen.tap")

    assert not Repair.objects.exists()


def test_leaseholder_reports_a_communal_repair_to_their_block(leaseholder):
    repair = report(leaseholder, "communal.lighting", location=Location.COMMUNAL)

    assert repair.location == Location.COMMUNAL
    assert repair.block_id == leaseholder.tenancy.property.block_id


def test_tenant_of_a_house_cannot_report_a_communal_repair(tenant_a):
    with pytest.raises(RepairRefused, match="no shared areas"):
        report(tenant_a, "communal.lighting", location=Location.COMMUNAL)


def test_a_home_problem_cannot_be_reported_as_communal(flat_tenant):
    with pytest.raises(RepairRefused):
        report(flat_tenant, "kitchen.tap", location=Location.COMMUNAL)


def test_empty_description_is_refused(tenant_a):
    with pytest.raises(RepairRefused):
        report(tenant_a, description="   ")

    assert not Repair.objects.exists()


def test_new_build_in_its_defects_period_goes_to_the_builder_without_a_slot(
    new_build_tenant, repairs_officer
):
    slot = Slot.objects.create(
        trade="plastering", patch="North", date=dt.date(2026, 6, 11), window="morning", capacity=2
    )

    repair = report(new_build_tenant, "inside.plaster", slot=slot)

    assert repair.is_defect
    assert repair.status == RepairStatus.WITH_BUILDER
    assert repair.builder_name == "Kestrel Construction Ltd"
    assert repair.builder_referred_at is not None
    assert not Appointment.objects.exists()
    assert "repair.routine.complete" in _clocks(repair)
    body = Message.objects.get(customer=new_build_tenant).body
    assert "under the builder's guarantee" in body and "Kestrel Construction Ltd" in body
    assert Message.objects.filter(staff_user=repairs_officer, subject__startswith="Defect").exists()


def test_new_build_after_its_defects_period_is_our_repair(tenant_a, frozen):
    home = tenant_a.tenancy.property
    home.handover_date, home.builder, home.defects_period_months = (
        dt.date(2025, 1, 1),
        "Kestrel Construction Ltd",
        6,
    )
    home.save()

    repair = report(tenant_a, "inside.plaster")

    assert not repair.is_defect
    assert repair.status == RepairStatus.REPORTED


def test_significant_damp_starts_the_investigation_clock_beside_the_repair_clock(tenant_a):
    answers = HazardAnswers(hazard_type="damp_mould", rooms=("bathroom",), extent="medium")

    repair = report(tenant_a, "hazard.damp", hazard=answers)

    hazard = Hazard.objects.get(repair=repair)
    assert hazard.category == HazardCategory.SIGNIFICANT
    assert hazard.awaabs_law_applies
    assert hazard.aware_at == repair.opened_at
    assert "every report is investigated" in hazard.category_reason
    assert _clocks(repair) == {
        "repair.urgent.complete": _utc(dt.date(2026, 6, 17)),
        "hazard.significant.investigate": _utc(dt.date(2026, 6, 24)),
    }
    assert repair.priority == Priority.URGENT


def test_emergency_damp_starts_the_24_hour_awaabs_law_clock_and_dispatches(tenant_a):
    answers = HazardAnswers(
        hazard_type="damp_mould", rooms=("bedroom",), extent="large", vulnerabilities=("child",)
    )

    repair = report(tenant_a, "hazard.damp", hazard=answers)

    assert repair.hazard.category == HazardCategory.EMERGENCY
    assert "A baby or a child under 5" in repair.hazard.category_reason
    assert repair.status == RepairStatus.DISPATCHED
    in_24_hours = dt.datetime(2026, 6, 11, 9, 0, tzinfo=dt.UTC)
    assert _clocks(repair) == {
        "repair.emergency.attend": in_24_hours,
        "hazard.emergency.make_safe": in_24_hours,
    }


def test_leaseholder_hazard_is_recorded_without_awaabs_law_clocks(leaseholder):
    answers = HazardAnswers(hazard_type="damp_mould", rooms=("shared",), extent="large")

    repair = report(leaseholder, "communal.damp", location=Location.COMMUNAL, hazard=answers)

    assert not repair.hazard.awaabs_law_applies
    assert set(_clocks(repair)) == {"repair.urgent.complete"}


def test_photos_added_while_reporting_are_attached_to_the_repair(tenant_a):
    draft = uuid.uuid4()
    services.draft_photo_add(
        customer=tenant_a, draft=draft, uploaded_file=SimpleUploadedFile("door.jpg", jpeg_bytes())
    )

    repair = report(tenant_a, draft=draft)

    attachment = Attachment.objects.get(object_id=repair.pk)
    assert attachment.original_name == "door.jpg"
    assert attachment.mime_type == "image/jpeg"
    assert not DraftPhoto.objects.exists()


def test_a_sixth_draft_photo_is_refused(tenant_a):
    draft = uuid.uuid4()
    for n in range(5):
        services.draft_photo_add(
            customer=tenant_a,
            draft=draft,
            uploaded_file=SimpleUploadedFile(f"{n}.jpg", jpeg_bytes()),
        )

    with pytest.raises(Exception, match="up to 5 photos"):
        services.draft_photo_add(
            customer=tenant_a, draft=draft, uploaded_file=SimpleUploadedFile("6.jpg", jpeg_bytes())
        )

    assert DraftPhoto.objects.count() == 5


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_kept(tenant_a):
    with pytest.raises(Exception, match="JPG or PNG"):
        services.draft_photo_add(
            customer=tenant_a,
            draft=uuid.uuid4(),
            uploaded_file=SimpleUploadedFile("x.jpg", b"MZ not a photo"),
        )

    assert not DraftPhoto.objects.exists()


def test_stale_draft_photos_are_discarded(tenant_a, frozen):
    services.draft_photo_add(
        customer=tenant_a,
        draft=uuid.uuid4(),
        uploaded_file=SimpleUploadedFile("a.jpg", jpeg_bytes()),
    )
    frozen.shift(dt.timedelta(days=8))

    assert services.draft_photos_discard_stale() == 1
    assert not DraftPhoto.objects.exists()


def test_a_draft_photo_whose_upload_rolled_back_is_removed_by_the_nightly_task(
    tenant_a, settings, tmp_path
):
    import time_machine
    from django.core.files.storage import default_storage
    from django.db import transaction

    from repairs.tasks import discard_stale_draft_photos

    # A storage of this test's own: the task walks every file of the drafts folder.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    with pytest.raises(RuntimeError), transaction.atomic():
        photo = services.draft_photo_add(
            customer=tenant_a,
            draft=uuid.uuid4(),
            uploaded_file=SimpleUploadedFile("a.jpg", jpeg_bytes()),
        )
        raise RuntimeError("the report failed after the photo was stored")
    assert default_storage.exists(photo.file.name)

    # Two days after the file was written (by the file system's clock, as the task reads it).
    written = default_storage.get_modified_time(photo.file.name)
    with time_machine.travel(written + dt.timedelta(days=2)):
        assert discard_stale_draft_photos() == 1

    assert not default_storage.exists(photo.file.name)
