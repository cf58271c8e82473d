"""What households report and ask: a fire (an urgent record for the compliance team), items left
in a shared area (with a photo), permission to alter walls, floors or doors (a decision with a
clock); and personal emergency evacuation plans for residents of high-rise blocks."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from casework.models import ReceivedBy, Team
from casework.services import attachment_add, attachment_check, case_open, case_transition
from kernel.roles import Role
from notifications.services import notify_customer, notify_staff
from safety.models import (
    REPORT_CLOCKS,
    AlterationKind,
    Peep,
    PeepStatus,
    ReportKind,
    ReportStatus,
    SafetyReport,
)
from safety.services._common import SafetyRefused
from safety.services.checks import is_high_rise
from sla.services import deadline_meet, deadline_start
from tenancy.models import Customer

if TYPE_CHECKING:
    from accounts.models import User

ALLOWED: dict[str, set[str]] = {
    ReportStatus.RECEIVED: {ReportStatus.APPROVED, ReportStatus.REFUSED, ReportStatus.DEALT_WITH},
}


def _compliance_team() -> Team | None:
    return Team.objects.filter(role=Role.COMPLIANCE).select_related("lead").first()


@transaction.atomic
def safety_report_create(
    *,
    customer: Customer,
    kind: str,
    details: str,
    where: str = "",
    alteration_kind: str = "",
    photo: File | None = None,
    received_by: str = ReceivedBy.PORTAL,
    actor: User | None = None,
    idempotency_key: uuid.UUID | None = None,
) -> SafetyReport:
    """Open a report for ``customer``'s household and start its clock. A fire is told to the
    compliance team's lead at once. ``photo`` (items in a shared area) must be a JPG or PNG;
    it is kept without its metadata. A second call with the same ``idempotency_key`` returns
    the first report. Raises ``SafetyRefused`` for what cannot be reported and
    ``ValidationError`` for a photo that is not one."""
    if idempotency_key is not None:
        existing = SafetyReport.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None and existing.tenancy_id == customer.tenancy_id:
            return existing
    details = details.strip()
    if not details:
        raise SafetyRefused("Tell us what happened.")
    if kind not in ReportKind.values:
        raise SafetyRefused("Choose what you are telling us about.")
    home = customer.household.property
    if kind == ReportKind.COMMUNAL_ITEMS and home.block_id is None:
        raise SafetyRefused("Your home has no shared areas that we look after.")
    if kind == ReportKind.ALTERATION and alteration_kind not in AlterationKind.values:
        raise SafetyRefused("Choose what you want to alter.")
    if kind != ReportKind.ALTERATION:
        alteration_kind = ""
    if photo is not None:
        attachment_check(photo, photos_only=True)
    now = timezone.now()
    team = _compliance_team()
    try:
        with transaction.atomic():
            report = case_open(
                model=SafetyReport,
                customer=customer,
                received_by=received_by,
                status=ReportStatus.RECEIVED,
                actor=actor,
                opened_at=now,
                team=team,
                kind=kind,
                details=details,
                where=where.strip(),
                alteration_kind=alteration_kind,
                idempotency_key=idempotency_key,
            )
    except IntegrityError:
        if idempotency_key is None:
            raise
        return SafetyReport.objects.get(idempotency_key=idempotency_key, tenancy=customer.tenancy)
    deadline_start(case=report, code=REPORT_CLOCKS[kind], started_at=now)
    if photo is not None:
        attachment_add(case=report, uploaded_file=photo, uploaded_by=actor)
    lead = team.lead if team is not None else None
    if kind == ReportKind.FIRE and lead is not None and lead.is_active and lead.email:
        notify_staff(
            user=lead,
            subject=f"Fire reported: {report.reference}",
            body=(
                f"{customer.full_name} reported a fire at {home.full_address}: {details}\n\n"
                "Look into it within 24 hours and review the block's fire risk assessment."
            ),
            key=f"safety:report:{report.pk}:fire",
            about=report,
        )
    notify_customer(
        customer=customer,
        subject=f"We have your report: {report.reference}",
        body=f"Thank you for telling us about {report.display_title.lower()}. "
        f"Your reference is {report.reference}.",
        key=f"safety:report:{report.pk}:received",
        about=report,
    )
    return report


def _locked(report: SafetyReport) -> SafetyReport:
    return SafetyReport.objects.select_for_update().get(pk=report.pk)


@transaction.atomic
def safety_report_deal_with(*, report: SafetyReport, actor: User, note: str) -> SafetyReport:
    """A fire looked into, or items in a shared area removed: meet the clock and close."""
    report = _locked(report)
    if report.kind == ReportKind.ALTERATION:
        raise SafetyRefused("A request to alter a home is decided, not dealt with.")
    note = note.strip()
    if not note:
        raise SafetyRefused("Say what was done.")
    deadline_meet(case=report, code=REPORT_CLOCKS[report.kind])
    case_transition(
        case=report,
        to_status=ReportStatus.DEALT_WITH,
        allowed=ALLOWED,
        actor=actor,
        note=note,
        closes=True,
    )
    return report


@transaction.atomic
def alteration_decide(
    *, report: SafetyReport, actor: User, approved: bool, reason: str
) -> SafetyReport:
    """Give or refuse permission to alter a home, meeting the decision's clock, and tell the
    household in writing. A refusal must say why."""
    report = _locked(report)
    if report.kind != ReportKind.ALTERATION:
        raise SafetyRefused("Only a request to alter a home is decided.")
    reason = reason.strip()
    if not approved and not reason:
        raise SafetyRefused("Say why permission is refused.")
    now = timezone.now()
    deadline_meet(case=report, code=REPORT_CLOCKS[ReportKind.ALTERATION], met_at=now)
    to_status = ReportStatus.APPROVED if approved else ReportStatus.REFUSED
    case_transition(
        case=report,
        to_status=to_status,
        allowed=ALLOWED,
        actor=actor,
        note=reason,
        closes=True,
    )
    SafetyReport.objects.filter(pk=report.pk).update(decided_at=now, decision_reason=reason)
    report.decided_at, report.decision_reason = now, reason
    notify_customer(
        customer=report.customer,
        subject=f"Your request to alter your home: {ReportStatus(to_status).label.lower()}",
        body=f"{ReportStatus(to_status).label} for {report.reference}. {reason}".strip(),
        key=f"safety:report:{report.pk}:decided",
        about=report,
    )
    return report


# --- personal emergency evacuation plans ------------------------------------------------------


@transaction.atomic
def peep_request(
    *, customer: Customer, needs: str, consent: bool, share_with_fire_service: bool
) -> Peep:
    """A resident of a high-rise block asks for a personal emergency evacuation plan. Only with
    their consent; sharing with the fire and rescue service is a separate consent. The
    compliance team is told to arrange the person-centred assessment."""
    block = customer.household.property.block
    if block is None or not is_high_rise(block):
        raise SafetyRefused(
            "Personal emergency evacuation plans are for homes in buildings of 18 metres or 7 "
            "storeys or more. Tell us what help you would need and we will talk it through."
        )
    if not consent:
        raise SafetyRefused("We can only make a plan with your consent.")
    needs = needs.strip()
    if not needs:
        raise SafetyRefused("Tell us what help you would need to leave the building.")
    if Peep.objects.filter(customer=customer).exclude(status=PeepStatus.WITHDRAWN).exists():
        raise SafetyRefused("You already have a plan, or have asked for one.")
    peep = Peep.objects.create(
        customer=customer,
        block=block,
        status=PeepStatus.REQUESTED,
        consent_given_at=timezone.now(),
        share_with_fire_service=share_with_fire_service,
        needs=needs,
    )
    team = _compliance_team()
    lead = team.lead if team is not None else None
    if lead is not None and lead.is_active and lead.email:
        notify_staff(
            user=lead,
            subject=f"Evacuation plan asked for in {block.name}",
            body="A resident has asked for a personal emergency evacuation plan. Arrange the "
            "person-centred fire risk assessment with them.",
            key=f"safety:peep:{peep.pk}:requested",
        )
    return peep


@transaction.atomic
def peep_agree(*, peep: Peep, statement: str, actor: User | None) -> Peep:
    """The evacuation statement agreed with the resident (first time or at a review): the
    yearly review clock starts again from today."""
    peep = Peep.objects.select_for_update().get(pk=peep.pk)
    if peep.status == PeepStatus.WITHDRAWN:
        raise SafetyRefused("The resident has withdrawn consent.")
    statement = statement.strip()
    if not statement:
        raise SafetyRefused("Write the evacuation statement agreed with the resident.")
    now = timezone.now()
    deadline_meet(case=peep, code="peep.review", met_at=now)
    deadline_start(case=peep, code="peep.review", started_at=now)
    Peep.objects.filter(pk=peep.pk).update(
        status=PeepStatus.AGREED, evacuation_statement=statement, agreed_at=now
    )
    peep.refresh_from_db()
    return peep


@transaction.atomic
def peep_withdraw(*, peep: Peep, customer: Customer) -> Peep:
    """The resident withdraws consent: the plan stops and is no longer reviewed or shared."""
    peep = Peep.objects.select_for_update().get(pk=peep.pk, customer=customer)
    if peep.status == PeepStatus.WITHDRAWN:
        return peep
    now = timezone.now()
    # Nothing is owed any more: the review clock ends here rather than running on to a breach.
    deadline_meet(case=peep, code="peep.review", met_at=now)
    Peep.objects.filter(pk=peep.pk).update(
        status=PeepStatus.WITHDRAWN, withdrawn_at=now, share_with_fire_service=False
    )
    peep.refresh_from_db()
    return peep
