"""Stage 2 (Final Review), extensions, closing, learning, outstanding actions, ratings, and a
service request turned into a complaint."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from casework.models import CaseLink, ReceivedBy
from complaints.models import (
    ActionUpdate,
    Complaint,
    ComplaintExtension,
    ComplaintLearning,
    ComplaintLetter,
    ComplaintRating,
    ComplaintStatus,
    LetterKind,
    Outcome,
    Satisfaction,
)
from complaints.services import (
    AlreadyRated,
    ComplaintRuleBroken,
    complaint_action_update,
    complaint_assign,
    complaint_close,
    complaint_create_from_case,
    complaint_escalate,
    complaint_extend,
    complaint_learning_record,
    complaint_rate,
    complaint_respond,
)
from kernel.formatting import LONDON
from kernel.roles import Role
from notifications.models import Message
from sla.models import Deadline
from tests.complaints.factories import acknowledge, complete_draft, receive, respond
from tests.factories import StaffFactory

MONDAY = dt.datetime(2026, 6, 1, 9, 0, tzinfo=LONDON)


def _end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=LONDON)


def _codes(complaint) -> dict[str, Deadline]:
    return {
        d.commitment.code: d
        for d in Deadline.objects.for_case(complaint).select_related("commitment")
    }


@pytest.fixture
def acknowledged(tenant_a, complaints_officer, time_machine):
    time_machine.move_to(MONDAY, tick=False)
    complaint = receive(tenant_a)
    time_machine.move_to(dt.datetime(2026, 6, 4, 11, 0, tzinfo=LONDON), tick=False)
    acknowledge(complaint, complaints_officer)
    return complaint


@pytest.fixture
def responded(acknowledged, complaints_officer, time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 10, 15, 0, tzinfo=LONDON), tick=False)
    respond(acknowledged, complaints_officer)
    acknowledged.refresh_from_db()
    return acknowledged


# --- stage 2 -----------------------------------------------------------------------------------


def test_the_customer_escalates_without_a_reason_and_stage_2_clocks_start(responded, time_machine):
    escalated_at = dt.datetime(2026, 6, 15, 8, 30, tzinfo=LONDON)
    time_machine.move_to(escalated_at, tick=False)

    complaint_escalate(complaint=responded)

    responded.refresh_from_db()
    assert responded.stage == 2
    assert responded.status == ComplaintStatus.STAGE2_RECEIVED
    assert responded.escalated_at == escalated_at
    assert responded.escalation_received_by == ReceivedBy.PORTAL
    clocks = _codes(responded)
    assert clocks["complaint.stage2.acknowledge"].due_at == _end_of(dt.date(2026, 6, 18))
    assert clocks["complaint.stage2.acknowledge.code"].due_at == _end_of(dt.date(2026, 6, 22))
    assert clocks["complaint.stage2.respond"].due_at == _end_of(dt.date(2026, 7, 6))
    # The stage 1 handler no longer holds the case.
    assert responded.assignee is None
    assert Message.objects.filter(idempotency_key=f"complaint:{responded.pk}:escalated").exists()


def test_escalating_twice_is_one_request(responded):
    complaint_escalate(complaint=responded)
    complaint_escalate(complaint=responded)

    assert (
        Deadline.objects.for_case(responded)
        .filter(commitment__code="complaint.stage2.respond")
        .count()
        == 1
    )


def test_a_complaint_not_yet_answered_cannot_be_escalated(acknowledged):
    with pytest.raises(ComplaintRuleBroken):
        complaint_escalate(complaint=acknowledged)

    acknowledged.refresh_from_db()
    assert acknowledged.stage == 1 and acknowledged.escalated_at is None


def test_stage_2_is_refused_to_the_stage_1_handler(responded, complaints_officer):
    complaint_escalate(complaint=responded)

    with pytest.raises(ComplaintRuleBroken):
        acknowledge(responded, complaints_officer)
    with pytest.raises(ComplaintRuleBroken):
        complaint_assign(complaint=responded, assignee=complaints_officer, actor=complaints_officer)

    responded.refresh_from_db()
    assert responded.stage2_handler is None and responded.stage2_acknowledged_at is None


def test_the_database_refuses_the_same_handler_for_both_stages(responded, complaints_officer):
    responded.stage = 2
    responded.escalated_at = responded.stage1_responded_at
    responded.stage2_handler = complaints_officer

    with pytest.raises(IntegrityError), transaction.atomic():
        responded.save(update_fields=["stage", "escalated_at", "stage2_handler"])


def test_stage_2_acknowledged_by_another_officer_starts_the_codes_twenty_days(
    responded, review_officer, time_machine
):
    complaint_escalate(complaint=responded)
    acknowledged_at = dt.datetime(2026, 6, 17, 10, 0, tzinfo=LONDON)
    time_machine.move_to(acknowledged_at, tick=False)

    acknowledge(responded, review_officer, issues=["The fan is still not fixed"])

    responded.refresh_from_db()
    assert responded.status == ComplaintStatus.STAGE2_INVESTIGATING
    assert responded.stage2_handler == review_officer
    clocks = _codes(responded)
    assert clocks["complaint.stage2.respond.code"].started_at == acknowledged_at
    # The Code: 17 June + 20 working days = 15 July. Ours: escalated 10 June + 15 = 1 July.
    assert clocks["complaint.stage2.respond.code"].due_at == _end_of(dt.date(2026, 7, 15))
    assert responded.next_due_at == _end_of(dt.date(2026, 7, 1))


def test_the_final_response_tells_the_customer_how_to_go_to_the_ombudsman(
    responded, review_officer, complaints_officer
):
    complaint_escalate(complaint=responded)
    acknowledge(responded, review_officer, issues=["The fan is still not fixed"])
    draft = complete_draft(responded)
    draft.ombudsman_text = ""

    with pytest.raises(ComplaintRuleBroken) as missing:
        complaint_respond(complaint=responded, actor=review_officer, draft=draft)
    assert missing.value.problems == ["How to take the complaint to the Housing Ombudsman"]

    with pytest.raises(ComplaintRuleBroken):
        respond(responded, complaints_officer)  # the stage 1 handler may not answer stage 2

    letter = respond(responded, review_officer)
    responded.refresh_from_db()
    assert responded.status == ComplaintStatus.STAGE2_RESPONDED
    assert letter.stage == 2 and "Final Review (stage 2) response" in letter.body
    assert "Contact the Housing Ombudsman" in letter.body


def test_a_closed_stage_1_complaint_can_still_be_escalated(responded, complaints_officer):
    complaint_learning_record(
        complaint=responded,
        actor=complaints_officer,
        lesson="Jobs were closed without a visit",
        improvement="Completion needs a photo",
    )
    complaint_close(complaint=responded, actor=complaints_officer)

    complaint_escalate(
        complaint=responded,
        received_by=ReceivedBy.PHONE,
        actor=complaints_officer,
        note="Still broken",
    )

    responded.refresh_from_db()
    assert responded.status == ComplaintStatus.STAGE2_RECEIVED
    assert responded.closed_at is None
    assert responded.escalation_note == "Still broken"


# --- extensions --------------------------------------------------------------------------------


def test_an_extension_moves_both_response_clocks_and_tells_the_customer_with_the_ombudsman(
    acknowledged, complaints_officer, time_machine
):
    time_machine.move_to(dt.datetime(2026, 6, 12, 10, 0, tzinfo=LONDON), tick=False)

    extension = complaint_extend(
        complaint=acknowledged,
        actor=complaints_officer,
        new_due_date=dt.date(2026, 6, 30),
        reason="We are waiting for the contractor's report.",
    )

    clocks = _codes(acknowledged)
    new_due = _end_of(dt.date(2026, 6, 30))
    assert clocks["complaint.stage1.respond"].due_at == new_due
    assert clocks["complaint.stage1.respond.code"].due_at == new_due
    assert clocks["complaint.stage1.respond.code"].extension_reason.startswith("We are waiting")
    acknowledged.refresh_from_db()
    assert acknowledged.next_due_at == new_due
    # 18 June (the Code's deadline) to 30 June: 8 working days further.
    assert extension.further_working_days == 8
    assert extension.previous_due_at == _end_of(dt.date(2026, 6, 18))
    letter = extension.letter
    assert letter.kind == LetterKind.EXTENSION and letter.sent_at is not None
    assert "Tuesday 30 June 2026" in letter.body
    assert "waiting for the contractor's report" in letter.body
    assert "Housing Ombudsman" in letter.body and "0300 111 3000" in letter.body


def test_an_extension_beyond_ten_working_days_needs_a_managers_good_reason(
    acknowledged, complaints_officer, time_machine
):
    time_machine.move_to(dt.datetime(2026, 6, 12, 10, 0, tzinfo=LONDON), tick=False)
    too_far = dt.date(2026, 7, 3)  # 11 working days after 18 June

    with pytest.raises(ComplaintRuleBroken):
        complaint_extend(
            complaint=acknowledged, actor=complaints_officer, new_due_date=too_far, reason="Complex"
        )
    with pytest.raises(ComplaintRuleBroken):
        complaint_extend(
            complaint=acknowledged,
            actor=complaints_officer,
            new_due_date=too_far,
            reason="Complex",
            good_reason="Surveyor ill",
        )
    assert not ComplaintExtension.objects.exists()
    assert not ComplaintLetter.objects.filter(kind=LetterKind.EXTENSION).exists()
    assert _codes(acknowledged)["complaint.stage1.respond.code"].extended_at is None

    manager = StaffFactory(roles=[Role.MANAGER])
    extension = complaint_extend(
        complaint=acknowledged,
        actor=manager,
        new_due_date=too_far,
        reason="Complex",
        good_reason="Surveyor ill",
    )
    assert extension.further_working_days == 11
    assert extension.approved_by == manager


def test_a_second_extension_counts_from_the_original_deadline(
    acknowledged, complaints_officer, time_machine
):
    time_machine.move_to(dt.datetime(2026, 6, 12, 10, 0, tzinfo=LONDON), tick=False)
    complaint_extend(
        complaint=acknowledged,
        actor=complaints_officer,
        new_due_date=dt.date(2026, 6, 30),
        reason="Report awaited",
    )

    with pytest.raises(ComplaintRuleBroken):
        complaint_extend(
            complaint=acknowledged,
            actor=complaints_officer,
            new_due_date=dt.date(2026, 7, 8),
            reason="Still waiting",
        )

    assert ComplaintExtension.objects.count() == 1


def test_an_extension_after_the_deadline_is_refused(acknowledged, complaints_officer, time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 19, 9, 0, tzinfo=LONDON), tick=False)

    with pytest.raises(ComplaintRuleBroken) as refusal:
        complaint_extend(
            complaint=acknowledged,
            actor=complaints_officer,
            new_due_date=dt.date(2026, 6, 26),
            reason="Late",
        )

    assert "before the deadline" in refusal.value.problems[0]
    assert not ComplaintExtension.objects.exists()


def test_a_stage_2_extension_may_go_twenty_working_days_further(
    responded, review_officer, time_machine
):
    complaint_escalate(complaint=responded)
    time_machine.move_to(dt.datetime(2026, 6, 17, 10, 0, tzinfo=LONDON), tick=False)
    acknowledge(responded, review_officer)

    extension = complaint_extend(
        complaint=responded,
        actor=review_officer,
        new_due_date=dt.date(2026, 8, 12),
        reason="Expert report",
    )

    assert extension.stage == 2 and extension.further_working_days == 20


# --- closing, learning, actions, rating --------------------------------------------------------


def test_an_upheld_complaint_cannot_close_without_learning(responded, complaints_officer):
    with pytest.raises(ComplaintRuleBroken):
        complaint_close(complaint=responded, actor=complaints_officer)

    responded.refresh_from_db()
    assert responded.closed_at is None

    complaint_learning_record(
        complaint=responded,
        actor=complaints_officer,
        lesson="Jobs were closed without a visit",
        improvement="Completion needs a photo",
    )
    complaint_close(complaint=responded, actor=complaints_officer)
    responded.refresh_from_db()
    assert responded.status == ComplaintStatus.CLOSED and responded.closed_at is not None
    assert Message.objects.filter(idempotency_key=f"complaint:{responded.pk}:closed:1").exists()


def test_learning_is_recorded_only_on_upheld_complaints(acknowledged, complaints_officer):
    respond(acknowledged, complaints_officer, outcome=Outcome.NOT_UPHELD)

    with pytest.raises(ComplaintRuleBroken):
        complaint_learning_record(
            complaint=acknowledged, actor=complaints_officer, lesson="x", improvement="y"
        )

    assert not ComplaintLearning.objects.exists()
    complaint_close(complaint=acknowledged, actor=complaints_officer)


def test_updates_on_a_promised_action_reach_the_customer(responded, complaints_officer):
    action = responded.actions.get()

    complaint_action_update(action=action, actor=complaints_officer, note="The fan is ordered.")
    complaint_action_update(
        action=action, actor=complaints_officer, note="Fitted today.", completed=True
    )

    action.refresh_from_db()
    assert action.completed_at is not None
    assert list(ActionUpdate.objects.values_list("note", flat=True)) == [
        "The fan is ordered.",
        "Fitted today.",
    ]
    assert Message.objects.filter(
        customer=responded.customer, body__contains="Fitted today."
    ).exists()
    with pytest.raises(ComplaintRuleBroken):
        complaint_action_update(action=action, actor=complaints_officer, note="Again")
    assert ActionUpdate.objects.count() == 2


def test_the_customer_rates_a_closed_complaint_once(responded, complaints_officer, tenant_a):
    with pytest.raises(ComplaintRuleBroken):
        complaint_rate(
            complaint=responded, customer=tenant_a, satisfaction=Satisfaction.FAIRLY_SATISFIED
        )
    complaint_learning_record(
        complaint=responded, actor=complaints_officer, lesson="a", improvement="b"
    )
    complaint_close(complaint=responded, actor=complaints_officer)

    complaint_rate(
        complaint=responded,
        customer=tenant_a,
        satisfaction=Satisfaction.FAIRLY_SATISFIED,
        comment="Took a while",
    )
    with pytest.raises(AlreadyRated):
        complaint_rate(
            complaint=responded, customer=tenant_a, satisfaction=Satisfaction.VERY_DISSATISFIED
        )

    rating = ComplaintRating.objects.get()
    assert rating.satisfaction == Satisfaction.FAIRLY_SATISFIED


# --- a service request becomes a complaint -----------------------------------------------------


def test_a_service_request_becomes_a_complaint_keeping_its_receipt_date(
    tenant_a, complaints_officer, time_machine
):
    from enquiries.models import Enquiry

    time_machine.move_to(MONDAY, tick=False)
    enquiry = Enquiry.objects.create(
        reference="ENQ-2026-000001",
        customer=tenant_a,
        tenancy=tenant_a.tenancy,
        property=tenant_a.tenancy.property,
        received_by=ReceivedBy.EMAIL,
        status="received",
        opened_at=dt.datetime(2026, 5, 28, 12, 0, tzinfo=LONDON),
        subject="Fan",
        details="Third time asking about the fan",
    )

    complaint = complaint_create_from_case(
        source_case=enquiry, actor=complaints_officer, subject="Fan still not fixed"
    )
    again = complaint_create_from_case(
        source_case=enquiry, actor=complaints_officer, subject="Fan still not fixed"
    )

    assert again.pk == complaint.pk
    assert Complaint.objects.count() == 1
    assert complaint.opened_at == enquiry.opened_at
    assert complaint.received_by == ReceivedBy.EMAIL
    assert complaint.details == "Third time asking about the fan"
    assert (
        CaseLink.objects.filter(
            from_id=complaint.pk, to_id=enquiry.pk, relation="continued from"
        ).count()
        == 1
    )
    # Thursday 28 May + 3 working days = Tuesday 2 June.
    assert _codes(complaint)["complaint.stage1.acknowledge"].due_at == _end_of(dt.date(2026, 6, 2))
