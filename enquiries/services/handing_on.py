"""Handing an enquiry on: referral to another team, and a complaint offered or opened."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casework.models import Team
from casework.services import InvalidTransition, case_add_note, case_assign, case_transition
from complaints.handover import complaint_create_from_case
from enquiries.models import ComplaintChoice, Enquiry, EnquiryStatus
from enquiries.services._common import ENQUIRY_TRANSITIONS, _stop_clocks
from notifications.services import notify_customer

if TYPE_CHECKING:
    from accounts.models import User


def _refer(*, enquiry: Enquiry, team: Team, actor: User | None, note: str) -> None:
    moved_note = f"Now with the {team.name} team"
    if EnquiryStatus.REFERRED in ENQUIRY_TRANSITIONS.get(enquiry.status, set()):
        case_transition(
            case=enquiry,
            to_status=EnquiryStatus.REFERRED,
            allowed=ENQUIRY_TRANSITIONS,
            actor=actor,
            note=moved_note,
        )
    else:
        case_add_note(case=enquiry, actor=actor, note=moved_note, visible_to_customer=True)
    # A new team means a new owner: the previous officer no longer holds it.
    assigned = case_assign(case=enquiry, assignee=None, team=team, actor=actor)
    if note.strip():
        case_add_note(case=enquiry, actor=actor, note=note, visible_to_customer=False)
    notify_customer(
        customer=enquiry.customer,
        subject=f"Your enquiry {enquiry.reference} is with our {team.name} team",
        body=(
            f"We have passed your enquiry {enquiry.reference} ({enquiry.subject}) to our "
            f"{team.name} team, who will answer it. Our promised dates have not changed."
        ),
        key=f"enquiry:{enquiry.pk}:referred:{assigned.pk if assigned else team.pk}",
        about=enquiry,
    )


@transaction.atomic
def enquiry_refer(*, enquiry: Enquiry, team: Team, actor: User, note: str = "") -> Enquiry:
    """Move the enquiry to ``team``'s queue. The clocks keep running; the customer is told."""
    if enquiry.closed_at is not None:
        raise InvalidTransition(f"{enquiry.reference} is closed.")
    if enquiry.team_id == team.pk:
        raise ValidationError(f"{enquiry.reference} is already with the {team.name} team")
    _refer(enquiry=enquiry, team=team, actor=actor, note=note)
    return enquiry


@transaction.atomic
def enquiry_record_complaint_offer(
    *,
    enquiry: Enquiry,
    actor: User,
    choice: str,
    summary: str = "",
    keep_enquiry_open: bool = False,
):
    """The customer expressed dissatisfaction and was offered the choice to complain
    (Complaint Handling Code 1.3). Declined: recorded, and the enquiry carries on as a service
    request (1.4). Accepted: a stage 1 complaint is opened at once and returned."""
    if enquiry.status == EnquiryStatus.BECAME_COMPLAINT:
        raise InvalidTransition(f"{enquiry.reference} is already a complaint.")
    if choice not in ComplaintChoice.values:
        raise ValueError(f"Unknown choice {choice!r}.")
    now = timezone.now()
    Enquiry.objects.filter(pk=enquiry.pk).update(complaint_offered_at=now, complaint_choice=choice)
    enquiry.complaint_offered_at, enquiry.complaint_choice = now, choice
    if choice == ComplaintChoice.DECLINED:
        case_add_note(
            case=enquiry,
            actor=actor,
            visible_to_customer=True,
            note="We offered you the choice to make a complaint. You chose not to, "
            "so we are dealing with this as an enquiry.",
        )
        return None
    return enquiry_convert_to_complaint(
        enquiry=enquiry, actor=actor, summary=summary, keep_enquiry_open=keep_enquiry_open
    )


@transaction.atomic
def enquiry_convert_to_complaint(
    *, enquiry: Enquiry, actor: User, summary: str = "", keep_enquiry_open: bool = False
):
    """Turn the enquiry into a stage 1 complaint received when the enquiry was (Code 1.3-1.5):
    its acknowledgement and response clocks run from the original receipt date. The complaint is
    linked to the enquiry, so its timeline leads back to the enquiry's whole history.

    ``keep_enquiry_open``: the complaint is about how the request is being handled, and the
    request itself must carry on (Code 1.5); otherwise the enquiry closes as "now a complaint"
    and its own clocks stop, the complaint's clocks taking over.
    """
    if enquiry.status == EnquiryStatus.BECAME_COMPLAINT:
        raise InvalidTransition(f"{enquiry.reference} is already a complaint.")
    complaint = complaint_create_from_case(
        source_case=enquiry,
        actor=actor,
        subject=(summary or enquiry.subject)[:200],
        details=enquiry.details,
    )
    if not keep_enquiry_open and enquiry.closed_at is None:
        case_transition(
            case=enquiry,
            to_status=EnquiryStatus.BECAME_COMPLAINT,
            allowed=ENQUIRY_TRANSITIONS,
            actor=actor,
            closes=True,
            note=f"Now dealt with as complaint {complaint.reference}",
        )
        _stop_clocks(enquiry)
    else:
        case_add_note(
            case=enquiry,
            actor=actor,
            visible_to_customer=True,
            note=f"Your complaint {complaint.reference} is about how this enquiry is "
            "being handled. We are carrying on with the enquiry as well.",
        )
    return complaint
