"""Builders' defects: recording the builder's response."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from casework.services import case_add_note
from repairs.models import Repair
from repairs.services._common import RepairRefused, S, _lock, _move, _tell

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def repair_record_builder_response(
    *, repair: Repair, actor: User, response: str, builder_will_repair: bool
) -> Repair:
    """What the builder said. If they will not do it, the repair comes back to us to book."""
    _lock(repair)
    if not repair.is_defect:
        raise RepairRefused("This repair was not passed to a builder.")
    if not response.strip():
        raise RepairRefused("Enter the builder's response.")
    now = timezone.now()
    Repair.objects.filter(pk=repair.pk).update(
        builder_response=response.strip(), builder_responded_at=now
    )
    repair.builder_response, repair.builder_responded_at = response.strip(), now
    if builder_will_repair:
        case_add_note(
            case=repair,
            actor=actor,
            visible_to_customer=True,
            note=f"{repair.builder_name} will do the repair and will contact you.",
        )
        _tell(
            repair,
            key="builder:accepted",
            subject=f"The builder will fix it: {repair.reference}",
            body=f"{repair.builder_name} has agreed to repair {repair.title} under the "
            "guarantee and will contact you to arrange it.",
        )
    else:
        _move(
            repair,
            S.REPORTED,
            actor=actor,
            note="The builder will not do this repair under the guarantee, so we will.",
        )
        _tell(
            repair,
            key="builder:declined",
            subject=f"We will do your repair: {repair.reference}",
            body=f"The builder will not repair {repair.title} under the guarantee, so we will "
            "do it ourselves. Choose an appointment on the repair's page.",
        )
    return repair
