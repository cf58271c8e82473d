"""After completion: "this is not fixed" (reopen, or reopen and complain) and how we did."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType

from casework.models import CaseLink
from repairs import services
from repairs.models import Repair, RepairStatus, Satisfaction
from repairs.services import RepairRefused
from sla.models import Deadline
from tests.repairs.conftest import report

pytestmark = pytest.mark.usefixtures("frozen", "repairs_team")


@pytest.fixture
def completed(tenant_a, repairs_officer):
    repair = report(tenant_a, "bathroom.leak")
    services.repair_record_completed(repair=repair, actor=repairs_officer, first_time_fix=True)
    repair.refresh_from_db()
    return repair


def test_not_fixed_reopens_with_a_fresh_clock_and_the_first_target_kept(
    completed, tenant_a, frozen
):
    first_target = completed.target_at
    frozen.shift(dt.timedelta(days=2))

    result = services.repair_report_not_fixed(
        repair=completed, customer=tenant_a, details="Still dripping.", make_complaint=False
    )

    assert result == completed
    completed.refresh_from_db()
    assert completed.status == RepairStatus.REPORTED
    assert completed.closed_at is None
    assert completed.completed_at is None
    assert completed.first_time_fix is False
    assert completed.reopened_count == 1
    assert completed.target_at == first_target
    clocks = Deadline.objects.for_case(completed).filter(commitment__code="repair.urgent.complete")
    assert clocks.count() == 2
    assert completed.next_due_at == clocks.get(met_at__isnull=True).due_at


def test_not_fixed_with_a_complaint_opens_one_linked_to_the_repair(completed, tenant_a):
    from complaints.models import Complaint

    complaint = services.repair_report_not_fixed(
        repair=completed,
        customer=tenant_a,
        details="Third time it has failed.",
        make_complaint=True,
    )

    assert isinstance(complaint, Complaint)
    assert complaint.customer == tenant_a
    assert complaint.service_area == "repairs"
    assert CaseLink.objects.filter(
        to_type=ContentType.objects.get_for_model(Repair), to_id=completed.pk
    ).exists()
    completed.refresh_from_db()
    assert completed.status == RepairStatus.REPORTED


def test_an_open_repair_cannot_be_reported_not_fixed(tenant_a):
    repair = report(tenant_a)

    with pytest.raises(RepairRefused):
        services.repair_report_not_fixed(
            repair=repair, customer=tenant_a, details="x", make_complaint=False
        )

    repair.refresh_from_db()
    assert repair.reopened_count == 0


def test_a_fix_after_reopening_is_not_a_first_time_fix(completed, tenant_a, repairs_officer):
    services.repair_report_not_fixed(
        repair=completed, customer=tenant_a, details="Dripping.", make_complaint=False
    )

    services.repair_record_completed(repair=completed, actor=repairs_officer, first_time_fix=True)

    completed.refresh_from_db()
    assert completed.first_time_fix is False
    assert completed.closed_at is not None


def test_satisfaction_is_recorded_once(completed, tenant_a):
    services.repair_record_satisfaction(
        repair=completed,
        customer=tenant_a,
        overall=Satisfaction.VERY_SATISFIED,
        time_taken=Satisfaction.FAIRLY_DISSATISFIED,
        comment="Quick fix, but a long wait.",
    )

    with pytest.raises(RepairRefused):
        services.repair_record_satisfaction(
            repair=completed, customer=tenant_a, overall=1, time_taken=1
        )

    completed.refresh_from_db()
    assert (completed.satisfaction_overall, completed.satisfaction_time) == (5, 2)


def test_satisfaction_before_completion_is_refused(tenant_a):
    repair = report(tenant_a)

    with pytest.raises(RepairRefused):
        services.repair_record_satisfaction(
            repair=repair, customer=tenant_a, overall=5, time_taken=5
        )

    repair.refresh_from_db()
    assert repair.satisfaction_at is None
