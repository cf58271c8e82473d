"""Call backs: the request and its outcome."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casework.models import ReceivedBy
from casework.services import (
    InvalidTransition,
    case_add_note,
    case_deadline_meet,
    case_link,
    case_open,
    case_transition,
)
from enquiries.models import CallBack, CallBackOutcome, CallBackStatus
from enquiries.selectors import customer_services_team
from enquiries.services._common import CONTACT_BACK, _once
from enquiries.services.enquiries import _enquiry_open
from kernel.formatting import LONDON, london_date, london_datetime
from notifications.services import notify_customer
from sla.calendar import is_working_day
from sla.services import deadline_start

if TYPE_CHECKING:
    from accounts.models import User
    from tenancy.models import Customer


CALLBACK_TRANSITIONS: dict[str, set[str]] = {
    CallBackStatus.REQUESTED: {CallBackStatus.TRIED, CallBackStatus.DONE},
    CallBackStatus.TRIED: {CallBackStatus.TRIED, CallBackStatus.DONE},
}


@transaction.atomic
def callback_request(
    *,
    customer: Customer,
    phone: str,
    reason: str,
    preferred_date: dt.date | None,
    preferred_time: str,
    idempotency_key: uuid.UUID | None = None,
    actor: User | None = None,
) -> CallBack:
    """A request to be phoned back, from the portal (``actor`` None) or logged by staff at a busy
    time. The contact-back clock runs from the day the customer asked to be called.

    Raises ``ValidationError`` (for the ``preferred_date`` field) and writes nothing when that
    day is not a working day: nobody is in to call on a weekend, a bank holiday or a day the
    office is closed.
    """
    if preferred_date is not None and not is_working_day(preferred_date):
        raise ValidationError(
            {
                "preferred_date": (
                    f"We are closed on {preferred_date:%A} {preferred_date.day} "
                    f"{preferred_date:%B %Y}. Choose a weekday that is not a bank holiday"
                )
            },
            code="closed_day",
        )

    def create() -> CallBack:
        now = timezone.now()
        callback = case_open(
            model=CallBack,
            customer=customer,
            received_by=ReceivedBy.PHONE if actor else ReceivedBy.PORTAL,
            status=CallBackStatus.REQUESTED,
            actor=actor,
            opened_at=now,
            team=customer_services_team(),
            phone=phone,
            reason=reason,
            preferred_date=preferred_date,
            preferred_time=preferred_time,
            logged_by=actor,
            idempotency_key=idempotency_key,
        )
        starts = now
        if preferred_date and preferred_date > now.astimezone(LONDON).date():
            starts = dt.datetime.combine(preferred_date, dt.time(0), tzinfo=LONDON)
        clock = deadline_start(case=callback, code=CONTACT_BACK, started_at=starts)
        # Confirmed at once, whoever took the request: the customer has the reference and the
        # date before anyone picks it up.
        when = f"on {london_date(starts)}" if starts > now else f"by {london_date(clock.due_at)}"
        notify_customer(
            customer=customer,
            subject=f"We will call you back: {callback.reference}",
            body=f"You asked us to call you back on {phone}. Your reference is "
            f"{callback.reference}. We will call you {when}.",
            key=f"callback:{callback.pk}:requested",
            about=callback,
        )
        return callback

    callback, _ = _once(CallBack, idempotency_key, create)
    return callback


@transaction.atomic
def callback_record_outcome(*, callback: CallBack, outcome: str, note: str, actor: User):
    """Record one call. Returns the follow-up enquiry when one was opened.

    Spoke to the customer: the call back is done and its clock met. Follow-up needed: an
    enquiry is opened with the call's note, so the next step has an owner and a clock. No
    answer: the attempt is counted and the customer told we tried. Could not reach: closed,
    the customer told how to contact us.
    """
    if callback.closed_at is not None:
        raise InvalidTransition(f"{callback.reference} is closed.")
    if outcome not in CallBackOutcome.values:
        raise ValueError(f"Unknown outcome {outcome!r}.")
    now = timezone.now()
    attempts = callback.attempts + 1
    done = outcome != CallBackOutcome.NO_ANSWER
    case_transition(
        case=callback,
        to_status=CallBackStatus.DONE if done else CallBackStatus.TRIED,
        allowed=CALLBACK_TRANSITIONS,
        actor=actor,
        closes=done,
        note=CallBackOutcome(outcome).label,
    )
    CallBack.objects.filter(pk=callback.pk).update(
        attempts=attempts,
        outcome=outcome,
        outcome_note=note.strip(),
        completed_at=now if done else None,
    )
    callback.attempts, callback.outcome, callback.outcome_note = attempts, outcome, note.strip()
    if note.strip():
        case_add_note(case=callback, actor=actor, note=note, visible_to_customer=False)
    follow_up = None
    if done:
        callback.completed_at = now
        case_deadline_meet(case=callback, code=CONTACT_BACK, actor=actor, met_at=now)
    if outcome == CallBackOutcome.NO_ANSWER:
        notify_customer(
            customer=callback.customer,
            subject=f"We tried to call you: {callback.reference}",
            body=(
                f"We tried to call you on {callback.phone} at "
                f"{london_datetime(now)}, as you asked. We will try again."
            ),
            key=f"callback:{callback.pk}:tried:{attempts}",
            about=callback,
        )
    elif outcome == CallBackOutcome.UNREACHABLE:
        notify_customer(
            customer=callback.customer,
            subject=f"We could not reach you: {callback.reference}",
            body=(
                f"We tried {attempts} time{'s' if attempts > 1 else ''} to call you on "
                f"{callback.phone} but could not reach you. Please contact us again when it "
                "suits you, by phone, web chat or an enquiry in your account."
            ),
            key=f"callback:{callback.pk}:unreachable",
            about=callback,
        )
    elif outcome == CallBackOutcome.FOLLOW_UP:
        follow_up = _enquiry_open(
            customer=callback.customer,
            received_by=ReceivedBy.PHONE,
            received_at=now,
            topic="general",
            subject=f"Follow-up from call back {callback.reference}"[:200],
            details=f"{callback.reason}\n\nOn the call: {note.strip()}",
            key=None,
            actor=actor,
        )
        deadline_start(case=follow_up, code=CONTACT_BACK, started_at=now)
        case_link(
            from_case=follow_up,
            to_case=callback,
            relation="follows up",
            actor=actor,
            visible_to_customer=True,
        )
    return follow_up
