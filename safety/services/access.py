"""Getting into a home for its check: invitations and reminders before it is due, the visit the
household books or moves, and the no-access procedure (three letters, then legal or forced entry)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from kernel.formatting import london_date
from notifications.services import notify_customer, notify_staff
from repairs.handover import (
    VisitSlot,
    visit_slot_claim,
    visit_slot_release,
    visit_slots_offered,
)
from safety.models import (
    NO_ACCESS_STEPS,
    AccessAttempt,
    AccessStage,
    CheckVisit,
    ComplianceCheck,
)
from safety.services._common import (
    SafetyRefused,
    _compliance_lead,
    _household_contact,
    _local_day,
    _safety_page_link,
)

if TYPE_CHECKING:
    from accounts.models import User


# --- getting in: invitations, reminders and the no-access procedure ---------------------------

LETTERS: dict[str, tuple[str, str]] = {
    AccessStage.INVITED: (
        "Your {name} is due: book a visit",
        "Your home's {name} is due by {due}. Please choose a time for our visit on your home's "
        "safety page, or contact us to book one.",
    ),
    AccessStage.REMINDED: (
        "Reminder: your {name} is due by {due}",
        "We still need to visit your home for its {name}, due by {due}. Please contact us to "
        "book a visit.",
    ),
    AccessStage.FIRST_LETTER: (
        "We could not get into your home for its {name}",
        "We could not get into your home for its {name}, due by {due}. You must allow us in to "
        "carry out safety checks. Please contact us within 7 days to book a visit.",
    ),
    AccessStage.SECOND_LETTER: (
        "Second letter: we still need to check your home's safety",
        "We have still not been able to carry out your home's {name}, due by {due}. Please "
        "contact us within 7 days to book a visit.",
    ),
    AccessStage.FINAL_LETTER: (
        "Final letter: we must carry out your home's {name}",
        "This is our final letter about your home's {name}, due by {due}. If you do not contact "
        "us within 7 days to book a visit, we will take legal action to gain entry, as your "
        "tenancy agreement allows.",
    ),
}


def _due_text(check: ComplianceCheck) -> str:
    return london_date(check.next_due_at) if check.next_due_at else "now"


def _send_letter(check: ComplianceCheck, stage: str, attempt: AccessAttempt) -> None:
    contact = _household_contact(check.property) if check.property_id else None
    if contact is None:
        return
    subject, body = LETTERS[stage]
    name = check.get_check_type_display().lower()
    notify_customer(
        customer=contact,
        subject=subject.format(name=name, due=_due_text(check)),
        body=f"{body.format(name=name, due=_due_text(check))}\n\n{_safety_page_link()}",
        key=f"safety:attempt:{attempt.pk}",
    )


@transaction.atomic
def access_attempt_record(
    *, check: ComplianceCheck, stage: str, note: str, actor: User | None
) -> AccessAttempt:
    """Record the next step of the no-access procedure for a home's check: first letter,
    second, final, then a referral for legal or forced entry, each after the one before it.
    Each letter goes to the household by its channel; the referral is flagged to the
    compliance team's lead. Raises ``SafetyRefused`` for a step out of order."""
    check = (
        ComplianceCheck.objects.select_for_update(of=("self",))
        .select_related("property")
        .get(pk=check.pk)
    )
    if check.property_id is None:
        raise SafetyRefused("The no-access procedure is for a home's checks, not a block's.")
    if stage not in NO_ACCESS_STEPS:
        raise SafetyRefused("Choose a step of the no-access procedure.")
    position = NO_ACCESS_STEPS.index(stage)
    expected_before = NO_ACCESS_STEPS[position - 1] if position else None
    current = check.access_stage if check.access_stage in NO_ACCESS_STEPS else None
    if current != expected_before:
        needed = AccessStage(expected_before).label if expected_before else "no letter yet"
        raise SafetyRefused(
            f"'{AccessStage(stage).label}' must follow '{needed}'; this check is at "
            f"'{AccessStage(check.access_stage).label}'."
        )
    attempt = AccessAttempt.objects.create(
        compliance_check=check,
        stage=stage,
        occurred_at=timezone.now(),
        for_due_at=check.next_due_at,
        note=note.strip(),
        actor=actor,
    )
    ComplianceCheck.objects.filter(pk=check.pk).update(access_stage=stage)
    check.access_stage = stage
    home = check.property
    assert home is not None  # refused above for a block's check
    if stage == AccessStage.LEGAL:
        lead = _compliance_lead()
        if lead is not None:
            notify_staff(
                user=lead,
                subject=f"No access: legal or forced entry needed at {home}",
                body=(
                    f"Three letters have not got us into {home.full_address} for its "
                    f"{check.get_check_type_display().lower()}, due {_due_text(check)}. A "
                    f"manager must decide on legal action or forced entry."
                ),
                key=f"safety:attempt:{attempt.pk}:legal",
            )
    else:
        _send_letter(check, stage, attempt)
    return attempt


# How long before a home's check is due we invite the household to book, and remind them.
INVITATION_LEAD = dt.timedelta(days=56)
REMINDER_LEAD = dt.timedelta(days=21)


def invitations_send(*, now: dt.datetime | None = None, batch_size: int = 500) -> int:
    """Invite each household whose home's check falls due within ``INVITATION_LEAD`` to book,
    and remind those due within ``REMINDER_LEAD``; once per check and clock (a second run sends
    nothing). Returns how many messages were queued. Each check is its own transaction."""
    now = now or timezone.now()
    sent = 0
    for stage, lead in (
        (AccessStage.INVITED, INVITATION_LEAD),
        (AccessStage.REMINDED, REMINDER_LEAD),
    ):
        due = (
            ComplianceCheck.objects.filter(
                applies=True,
                property__isnull=False,
                next_due_at__gt=now,
                next_due_at__lte=now + lead,
            )
            .exclude(pk__in=AccessAttempt.objects.filter(stage=stage).values("compliance_check_id"))
            .order_by("next_due_at")
            .values_list("pk", flat=True)[:batch_size]
        )
        for check_id in list(due):
            sent += _invite_one(check_id, stage, now)
    return sent


@transaction.atomic
def _invite_one(check_id: int, stage: str, now: dt.datetime) -> int:
    check = (
        ComplianceCheck.objects.select_for_update(of=("self",))
        .select_related("property")
        .get(pk=check_id)
    )
    attempt, created = AccessAttempt.objects.get_or_create(
        compliance_check=check,
        stage=stage,
        for_due_at=check.next_due_at,
        defaults={"occurred_at": now},
    )
    if not created:
        return 0
    if check.access_stage in ("", AccessStage.INVITED):
        ComplianceCheck.objects.filter(pk=check.pk).update(access_stage=stage)
    _send_letter(check, stage, attempt)
    return 1


# --- booking a visit ---------------------------------------------------------------------------


def visit_last_day(check: ComplianceCheck) -> dt.date:
    """The last day a visit may be booked: the check's due day (or, overdue or never done,
    the next four weeks: the visit is needed now)."""
    today = timezone.localdate()
    if check.next_due_at is None or check.next_due_at <= timezone.now():
        return today + dt.timedelta(days=28)
    return _local_day(check.next_due_at)


def visit_slots_for(check: ComplianceCheck) -> list[VisitSlot]:
    if check.property is None:
        return []
    return visit_slots_offered(
        check_type=check.check_type, patch=check.property.patch, last_day=visit_last_day(check)
    )


@transaction.atomic
def check_visit_book(*, check: ComplianceCheck, slot_id: int, actor: User | None) -> CheckVisit:
    """Book (or move) the visit for a home's check into a slot offered for it. A move gives the
    old place back. Raises ``SafetyRefused`` when the slot is full, past, after the check's due
    day or not one this check may use; nothing is written then."""
    check = (
        ComplianceCheck.objects.select_for_update(of=("self",))
        .select_related("property")
        .get(pk=check.pk)
    )
    home = check.property
    if home is None:
        raise SafetyRefused("Visits are booked for a home's checks.")
    if slot_id not in {s.pk for s in visit_slots_for(check)}:
        raise SafetyRefused("That time is no longer available. Choose another.")
    slot = visit_slot_claim(slot_id=slot_id, check_type=check.check_type, patch=home.patch)
    if slot is None:
        raise SafetyRefused("That time has just been taken. Choose another.")
    current = CheckVisit.objects.filter(
        compliance_check=check, status=CheckVisit.Status.BOOKED
    ).first()
    if current is not None:
        CheckVisit.objects.filter(pk=current.pk).update(status=CheckVisit.Status.MOVED)
        visit_slot_release(slot_id=current.slot_id)
    visit = CheckVisit.objects.create(
        compliance_check=check,
        slot_id=slot.pk,
        visit_date=slot.date,
        label=slot.label,
        booked_at=timezone.now(),
        booked_by=actor,
    )
    contact = _household_contact(home)
    if contact is not None:
        notify_customer(
            customer=contact,
            subject=f"Your {check.get_check_type_display().lower()} visit: {slot.label}",
            body=f"We will visit your home for its {check.get_check_type_display().lower()} "
            f"on {slot.label}. You can move it on your home's safety page: {_safety_page_link()}",
            key=f"safety:visit:{visit.pk}:booked",
        )
    return visit
