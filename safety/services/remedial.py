"""Remedial work a record asks for: opened on its own clock with a repair, and done with the
household told in writing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from kernel.formatting import london_date
from notifications.services import notify_customer
from repairs.handover import (
    RepairRefused,
    remedial_repair_create,
)
from safety.models import (
    DANGEROUS_OUTCOMES,
    REMEDIAL_CLOCKS,
    CheckRecord,
    ComplianceCheck,
    RemedialWork,
)
from safety.services._common import SafetyRefused, _household_contact, _safety_page_link
from sla.services import deadline_meet, deadline_start

if TYPE_CHECKING:
    from accounts.models import User


def _remedial_open(record: CheckRecord, check: ComplianceCheck, *, actor: User | None) -> None:
    dangerous = record.outcome in DANGEROUS_OUTCOMES
    description = (
        f"{check.get_check_type_display()} on {london_date(record.done_on)}: "
        f"{record.get_outcome_display()}. {record.notes}".strip()
    )
    remedial = RemedialWork.objects.create(
        record=record, description=description, raised_at=timezone.now()
    )
    deadline_start(case=remedial, code=REMEDIAL_CLOCKS[record.outcome])
    contact = _household_contact(check.property)
    if contact is None:
        return
    try:
        with transaction.atomic():
            repair = remedial_repair_create(
                customer=contact,
                check_type=check.check_type,
                description=description,
                dangerous=dangerous,
                actor=actor,
            )
    except (RepairRefused, KeyError):
        # Recorded with its clock all the same: the compliance team arranges it by hand.
        return
    RemedialWork.objects.filter(pk=remedial.pk).update(repair_reference=repair.reference)


@transaction.atomic
def remedial_complete(*, remedial: RemedialWork, actor: User | None) -> RemedialWork:
    """The remedial work is done: meet its clock and tell the household in writing (the
    electrical regulations ask for written confirmation within 28 days)."""
    remedial = (
        RemedialWork.objects.select_for_update(of=("self",))
        .select_related("record__compliance_check__property")
        .get(pk=remedial.pk)
    )
    if remedial.completed_at is not None:
        raise SafetyRefused("This remedial work is already recorded as done.")
    now = timezone.now()
    code = REMEDIAL_CLOCKS[remedial.record.outcome]
    deadline_meet(case=remedial, code=code, met_at=now)
    remedial.completed_at = now
    deadline_start(case=remedial, code="safety.remedial_confirmation", started_at=now)
    home = remedial.record.compliance_check.property
    contact = _household_contact(home) if home is not None else None
    if contact is not None:
        notify_customer(
            customer=contact,
            subject="The safety work in your home is done",
            body=(
                f"The work found by the {remedial.record.compliance_check.get_check_type_display().lower()} "
                f"of {london_date(remedial.record.done_on)} is now done. "
                f"You can see your home's safety checks at {_safety_page_link()}"
            ),
            key=f"safety:remedial:{remedial.pk}:done",
        )
        remedial.tenant_told_at = now
        deadline_meet(case=remedial, code="safety.remedial_confirmation", met_at=now)
    remedial.save(update_fields=["completed_at", "tenant_told_at"])
    return remedial
