"""Home visits: booking, running late, no access, completing, cancelling."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casework.services import InvalidTransition, case_add_note
from enquiries.models import Enquiry, HomeVisit, VisitStatus
from enquiries.services._common import _once
from kernel.formatting import LONDON, london_date, london_datetime, london_time
from notifications.services import notify_customer
from sla.calendar import is_working_day

if TYPE_CHECKING:
    from accounts.models import User
    from tenancy.models import Customer


VISIT_TRANSITIONS: dict[str, set[str]] = {
    VisitStatus.BOOKED: {
        VisitStatus.RUNNING_LATE,
        VisitStatus.COMPLETED,
        VisitStatus.NO_ACCESS,
        VisitStatus.CANCELLED,
    },
    VisitStatus.RUNNING_LATE: {
        VisitStatus.RUNNING_LATE,
        VisitStatus.COMPLETED,
        VisitStatus.NO_ACCESS,
        VisitStatus.CANCELLED,
    },
}


def _visit_window(visit: HomeVisit) -> str:
    return (
        f"{london_date(visit.starts_at)} between {london_time(visit.starts_at)} and "
        f"{london_time(visit.ends_at)}"
    )


def _officer_name(user: User) -> str:
    return user.get_full_name() or "one of our officers"


@transaction.atomic
def visit_book(
    *,
    customer: Customer,
    officer: User,
    purpose: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    booked_by: User,
    enquiry: Enquiry | None = None,
    idempotency_key: uuid.UUID | None = None,
) -> HomeVisit:
    """Book a home visit and tell the customer when, and who is coming."""
    if ends_at <= starts_at:
        raise ValidationError("The end of the window must be after the start")
    # Officers visit on the days the office works: a bank holiday, a closure day or a weekend
    # would leave the customer waiting in for someone who is not coming.
    if not is_working_day(starts_at.astimezone(LONDON).date()):
        raise ValidationError(
            "We do not visit on that day (a weekend, bank holiday or closure day): "
            "choose a working day",
            code="not_a_working_day",
        )

    def create() -> HomeVisit:
        visit = HomeVisit.objects.create(
            customer=customer,
            tenancy_id=customer.household_id,
            property_id=customer.household.property_id,
            officer=officer,
            purpose=purpose,
            starts_at=starts_at,
            ends_at=ends_at,
            booked_by=booked_by,
            booked_at=timezone.now(),
            enquiry=enquiry,
            idempotency_key=idempotency_key,
        )
        notify_customer(
            customer=customer,
            subject="Your home visit is booked",
            body=(
                f"{_officer_name(officer)} will visit you on {_visit_window(visit)} "
                f"about: {purpose}.\n\nThey will show you their identification card. You are "
                "welcome to check it and to call our office to confirm who they are."
            ),
            key=f"visit:{visit.pk}:booked",
            about=enquiry,
        )
        if enquiry is not None:
            case_add_note(
                case=enquiry,
                actor=booked_by,
                visible_to_customer=True,
                note=f"Home visit booked for {_visit_window(visit)}",
            )
        return visit

    visit, _ = _once(HomeVisit, idempotency_key, create)
    return visit


def _visit_move(visit: HomeVisit, to_status: str, **fields) -> None:
    """Claim the status change with a conditional UPDATE: two officers' presses, one change."""
    allowed_from = [s for s, targets in VISIT_TRANSITIONS.items() if to_status in targets]
    changed = HomeVisit.objects.filter(pk=visit.pk, status__in=allowed_from).update(
        status=to_status, **fields
    )
    if not changed:
        raise InvalidTransition(f"This visit is {visit.get_status_display().lower()}.")
    visit.status = to_status
    for name, value in fields.items():
        setattr(visit, name, value)


@transaction.atomic
def visit_running_late(*, visit: HomeVisit, expected_at: dt.datetime, actor: User) -> HomeVisit:
    """ "Arrive on time or, if delayed, call you to let you know when we will arrive"."""
    if expected_at <= visit.starts_at:
        raise ValidationError("The new time must be after the start of the booked window")
    now = timezone.now()
    _visit_move(visit, VisitStatus.RUNNING_LATE, late_expected_at=expected_at, late_told_at=now)
    notify_customer(
        customer=visit.customer,
        subject="We are running late for your home visit",
        body=(
            f"We are sorry: {_officer_name(visit.officer)} is running late for your visit on "
            f"{london_date(visit.starts_at)} and now expects to arrive at {london_time(expected_at)}."
        ),
        key=f"visit:{visit.pk}:late:{expected_at.isoformat()}",
        about=visit.enquiry,
    )
    return visit


@transaction.atomic
def visit_no_access(*, visit: HomeVisit, actor: User, notes: str = "") -> HomeVisit:
    """Nobody was in: a card was left, and the customer is told how to contact us."""
    now = timezone.now()
    _visit_move(visit, VisitStatus.NO_ACCESS, card_left_at=now, notes=notes.strip())
    notify_customer(
        customer=visit.customer,
        subject="We called but you were out",
        body=(
            f"{_officer_name(visit.officer)} called at your home at {london_datetime(now)} "
            f"about: {visit.purpose}. Nobody was in, so we left a card. Please contact us to "
            "arrange another time: reply in your account, use web chat or phone us."
        ),
        key=f"visit:{visit.pk}:no_access",
        about=visit.enquiry,
    )
    if visit.enquiry is not None:
        case_add_note(
            case=visit.enquiry,
            actor=actor,
            visible_to_customer=True,
            note="We called for the home visit but nobody was in. We left a card.",
        )
    return visit


@transaction.atomic
def visit_complete(
    *, visit: HomeVisit, actor: User, identification_shown: bool, notes: str = ""
) -> HomeVisit:
    """Record the visit, with the check that the officer showed their identification."""
    if not identification_shown and not notes.strip():
        raise ValidationError("Say why the identification was not shown")
    _visit_move(
        visit,
        VisitStatus.COMPLETED,
        completed_at=timezone.now(),
        identification_shown=identification_shown,
        notes=notes.strip(),
    )
    return visit


@transaction.atomic
def visit_cancel(*, visit: HomeVisit, actor: User, reason: str) -> HomeVisit:
    if not reason.strip():
        raise ValidationError("Enter the reason")
    _visit_move(visit, VisitStatus.CANCELLED, notes=reason.strip())
    notify_customer(
        customer=visit.customer,
        subject="Your home visit is cancelled",
        body=(
            f"We have cancelled the home visit booked for {_visit_window(visit)}. "
            f"Reason: {reason.strip()}. We will contact you to arrange another time."
        ),
        key=f"visit:{visit.pk}:cancelled",
        about=visit.enquiry,
    )
    return visit
