"""Receiving a complaint: from the customer, from staff, or from another case."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from casework.models import Case, CaseLink, Team
from casework.services import case_link, case_open
from complaints import letters
from complaints.models import Complaint, ServiceArea
from complaints.services._common import (
    QUICK_RESOLUTION_CLOCK,
    ComplaintRuleBroken,
    S,
    _earliest_due,
    acknowledge_code,
    respond_code,
)
from kernel.formatting import london_date
from notifications.services import notify_customer
from sla.services import deadline_start

if TYPE_CHECKING:
    from accounts.models import User
    from tenancy.models import Customer


COMPLAINTS_TEAM_NAME = "Complaints"


def complaints_team() -> Team | None:
    return Team.objects.filter(name=COMPLAINTS_TEAM_NAME).first()


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
