"""Demo complaints: one at each step of the Code, so every page and queue has something to show.

Run by ``seed_demo`` again and again: each complaint has a fixed idempotency key, and each step
is taken only if the complaint has not already reached it.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from casework.models import ReceivedBy, Team
from complaints.letters import default_escalation_text
from complaints.models import (
    Complaint,
    ComplaintStatus,
    FeedbackKind,
    Outcome,
    Satisfaction,
    ServiceArea,
)
from complaints.services import (
    COMPLAINTS_TEAM_NAME,
    PointDecision,
    PromisedAction,
    ResponseDraft,
    complaint_acknowledge,
    complaint_close,
    complaint_create,
    complaint_define,
    complaint_escalate,
    complaint_learning_record,
    complaint_rate,
    complaint_respond,
    feedback_submit,
)
from kernel.roles import Role

S = ComplaintStatus


def _key(name: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"https://demo.riverside-homes.example/{name}")


def _draft(complaint: Complaint, outcome: str, actions: list[PromisedAction]) -> ResponseDraft:
    points = complaint.points.filter(stage=complaint.stage)
    return ResponseDraft(
        outcome=outcome,
        decisions=[
            PointDecision(
                point_id=p.pk,
                decision=outcome,
                reasons="Our job records show the repair was closed without a visit.",
            )
            for p in points
        ],
        remedy="We apologise. We will fix the fault and credit £40 to your rent account.",
        actions=actions,
        no_outstanding_actions=not actions,
        escalation_text=default_escalation_text(complaint),
        ombudsman_text="",
    )


def seed(demo) -> None:
    officer = demo.staff[Role.COMPLAINTS]
    manager = demo.staff[Role.MANAGER]
    Team.objects.filter(name=COMPLAINTS_TEAM_NAME, lead__isnull=True).update(lead=officer)
    now = timezone.now()

    investigating = complaint_create(
        customer=demo.tenant,
        subject="Damp in the back bedroom keeps coming back",
        details="The mould was treated in spring but it is back on the outside wall.",
        outcome_wanted="Find the cause and fix it for good.",
        service_area=ServiceArea.REPAIRS,
        received_by=ReceivedBy.PORTAL,
        received_at=now - dt.timedelta(days=2),
        idempotency_key=_key("complaint-investigating"),
    )
    if investigating.status == S.STAGE1_RECEIVED:
        complaint_acknowledge(
            complaint=investigating,
            actor=officer,
            issues=["The mould treatment did not last", "Nobody came back to check"],
            outcomes_sought="Find the cause of the damp and fix it",
        )

    answered = complaint_create(
        customer=demo.tenant,
        subject="Kitchen tap repair closed but not done",
        details="The job was marked complete but nobody came.",
        outcome_wanted="Fix the tap.",
        service_area=ServiceArea.REPAIRS,
        received_by=ReceivedBy.PHONE,
        actor=officer,
        received_at=now - dt.timedelta(days=8),
        idempotency_key=_key("complaint-answered"),
    )
    if answered.status == S.STAGE1_RECEIVED:
        complaint_acknowledge(
            complaint=answered,
            actor=officer,
            issues=["The repair was closed without a visit"],
            outcomes_sought="Fix the tap",
        )
    if answered.status == S.STAGE1_INVESTIGATING:
        complaint_respond(
            complaint=answered,
            actor=officer,
            draft=_draft(
                answered,
                Outcome.UPHELD,
                [
                    PromisedAction(
                        description="Replace the kitchen tap",
                        due_date=timezone.localdate() + dt.timedelta(days=7),
                    )
                ],
            ),
        )

    quick = complaint_create(
        customer=demo.other_tenant,
        subject="Communal light out on the stairs",
        details="The light on the second-floor landing has been out for a week.",
        service_area=ServiceArea.NEIGHBOURHOOD,
        received_by=ReceivedBy.PHONE,
        actor=officer,
        quick_resolution=True,
        idempotency_key=_key("complaint-quick"),
    )
    if quick.status == S.QUICK_RESOLUTION and not quick.points.exists():
        complaint_define(
            complaint=quick, actor=officer, issues=["Stair light out"], outcomes_sought=""
        )

    closed = complaint_create(
        customer=demo.leaseholder,
        subject="Service charge letter was wrong",
        details="The letter listed a lift charge but our block has no lift.",
        service_area=ServiceArea.RENT,
        received_by=ReceivedBy.EMAIL,
        actor=officer,
        received_at=now - dt.timedelta(days=20),
        idempotency_key=_key("complaint-closed"),
    )
    if closed.status == S.STAGE1_RECEIVED:
        complaint_acknowledge(
            complaint=closed,
            actor=officer,
            issues=["The charge was for a lift we do not have"],
            outcomes_sought="Correct the bill",
        )
    if closed.status == S.STAGE1_INVESTIGATING:
        complaint_respond(
            complaint=closed, actor=officer, draft=_draft(closed, Outcome.PARTLY_UPHELD, [])
        )
    if closed.status == S.STAGE1_RESPONDED:
        if not closed.learning.exists():
            complaint_learning_record(
                complaint=closed,
                actor=officer,
                lesson="Service charge schedules were copied between blocks",
                improvement="Each block's schedule is now checked against its asset list",
            )
        complaint_close(complaint=closed, actor=officer)
    if closed.status == S.CLOSED and not hasattr(closed, "rating"):
        complaint_rate(
            complaint=closed,
            customer=demo.leaseholder,
            satisfaction=Satisfaction.FAIRLY_SATISFIED,
            comment="Sorted in the end.",
        )

    review = complaint_create(
        customer=demo.shared_owner,
        subject="Window repair took four months",
        details="I reported a broken window in spring and it was only fixed last week.",
        service_area=ServiceArea.REPAIRS,
        received_by=ReceivedBy.LETTER,
        actor=officer,
        received_at=now - dt.timedelta(days=25),
        idempotency_key=_key("complaint-review"),
    )
    if review.status == S.STAGE1_RECEIVED:
        complaint_acknowledge(
            complaint=review,
            actor=officer,
            issues=["The window repair took too long"],
            outcomes_sought="Compensation for the delay",
        )
    if review.status == S.STAGE1_INVESTIGATING:
        complaint_respond(
            complaint=review, actor=officer, draft=_draft(review, Outcome.NOT_UPHELD, [])
        )
    if review.status == S.STAGE1_RESPONDED:
        complaint_escalate(complaint=review, note="I do not accept that the delay was my fault.")
    if review.status == S.STAGE2_RECEIVED:
        complaint_acknowledge(
            complaint=review,
            actor=manager,
            issues=["The stage 1 response blamed the customer for the delay"],
            outcomes_sought="Compensation for the delay",
        )

    feedback_submit(
        customer=demo.new_build_tenant,
        kind=FeedbackKind.COMPLIMENT,
        service_area=ServiceArea.REPAIRS,
        details="The defects team fixed our door the same day. Thank you!",
        idempotency_key=_key("feedback-compliment"),
    )
