"""Writes for complaints: one service per step of the Complaint Handling Code.

Every service is keyword-only and atomic: the status change (through casework's
``case_transition``, which writes the CaseEvent), the clocks it starts and meets, the letter and
the message to the customer are one transaction, so the timeline, the clocks and what the
customer was told can never disagree.

The clocks (sla catalogue codes):

- Quick Resolution: ``complaint.quick_resolution`` (2 working days from the QR being opened,
  which is when the complaint was received).
- Formal stage 1: ``complaint.stage1.acknowledge`` (3 WD) and its Code twin ``.code`` (5 WD)
  from receipt; ``complaint.stage1.respond`` (15 WD) from receipt; ``complaint.stage1.respond
  .code`` (10 WD) from the *actual* acknowledgement (Code 6.3). A Quick Resolution that turns
  formal starts the formal clocks from the original receipt: it was a stage 1 complaint all
  along, never a new one (Code 5.2).
- Stage 2 likewise from the escalation, with ``complaint.stage2.respond.code`` 20 WD from the
  actual acknowledgement.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from casework.models import Case, CaseLink, ReceivedBy, Team
from casework.services import (
    InvalidTransition,
    case_add_note,
    case_assign,
    case_deadline_extend,
    case_deadline_meet,
    case_link,
    case_open,
    case_transition,
)
from complaints import letters
from complaints.models import (
    UPHELD_OUTCOMES,
    ActionUpdate,
    Complaint,
    ComplaintExtension,
    ComplaintLearning,
    ComplaintLetter,
    ComplaintPoint,
    ComplaintRating,
    ComplaintStatus,
    Feedback,
    FeedbackKind,
    LetterDecision,
    LetterKind,
    OmbudsmanRecord,
    OutstandingAction,
    QuickResolutionOutcome,
    RefusalReason,
    ServiceArea,
)
from kernel.formatting import LONDON, london_date, london_short_date
from kernel.roles import Role, user_has_any_role
from notifications.services import notify_customer, notify_staff
from sla.calendar import end_of_local_day, working_days_between
from sla.models import Deadline
from sla.services import ClaimedDeadline, deadline_start

if TYPE_CHECKING:
    from accounts.models import User
    from tenancy.models import Customer

logger = logging.getLogger(__name__)

S = ComplaintStatus
COMPLAINTS_TEAM_NAME = "Complaints"

# Code 6.4 and the stage 2 equivalent: further working days an extension may add to the Code's
# response deadline before a manager must record good reason.
MAX_FURTHER_WORKING_DAYS = {1: 10, 2: 20}

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    S.QUICK_RESOLUTION: {S.STAGE1_RECEIVED, S.STAGE1_RESPONDED, S.REFUSED},
    S.STAGE1_RECEIVED: {S.STAGE1_INVESTIGATING, S.REFUSED},
    S.STAGE1_INVESTIGATING: {S.STAGE1_RESPONDED, S.REFUSED},
    S.STAGE1_RESPONDED: {S.STAGE2_RECEIVED, S.CLOSED},
    S.STAGE2_RECEIVED: {S.STAGE2_INVESTIGATING},
    S.STAGE2_INVESTIGATING: {S.STAGE2_RESPONDED},
    S.STAGE2_RESPONDED: {S.CLOSED},
    # A customer may still ask for a Final Review after we closed the complaint at stage 1.
    S.CLOSED: {S.STAGE2_RECEIVED},
}

RECEIVED = {1: S.STAGE1_RECEIVED, 2: S.STAGE2_RECEIVED}
INVESTIGATING = {1: S.STAGE1_INVESTIGATING, 2: S.STAGE2_INVESTIGATING}
RESPONDED = {1: S.STAGE1_RESPONDED, 2: S.STAGE2_RESPONDED}
QUICK_RESOLUTION_CLOCK = "complaint.quick_resolution"


def acknowledge_code(stage: int) -> str:
    return f"complaint.stage{stage}.acknowledge"


def respond_code(stage: int) -> str:
    return f"complaint.stage{stage}.respond"


class ComplaintRuleBroken(Exception):
    """A step the Code or our policy does not allow here. Nothing was written.

    ``problems`` lists each reason, in words a member of staff can act on.
    """

    def __init__(self, *problems: str) -> None:
        self.problems = list(problems)
        super().__init__(" ".join(problems))


class LetterIncomplete(ComplaintRuleBroken):
    """A response that lacks a part the Code requires; ``problems`` lists each missing part."""


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def complaints_team() -> Team | None:
    return Team.objects.filter(name=COMPLAINTS_TEAM_NAME).first()


def _lock(complaint: Complaint) -> Complaint:
    """Re-read the complaint under a row lock, so two officers acting at once are serialised
    and each sees the other's result; the caller's instance is refreshed to match."""
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    for field_name in [f.attname for f in Complaint._meta.concrete_fields]:
        setattr(complaint, field_name, getattr(locked, field_name))
    return complaint


def _transition(
    complaint: Complaint,
    to_status: str,
    *,
    actor: User | None,
    note: str = "",
    closes: bool = False,
    visible: bool = True,
) -> None:
    try:
        case_transition(
            case=complaint,
            to_status=to_status,
            allowed=ALLOWED_TRANSITIONS,
            actor=actor,
            note=note,
            visible_to_customer=visible,
            closes=closes,
        )
    except InvalidTransition as exc:
        raise ComplaintRuleBroken(
            f"This complaint is '{complaint.get_status_display()}', so it cannot move to "
            f"'{ComplaintStatus(to_status).label}'."
        ) from exc


def _save(complaint: Complaint, *fields: str) -> None:
    complaint.save(update_fields=list(fields))


def _open_deadlines(complaint: Complaint, code: str) -> list[Deadline]:
    """Open rows of ``code`` and its legal twins (``code.*``) on the complaint."""
    rows = (
        Deadline.objects.for_case(complaint)
        .filter(met_at__isnull=True)
        .select_related("commitment")
    )
    return [
        d for d in rows if d.commitment.code == code or d.commitment.code.startswith(code + ".")
    ]


def _earliest_due(complaint: Complaint, code: str) -> dt.datetime | None:
    dues = [d.due_at for d in _open_deadlines(complaint, code)]
    return min(dues) if dues else None


def _send_letter(
    *,
    complaint: Complaint,
    kind: str,
    stage: int | None,
    subject: str,
    body: str,
    by: User | None,
    letter: ComplaintLetter | None = None,
) -> ComplaintLetter:
    """Record the letter as sent and queue it to the customer by their channel."""
    now = timezone.now()
    if letter is None:
        letter = ComplaintLetter(
            complaint=complaint, kind=kind, stage=stage, created_by=by, created_at=now
        )
    letter.subject = subject[:200]
    letter.body = body
    letter.sent_at = now
    letter.sent_by = by
    letter.save()
    notify_customer(
        customer=complaint.customer,
        subject=letter.subject,
        body=body,
        key=f"complaint-letter:{letter.pk}",
        about=complaint,
    )
    return letter


def _replace_points(complaint: Complaint, stage: int, issues: list[str]) -> None:
    """Make the stage's definition exactly ``issues``. Points keep their rows where they can, so
    a draft response's decisions on them survive a reworded issue."""
    issues = [i.strip() for i in issues if i.strip()]
    existing = {p.position: p for p in complaint.points.filter(stage=stage)}
    for position, issue in enumerate(issues, start=1):
        point = existing.pop(position, None)
        if point is None:
            ComplaintPoint.objects.create(
                complaint=complaint, stage=stage, position=position, issue=issue
            )
        elif point.issue != issue:
            point.issue = issue
            point.save(update_fields=["issue"])
    if existing:
        removed = list(existing.values())
        LetterDecision.objects.filter(point__in=removed, letter__sent_at__isnull=True).delete()
        ComplaintPoint.objects.filter(pk__in=[p.pk for p in removed]).delete()


def _current_definition(complaint: Complaint, stage: int) -> str:
    points = list(complaint.points.filter(stage=stage))
    return letters.definition_text(points, complaint.outcomes_sought(stage))


def _check_issues(issues: list[str]) -> None:
    if not [i for i in issues if i.strip()]:
        raise ComplaintRuleBroken("Record at least one point the complaint is about.")


# ---------------------------------------------------------------------------------------------
# Receiving a complaint
# ---------------------------------------------------------------------------------------------


def _start_formal_clocks(complaint: Complaint) -> None:
    """Stage 1's acknowledgement and response clocks, from the original receipt."""
    deadline_start(case=complaint, code=acknowledge_code(1), started_at=complaint.received_at)
    deadline_start(
        case=complaint, code=acknowledge_code(1) + ".code", started_at=complaint.received_at
    )
    deadline_start(case=complaint, code=respond_code(1), started_at=complaint.received_at)


def _receipt_message(complaint: Complaint) -> None:
    if complaint.quick_resolution:
        body = (
            f"Thank you for telling us about this. We have logged it as complaint "
            f"{complaint.reference} and we are aiming to put it right within 2 working days, "
            "as a Quick Resolution. If we cannot, or you are not happy with what we do, we will "
            "investigate it as a formal complaint, counted from today.\n\n"
            f"Follow it at {letters.complaint_url(complaint)}"
        )
    else:
        ack_by = _earliest_due(complaint, acknowledge_code(1))
        body = (
            f"Thank you for your complaint, {complaint.reference}. We will contact you by "
            f"{london_date(ack_by) if ack_by else 'the end of 3 working days'} to confirm what "
            "it is about and when you will have our full response.\n\n"
            f"Follow it at {letters.complaint_url(complaint)}"
        )
    notify_customer(
        customer=complaint.customer,
        subject=f"We have your complaint {complaint.reference}",
        body=body,
        key=f"complaint:{complaint.pk}:received",
        about=complaint,
    )


@transaction.atomic
def complaint_create(
    *,
    customer: Customer,
    subject: str,
    details: str,
    service_area: str,
    received_by: str,
    outcome_wanted: str = "",
    issue_date: dt.date | None = None,
    actor: User | None = None,
    received_at: dt.datetime | None = None,
    quick_resolution: bool = False,
    about: Case | None = None,
    idempotency_key: uuid.UUID | None = None,
) -> Complaint:
    """Receive a stage 1 complaint by any channel.

    From the portal ``actor`` is None; staff logging a call, letter, email or visit pass
    themselves. Only staff may run it as a Quick Resolution: it is their judgement that it can be
    put right in 2 working days. ``about`` (a repair or other case of the same household) is
    linked, so its history travels with the complaint. The same ``idempotency_key`` twice
    returns the first complaint and writes nothing more.
    """
    if idempotency_key is not None:
        existing = Complaint.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.tenancy_id != customer.tenancy_id:
                raise ValueError("That idempotency key belongs to another household.")
            return existing
    if quick_resolution and actor is None:
        raise ComplaintRuleBroken(
            "Only a member of staff can run a complaint as a Quick Resolution."
        )
    if service_area not in ServiceArea.values:
        raise ComplaintRuleBroken("Choose what the complaint is about.")
    now = timezone.now()
    received_at = received_at or now
    if received_at > now:
        raise ComplaintRuleBroken("The date the complaint was received cannot be in the future.")
    if about is not None and about.tenancy_id != customer.tenancy_id:
        raise ComplaintRuleBroken("A complaint can only be about a case of the same household.")
    try:
        # A savepoint: a second submission racing this one fails on the unique key and we
        # return the complaint the first one created.
        with transaction.atomic():
            complaint = case_open(
                model=Complaint,
                customer=customer,
                received_by=received_by,
                status=S.QUICK_RESOLUTION if quick_resolution else S.STAGE1_RECEIVED,
                actor=actor,
                opened_at=received_at,
                team=complaints_team(),
                note="Complaint received" + (" as a Quick Resolution" if quick_resolution else ""),
                subject=subject.strip(),
                details=details,
                outcome_wanted=outcome_wanted,
                service_area=service_area,
                issue_date=issue_date,
                logged_by=actor,
                idempotency_key=idempotency_key,
                quick_resolution=quick_resolution,
            )
    except IntegrityError:
        if idempotency_key is None:
            raise
        return Complaint.objects.get(idempotency_key=idempotency_key)
    if quick_resolution:
        deadline_start(case=complaint, code=QUICK_RESOLUTION_CLOCK, started_at=received_at)
    else:
        _start_formal_clocks(complaint)
    if about is not None:
        case_link(
            from_case=complaint,
            to_case=about,
            relation="about",
            actor=actor,
            visible_to_customer=True,
        )
    _receipt_message(complaint)
    return complaint


@transaction.atomic
def complaint_create_from_case(
    *,
    source_case: Case,
    actor: User | None,
    subject: str,
    details: str = "",
    service_area: str = ServiceArea.CUSTOMER_SERVICE,
    outcome_wanted: str = "",
    quick_resolution: bool = False,
) -> Complaint:
    """Turn dissatisfaction raised as a service request (an enquiry, a call back, a repair)
    into a stage 1 complaint that keeps the request's receipt date and channel (Code 1.5).

    For other apps to call. The complaint and the request are linked ("continued from"), and
    calling it again for the same request returns the same complaint: it is one complaint
    however many times someone presses the button.
    """
    if isinstance(source_case, Complaint):
        raise ComplaintRuleBroken("That is already a complaint.")
    # Serialise conversions of the same request, so two clicks make one complaint.
    list(
        type(source_case)
        ._default_manager.select_for_update()
        .filter(pk=source_case.pk)
        .values_list("pk", flat=True)
    )
    existing = CaseLink.objects.filter(
        from_type=ContentType.objects.get_for_model(Complaint),
        to_type=ContentType.objects.get_for_model(source_case),
        to_id=source_case.pk,
        relation="continued from",
    ).first()
    if existing is not None:
        return Complaint.objects.get(pk=existing.from_id)
    complaint = complaint_create(
        customer=source_case.customer,
        subject=subject,
        details=details or getattr(source_case, "details", "") or subject,
        service_area=service_area,
        received_by=source_case.received_by,
        outcome_wanted=outcome_wanted,
        actor=actor,
        received_at=source_case.opened_at,
        quick_resolution=quick_resolution,
    )
    case_link(
        from_case=complaint,
        to_case=source_case,
        relation="continued from",
        actor=actor,
        visible_to_customer=True,
    )
    return complaint


# ---------------------------------------------------------------------------------------------
# Quick Resolution
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def complaint_continue_as_formal(
    *, complaint: Complaint, reason: str, actor: User | None = None, note: str = ""
) -> Complaint:
    """A Quick Resolution that was not put right in 2 working days, or that the customer is not
    satisfied with, continues as a formal stage 1 complaint: the same complaint, the same
    receipt date, no extra stage. Its formal clocks run from the original receipt."""
    _lock(complaint)
    if complaint.status != S.QUICK_RESOLUTION:
        raise ComplaintRuleBroken("Only a Quick Resolution can continue as a formal complaint.")
    if reason not in QuickResolutionOutcome.values or reason == QuickResolutionOutcome.RESOLVED:
        raise ComplaintRuleBroken("Say why the Quick Resolution is continuing as formal.")
    now = timezone.now()
    case_deadline_meet(case=complaint, code=QUICK_RESOLUTION_CLOCK, actor=actor, met_at=now)
    complaint.quick_resolution_outcome = reason
    complaint.quick_resolution_ended_at = now
    _save(complaint, "quick_resolution_outcome", "quick_resolution_ended_at")
    label = QuickResolutionOutcome(reason).label
    _transition(
        complaint,
        S.STAGE1_RECEIVED,
        actor=actor,
        note=f"Continuing as a formal stage 1 complaint: {label.lower()}."
        + (f" {note.strip()}" if note.strip() else ""),
    )
    _start_formal_clocks(complaint)
    respond_by = _earliest_due(complaint, respond_code(1))
    notify_customer(
        customer=complaint.customer,
        subject=f"Your complaint {complaint.reference} is now a formal complaint",
        body=(
            "We have not been able to settle your complaint as a Quick Resolution, so we are "
            "now investigating it as a formal stage 1 complaint. Our timescales still count "
            "from the day you first told us.\n\n"
            f"We will send you our full response by "
            f"{london_date(respond_by) if respond_by else 'the date in our next letter'} at the "
            "latest."
            f"\n\nFollow it at {letters.complaint_url(complaint)}"
        ),
        key=f"complaint:{complaint.pk}:formal",
        about=complaint,
    )
    return complaint


def quick_resolutions_overdue(deadlines: list[ClaimedDeadline]) -> None:
    """Breach handler for the clock sweep: each Quick Resolution whose 2 working days have run
    out continues as a formal complaint.

    Runs inside the sweep's transaction, so each complaint gets its own savepoint: one that
    cannot be moved (a member of staff resolved it a moment ago) is logged and skipped rather
    than rolling back the sweep's marks for every other case.
    """
    complaint_type = ContentType.objects.get_for_model(Complaint)
    ids = [
        d.object_id
        for d in deadlines
        if d.content_type_id == complaint_type.pk and d.commitment.code == QUICK_RESOLUTION_CLOCK
    ]
    for complaint in Complaint.objects.filter(pk__in=ids, status=S.QUICK_RESOLUTION):
        try:
            with transaction.atomic():
                complaint_continue_as_formal(
                    complaint=complaint, reason=QuickResolutionOutcome.NOT_RESOLVED_IN_TIME
                )
        except ComplaintRuleBroken:
            logger.info("Quick Resolution %s had already moved on.", complaint.reference)


# ---------------------------------------------------------------------------------------------
# Definition and acknowledgement
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def complaint_define(
    *, complaint: Complaint, actor: User, issues: list[str], outcomes_sought: str
) -> Complaint:
    """Record or amend the current stage's definition: the points raised and the outcomes the
    customer seeks. New points raised before the response join the open stage (CHC-8)."""
    _lock(complaint)
    if complaint.status not in (S.QUICK_RESOLUTION, INVESTIGATING[complaint.stage]):
        raise ComplaintRuleBroken(
            "The definition can be changed only while the stage is open "
            "and acknowledged, or during a Quick Resolution."
        )
    _check_issues(issues)
    stage = complaint.stage
    _replace_points(complaint, stage, issues)
    setattr(complaint, f"stage{stage}_outcomes_sought", outcomes_sought.strip())
    _save(complaint, f"stage{stage}_outcomes_sought")
    case_add_note(
        case=complaint,
        actor=actor,
        visible_to_customer=False,
        note=f"Stage {stage} definition recorded:\n" + _current_definition(complaint, stage),
    )
    return complaint


@transaction.atomic
def complaint_acknowledge(
    *,
    complaint: Complaint,
    actor: User,
    issues: list[str],
    outcomes_sought: str,
    handler: User | None = None,
) -> ComplaintLetter:
    """Acknowledge the current stage with its definition (Code 6.2, 6.11), and start the Code's
    response clock from this actual acknowledgement (Code 6.3).

    The handler (``actor`` unless given) takes the complaint. At stage 2 the handler must not be
    the person who handled stage 1 (Code 6.13).
    """
    _lock(complaint)
    stage = complaint.stage
    if complaint.status != RECEIVED[stage]:
        raise ComplaintRuleBroken("This complaint is not waiting to be acknowledged.")
    _check_issues(issues)
    handler = handler or actor
    if stage == 2 and complaint.stage1_handler_id == handler.pk:
        raise ComplaintRuleBroken(
            "The Final Review must be handled by someone other than the stage 1 handler."
        )
    now = timezone.now()
    _replace_points(complaint, stage, issues)
    setattr(complaint, f"stage{stage}_outcomes_sought", outcomes_sought.strip())
    setattr(complaint, f"stage{stage}_acknowledged_at", now)
    setattr(complaint, f"stage{stage}_handler", handler)
    _save(
        complaint,
        f"stage{stage}_outcomes_sought",
        f"stage{stage}_acknowledged_at",
        f"stage{stage}_handler",
    )
    case_deadline_meet(case=complaint, code=acknowledge_code(stage), actor=actor, met_at=now)
    deadline_start(case=complaint, code=respond_code(stage) + ".code", started_at=now)
    _transition(complaint, INVESTIGATING[stage], actor=actor, note="Complaint acknowledged")
    case_assign(case=complaint, assignee=handler, actor=actor)
    definition = _current_definition(complaint, stage)
    return _send_letter(
        complaint=complaint,
        kind=LetterKind.ACKNOWLEDGEMENT,
        stage=stage,
        by=actor,
        subject=f"We have your {'Final Review request' if stage == 2 else 'complaint'} "
        f"{complaint.reference}",
        body=letters.acknowledgement_body(
            complaint=complaint,
            stage=stage,
            definition=definition,
            respond_by=_earliest_due(complaint, respond_code(stage)),
        ),
    )


# ---------------------------------------------------------------------------------------------
# Responses
# ---------------------------------------------------------------------------------------------


@dataclass
class PointDecision:
    point_id: int
    decision: str = ""
    reasons: str = ""


@dataclass
class PromisedAction:
    description: str = ""
    due_date: dt.date | None = None


@dataclass
class ResponseDraft:
    """What a member of staff wrote in the response form; any part may still be empty."""

    outcome: str = ""
    decisions: list[PointDecision] = field(default_factory=list)
    remedy: str = ""
    compensation_amount: Decimal | None = None
    actions: list[PromisedAction] = field(default_factory=list)
    no_outstanding_actions: bool = False
    escalation_text: str = ""
    ombudsman_text: str = ""


def _respondable_stage(complaint: Complaint) -> int:
    if complaint.status == S.QUICK_RESOLUTION or complaint.status == INVESTIGATING[complaint.stage]:
        return complaint.stage
    raise ComplaintRuleBroken("This complaint is not waiting for a response.")


def _write_draft(*, complaint: Complaint, actor: User, draft: ResponseDraft) -> ComplaintLetter:
    stage = _respondable_stage(complaint)
    letter = ComplaintLetter.objects.filter(
        complaint=complaint, stage=stage, kind=LetterKind.RESPONSE, sent_at__isnull=True
    ).first()
    if letter is None:
        letter = ComplaintLetter(
            complaint=complaint,
            kind=LetterKind.RESPONSE,
            stage=stage,
            created_by=actor,
            created_at=timezone.now(),
        )
    letter.subject = (
        f"Our {'Final Review' if stage == 2 else 'stage 1'} response: {complaint.reference}"
    )
    letter.quick_resolution = complaint.status == S.QUICK_RESOLUTION
    letter.definition = _current_definition(complaint, stage)
    letter.outcome = draft.outcome
    letter.remedy = draft.remedy.strip()
    letter.compensation_amount = draft.compensation_amount
    letter.no_outstanding_actions = draft.no_outstanding_actions
    letter.escalation_text = draft.escalation_text.strip() if stage == 1 else ""
    letter.ombudsman_text = draft.ombudsman_text.strip() if stage == 2 else ""
    letter.save()
    points = {p.pk: p for p in complaint.points.filter(stage=stage)}
    letter.decisions.all().delete()
    LetterDecision.objects.bulk_create(
        [
            LetterDecision(
                letter=letter,
                point=points[d.point_id],
                decision=d.decision,
                reasons=d.reasons.strip(),
            )
            for d in draft.decisions
            if d.point_id in points
        ]
    )
    letter.actions.all().delete()
    now = timezone.now()
    OutstandingAction.objects.bulk_create(
        [
            OutstandingAction(
                complaint=complaint,
                letter=letter,
                description=a.description.strip(),
                due_date=a.due_date,
                created_at=now,
            )
            for a in draft.actions
            if a.description.strip() or a.due_date
        ]
    )
    return letter


@transaction.atomic
def complaint_response_save_draft(
    *, complaint: Complaint, actor: User, draft: ResponseDraft
) -> ComplaintLetter:
    """Keep the response as written so far; nothing is sent. One draft per stage."""
    _lock(complaint)
    return _write_draft(complaint=complaint, actor=actor, draft=draft)


@transaction.atomic
def complaint_respond(
    *, complaint: Complaint, actor: User, draft: ResponseDraft
) -> ComplaintLetter:
    """Send the response to the current stage, or resolve a Quick Resolution with it.

    Refused with ``LetterIncomplete`` listing every missing part (``ComplaintLetter
    .missing_parts``) until the letter holds all the Code requires; then nothing is written,
    not even the draft. At stage 2 the sender must not be the stage 1 handler. A Quick
    Resolution must be resolved within its 2 working days; after that it continues as formal.
    """
    _lock(complaint)
    stage = _respondable_stage(complaint)
    is_quick = complaint.status == S.QUICK_RESOLUTION
    now = timezone.now()
    if stage == 2 and complaint.stage1_handler_id == actor.pk:
        raise ComplaintRuleBroken(
            "The Final Review must be answered by someone other than the stage 1 handler."
        )
    if is_quick:
        due = _earliest_due(complaint, QUICK_RESOLUTION_CLOCK)
        if due is None or due < now:
            raise ComplaintRuleBroken(
                "The 2 working days for a Quick Resolution have passed: continue it as a formal "
                "complaint."
            )
    letter = _write_draft(complaint=complaint, actor=actor, draft=draft)
    missing = letter.missing_parts()
    if missing:
        # Roll back the draft written above too: a refused send leaves no trace.
        raise LetterIncomplete(*missing)
    if is_quick:
        case_deadline_meet(case=complaint, code=QUICK_RESOLUTION_CLOCK, actor=actor, met_at=now)
        complaint.quick_resolution_outcome = QuickResolutionOutcome.RESOLVED
        complaint.quick_resolution_ended_at = now
        _save(complaint, "quick_resolution_outcome", "quick_resolution_ended_at")
    else:
        case_deadline_meet(case=complaint, code=respond_code(stage), actor=actor, met_at=now)
    setattr(complaint, f"stage{stage}_responded_at", now)
    setattr(complaint, f"stage{stage}_outcome", letter.outcome)
    setattr(complaint, f"stage{stage}_handler", actor)
    _save(complaint, f"stage{stage}_responded_at", f"stage{stage}_outcome", f"stage{stage}_handler")
    _transition(
        complaint,
        RESPONDED[stage],
        actor=actor,
        note=f"Response sent: {letter.get_outcome_display().lower()}",
    )
    letter.sent_by = actor
    return _send_letter(
        complaint=complaint,
        kind=LetterKind.RESPONSE,
        stage=stage,
        by=actor,
        subject=letter.subject,
        body=letters.response_body(letter=letter),
        letter=letter,
    )


# ---------------------------------------------------------------------------------------------
# Extensions
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def complaint_extend(
    *,
    complaint: Complaint,
    actor: User,
    new_due_date: dt.date,
    reason: str,
    good_reason: str = "",
) -> ComplaintExtension:
    """Move the current stage's response date (both clocks) to ``new_due_date``.

    The Code (6.4, 6.5) allows it only with a reason, told to the customer before the deadline
    in force has passed, with the Ombudsman's contact details; and at most 10 (stage 1) or 20
    (stage 2) working days beyond the Code's original deadline unless a manager records good
    reason. The limit counts from the original deadline, so a second extension cannot stretch it.
    """
    _lock(complaint)
    stage = complaint.stage
    if complaint.status != INVESTIGATING[stage]:
        raise ComplaintRuleBroken(
            "Only an acknowledged complaint awaiting its response can be extended."
        )
    reason = reason.strip()
    problems = []
    if not reason:
        problems.append("Give the reason the customer will read.")
    deadlines = _open_deadlines(complaint, respond_code(stage))
    code_clock = next((d for d in deadlines if d.commitment.code.endswith(".code")), None)
    now = timezone.now()
    in_force = min((d.due_at for d in deadlines), default=None)
    if in_force is None or code_clock is None:
        raise ComplaintRuleBroken("This stage has no running response deadline to extend.")
    if in_force < now:
        problems.append(
            "The response date has passed: an extension must reach the customer "
            "before the deadline."
        )
    new_due_at = end_of_local_day(new_due_date)
    if new_due_at <= in_force:
        problems.append(f"The new date must be after the current date, {london_date(in_force)}.")
    original = code_clock.original_due_at.astimezone(LONDON).date()
    further = max(working_days_between(original, new_due_date), 0)
    limit = MAX_FURTHER_WORKING_DAYS[stage]
    approved_by = None
    if further > limit:
        if not good_reason.strip():
            problems.append(
                f"That is {further} working days beyond the Code's deadline; more "
                f"than {limit} needs a manager to record good reason."
            )
        elif not user_has_any_role(actor, [Role.MANAGER]):
            problems.append(f"More than {limit} further working days needs a manager.")
        else:
            approved_by = actor
    if problems:
        raise ComplaintRuleBroken(*problems)
    for deadline in deadlines:
        if deadline.due_at < new_due_at:
            case_deadline_extend(
                case=complaint,
                deadline=deadline,
                new_due_at=new_due_at,
                reason=reason,
                by=actor,
                tell_customer=False,
                # Our own extension letter (below, same transaction) tells the customer.
                customer_told_at=timezone.now(),
            )
    letter = _send_letter(
        complaint=complaint,
        kind=LetterKind.EXTENSION,
        stage=stage,
        by=actor,
        subject=f"We need more time: complaint {complaint.reference}",
        body=letters.extension_body(
            complaint=complaint, stage=stage, reason=reason, new_due_at=new_due_at
        ),
    )
    return ComplaintExtension.objects.create(
        complaint=complaint,
        stage=stage,
        previous_due_at=in_force,
        new_due_at=new_due_at,
        further_working_days=further,
        reason=reason,
        good_reason=good_reason.strip(),
        approved_by=approved_by,
        requested_by=actor,
        created_at=now,
        letter=letter,
    )


# ---------------------------------------------------------------------------------------------
# Stage 2, closing, refusing
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def complaint_escalate(
    *,
    complaint: Complaint,
    received_by: str = ReceivedBy.PORTAL,
    actor: User | None = None,
    note: str = "",
) -> Complaint:
    """The customer asks for a Final Review (stage 2). No reason is needed (Code 6.12).

    From the portal ``actor`` is None; staff logging a request made another way pass themselves.
    Asking twice is one request: a complaint already at stage 2 is returned as it is.
    """
    _lock(complaint)
    if complaint.stage == 2:
        return complaint
    if complaint.is_refused or complaint.status not in (S.STAGE1_RESPONDED, S.CLOSED):
        raise ComplaintRuleBroken(
            "A Final Review can be asked for once we have sent our stage 1 response."
        )
    now = timezone.now()
    reopening = complaint.status == S.CLOSED
    complaint.stage = 2
    complaint.escalated_at = now
    complaint.escalation_received_by = received_by
    complaint.escalation_note = note.strip()
    _save(complaint, "stage", "escalated_at", "escalation_received_by", "escalation_note")
    _transition(complaint, S.STAGE2_RECEIVED, actor=actor, note="Final Review requested")
    if reopening:
        complaint.closed_at = None
        _save(complaint, "closed_at")
    for code in (acknowledge_code(2), acknowledge_code(2) + ".code", respond_code(2)):
        deadline_start(case=complaint, code=code, started_at=now)
    # The stage 1 handler must not carry on with the review: back to the team's queue.
    if complaint.assignee_id is not None and complaint.assignee_id == complaint.stage1_handler_id:
        # From the portal nobody on staff acted: the event is the system's (actor None), never
        # attributed to an officer who did not do it.
        case_assign(case=complaint, assignee=None, actor=actor)
    ack_by = _earliest_due(complaint, acknowledge_code(2))
    notify_customer(
        customer=complaint.customer,
        subject=f"Final Review requested: {complaint.reference}",
        body=(
            "We have your request for a Final Review of your complaint. Someone who was not "
            "involved at stage 1 will review it. We will contact you by "
            f"{london_date(ack_by) if ack_by else 'the end of 3 working days'} to confirm what "
            "the review will cover.\n\n"
            f"Follow it at {letters.complaint_url(complaint)}"
        ),
        key=f"complaint:{complaint.pk}:escalated",
        about=complaint,
    )
    team = complaint.team
    if team is not None and team.lead is not None and team.lead.email:
        notify_staff(
            user=team.lead,
            subject=f"Final Review requested: {complaint.reference}",
            body=f"{complaint.reference} has been escalated to stage 2.",
            key=f"complaint:{complaint.pk}:escalated:lead",
            about=complaint,
        )
    return complaint


@transaction.atomic
def complaint_close(*, complaint: Complaint, actor: User, note: str = "") -> Complaint:
    """Close a complaint we have responded to. An upheld complaint needs its learning recorded
    first: our commitment is to implement the learning from every complaint."""
    _lock(complaint)
    if complaint.status not in (S.STAGE1_RESPONDED, S.STAGE2_RESPONDED):
        raise ComplaintRuleBroken("Only a complaint we have responded to can be closed.")
    if complaint.final_outcome in UPHELD_OUTCOMES and not complaint.learning.exists():
        raise ComplaintRuleBroken(
            "Record what we learned from this upheld complaint before closing it."
        )
    _transition(
        complaint,
        S.CLOSED,
        actor=actor,
        closes=True,
        note="Complaint closed" + (f": {note.strip()}" if note.strip() else ""),
    )
    rate_url = letters.complaint_url(complaint)
    notify_customer(
        customer=complaint.customer,
        subject=f"Your complaint {complaint.reference} is closed",
        body=(
            "We have closed your complaint. We will keep you updated on anything we promised "
            "to do that is still outstanding.\n\n"
            f"Please tell us how well we handled your complaint: {rate_url}"
        ),
        key=f"complaint:{complaint.pk}:closed:{complaint.stage}",
        about=complaint,
    )
    return complaint


@transaction.atomic
def complaint_refuse(
    *, complaint: Complaint, actor: User, reason: str, explanation: str
) -> ComplaintLetter:
    """Decline to accept a complaint into the process (Code 2.1 to 2.3): an evidenced exclusion,
    explained to the customer with how to challenge the decision."""
    _lock(complaint)
    if complaint.stage != 1 or complaint.status not in (
        S.QUICK_RESOLUTION,
        S.STAGE1_RECEIVED,
        S.STAGE1_INVESTIGATING,
    ):
        raise ComplaintRuleBroken(
            "Only a stage 1 complaint we have not yet answered can be refused."
        )
    problems = []
    if reason not in RefusalReason.values:
        problems.append("Choose the reason the complaint cannot be accepted.")
    if not explanation.strip():
        problems.append("Explain the decision in words the customer will understand.")
    if problems:
        raise ComplaintRuleBroken(*problems)
    now = timezone.now()
    for code in (QUICK_RESOLUTION_CLOCK, acknowledge_code(1), respond_code(1)):
        case_deadline_meet(case=complaint, code=code, actor=actor, met_at=now)
    complaint.refused_at = now
    complaint.refusal_reason = reason
    complaint.refusal_explanation = explanation.strip()
    _save(complaint, "refused_at", "refusal_reason", "refusal_explanation")
    _transition(
        complaint,
        S.REFUSED,
        actor=actor,
        closes=True,
        note=f"Not accepted: {RefusalReason(reason).label}",
    )
    return _send_letter(
        complaint=complaint,
        kind=LetterKind.REFUSAL,
        stage=1,
        by=actor,
        subject=f"Your complaint {complaint.reference}: our decision",
        body=letters.refusal_body(complaint=complaint),
    )


# ---------------------------------------------------------------------------------------------
# Assignment, actions, learning, rating
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def complaint_assign(*, complaint: Complaint, assignee: User | None, actor: User) -> Complaint:
    """Give the complaint to a member of staff; never a Final Review to its stage 1 handler."""
    _lock(complaint)
    if assignee is not None and complaint.stage == 2 and complaint.stage1_handler_id == assignee.pk:
        raise ComplaintRuleBroken(
            "The Final Review must be handled by someone other than the stage 1 handler."
        )
    case_assign(case=complaint, assignee=assignee, actor=actor)
    if complaint.stage == 2 and complaint.stage2_acknowledged_at and assignee is not None:
        complaint.stage2_handler = assignee
        _save(complaint, "stage2_handler")
    return complaint


@transaction.atomic
def complaint_action_update(
    *, action: OutstandingAction, actor: User, note: str, completed: bool = False
) -> ActionUpdate:
    """Tell the customer how an action we promised is going (Code 6.6: regular updates)."""
    action = (
        OutstandingAction.objects.select_for_update()
        .select_related("complaint__customer")
        .get(pk=action.pk)
    )
    if action.letter.sent_at is None:
        raise ComplaintRuleBroken("That action belongs to a response not yet sent.")
    if action.completed_at is not None:
        raise ComplaintRuleBroken("That action is already done.")
    if not note.strip():
        raise ComplaintRuleBroken("Write the update the customer will read.")
    now = timezone.now()
    update = ActionUpdate.objects.create(
        action=action, note=note.strip(), completed=completed, created_by=actor, created_at=now
    )
    if completed:
        action.completed_at = now
        action.save(update_fields=["completed_at"])
    complaint = action.complaint
    headline = "Done" if completed else "Update"
    case_add_note(
        case=complaint,
        actor=actor,
        visible_to_customer=True,
        note=f"{headline}: {action.description}\n{note.strip()}",
    )
    notify_customer(
        customer=complaint.customer,
        subject=f"{headline} on your complaint {complaint.reference}",
        body=f"{action.description}\n\n{note.strip()}\n\n"
        f"Follow it at {letters.complaint_url(complaint)}",
        key=f"complaint-action-update:{update.pk}",
        about=complaint,
    )
    return update


@transaction.atomic
def complaint_learning_record(
    *, complaint: Complaint, actor: User, lesson: str, improvement: str
) -> ComplaintLearning:
    """What an upheld (or partly upheld) complaint taught us, and what we will change."""
    if complaint.final_outcome not in UPHELD_OUTCOMES:
        raise ComplaintRuleBroken("Learning is recorded on complaints we have upheld.")
    problems = []
    if not lesson.strip():
        problems.append("Say what we learned.")
    if not improvement.strip():
        problems.append("Say what we will change.")
    if problems:
        raise ComplaintRuleBroken(*problems)
    learning = ComplaintLearning.objects.create(
        complaint=complaint,
        lesson=lesson.strip(),
        improvement=improvement.strip(),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    case_add_note(
        case=complaint,
        actor=actor,
        visible_to_customer=False,
        note=f"Learning recorded: {learning.lesson}",
    )
    return learning


class AlreadyRated(ComplaintRuleBroken):
    pass


@transaction.atomic
def complaint_rate(
    *, complaint: Complaint, customer: Customer, satisfaction: str, comment: str = ""
) -> ComplaintRating:
    """The customer's rating of how we handled their complaint, once it is closed. One each."""
    _lock(complaint)
    if complaint.tenancy_id != customer.tenancy_id:
        raise ValueError("A customer can rate only their own household's complaint.")
    if complaint.closed_at is None:
        raise ComplaintRuleBroken("You can rate how we handled your complaint once it is closed.")
    if ComplaintRating.objects.filter(complaint=complaint).exists():
        raise AlreadyRated("You have already told us how we handled this complaint.")
    rating = ComplaintRating.objects.create(
        complaint=complaint,
        customer=customer,
        satisfaction=satisfaction,
        comment=comment.strip(),
        rated_at=timezone.now(),
    )
    case_add_note(
        case=complaint,
        actor=customer.user,
        visible_to_customer=True,
        note="Thank you for rating how we handled your complaint.",
    )
    return rating


# ---------------------------------------------------------------------------------------------
# Compliments and comments
# ---------------------------------------------------------------------------------------------

# The team that hears about each service area.
SERVICE_AREA_ROLES: dict[str, Role] = {
    ServiceArea.REPAIRS: Role.REPAIRS,
    ServiceArea.ASB: Role.ASB,
    ServiceArea.RENT: Role.INCOME,
    ServiceArea.LETTINGS: Role.LETTINGS,
    ServiceArea.SAFETY: Role.COMPLIANCE,
    ServiceArea.NEIGHBOURHOOD: Role.CUSTOMER_SERVICES,
    ServiceArea.CUSTOMER_SERVICE: Role.CUSTOMER_SERVICES,
    ServiceArea.STAFF_CONDUCT: Role.MANAGER,
    ServiceArea.OTHER: Role.CUSTOMER_SERVICES,
}


def team_for_service_area(service_area: str) -> Team | None:
    role = SERVICE_AREA_ROLES.get(service_area, Role.CUSTOMER_SERVICES)
    return Team.objects.filter(role=role).select_related("lead").order_by("name").first()


@transaction.atomic
def feedback_submit(
    *,
    customer: Customer,
    kind: str,
    service_area: str,
    details: str,
    received_by: str = ReceivedBy.PORTAL,
    actor: User | None = None,
    idempotency_key: uuid.UUID | None = None,
) -> Feedback:
    """Accept a compliment or a comment and pass it to the team it is about."""
    if idempotency_key is not None:
        existing = Feedback.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.tenancy_id != customer.tenancy_id:
                raise ValueError("That idempotency key belongs to another household.")
            return existing
    problems = []
    if kind not in FeedbackKind.values:
        problems.append("Choose whether this is a compliment or a comment.")
    if service_area not in ServiceArea.values:
        problems.append("Choose what it is about.")
    if not details.strip():
        problems.append("Write your compliment or comment.")
    if problems:
        raise ComplaintRuleBroken(*problems)
    team = team_for_service_area(service_area)
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                kind=kind,
                customer=customer,
                tenancy_id=customer.tenancy_id,
                service_area=service_area,
                details=details,
                team=team,
                received_by=received_by,
                received_at=timezone.now(),
                logged_by=actor,
                idempotency_key=idempotency_key,
            )
    except IntegrityError:
        if idempotency_key is None:
            raise
        return Feedback.objects.get(idempotency_key=idempotency_key)
    if team is not None and team.lead is not None and team.lead.email:
        notify_staff(
            user=team.lead,
            subject=f"A {feedback.get_kind_display().lower()} for {team.name}",
            body=f"About: {feedback.get_service_area_display()}\n\n{details}",
            key=f"feedback:{feedback.pk}:team",
            about=feedback,
        )
    return feedback


@transaction.atomic
def ombudsman_record_save(*, record: OmbudsmanRecord, actor: User) -> OmbudsmanRecord:
    """Keep a letter, determination or report from the Ombudsman (or a referral to them)."""
    if record.pk is None:
        record.recorded_by = actor
    record.full_clean()
    record.save()
    if record.complaint is not None:
        case_add_note(
            case=record.complaint,
            actor=actor,
            visible_to_customer=False,
            note=f"Ombudsman: {record.get_kind_display()} ({london_short_date(record.received_on)})",
        )
    return record
