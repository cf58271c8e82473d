"""Compliments and comments, and the Ombudsman record."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from casework.models import ReceivedBy, Team
from casework.services import case_add_note
from complaints.models import Feedback, FeedbackKind, OmbudsmanRecord, ServiceArea
from complaints.services._common import ComplaintRuleBroken
from kernel.formatting import london_short_date
from kernel.roles import Role
from notifications.services import notify_staff

if TYPE_CHECKING:
    from accounts.models import User
    from tenancy.models import Customer


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
                tenancy_id=customer.household_id,
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
