"""Enquiries: opening, acknowledging, extending, contacting back and answering one."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casework.models import ReceivedBy, Team
from casework.services import (
    InvalidTransition,
    attachment_add,
    case_add_note,
    case_deadline_extend,
    case_deadline_meet,
    case_open,
    case_transition,
)
from enquiries.models import Enquiry, EnquiryStatus
from enquiries.selectors import WRITTEN_CHANNELS, customer_services_team
from enquiries.services._common import CONTACT_BACK, ENQUIRY_TRANSITIONS, _once
from enquiries.services.handing_on import _refer
from kernel.formatting import london_date
from notifications.services import notify_customer
from sla.calendar import end_of_local_day
from sla.models import Deadline
from sla.services import deadline_start

if TYPE_CHECKING:
    from accounts.models import User
    from tenancy.models import Customer


ACKNOWLEDGE = "enquiry.acknowledge"
RESPOND = "enquiry.respond"


def _open_deadline(case, code: str) -> Deadline | None:
    return (
        Deadline.objects.for_case(case)
        .open()
        .filter(commitment__code=code)
        .select_related("commitment")
        .order_by("due_at")
        .first()
    )


def _meet_all(case, codes: tuple[str, ...], actor: User | None, at: dt.datetime | None = None):
    for code in codes:
        case_deadline_meet(case=case, code=code, actor=actor, met_at=at)


def _enquiry_open(
    *,
    customer: Customer,
    received_by: str,
    received_at: dt.datetime,
    topic: str,
    subject: str,
    details: str,
    key: uuid.UUID | None,
    actor: User | None = None,
    team: Team | None = None,
    at_home_visit: bool = False,
    note: str = "",
) -> Enquiry:
    enquiry = case_open(
        model=Enquiry,
        customer=customer,
        received_by=received_by,
        opened_at=received_at,
        status=EnquiryStatus.RECEIVED,
        actor=actor,
        team=customer_services_team(),
        note=note,
        topic=topic,
        subject=subject,
        details=details,
        at_home_visit=at_home_visit,
        logged_by=actor,
        idempotency_key=key,
    )
    if received_by in WRITTEN_CHANNELS:
        deadline_start(case=enquiry, code=ACKNOWLEDGE, started_at=received_at)
        deadline_start(case=enquiry, code=RESPOND, started_at=received_at)
    if team is not None and team.role != customer_services_team().role:
        _refer(enquiry=enquiry, team=team, actor=actor, note="")
    return enquiry


def _confirm_received(enquiry: Enquiry) -> None:
    """Tell the customer at once that their contact is with us: its reference and the date
    its first clock promises the next step (acknowledged, or contacted back), without waiting
    for anyone to pick it up. The acknowledgement clock keeps running: a person meets it."""
    acknowledge = _open_deadline(enquiry, ACKNOWLEDGE)
    respond = _open_deadline(enquiry, RESPOND)
    contact_back = _open_deadline(enquiry, CONTACT_BACK)
    if acknowledge is not None:
        expect = f"A member of our team will acknowledge it by {london_date(acknowledge.due_at)}"
        expect += (
            f" and send you a full answer by {london_date(respond.due_at)}."
            if respond is not None
            else "."
        )
    elif contact_back is not None:
        expect = f"We will contact you again by {london_date(contact_back.due_at)}."
    else:
        return
    notify_customer(
        customer=enquiry.customer,
        subject=f"We have received your enquiry {enquiry.reference}",
        body=f"Thank you. Your enquiry is {enquiry.reference}: {enquiry.subject}.\n\n{expect}",
        key=f"enquiry:{enquiry.pk}:received",
        about=enquiry,
    )


@transaction.atomic
def enquiry_submit(
    *,
    customer: Customer,
    topic: str,
    subject: str,
    details: str,
    idempotency_key: uuid.UUID | None = None,
    uploaded_file=None,
) -> tuple[Enquiry, str]:
    """An enquiry from the portal. Returns the enquiry and, if the file could not be kept, why.

    The enquiry is saved even when its file is refused: a bad photo must never cost the
    customer what they wrote. They are told, and can add the file again from the enquiry page.
    """

    def create() -> Enquiry:
        enquiry = _enquiry_open(
            customer=customer,
            received_by=ReceivedBy.PORTAL,
            received_at=timezone.now(),
            topic=topic,
            subject=subject,
            details=details,
            key=idempotency_key,
        )
        _confirm_received(enquiry)
        return enquiry

    enquiry, created = _once(Enquiry, idempotency_key, create)
    file_error = ""
    if created and uploaded_file is not None:
        file_error = _try_attach(enquiry, uploaded_file, customer.user)
    return enquiry, file_error


def _try_attach(case, uploaded_file, user) -> str:
    try:
        attachment_add(case=case, uploaded_file=uploaded_file, uploaded_by=user)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


@transaction.atomic
def enquiry_add_file(*, enquiry: Enquiry, uploaded_file, uploaded_by: User) -> None:
    """Add a file to an enquiry after it was sent. Raises ``ValidationError`` for a bad file."""
    attachment_add(case=enquiry, uploaded_file=uploaded_file, uploaded_by=uploaded_by)


@transaction.atomic
def enquiry_log(
    *,
    customer: Customer,
    actor: User,
    channel: str,
    received_at: dt.datetime,
    topic: str,
    subject: str,
    details: str,
    resolved_now: bool,
    answer: str = "",
    team: Team | None = None,
    idempotency_key: uuid.UUID | None = None,
) -> Enquiry:
    """A phone call, email, letter, office visit or home visit logged by staff: the same
    service for every channel. ``channel`` is a ``ReceivedBy`` value or ``"home_visit"``.

    Resolved now: the answer is recorded, the case closes as resolved at first contact, and a
    written contact's clocks are met at once. Otherwise a live contact starts the 3-working-day
    contact-back clock.
    """
    at_home = channel == "home_visit"
    received_by = ReceivedBy.VISIT if at_home else channel
    if received_by not in ReceivedBy.values or received_by in (
        ReceivedBy.PORTAL,
        ReceivedBy.WEBCHAT,
    ):
        raise ValueError(f"Staff cannot log a contact received by {channel!r}.")
    if resolved_now and not answer.strip():
        raise ValidationError("Enter the answer given to the customer")

    def create() -> Enquiry:
        enquiry = _enquiry_open(
            customer=customer,
            received_by=received_by,
            received_at=received_at,
            topic=topic,
            subject=subject,
            details=details,
            key=idempotency_key,
            actor=actor,
            team=None if resolved_now else team,
            at_home_visit=at_home,
        )
        if resolved_now:
            _answer(enquiry=enquiry, answer=answer, actor=actor, first_contact=True)
        else:
            if received_by not in WRITTEN_CHANNELS:
                deadline_start(case=enquiry, code=CONTACT_BACK, started_at=received_at)
            _confirm_received(enquiry)
        return enquiry

    enquiry, _ = _once(Enquiry, idempotency_key, create)
    return enquiry


@transaction.atomic
def enquiry_acknowledge(*, enquiry: Enquiry, actor: User, note: str = "") -> Enquiry:
    """A person has read the contact and owns it: meets the 3-working-day acknowledgement and
    tells the customer when to expect the full answer."""
    if enquiry.closed_at is not None:
        raise InvalidTransition(f"{enquiry.reference} is closed.")
    if enquiry.acknowledged_at is not None:
        raise InvalidTransition(f"{enquiry.reference} has already been acknowledged.")
    now = timezone.now()
    if enquiry.status == EnquiryStatus.RECEIVED:
        case_transition(
            case=enquiry,
            to_status=EnquiryStatus.ACKNOWLEDGED,
            allowed=ENQUIRY_TRANSITIONS,
            actor=actor,
            note=note.strip(),
        )
    elif note.strip():
        case_add_note(case=enquiry, actor=actor, note=note, visible_to_customer=True)
    Enquiry.objects.filter(pk=enquiry.pk).update(acknowledged_at=now)
    enquiry.acknowledged_at = now
    case_deadline_meet(case=enquiry, code=ACKNOWLEDGE, actor=actor, met_at=now)
    respond = _open_deadline(enquiry, RESPOND)
    expect = (
        f"We will send you a full answer by {london_date(respond.due_at)}."
        if respond
        else "We will be in touch again soon."
    )
    body = f"We have received your enquiry {enquiry.reference}: {enquiry.subject}.\n\n{expect}"
    if note.strip():
        body += f"\n\n{note.strip()}"
    notify_customer(
        customer=enquiry.customer,
        subject=f"We have your enquiry {enquiry.reference}",
        body=body,
        key=f"enquiry:{enquiry.pk}:acknowledged",
        about=enquiry,
    )
    return enquiry


@transaction.atomic
def enquiry_extend(
    *, enquiry: Enquiry, new_due_date: dt.date, reason: str, actor: User
) -> Deadline:
    """ "Let you know if we can't [answer in 10 working days] and when you can expect a full
    reply": moves the full-answer date to the end of ``new_due_date`` and tells the customer
    why. Only before the current date has passed."""
    if enquiry.closed_at is not None:
        raise InvalidTransition(f"{enquiry.reference} is closed.")
    respond = _open_deadline(enquiry, RESPOND)
    if respond is None:
        raise ValidationError("This enquiry has no full-answer date to move")
    return case_deadline_extend(
        case=enquiry,
        deadline=respond,
        new_due_at=end_of_local_day(new_due_date),
        reason=reason,
        by=actor,
        tell_customer=True,
    )


@transaction.atomic
def enquiry_record_contact_back(*, enquiry: Enquiry, actor: User, note: str) -> Enquiry:
    """We contacted the customer about a query not resolved at first contact."""
    if enquiry.closed_at is not None:
        raise InvalidTransition(f"{enquiry.reference} is closed.")
    now = timezone.now()
    case_add_note(
        case=enquiry,
        actor=actor,
        note=f"We contacted you: {note.strip()}",
        visible_to_customer=True,
    )
    Enquiry.objects.filter(pk=enquiry.pk, contacted_back_at__isnull=True).update(
        contacted_back_at=now
    )
    enquiry.contacted_back_at = enquiry.contacted_back_at or now
    case_deadline_meet(case=enquiry, code=CONTACT_BACK, actor=actor, met_at=now)
    return enquiry


def _answer(*, enquiry: Enquiry, answer: str, actor: User | None, first_contact: bool) -> None:
    now = timezone.now()
    case_transition(
        case=enquiry,
        to_status=EnquiryStatus.ANSWERED,
        allowed=ENQUIRY_TRANSITIONS,
        actor=actor,
        note="Resolved at first contact" if first_contact else "",
        closes=True,
    )
    updates = {
        "answer": answer.strip(),
        "answered_at": now,
        "resolved_at_first_contact": first_contact,
    }
    if enquiry.acknowledged_at is None and enquiry.received_by in WRITTEN_CHANNELS:
        updates["acknowledged_at"] = now
    Enquiry.objects.filter(pk=enquiry.pk).update(**updates)
    for name, value in updates.items():
        setattr(enquiry, name, value)
    # A full answer is also the acknowledgement and the contact back, if those were still due.
    _meet_all(enquiry, (ACKNOWLEDGE, RESPOND, CONTACT_BACK), actor, now)
    notify_customer(
        customer=enquiry.customer,
        subject=f"Our answer to your enquiry {enquiry.reference}",
        body=f"Your enquiry: {enquiry.subject}\n\nOur answer:\n{enquiry.answer}",
        key=f"enquiry:{enquiry.pk}:answered",
        about=enquiry,
    )


@transaction.atomic
def enquiry_answer(*, enquiry: Enquiry, answer: str, actor: User) -> Enquiry:
    """The full answer: closes the enquiry, meets its clocks and sends the customer the text."""
    if not answer.strip():
        raise ValidationError("Enter the answer")
    _answer(enquiry=enquiry, answer=answer, actor=actor, first_contact=False)
    return enquiry
