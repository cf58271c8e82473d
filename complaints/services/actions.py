"""After the response: assignment, promised actions, learning and the customer's rating."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from casework.services import case_add_note, case_assign
from complaints import letters
from complaints.models import (
    UPHELD_OUTCOMES,
    ActionUpdate,
    Complaint,
    ComplaintLearning,
    ComplaintRating,
    OutstandingAction,
)
from complaints.services._common import ComplaintRuleBroken, _lock, _save
from notifications.services import notify_customer

if TYPE_CHECKING:
    from accounts.models import User
    from tenancy.models import Customer


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
