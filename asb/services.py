"""Writes for reports of anti-social behaviour, hate crime and domestic abuse.

Every service is keyword-only and atomic: the status change (casework's ``case_transition``,
which writes the CaseEvent), the clocks it starts and meets and the message to the reporter are
one transaction. Clocks (sla catalogue): ``asb.hate_crime.acknowledge`` and
``asb.domestic_abuse.acknowledge`` (24 hours) or ``asb.acknowledge`` (3 working days) from the
report's receipt, met by the acknowledgement; ``asb.action`` for each action of the action plan,
due on the day agreed, met when the action is done.

Messages to the reporter are marked sensitive (no subject leaves the portal) and the outbox's
delivery check (``asb.guards``) holds back any that would go a way the reporter said is unsafe.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from asb import selectors
from asb.models import (
    ACKNOWLEDGE_CODE,
    ACTION_CODE,
    AnonymousReport,
    AsbAction,
    AsbCase,
    AsbKind,
    AsbStatus,
    CloseReason,
    DiaryEntry,
    Risk,
    Satisfaction,
    Tool,
)
from casework.models import ReceivedBy, Team
from casework.services import (
    InvalidTransition,
    case_add_note,
    case_deadline_meet,
    case_open,
    case_reference_next,
    case_transition,
)
from casework.services import attachment_add as casework_attachment_add
from kernel.formatting import LONDON, london_date, london_datetime
from kernel.roles import Role
from notifications.models import MessageChannel
from notifications.services import (
    Route,
    StaffNotice,
    notify_customer,
    notify_staff,
    notify_staff_bulk,
)
from sla.services import ClaimedDeadline, deadline_meet, deadline_start

if TYPE_CHECKING:
    from accounts.models import User
    from tenancy.models import Customer, Tenancy

ASB_TEAM_NAME = "Community safety (ASB)"

S = AsbStatus
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    S.RECEIVED: {S.INVESTIGATING},
    S.INVESTIGATING: {S.CLOSING, S.CLOSED},
    S.CLOSING: {S.INVESTIGATING, S.CLOSED},
}


class AsbRuleBroken(Exception):
    """A step the rules do not allow now. Nothing was written."""

    def __init__(self, *problems: str):
        super().__init__("; ".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class SafeContactAnswers:
    safe_phone: str = ""
    may_leave_message: bool = False
    safe_times: str = ""
    code_word: str = ""
    may_email: bool = False
    may_text: bool = False
    may_write: bool = False
    may_use_portal: bool = False

    def as_fields(self) -> dict:
        return {
            "safe_phone": self.safe_phone.strip(),
            "may_leave_message": self.may_leave_message,
            "safe_times": self.safe_times.strip(),
            "code_word": self.code_word.strip(),
            "may_email": self.may_email,
            "may_text": self.may_text,
            "may_write": self.may_write,
            "may_use_portal": self.may_use_portal,
        }


@dataclass(frozen=True)
class Incident:
    kind: str
    place: str
    details: str
    category: str = ""
    hate_characteristic: str = ""
    place_detail: str = ""
    started_on: dt.date | None = None
    witnesses: str = ""
    other_party_address: str = ""

    def problems(self) -> list[str]:
        problems = []
        if self.kind == AsbKind.ASB and not self.category:
            problems.append("Select what kind of anti-social behaviour it is")
        if self.hate_characteristic and self.kind != AsbKind.HATE_CRIME:
            problems.append("Only a hate crime report records a protected characteristic")
        if not self.details.strip():
            problems.append("Enter what happened")
        return problems


def asb_team() -> Team:
    team, _created = Team.objects.get_or_create(name=ASB_TEAM_NAME, defaults={"role": Role.ASB})
    return team


def _lock(case: AsbCase) -> AsbCase:
    return AsbCase.objects.select_for_update().get(pk=case.pk)


def safe_route(case: AsbCase) -> Route | None:
    """The written way to reach the reporter that they said is safe, or None if there is none
    (they are then phoned on the safe number, or met)."""
    customer = case.customer
    if case.may_text and case.safe_phone:
        return Route(MessageChannel.SMS, case.safe_phone)
    if case.may_use_portal and customer.user_id is not None:
        return Route(MessageChannel.PORTAL, "")
    if case.may_email and customer.email.strip():
        return Route(MessageChannel.EMAIL, customer.email.strip())
    if case.may_write:
        return Route(MessageChannel.LETTER, customer.household.property.full_address[:254])
    return None


def _tell_reporter(case: AsbCase, *, key: str, subject: str, body: str) -> None:
    """Message the reporter by their safe route, its subject never leaving the portal; with
    no safe written route, tell the officer to phone instead of sending anything."""
    route = safe_route(case)
    if route is None:
        case_add_note(
            case=case,
            actor=None,
            note=f"Not sent to the reporter (no safe written way): {subject}. Phone them on the "
            "safe number.",
            visible_to_customer=False,
        )
        return
    notify_customer(
        customer=case.customer,
        subject=subject,
        body=body,
        key=f"asb:{case.pk}:{key}",
        about=case,
        sensitive=True,
        route=route,
    )


# ---------------------------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def asb_report(
    *,
    customer: Customer,
    incident: Incident,
    safe_contact: SafeContactAnswers,
    received_by: str = ReceivedBy.PORTAL,
    logged_by: User | None = None,
    received_at: dt.datetime | None = None,
    idempotency_key: uuid.UUID | None = None,
    evidence: UploadedFile | None = None,
) -> AsbCase:
    """Open a case for a report by ``customer`` (signed in, or logged by staff from a phone
    call, email, letter or visit) and start its acknowledgement clock from receipt.

    Idempotent on ``idempotency_key``: a form sent twice returns the first case. Refused
    (``AsbRuleBroken``, nothing written) for an incomplete incident.
    """
    if idempotency_key is not None:
        existing = AsbCase.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    problems = incident.problems()
    if problems:
        raise AsbRuleBroken(*problems)
    received_at = received_at or timezone.now()
    case = case_open(
        model=AsbCase,
        customer=customer,
        received_by=received_by,
        status=S.RECEIVED,
        actor=logged_by,
        opened_at=received_at,
        team=asb_team(),
        kind=incident.kind,
        category=incident.category,
        hate_characteristic=incident.hate_characteristic,
        place=incident.place,
        place_detail=incident.place_detail.strip(),
        started_on=incident.started_on,
        details=incident.details.strip(),
        witnesses=incident.witnesses.strip(),
        other_party_address=incident.other_party_address.strip(),
        logged_by=logged_by,
        idempotency_key=idempotency_key,
        **safe_contact.as_fields(),
    )
    deadline_start(case=case, code=ACKNOWLEDGE_CODE[incident.kind], started_at=received_at)
    if evidence is not None:
        # A refused file (``ValidationError``) undoes the whole report, so the reporter sends
        # it again with a better file rather than finding half of it sent.
        casework_attachment_add(
            case=case,
            uploaded_file=evidence,
            uploaded_by=logged_by or customer.user,
            recordings=True,
        )
    return case


@transaction.atomic
def anonymous_report(
    *,
    incident: Incident,
    safe_contact: SafeContactAnswers,
    contact_way: str,
    contact_name: str = "",
    contact_email: str = "",
    received_at: dt.datetime | None = None,
    idempotency_key: uuid.UUID | None = None,
) -> AnonymousReport:
    """Record a report from someone who is not signed in, and start its acknowledgement clock
    from receipt: the same promise as a case's (24 hours or 3 working days), on the same sla
    clock, so the sweep warns and escalates it (``anonymous_deadlines_breached``)."""
    if idempotency_key is not None:
        existing = AnonymousReport.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    problems = incident.problems()
    if problems:
        raise AsbRuleBroken(*problems)
    received_at = received_at or timezone.now()
    report = AnonymousReport.objects.create(
        reference=case_reference_next(
            prefix=AnonymousReport.REFERENCE_PREFIX, year=received_at.astimezone(LONDON).year
        ),
        kind=incident.kind,
        category=incident.category,
        hate_characteristic=incident.hate_characteristic,
        place=incident.place,
        place_detail=incident.place_detail.strip(),
        started_on=incident.started_on,
        details=incident.details.strip(),
        witnesses=incident.witnesses.strip(),
        other_party_address=incident.other_party_address.strip(),
        contact_way=contact_way,
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        received_at=received_at,
        idempotency_key=idempotency_key,
        **safe_contact.as_fields(),
    )
    deadline_start(case=report, code=ACKNOWLEDGE_CODE[incident.kind], started_at=received_at)
    return report


@transaction.atomic
def anonymous_report_acknowledge(
    *, report: AnonymousReport, actor: User, note: str, closes: bool = False
) -> AnonymousReport:
    """Record that the maker of an anonymous report was contacted as they asked (or that they
    asked not to be), and, if ``closes``, that nothing more is to be done."""
    report = AnonymousReport.objects.select_for_update().get(pk=report.pk)
    if report.closed_at is not None:
        raise AsbRuleBroken("This report is already closed")
    now = timezone.now()
    fields = []
    if report.acknowledged_at is None:
        report.acknowledged_at = now
        fields.append("acknowledged_at")
        deadline_meet(case=report, code=ACKNOWLEDGE_CODE[report.kind], met_at=now)
    if note.strip():
        stamp = london_date(now)
        report.officer_note = f"{report.officer_note}\n{stamp} ({actor}): {note.strip()}".strip()
        fields.append("officer_note")
    if closes:
        report.closed_at = now
        fields.append("closed_at")
    report.save(update_fields=fields or None)
    return report


@transaction.atomic
def diary_add(
    *,
    case: AsbCase,
    happened_on: dt.date,
    what_happened: str,
    added_by: User | None,
    evidence: UploadedFile | None = None,
) -> DiaryEntry:
    """The reporter (or an officer for them) adds a further incident to the case's diary."""
    if case.closed_at is not None:
        raise AsbRuleBroken("This case is closed. To report something new, make a new report")
    if not what_happened.strip():
        raise AsbRuleBroken("Enter what happened")
    entry = DiaryEntry.objects.create(
        case=case,
        happened_on=happened_on,
        what_happened=what_happened.strip(),
        added_at=timezone.now(),
        added_by=added_by,
    )
    case_add_note(
        case=case,
        actor=added_by,
        note=f"Diary: further incident on {london_date(happened_on)} added",
        visible_to_customer=True,
    )
    if evidence is not None:
        casework_attachment_add(
            case=case, uploaded_file=evidence, uploaded_by=added_by, recordings=True
        )
    return entry


# ---------------------------------------------------------------------------------------------
# Staff steps
# ---------------------------------------------------------------------------------------------


def _safe_ways(case: AsbCase) -> dict[str, bool]:
    return {
        "phone": bool(case.safe_phone),
        "email": case.may_email,
        "sms": case.may_text,
        "letter": case.may_write,
        "portal": case.may_use_portal,
        "visit": True,
    }


@transaction.atomic
def asb_acknowledge(
    *, case: AsbCase, actor: User, contacted_by: str, note: str = "", risk: str
) -> AsbCase:
    """The officer has made contact through a safe channel and assessed the risk: the case is
    being dealt with, and its acknowledgement clock is met.

    Refused when ``contacted_by`` is a way the reporter said is unsafe: the rule is the
    reporter's, not the officer's to override.
    """
    case = _lock(case)
    if case.status != S.RECEIVED:
        raise AsbRuleBroken("This report has already been acknowledged")
    if not _safe_ways(case).get(contacted_by, False):
        raise AsbRuleBroken(
            "The reporter did not say that way of contacting them is safe. Use the safe contact."
        )
    if risk not in Risk.values:
        raise AsbRuleBroken("Select the risk")
    now = timezone.now()
    case.acknowledged_at = now
    case.risk = risk
    case.risk_assessed_at = now
    case.save(update_fields=["acknowledged_at", "risk", "risk_assessed_at"])
    try:
        case_transition(
            case=case,
            to_status=S.INVESTIGATING,
            allowed=ALLOWED_TRANSITIONS,
            actor=actor,
            note="We have been in touch and are dealing with your report.",
        )
    except InvalidTransition as exc:
        raise AsbRuleBroken(str(exc)) from exc
    internal = f"Contacted by {contacted_by}. Risk assessed as {Risk(risk).label.lower()}."
    if note.strip():
        internal += f" {note.strip()}"
    case_add_note(case=case, actor=actor, note=internal, visible_to_customer=False)
    case_deadline_meet(case=case, code=ACKNOWLEDGE_CODE[case.kind], actor=actor, met_at=now)
    return case


@transaction.atomic
def asb_assess_risk(*, case: AsbCase, actor: User, risk: str, refer_to_marac: bool) -> AsbCase:
    """Record a (re)assessment of risk; a high-risk domestic abuse case may be referred to the
    local MARAC (Multi-Agency Risk Assessment Conference), which is recorded."""
    case = _lock(case)
    if case.closed_at is not None:
        raise AsbRuleBroken("This case is closed")
    if risk not in Risk.values:
        raise AsbRuleBroken("Select the risk")
    if refer_to_marac and not (case.kind == AsbKind.DOMESTIC_ABUSE and risk == Risk.HIGH):
        raise AsbRuleBroken("Only a high-risk domestic abuse case is referred to MARAC")
    if refer_to_marac and case.marac_referred_at is not None:
        raise AsbRuleBroken("This case has already been referred to MARAC")
    now = timezone.now()
    case.risk = risk
    case.risk_assessed_at = now
    fields = ["risk", "risk_assessed_at"]
    note = f"Risk assessed as {Risk(risk).label.lower()}."
    if refer_to_marac:
        case.marac_referred_at = now
        fields.append("marac_referred_at")
        note += " Referred to MARAC."
    case.save(update_fields=fields)
    case_add_note(case=case, actor=actor, note=note, visible_to_customer=False)
    return case


def _days_until(due_on: dt.date, now: dt.datetime) -> int:
    return (due_on - now.astimezone(LONDON).date()).days


@transaction.atomic
def action_add(
    *, case: AsbCase, actor: User, description: str, owner: User, due_on: dt.date
) -> AsbAction:
    """Add an action to the case's action plan, with its own clock due at the end of
    ``due_on`` (UK time). The reporter sees the action and its date."""
    case = _lock(case)
    if case.status != S.INVESTIGATING:
        raise AsbRuleBroken("Actions are agreed while a case is being dealt with")
    if not description.strip():
        raise AsbRuleBroken("Enter what will be done")
    now = timezone.now()
    days = _days_until(due_on, now)
    if days < 1:
        raise AsbRuleBroken("The action must be due after today")
    deadline = deadline_start(case=case, code=ACTION_CODE, started_at=now, amount=days)
    action = AsbAction.objects.create(
        case=case,
        description=description.strip(),
        owner=owner,
        due_on=due_on,
        deadline=deadline,
        agreed_at=now,
    )
    case_add_note(
        case=case,
        actor=actor,
        note=f"Action plan: {action.description} (by {london_date(due_on)})",
        visible_to_customer=True,
    )
    _tell_reporter(
        case,
        key=f"action:{action.pk}",
        subject="Your action plan has changed",
        body=(
            f"We have added to the action plan for your report {case.reference}: "
            f"{action.description}, by {london_date(due_on)}. Sign in to see the whole plan."
        ),
    )
    return action


@transaction.atomic
def action_done(*, action: AsbAction, actor: User) -> AsbAction:
    action = AsbAction.objects.select_for_update().get(pk=action.pk)
    if action.done_at is not None:
        raise AsbRuleBroken("This action is already done")
    now = timezone.now()
    action.done_at = now
    action.save(update_fields=["done_at"])
    case = action.case
    if action.deadline is not None:
        case_deadline_meet(
            case=case, code=ACTION_CODE, actor=actor, met_at=now, only=action.deadline
        )
    case_add_note(
        case=case, actor=actor, note=f"Action done: {action.description}", visible_to_customer=True
    )
    return action


@transaction.atomic
def review_set(*, case: AsbCase, actor: User, review_on: dt.date) -> AsbCase:
    """Set the date the officer will next review the case and its action plan."""
    case = _lock(case)
    if case.closed_at is not None:
        raise AsbRuleBroken("This case is closed")
    if review_on <= timezone.now().astimezone(LONDON).date():
        raise AsbRuleBroken("The review date must be after today")
    case.review_on = review_on
    case.save(update_fields=["review_on"])
    case_add_note(
        case=case,
        actor=actor,
        note=f"We will review your case on {london_date(review_on)}",
        visible_to_customer=True,
    )
    return case


@transaction.atomic
def tool_record(*, case: AsbCase, actor: User, tool: str, note: str = "") -> AsbCase:
    """Record a tool used (a warning letter, an injunction...) as an internal case event: it
    concerns the other party, so the reporter's timeline does not name it."""
    if case.closed_at is not None:
        raise AsbRuleBroken("This case is closed")
    if tool not in Tool.values:
        raise AsbRuleBroken("Select the tool used")
    text = f"Tool used: {Tool(tool).label}"
    if note.strip():
        text += f". {note.strip()}"
    case_add_note(case=case, actor=actor, note=text, visible_to_customer=False)
    return case


@transaction.atomic
def other_party_link(*, case: AsbCase, actor: User, tenancy: Tenancy | None) -> AsbCase:
    """Link the case to the alleged perpetrator's tenancy (or unlink it with None)."""
    case = _lock(case)
    if tenancy is not None and tenancy.pk == case.tenancy_id:
        raise AsbRuleBroken("That is the reporter's own tenancy")
    case.other_party_tenancy = tenancy
    case.save(update_fields=["other_party_tenancy"])
    what = f"Linked to tenancy {tenancy.reference}" if tenancy else "Tenancy link removed"
    case_add_note(case=case, actor=actor, note=what, visible_to_customer=False)
    return case


@transaction.atomic
def close_ask(*, case: AsbCase, actor: User) -> AsbCase:
    """Ask the reporter whether we may close the case (they answer on their case page, or an
    officer records the answer they gave by phone)."""
    case = _lock(case)
    if case.actions.filter(done_at__isnull=True).exists():
        raise AsbRuleBroken("Every action in the plan must be done before the case closes")
    try:
        case_transition(
            case=case,
            to_status=S.CLOSING,
            allowed=ALLOWED_TRANSITIONS,
            actor=actor,
            note="We think we can close your case. Please tell us if you agree.",
        )
    except InvalidTransition as exc:
        raise AsbRuleBroken("The case must be being dealt with to ask about closing") from exc
    case.close_asked_at = timezone.now()
    case.close_consent = None
    case.save(update_fields=["close_asked_at", "close_consent"])
    _tell_reporter(
        case,
        key=f"close-ask:{case.close_asked_at.isoformat()}",
        subject="May we close your case?",
        body=(
            f"We think we can close your report {case.reference}. Please sign in and tell us "
            "whether you agree, or call us."
        ),
    )
    return case


@transaction.atomic
def close_answer(
    *, case: AsbCase, agrees: bool, actor: User | None = None, note: str = ""
) -> AsbCase:
    """The reporter's answer to "may we close it?". A "no" puts the case back to being dealt
    with, with their reason for the officer."""
    case = _lock(case)
    if case.status != S.CLOSING:
        raise AsbRuleBroken("We have not asked about closing this case")
    case.close_consent = agrees
    case.save(update_fields=["close_consent"])
    if agrees:
        case_add_note(
            case=case,
            actor=actor,
            note="You agreed that we can close your case.",
            visible_to_customer=True,
        )
    else:
        case_transition(
            case=case,
            to_status=S.INVESTIGATING,
            allowed=ALLOWED_TRANSITIONS,
            actor=actor,
            note="You told us the problem is not over. We will keep working on it.",
        )
        if note.strip():
            case_add_note(
                case=case,
                actor=actor,
                note=f"Reporter's reason: {note.strip()}",
                visible_to_customer=False,
            )
    return case


@transaction.atomic
def asb_close(*, case: AsbCase, actor: User, reason: str, note: str = "") -> AsbCase:
    """Close the case with a reason. The reporter must have agreed, unless we could not reach
    them to ask (``CloseReason.NO_CONTACT``, after asking). They are then asked how satisfied
    they were with the handling."""
    case = _lock(case)
    if reason not in CloseReason.values:
        raise AsbRuleBroken("Select why the case is closing")
    if case.actions.filter(done_at__isnull=True).exists():
        raise AsbRuleBroken("Every action in the plan must be done before the case closes")
    if case.status != S.CLOSING:
        raise AsbRuleBroken("Ask the reporter whether we may close the case first")
    if case.close_consent is not True and reason != CloseReason.NO_CONTACT:
        raise AsbRuleBroken("The reporter has not agreed to closing the case")
    case.close_reason = reason
    case.save(update_fields=["close_reason"])
    case_transition(
        case=case,
        to_status=S.CLOSED,
        allowed=ALLOWED_TRANSITIONS,
        actor=actor,
        note="Your case is closed. Please tell us how we handled it.",
        closes=True,
    )
    if note.strip():
        case_add_note(case=case, actor=actor, note=note.strip(), visible_to_customer=False)
    _tell_reporter(
        case,
        key="closed",
        subject="Your case is closed",
        body=(
            f"Your report {case.reference} is closed. Please sign in and tell us how satisfied "
            "you were with how we handled it. If it happens again, report it again."
        ),
    )
    return case


@transaction.atomic
def satisfaction_record(*, case: AsbCase, answer: str) -> AsbCase:
    """The reporter's satisfaction with how the case was handled (TSM TP12), once."""
    case = _lock(case)
    if case.closed_at is None:
        raise AsbRuleBroken("You can tell us how we did once your case is closed")
    if case.satisfaction:
        raise AsbRuleBroken("You have already told us how satisfied you were")
    if answer not in Satisfaction.values:
        raise AsbRuleBroken("Select how satisfied you were")
    case.satisfaction = answer
    case.satisfaction_at = timezone.now()
    case.save(update_fields=["satisfaction", "satisfaction_at"])
    return case


# ---------------------------------------------------------------------------------------------
# A message the outbox held back (asb.guards)
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def message_withheld_record(*, case: AsbCase, channel: str, subject: str, reason: str) -> None:
    """Tell the officer that a message to the reporter was not sent: an internal event on the
    case, and an email to its assignee (or the team's lead)."""
    case_add_note(
        case=case,
        actor=None,
        note=f"A {channel} message was not sent ({subject}): {reason} Contact the reporter "
        "through their safe contact.",
        visible_to_customer=False,
    )
    recipient = case.assignee or (case.team.lead if case.team is not None else None)
    if recipient is not None and recipient.is_active and recipient.email:
        notify_staff(
            user=recipient,
            subject=f"{case.reference}: a message was not sent",
            body=(
                f"A {channel} message to the reporter of {case.reference} was not sent: "
                f"{reason} Contact them through the safe contact on the case."
            ),
            key=f"asb:{case.pk}:withheld:{channel}:{timezone.now().isoformat()}",
            about=case,
        )


@transaction.atomic
def reviews_due_remind(*, today: dt.date | None = None) -> int:
    """Email the officer of each open case whose review date is today (its assignee, or the
    team's lead), once per case and day. Returns how many reminders were queued."""
    today = today or timezone.now().astimezone(LONDON).date()
    sent = 0
    cases = AsbCase.objects.select_related("assignee", "team__lead").filter(
        closed_at__isnull=True, review_on=today
    )
    for case in cases:
        recipient = case.assignee or (case.team.lead if case.team is not None else None)
        if recipient is None or not recipient.is_active or not recipient.email:
            continue
        notify_staff(
            user=recipient,
            subject=f"{case.reference}: review due today",
            body=f"The ASB case {case.reference} and its action plan are due for review today.",
            key=f"asb:{case.pk}:review:{today.isoformat()}",
            about=case,
        )
        sent += 1
    return sent


# ---------------------------------------------------------------------------------------------
# The clocks of reports made without signing in (the sla sweep's handlers)
# ---------------------------------------------------------------------------------------------


def _anonymous_clock_owners() -> list[User]:
    """Who hears of a report's clock: the ASB team's lead, or, with no lead (or one who cannot
    be emailed), every active ASB officer. The report has no assignee to tell."""
    lead = asb_team().lead
    if lead is not None and lead.is_active and lead.email:
        return [lead]
    return [officer for officer in selectors.asb_officers() if officer.email]


def _escalate_anonymous(deadlines: list[ClaimedDeadline], *, breached: bool) -> None:
    # Every batch of every app comes here: one without a report costs no query, not even a
    # savepoint (the sweep's cost is pinned by casework's tests).
    content_type_id = ContentType.objects.get_for_model(AnonymousReport).pk
    ours = [d for d in deadlines if d.content_type_id == content_type_id]
    if ours:
        with transaction.atomic():
            _tell_anonymous_clock_owners(ours, breached=breached)


def _tell_anonymous_clock_owners(ours: list[ClaimedDeadline], *, breached: bool) -> None:
    owners = _anonymous_clock_owners()
    references = dict(
        AnonymousReport.objects.filter(pk__in={d.object_id for d in ours}).values_list(
            "pk", "reference"
        )
    )
    head, key_word = ("Overdue: ", "breach") if breached else ("Due soon: ", "warning")
    notices: list[StaffNotice] = []
    for deadline in ours:
        reference = references.get(deadline.object_id)
        if reference is None:
            continue
        title, due = deadline.commitment.title, london_datetime(deadline.due_at)
        state = f"was due {due} and is now overdue" if breached else f"is due {due}"
        link = reverse("admin:asb_anonymousreport_change", args=[deadline.object_id])
        # What the report says, and who made it, stay in the queue: an email names neither.
        body = (
            f"{reference}: '{title}' {state}. It was made without signing in: contact its "
            f"maker only as they asked.\n\nOpen the report: {settings.SITE_URL}{link}"
        )
        notices.extend(
            StaffNotice(
                user=owner,
                subject=f"{head}{reference} {title}"[:200],
                body=body,
                key=f"deadline:{deadline.pk}:{key_word}:{owner.pk}",
                about=AnonymousReport(pk=deadline.object_id),
            )
            for owner in owners
        )
    if notices:
        notify_staff_bulk(items=notices)


def anonymous_deadlines_breached(deadlines: list[ClaimedDeadline]) -> None:
    """Breach handler for the sla sweep: tell the ASB team of each report made without signing
    in whose acknowledgement is now overdue (a case's clocks are casework's to escalate)."""
    _escalate_anonymous(deadlines, breached=True)


def anonymous_deadlines_due_soon(deadlines: list[ClaimedDeadline]) -> None:
    """Warning handler for the sla sweep: the same for a report whose acknowledgement is due
    soon."""
    _escalate_anonymous(deadlines, breached=False)
