"""Stage 1: receipt by any channel, acknowledgement with the definition, the stricter of our
15 working days from receipt and the Code's 10 from the actual acknowledgement, the response
letter's checklist, refusals, and one complaint per submission."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from casework.models import CaseEvent, CaseLink, EventKind, ReceivedBy
from complaints.models import (
    Complaint,
    ComplaintLetter,
    ComplaintStatus,
    LetterKind,
    OutstandingAction,
    RefusalReason,
)
from complaints.services import (
    ComplaintRuleBroken,
    LetterIncomplete,
    ResponseDraft,
    complaint_acknowledge,
    complaint_refuse,
    complaint_respond,
    complaint_response_save_draft,
)
from kernel.formatting import LONDON
from notifications.models import Message
from sla.models import Deadline
from tests.complaints.factories import acknowledge, complete_draft, receive, respond

# Monday 1 June 2026, 09:00 in London: the regulation notes' worked example.
MONDAY = dt.datetime(2026, 6, 1, 9, 0, tzinfo=LONDON)
THURSDAY = dt.datetime(2026, 6, 4, 11, 0, tzinfo=LONDON)


def _end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=LONDON)


def _deadlines(complaint) -> dict[str, Deadline]:
    return {
        d.commitment.code: d
        for d in Deadline.objects.for_case(complaint).select_related("commitment")
    }


@pytest.fixture
def monday(time_machine):
    time_machine.move_to(MONDAY, tick=False)


def test_a_portal_complaint_starts_our_and_the_codes_clocks_from_receipt(tenant_a, monday):
    complaint = receive(tenant_a)

    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.STAGE1_RECEIVED
    assert complaint.reference.startswith("CMP-2026-")
    assert complaint.team.name == "Complaints"
    clocks = _deadlines(complaint)
    assert set(clocks) == {
        "complaint.stage1.acknowledge",
        "complaint.stage1.acknowledge.code",
        "complaint.stage1.respond",
    }
    assert clocks["complaint.stage1.acknowledge"].due_at == _end_of(dt.date(2026, 6, 4))
    assert clocks["complaint.stage1.acknowledge.code"].due_at == _end_of(dt.date(2026, 6, 8))
    assert clocks["complaint.stage1.respond"].due_at == _end_of(dt.date(2026, 6, 22))
    assert complaint.next_due_at == _end_of(dt.date(2026, 6, 4))
    message = Message.objects.get(customer=tenant_a)
    assert complaint.reference in message.subject
    assert "Thursday 4 June 2026" in message.body


def test_acknowledging_starts_the_codes_ten_days_from_the_actual_acknowledgement(
    tenant_a, complaints_officer, monday, time_machine
):
    complaint = receive(tenant_a)
    time_machine.move_to(THURSDAY, tick=False)

    letter = acknowledge(
        complaint, complaints_officer, issues=["The fan was not fixed", "Nobody called back"]
    )

    complaint.refresh_from_db()
    clocks = _deadlines(complaint)
    assert clocks["complaint.stage1.acknowledge"].met_at == THURSDAY
    assert clocks["complaint.stage1.acknowledge.code"].met_at == THURSDAY
    # Code: 4 June + 10 working days = Thursday 18 June; ours: 1 June + 15 = Monday 22 June.
    assert clocks["complaint.stage1.respond.code"].started_at == THURSDAY
    assert clocks["complaint.stage1.respond.code"].due_at == _end_of(dt.date(2026, 6, 18))
    assert complaint.next_due_at == _end_of(dt.date(2026, 6, 18))
    assert complaint.status == ComplaintStatus.STAGE1_INVESTIGATING
    assert complaint.stage1_acknowledged_at == THURSDAY
    assert complaint.stage1_handler == complaints_officer
    assert complaint.assignee == complaints_officer
    assert [p.issue for p in complaint.points.all()] == [
        "The fan was not fixed",
        "Nobody called back",
    ]
    assert letter.kind == LetterKind.ACKNOWLEDGEMENT and letter.sent_at == THURSDAY
    assert "1. The fan was not fixed\n2. Nobody called back" in letter.body
    assert "Thursday 18 June 2026" in letter.body
    assert Message.objects.filter(idempotency_key=f"complaint-letter:{letter.pk}").exists()


def test_acknowledging_needs_at_least_one_point_and_writes_nothing_without(
    tenant_a, complaints_officer, monday
):
    complaint = receive(tenant_a)
    events_before = CaseEvent.objects.count()

    with pytest.raises(ComplaintRuleBroken):
        complaint_acknowledge(
            complaint=complaint, actor=complaints_officer, issues=["  "], outcomes_sought=""
        )

    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.STAGE1_RECEIVED
    assert complaint.stage1_acknowledged_at is None
    assert CaseEvent.objects.count() == events_before
    assert not ComplaintLetter.objects.exists()


def test_a_complete_response_is_sent_and_meets_both_response_clocks(
    tenant_a, complaints_officer, monday, time_machine
):
    complaint = receive(tenant_a)
    acknowledge(complaint, complaints_officer)
    sent_at = dt.datetime(2026, 6, 10, 15, 0, tzinfo=LONDON)
    time_machine.move_to(sent_at, tick=False)

    letter = respond(complaint, complaints_officer)

    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.STAGE1_RESPONDED
    assert complaint.stage1_responded_at == sent_at
    assert complaint.stage1_outcome == "upheld"
    clocks = _deadlines(complaint)
    assert clocks["complaint.stage1.respond"].met_at == sent_at
    assert clocks["complaint.stage1.respond.code"].met_at == sent_at
    assert complaint.next_due_at is None
    assert letter.sent_at == sent_at and letter.sent_by == complaints_officer
    for part in (
        "stage 1",
        "What your complaint is about",
        "Point 1: The fan was not fixed",
        "Decision: Upheld",
        "We will fit a new fan",
        "Fit a new extractor fan, by",
        "Ask for a Final Review",
    ):
        assert part in letter.body
    action = OutstandingAction.objects.get(complaint=complaint)
    assert action.letter == letter and action.due_date == dt.date(2026, 6, 24)
    assert Message.objects.filter(customer=tenant_a, body=letter.body).exists()


def test_a_response_missing_parts_is_refused_with_the_list_and_nothing_is_written(
    tenant_a, complaints_officer, monday
):
    complaint = receive(tenant_a)
    acknowledge(complaint, complaints_officer, issues=["The fan was not fixed", "No call back"])
    messages_before = Message.objects.count()
    events_before = CaseEvent.objects.count()

    with pytest.raises(LetterIncomplete) as refusal:
        complaint_respond(complaint=complaint, actor=complaints_officer, draft=ResponseDraft())

    assert refusal.value.problems == [
        "A decision on point 1",
        "The reasons for the decision on point 1",
        "A decision on point 2",
        "The reasons for the decision on point 2",
        "The overall decision: upheld, partly upheld or not upheld",
        "The remedy or compensation, or why there is none",
        "Any outstanding actions with their dates, or a statement that there are none",
        "How to escalate the complaint to stage 2",
    ]
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.STAGE1_INVESTIGATING
    assert complaint.stage1_responded_at is None
    assert not ComplaintLetter.objects.filter(kind=LetterKind.RESPONSE).exists()
    assert Message.objects.count() == messages_before
    assert CaseEvent.objects.count() == events_before
    assert all(d.met_at is None for code, d in _deadlines(complaint).items() if "respond" in code)


def test_an_action_without_a_date_is_a_missing_part(tenant_a, complaints_officer, monday):
    from complaints.services import PromisedAction

    complaint = receive(tenant_a)
    acknowledge(complaint, complaints_officer)
    draft = complete_draft(complaint, actions=[PromisedAction(description="Fit a new fan")])

    with pytest.raises(LetterIncomplete) as refusal:
        complaint_respond(complaint=complaint, actor=complaints_officer, draft=draft)

    assert refusal.value.problems == ["The date for outstanding action 1"]


def test_a_draft_is_kept_unsent_and_the_response_later_replaces_it(
    tenant_a, complaints_officer, monday
):
    complaint = receive(tenant_a)
    acknowledge(complaint, complaints_officer)

    draft = complaint_response_save_draft(
        complaint=complaint, actor=complaints_officer, draft=ResponseDraft(remedy="Still checking")
    )

    assert draft.sent_at is None
    assert "The overall decision: upheld, partly upheld or not upheld" in draft.missing_parts()
    assert not Message.objects.filter(idempotency_key=f"complaint-letter:{draft.pk}").exists()
    sent = respond(complaint, complaints_officer)
    assert sent.pk == draft.pk
    assert ComplaintLetter.objects.filter(kind=LetterKind.RESPONSE).count() == 1


def test_a_response_cannot_be_sent_before_acknowledgement(tenant_a, complaints_officer, monday):
    complaint = receive(tenant_a)

    with pytest.raises(ComplaintRuleBroken):
        complaint_respond(
            complaint=complaint, actor=complaints_officer, draft=complete_draft(complaint)
        )

    assert not ComplaintLetter.objects.exists()


def test_staff_log_a_phone_complaint_with_the_time_it_was_made(
    tenant_a, complaints_officer, monday
):
    called_at = dt.datetime(2026, 5, 29, 16, 45, tzinfo=LONDON)  # the Friday before

    complaint = receive(
        tenant_a, received_by=ReceivedBy.PHONE, actor=complaints_officer, received_at=called_at
    )

    assert complaint.opened_at == called_at
    assert complaint.logged_by == complaints_officer
    # Friday + 3 working days = Wednesday 3 June.
    assert _deadlines(complaint)["complaint.stage1.acknowledge"].due_at == _end_of(
        dt.date(2026, 6, 3)
    )
    opened = CaseEvent.objects.get(kind=EventKind.OPENED)
    assert opened.actor == complaints_officer and opened.occurred_at == called_at


def test_a_double_submitted_complaint_is_one_complaint(tenant_a, monday):
    key = uuid.uuid4()

    first = receive(tenant_a, idempotency_key=key)
    second = receive(tenant_a, idempotency_key=key)

    assert first.pk == second.pk
    assert Complaint.objects.count() == 1
    assert Deadline.objects.count() == 3
    assert Message.objects.filter(customer=tenant_a).count() == 1


def test_another_households_key_is_not_answered_with_their_complaint(tenant_a, tenant_b, monday):
    key = uuid.uuid4()
    receive(tenant_a, idempotency_key=key)

    with pytest.raises(ValueError):
        receive(tenant_b, idempotency_key=key)

    assert Complaint.objects.count() == 1


def test_a_complaint_about_a_repair_links_it_and_its_history(tenant_a, monday):
    about = receive(tenant_a, subject="The first complaint")  # any registered case will do

    complaint = receive(tenant_a, about=about)

    link = CaseLink.objects.get(from_id=complaint.pk, relation="about")
    assert link.to_id == about.pk
    assert CaseEvent.objects.filter(
        object_id=about.pk, kind=EventKind.LINKED, visible_to_customer=True
    ).exists()


def test_a_complaint_cannot_be_about_another_households_case(tenant_a, tenant_b, monday):
    other = receive(tenant_b)

    with pytest.raises(ComplaintRuleBroken):
        receive(tenant_a, about=other)

    assert Complaint.objects.filter(customer=tenant_a).count() == 0


def test_a_refusal_records_the_reason_and_tells_the_customer_how_to_challenge_it(
    tenant_a, complaints_officer, monday
):
    complaint = receive(tenant_a)

    letter = complaint_refuse(
        complaint=complaint,
        actor=complaints_officer,
        reason=RefusalReason.OUTSIDE_TIME_LIMIT,
        explanation="The leak you describe was in 2023.",
    )

    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.REFUSED
    assert complaint.closed_at is not None
    assert complaint.refusal_reason == RefusalReason.OUTSIDE_TIME_LIMIT
    assert complaint.next_due_at is None
    assert letter.kind == LetterKind.REFUSAL
    assert "Raised more than 12 months after the issue" in letter.body
    assert "The leak you describe was in 2023." in letter.body
    assert "If you disagree with this decision" in letter.body
    assert "Housing Ombudsman" in letter.body and "0300 111 3000" in letter.body


def test_a_refusal_needs_an_explanation(tenant_a, complaints_officer, monday):
    complaint = receive(tenant_a)

    with pytest.raises(ComplaintRuleBroken) as refusal:
        complaint_refuse(
            complaint=complaint,
            actor=complaints_officer,
            reason=RefusalReason.LEGAL_PROCEEDINGS,
            explanation=" ",
        )

    assert refusal.value.problems == ["Explain the decision in words the customer will understand."]
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.STAGE1_RECEIVED
    assert not ComplaintLetter.objects.exists()


def test_a_responded_complaint_cannot_be_refused(tenant_a, complaints_officer, monday):
    complaint = receive(tenant_a)
    acknowledge(complaint, complaints_officer)
    respond(complaint, complaints_officer)

    with pytest.raises(ComplaintRuleBroken):
        complaint_refuse(
            complaint=complaint,
            actor=complaints_officer,
            reason=RefusalReason.OTHER_EXCLUSION,
            explanation="Too late",
        )

    complaint.refresh_from_db()
    assert complaint.refused_at is None


def test_markup_and_formulas_in_a_complaint_are_stored_verbatim(tenant_a, monday):
    text = '<script>alert("x")</script> =HYPERLINK("http://evil.example")'

    complaint = receive(tenant_a, details=text, subject="@SUM(A1)")

    complaint.refresh_from_db()
    assert complaint.details == text
    assert complaint.subject == "@SUM(A1)"


def test_timeline_records_each_step_for_the_customer(tenant_a, complaints_officer, monday):
    complaint = receive(tenant_a)
    acknowledge(complaint, complaints_officer)
    respond(complaint, complaints_officer)

    statuses = list(
        CaseEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Complaint),
            object_id=complaint.pk,
            kind=EventKind.STATUS,
            visible_to_customer=True,
        ).values_list("to_status", flat=True)
    )
    assert statuses == [ComplaintStatus.STAGE1_INVESTIGATING, ComplaintStatus.STAGE1_RESPONDED]
    assert timezone.now() == MONDAY
