"""Quick Resolution: a fast track inside stage 1, never a stage of its own. Not put right in 2
working days, or the customer not satisfied, and it continues as a formal stage 1 complaint that
keeps its original receipt date."""

from __future__ import annotations

import datetime as dt

import pytest

from casework.models import ReceivedBy
from complaints.models import (
    Complaint,
    ComplaintStatus,
    QuickResolutionOutcome,
)
from complaints.services import (
    ComplaintRuleBroken,
    complaint_continue_as_formal,
    complaint_define,
    complaint_respond,
)
from kernel.formatting import LONDON
from notifications.models import Message
from sla.models import Deadline
from sla.services import sweep_deadlines
from tests.complaints.factories import complete_draft, receive

# Tuesday 2 June 2026, 10:00: 2 working days end on Thursday 4 June.
TUESDAY = dt.datetime(2026, 6, 2, 10, 0, tzinfo=LONDON)


def _end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=LONDON)


def _codes(complaint) -> dict[str, Deadline]:
    return {
        d.commitment.code: d
        for d in Deadline.objects.for_case(complaint).select_related("commitment")
    }


@pytest.fixture
def quick(tenant_a, complaints_officer, time_machine):
    time_machine.move_to(TUESDAY, tick=False)
    return receive(
        tenant_a, received_by=ReceivedBy.PHONE, actor=complaints_officer, quick_resolution=True
    )


def test_a_quick_resolution_runs_only_its_two_day_clock(quick):
    quick.refresh_from_db()
    assert quick.status == ComplaintStatus.QUICK_RESOLUTION
    assert quick.stage == 1 and quick.quick_resolution
    clocks = _codes(quick)
    assert list(clocks) == ["complaint.quick_resolution"]
    assert clocks["complaint.quick_resolution"].due_at == _end_of(dt.date(2026, 6, 4))
    assert quick.next_due_at == _end_of(dt.date(2026, 6, 4))


def test_only_staff_can_judge_a_complaint_a_quick_resolution(tenant_a, time_machine):
    time_machine.move_to(TUESDAY, tick=False)

    with pytest.raises(ComplaintRuleBroken):
        receive(tenant_a, quick_resolution=True)

    assert not Complaint.objects.exists()


def test_a_quick_resolution_put_right_in_time_is_a_stage_1_response(
    quick, complaints_officer, time_machine
):
    complaint_define(
        complaint=quick, actor=complaints_officer, issues=["Fan broken"], outcomes_sought="Fix it"
    )
    resolved_at = dt.datetime(2026, 6, 3, 14, 0, tzinfo=LONDON)
    time_machine.move_to(resolved_at, tick=False)

    letter = complaint_respond(
        complaint=quick, actor=complaints_officer, draft=complete_draft(quick)
    )

    quick.refresh_from_db()
    assert quick.status == ComplaintStatus.STAGE1_RESPONDED
    assert quick.quick_resolution_outcome == QuickResolutionOutcome.RESOLVED
    assert quick.quick_resolution_ended_at == resolved_at
    assert quick.stage1_responded_at == resolved_at
    assert _codes(quick)["complaint.quick_resolution"].met_at == resolved_at
    assert letter.quick_resolution and "We dealt with it as a Quick Resolution" in letter.body


def test_staff_turn_a_quick_resolution_formal_keeping_the_original_receipt(
    quick, complaints_officer, time_machine
):
    time_machine.move_to(dt.datetime(2026, 6, 4, 9, 0, tzinfo=LONDON), tick=False)

    complaint_continue_as_formal(
        complaint=quick, actor=complaints_officer, reason=QuickResolutionOutcome.NEEDS_INVESTIGATION
    )

    quick.refresh_from_db()
    assert quick.status == ComplaintStatus.STAGE1_RECEIVED
    assert quick.stage == 1
    assert quick.opened_at == TUESDAY
    assert Complaint.objects.count() == 1
    clocks = _codes(quick)
    assert clocks["complaint.quick_resolution"].met_at is not None
    for code in (
        "complaint.stage1.acknowledge",
        "complaint.stage1.acknowledge.code",
        "complaint.stage1.respond",
    ):
        assert clocks[code].started_at == TUESDAY
    # From Tuesday 2 June: acknowledge by Friday 5 June, respond by Tuesday 23 June.
    assert clocks["complaint.stage1.acknowledge"].due_at == _end_of(dt.date(2026, 6, 5))
    assert clocks["complaint.stage1.respond"].due_at == _end_of(dt.date(2026, 6, 23))
    assert Message.objects.filter(idempotency_key=f"complaint:{quick.pk}:formal").exists()


def test_the_customer_not_satisfied_turns_it_formal(quick):
    complaint_continue_as_formal(
        complaint=quick, reason=QuickResolutionOutcome.CUSTOMER_NOT_SATISFIED
    )

    quick.refresh_from_db()
    assert quick.quick_resolution_outcome == QuickResolutionOutcome.CUSTOMER_NOT_SATISFIED
    assert quick.status == ComplaintStatus.STAGE1_RECEIVED


def test_the_sweep_turns_a_quick_resolution_formal_when_its_two_days_run_out(quick, time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 5, 0, 1, tzinfo=LONDON), tick=False)

    sweep_deadlines()

    quick.refresh_from_db()
    assert quick.status == ComplaintStatus.STAGE1_RECEIVED
    assert quick.quick_resolution_outcome == QuickResolutionOutcome.NOT_RESOLVED_IN_TIME
    clocks = _codes(quick)
    assert clocks["complaint.quick_resolution"].breached_at is not None
    assert clocks["complaint.stage1.respond"].started_at == TUESDAY
    # A second sweep finds nothing more to do.
    sweep_deadlines()
    assert Deadline.objects.for_case(quick).count() == 4


def test_a_quick_resolution_cannot_be_resolved_after_its_two_days(
    quick, complaints_officer, time_machine
):
    complaint_define(
        complaint=quick, actor=complaints_officer, issues=["Fan broken"], outcomes_sought=""
    )
    time_machine.move_to(dt.datetime(2026, 6, 5, 0, 1, tzinfo=LONDON), tick=False)

    with pytest.raises(ComplaintRuleBroken):
        complaint_respond(complaint=quick, actor=complaints_officer, draft=complete_draft(quick))

    quick.refresh_from_db()
    assert quick.status == ComplaintStatus.QUICK_RESOLUTION
    assert quick.stage1_responded_at is None


def test_a_formal_complaint_cannot_go_back_to_quick_resolution_rules(quick):
    complaint_continue_as_formal(
        complaint=quick, reason=QuickResolutionOutcome.CUSTOMER_NOT_SATISFIED
    )

    with pytest.raises(ComplaintRuleBroken):
        complaint_continue_as_formal(
            complaint=quick, reason=QuickResolutionOutcome.NOT_RESOLVED_IN_TIME
        )

    assert Deadline.objects.for_case(quick).count() == 4
