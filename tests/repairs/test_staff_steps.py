"""What the repairs team records: assignment, attendance, completion, follow-on work, the
builder's answer, cancellation, and every Awaab's Law step with the clocks each one meets and
starts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from casework.models import CaseEvent
from kernel.formatting import LONDON
from notifications.models import Message
from repairs import services
from repairs.models import Appointment, AppointmentStatus, HazardCategory, Repair, RepairStatus
from repairs.services import FollowOn, HazardAnswers, RepairRefused
from sla.models import Deadline
from tests.repairs.conftest import report
from tests.repairs.factories import ContractorFactory, OperativeFactory

pytestmark = pytest.mark.usefixtures("frozen", "repairs_team")

SIGNIFICANT = HazardAnswers(hazard_type="damp_mould", rooms=("bathroom",), extent="medium")


def _deadline(repair, code) -> Deadline:
    return Deadline.objects.for_case(repair).get(commitment__code=code)


def _open_codes(repair) -> set[str]:
    return set(
        Deadline.objects.for_case(repair)
        .filter(met_at__isnull=True)
        .values_list("commitment__code", flat=True)
    )


def test_assigning_an_operative_is_internal_and_reaches_the_appointment(
    tenant_a, carpentry_slot, repairs_officer
):
    repair = report(tenant_a, slot=carpentry_slot)
    operative = OperativeFactory()

    services.repair_assign(repair=repair, actor=repairs_officer, operative=operative)

    repair.refresh_from_db()
    assert repair.operative == operative
    assert Appointment.objects.get(repair=repair).operative == operative
    event = CaseEvent.objects.filter(object_id=repair.pk, kind="note").last()
    assert not event.visible_to_customer


def test_passing_to_a_contractor_is_shown_to_the_customer(tenant_a, repairs_officer):
    repair = report(tenant_a)
    firm = ContractorFactory(name="Riverton Roofing Ltd")

    services.repair_assign(repair=repair, actor=repairs_officer, contractor=firm)

    event = CaseEvent.objects.filter(object_id=repair.pk, kind="note").last()
    assert event.visible_to_customer
    assert "Riverton Roofing Ltd" in event.note


def test_attending_an_emergency_meets_the_24_hour_clock(tenant_a, repairs_officer, frozen):
    repair = report(tenant_a, "doors.wont_lock", emergency_reason="insecure")
    frozen.shift(dt.timedelta(hours=3))

    services.repair_record_attended(repair=repair, actor=repairs_officer, made_safe=True)

    clock = _deadline(repair, "repair.emergency.attend")
    assert clock.met_on_time
    repair.refresh_from_db()
    assert repair.status == RepairStatus.IN_PROGRESS
    assert repair.made_safe_at == repair.attended_at


def test_completing_meets_the_clock_closes_the_case_and_asks_how_we_did(
    tenant_a, carpentry_slot, repairs_officer
):
    repair = report(tenant_a, slot=carpentry_slot)

    services.repair_record_completed(repair=repair, actor=repairs_officer, first_time_fix=True)

    repair.refresh_from_db()
    assert repair.status == RepairStatus.COMPLETED
    assert repair.closed_at is not None
    assert repair.first_time_fix is True
    assert repair.next_due_at is None
    assert _deadline(repair, "repair.routine.complete").met_on_time
    assert Appointment.objects.get(repair=repair).status == AppointmentStatus.ATTENDED
    assert (
        "How did we do?"
        in Message.objects.get(customer=tenant_a, subject__startswith="Repair completed").body
    )


def test_completing_late_is_recorded_as_late(tenant_a, repairs_officer, frozen):
    repair = report(tenant_a, "bathroom.leak")
    frozen.shift(dt.timedelta(days=10))

    services.repair_record_completed(repair=repair, actor=repairs_officer, first_time_fix=True)

    assert _deadline(repair, "repair.urgent.complete").met_on_time is False


def test_follow_on_work_is_a_new_linked_repair_and_not_a_first_time_fix(tenant_a, repairs_officer):
    repair = report(tenant_a, "bathroom.leak")

    follow_on = services.repair_record_completed(
        repair=repair,
        actor=repairs_officer,
        first_time_fix=True,
        follow_on=FollowOn(description="Replace the rotten boards under the bath."),
    )

    repair.refresh_from_db()
    assert repair.first_time_fix is False
    assert follow_on.follow_on_of_id == repair.pk
    assert follow_on.status == RepairStatus.REPORTED
    assert follow_on.received_by == "staff"
    assert (
        CaseEvent.objects.filter(kind="linked", object_id__in=[repair.pk, follow_on.pk]).count()
        == 2
    )


def test_a_completed_repair_cannot_be_completed_again(tenant_a, repairs_officer):
    repair = report(tenant_a)
    services.repair_record_completed(repair=repair, actor=repairs_officer, first_time_fix=True)

    with pytest.raises(RepairRefused):
        services.repair_record_completed(repair=repair, actor=repairs_officer, first_time_fix=True)

    assert Message.objects.filter(subject__startswith="Repair completed").count() == 1


def test_cancelling_pauses_the_clocks_and_frees_the_slot(tenant_a, carpentry_slot, repairs_officer):
    repair = report(tenant_a, slot=carpentry_slot)

    services.repair_cancel(repair=repair, actor=repairs_officer, reason="Reported twice.")

    repair.refresh_from_db()
    carpentry_slot.refresh_from_db()
    assert repair.status == RepairStatus.CANCELLED
    assert repair.closed_at is not None
    assert carpentry_slot.booked == 0
    assert _deadline(repair, "repair.routine.complete").paused_at is not None


def test_builder_agreeing_keeps_the_defect_with_them(new_build_tenant, repairs_officer):
    repair = report(new_build_tenant, "inside.plaster")

    services.repair_record_builder_response(
        repair=repair,
        actor=repairs_officer,
        response="Booked for 20 June.",
        builder_will_repair=True,
    )

    repair.refresh_from_db()
    assert repair.status == RepairStatus.WITH_BUILDER
    assert repair.builder_responded_at is not None
    assert Message.objects.filter(
        customer=new_build_tenant, subject__startswith="The builder will fix it"
    )


def test_builder_refusing_brings_the_defect_back_to_us_to_book(new_build_tenant, repairs_officer):
    repair = report(new_build_tenant, "inside.plaster")

    services.repair_record_builder_response(
        repair=repair,
        actor=repairs_officer,
        response="Shrinkage is not a defect.",
        builder_will_repair=False,
    )

    repair.refresh_from_db()
    assert repair.status == RepairStatus.REPORTED


def test_investigation_finding_a_significant_hazard_starts_the_next_clocks(
    tenant_a, repairs_officer
):
    repair = report(tenant_a, "hazard.damp", hazard=SIGNIFICANT)

    services.hazard_record_investigation(
        hazard=repair.hazard,
        actor=repairs_officer,
        finding=HazardCategory.SIGNIFICANT,
        findings="Failed extractor fan.",
        further_works_needed=True,
    )

    assert _deadline(repair, "hazard.significant.investigate").met_on_time
    assert _open_codes(repair) == {
        "repair.urgent.complete",
        "hazard.summary",
        "hazard.significant.make_safe",
        "hazard.further_works.start",
        "hazard.further_works.long_stop",
    }
    # Concluded Wednesday 10 June: summary by Monday 15, make safe by Wednesday 17.
    assert _deadline(repair, "hazard.summary").due_at.date() == dt.date(2026, 6, 15)
    assert _deadline(repair, "hazard.significant.make_safe").due_at.date() == dt.date(2026, 6, 17)
    repair.hazard.refresh_from_db()
    assert repair.hazard.further_works_long_stop == dt.date(2026, 9, 2)


def test_investigation_finding_no_hazard_needs_only_the_summary(tenant_a, repairs_officer):
    repair = report(tenant_a, "hazard.damp", hazard=SIGNIFICANT)

    services.hazard_record_investigation(
        hazard=repair.hazard,
        actor=repairs_officer,
        finding=HazardCategory.NONE,
        findings="Dry: condensation from drying clothes.",
        further_works_needed=True,
    )

    assert _open_codes(repair) == {"repair.urgent.complete", "hazard.summary"}
    repair.hazard.refresh_from_db()
    assert repair.hazard.further_works_needed is False


def test_investigation_is_recorded_once(tenant_a, repairs_officer):
    repair = report(tenant_a, "hazard.damp", hazard=SIGNIFICANT)
    services.hazard_record_investigation(
        hazard=repair.hazard,
        actor=repairs_officer,
        finding="significant",
        findings="Mould.",
        further_works_needed=False,
    )

    with pytest.raises(RepairRefused):
        services.hazard_record_investigation(
            hazard=repair.hazard,
            actor=repairs_officer,
            finding="none",
            findings="Changed mind.",
            further_works_needed=False,
        )


def test_written_summary_is_sent_to_the_tenant_and_meets_its_clock(tenant_a, repairs_officer):
    repair = report(tenant_a, "hazard.damp", hazard=SIGNIFICANT)
    services.hazard_record_investigation(
        hazard=repair.hazard,
        actor=repairs_officer,
        finding="significant",
        findings="Mould.",
        further_works_needed=False,
    )

    services.hazard_send_summary(
        hazard=repair.hazard,
        actor=repairs_officer,
        summary="We found mould caused by a broken fan. We will replace it by 17 June.",
    )

    assert _deadline(repair, "hazard.summary").met_on_time
    message = Message.objects.get(customer=tenant_a, idempotency_key__endswith="hazard:summary")
    assert "broken fan" in message.body


def test_summary_before_investigation_is_refused(tenant_a, repairs_officer):
    repair = report(tenant_a, "hazard.damp", hazard=SIGNIFICANT)

    with pytest.raises(RepairRefused):
        services.hazard_send_summary(hazard=repair.hazard, actor=repairs_officer, summary="x")

    assert not Message.objects.filter(idempotency_key__endswith="hazard:summary").exists()


def test_making_safe_meets_the_emergency_clock(tenant_a, repairs_officer):
    answers = HazardAnswers(
        hazard_type="damp_mould", rooms=("bedroom",), extent="large", vulnerabilities=("breathing",)
    )
    repair = report(tenant_a, "hazard.damp", hazard=answers)

    services.hazard_record_made_safe(hazard=repair.hazard, actor=repairs_officer)

    assert _deadline(repair, "hazard.emergency.make_safe").met_on_time
    repair.refresh_from_db()
    assert repair.made_safe_at is not None


def test_steps_towards_further_works_meet_only_the_5_day_clock(tenant_a, repairs_officer):
    repair = report(tenant_a, "hazard.damp", hazard=SIGNIFICANT)
    services.hazard_record_investigation(
        hazard=repair.hazard,
        actor=repairs_officer,
        finding="significant",
        findings="Mould.",
        further_works_needed=True,
    )

    services.hazard_record_further_works(
        hazard=repair.hazard, actor=repairs_officer, physically_started=False
    )

    assert _deadline(repair, "hazard.further_works.start").met_at is not None
    assert _deadline(repair, "hazard.further_works.long_stop").met_at is None

    services.hazard_record_further_works(
        hazard=repair.hazard, actor=repairs_officer, physically_started=True
    )

    assert _deadline(repair, "hazard.further_works.long_stop").met_on_time


def test_a_completed_repair_stays_open_until_the_awaabs_law_steps_are_done(
    tenant_a, repairs_officer
):
    repair = report(tenant_a, "hazard.damp", hazard=SIGNIFICANT)
    hazard = repair.hazard
    services.hazard_record_investigation(
        hazard=hazard,
        actor=repairs_officer,
        finding="significant",
        findings="Mould.",
        further_works_needed=False,
    )
    services.repair_record_completed(repair=repair, actor=repairs_officer, first_time_fix=True)
    repair.refresh_from_db()
    assert repair.status == RepairStatus.COMPLETED
    assert repair.closed_at is None

    services.hazard_record_made_safe(hazard=hazard, actor=repairs_officer)
    services.hazard_send_summary(hazard=hazard, actor=repairs_officer, summary="All done.")

    repair.refresh_from_db()
    assert repair.closed_at is not None
    assert repair.next_due_at is None


def test_every_status_change_is_on_the_timeline(tenant_a, carpentry_slot, repairs_officer):
    repair = report(tenant_a, slot=carpentry_slot)
    services.repair_record_completed(repair=repair, actor=repairs_officer, first_time_fix=True)

    moves = list(
        CaseEvent.objects.filter(object_id=repair.pk, kind="status").values_list(
            "from_status", "to_status"
        )
    )

    assert moves == [("reported", "booked"), ("booked", "completed")]
    assert Repair.objects.get(pk=repair.pk).status == "completed"


@pytest.mark.parametrize(
    ("investigated_at", "last_day"),
    [
        # Sunday 4 January 2026, 23:30 GMT: 12 weeks on is Sunday 29 March, the day the clocks
        # go forward; 84 days of elapsed hours would end at 00:30 BST on the Monday.
        (dt.datetime(2026, 1, 4, 23, 30, tzinfo=dt.UTC), dt.date(2026, 3, 29)),
        # Sunday 2 August 2026, 00:30 BST: 12 weeks on is Sunday 25 October, the day the clocks
        # go back; elapsed hours would end at 23:30 GMT on the Saturday, a day early.
        (dt.datetime(2026, 8, 1, 23, 30, tzinfo=dt.UTC), dt.date(2026, 10, 25)),
    ],
)
def test_the_further_works_long_stop_ends_at_the_end_of_the_local_day_across_a_clock_change(
    tenant_a, repairs_officer, frozen, investigated_at, last_day
):
    frozen.move_to(investigated_at - dt.timedelta(hours=12))
    repair = report(tenant_a, "hazard.damp", hazard=SIGNIFICANT)
    frozen.move_to(investigated_at)

    services.hazard_record_investigation(
        hazard=repair.hazard,
        actor=repairs_officer,
        finding=HazardCategory.SIGNIFICANT,
        findings="Failed extractor fan.",
        further_works_needed=True,
    )

    repair.hazard.refresh_from_db()
    assert repair.hazard.further_works_long_stop == last_day
    long_stop = _deadline(repair, "hazard.further_works.long_stop")
    assert long_stop.due_at.astimezone(LONDON).date() == last_day
    assert long_stop.due_at.astimezone(LONDON).time() == dt.time(23, 59, 59)


def test_the_long_stop_is_kept_for_a_home_outside_awaabs_law_too(
    leaseholder, repairs_officer, frozen
):
    frozen.move_to(dt.datetime(2026, 1, 4, 11, 30, tzinfo=dt.UTC))
    repair = report(
        leaseholder,
        "hazard.structure",
        location="communal",
        hazard=HazardAnswers(hazard_type="structural"),
    )
    frozen.move_to(dt.datetime(2026, 1, 4, 23, 30, tzinfo=dt.UTC))

    services.hazard_record_investigation(
        hazard=repair.hazard,
        actor=repairs_officer,
        finding=HazardCategory.SIGNIFICANT,
        findings="Cracked lintel over the stairwell window.",
        further_works_needed=True,
    )

    repair.hazard.refresh_from_db()
    assert not repair.hazard.awaabs_law_applies
    assert repair.hazard.further_works_long_stop == dt.date(2026, 3, 29)


def test_an_emergency_made_safe_gets_a_date_for_the_work_left(
    tenant_a, repairs_officer, frozen, client_a
):
    repair = report(tenant_a, "doors.wont_lock", emergency_reason="insecure")
    frozen.shift(dt.timedelta(hours=3))

    services.repair_record_attended(repair=repair, actor=repairs_officer, made_safe=True)

    # Made safe on Wednesday 10 June: the rest is an urgent repair, 5 working days.
    work_left = _deadline(repair, "repair.urgent.complete")
    assert work_left.due_at.astimezone(LONDON).date() == dt.date(2026, 6, 17)
    message = Message.objects.get(idempotency_key=f"repair:{repair.pk}:made_safe:work_left")
    assert "by Wednesday 17 June 2026" in message.body
    page = client_a.get(reverse("repairs:detail", args=[repair.reference])).content.decode()
    assert "Complete an urgent repair: by Wednesday 17 June 2026" in page

    services.repair_record_completed(repair=repair, actor=repairs_officer, first_time_fix=False)

    assert _deadline(repair, "repair.urgent.complete").met_on_time


def test_attending_without_making_safe_starts_no_second_clock(tenant_a, repairs_officer):
    repair = report(tenant_a, "doors.wont_lock", emergency_reason="insecure")

    services.repair_record_attended(repair=repair, actor=repairs_officer, made_safe=False)

    assert "repair.urgent.complete" not in _open_codes(repair)


def test_an_emergency_hazard_made_safe_gets_a_date_for_the_work_left_once(
    tenant_a, repairs_officer
):
    repair = report(tenant_a, "hazard.structure", hazard=HazardAnswers(hazard_type="structural"))

    services.hazard_record_made_safe(hazard=repair.hazard, actor=repairs_officer)
    services.repair_record_attended(repair=repair, actor=repairs_officer, made_safe=True)

    clocks = Deadline.objects.for_case(repair).filter(commitment__code="repair.urgent.complete")
    assert clocks.count() == 1
    assert clocks.get().due_at.astimezone(LONDON).date() == dt.date(2026, 6, 17)
