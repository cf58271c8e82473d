"""Moving in: the signed tenancy agreement, the settling-in visit and the new tenant's
satisfaction."""

from __future__ import annotations

import datetime as dt

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from casework.services import attachment_check, case_add_note
from kernel.formatting import london_datetime
from lettings.models import (
    SettlingIn,
    SettlingInStatus,
)
from lettings.services._common import (
    SETTLING_IN_TRANSITIONS,
    SETTLING_IN_VISIT,
    LettingRefused,
    _lock,
    _move,
    _tell,
)
from sla.services import deadline_meet
from tenancy.models import Customer


@transaction.atomic
def settling_in_upload_signed_agreement(
    *, settling_in: SettlingIn, uploaded_file: File, actor: User
) -> SettlingIn:
    """Keep the tenancy agreement as signed at sign-up: it replaces the "not there yet" line
    of the household's move-in pack. A PDF only, through the kernel's upload checks (whole,
    without active content, under 10 MB); ``ValidationError`` with the uploader's message
    otherwise, before anything is written. A second upload (a clearer scan) replaces the
    first; the timeline says so each time."""
    checked = attachment_check(uploaded_file, pdf_only=True)
    settling_in = _lock(SettlingIn, settling_in.pk)
    replaced = settling_in.has_signed_agreement
    # The name given here is ignored by signed_agreement_path, which picks a random one.
    settling_in.signed_agreement.save("agreement.pdf", checked.content, save=False)
    settling_in.signed_agreement_name = checked.original_name
    settling_in.signed_agreement_size = settling_in.signed_agreement.size
    settling_in.signed_agreement_at = timezone.now()
    settling_in.signed_agreement_by = actor
    settling_in.save(
        update_fields=[
            "signed_agreement",
            "signed_agreement_name",
            "signed_agreement_size",
            "signed_agreement_at",
            "signed_agreement_by",
        ]
    )
    case_add_note(
        case=settling_in,
        actor=actor,
        note=(
            "A clearer copy of your signed tenancy agreement is in your move-in pack"
            if replaced
            else "Your signed tenancy agreement is in your move-in pack"
        ),
        visible_to_customer=True,
    )
    return settling_in


@transaction.atomic
def settling_in_book_visit(
    *, settling_in: SettlingIn, actor: User, visit_at: dt.datetime
) -> SettlingIn:
    """Book the settling-in visit and tell the new tenant when it is. A visit after the clock's
    due time is refused: the promise is about 6 weeks after the move."""
    if timezone.is_naive(visit_at):
        raise ValueError("visit_at must be timezone-aware.")
    settling_in = _lock(SettlingIn, settling_in.pk)
    if settling_in.status != SettlingInStatus.MOVED_IN:
        raise LettingRefused("The settling-in visit has already been recorded.")
    if visit_at <= timezone.now():
        raise LettingRefused("Book the visit for a time still to come.")
    due = settling_in.next_due_at
    if due is not None and visit_at > due:
        raise LettingRefused(
            f"Book the visit by {london_datetime(due)}, about 6 weeks after the move."
        )
    SettlingIn.objects.filter(pk=settling_in.pk).update(visit_booked_for=visit_at)
    _tell(
        settling_in,
        settling_in.customer,
        key=f"visit:{int(visit_at.timestamp())}",
        subject="Your settling-in visit",
        body=(
            f"We will visit you on {london_datetime(visit_at)} to see how you are settling into "
            f"your new home."
        ),
    )
    settling_in.refresh_from_db()
    return settling_in


@transaction.atomic
def settling_in_record_visit(
    *, settling_in: SettlingIn, actor: User, visited_at: dt.datetime, notes: str = ""
) -> SettlingIn:
    """The settling-in visit has happened: it meets the 6-week clock."""
    if timezone.is_naive(visited_at):
        raise ValueError("visited_at must be timezone-aware.")
    if visited_at > timezone.now():
        raise LettingRefused("Record a visit once it has happened.")
    settling_in = _lock(SettlingIn, settling_in.pk)
    if settling_in.status != SettlingInStatus.MOVED_IN:
        raise LettingRefused("The settling-in visit has already been recorded.")
    SettlingIn.objects.filter(pk=settling_in.pk).update(
        visited_at=visited_at, visited_by=actor, visit_notes=notes.strip()
    )
    _move(
        settling_in,
        SettlingInStatus.VISITED,
        SETTLING_IN_TRANSITIONS,
        actor=actor,
        note="Settling-in visit done",
    )
    deadline_meet(case=settling_in, code=SETTLING_IN_VISIT, met_at=visited_at)
    settling_in.refresh_from_db()
    return settling_in


@transaction.atomic
def settling_in_record_satisfaction(
    *, settling_in: SettlingIn, customer: Customer, satisfaction: int, comment: str = ""
) -> SettlingIn:
    """The new tenant's view of their new home, once."""
    settling_in = _lock(SettlingIn, settling_in.pk)
    if settling_in.tenancy_id != customer.tenancy_id:
        raise LettingRefused("Only the new household can answer this.")
    if settling_in.satisfaction is not None:
        raise LettingRefused("You have already told us what you think of your new home. Thank you.")
    if satisfaction not in (1, 2, 3, 4, 5):
        raise LettingRefused("Choose how satisfied you are.")
    SettlingIn.objects.filter(pk=settling_in.pk).update(
        satisfaction=satisfaction,
        satisfaction_comment=comment.strip(),
        satisfaction_at=timezone.now(),
    )
    settling_in.refresh_from_db()
    return settling_in
