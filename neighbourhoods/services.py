"""Writes for estate inspections, resident inspectors and communal services. One function per
action; the admin, the resident pages, the demo and the tests call the same ones."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from casework.models import ReceivedBy
from casework.services import attachment_check
from neighbourhoods.models import (
    ChecklistItem,
    Estate,
    Frequency,
    Inspection,
    InspectionSchedule,
    InspectionScore,
    ResidentInspector,
    ResidentScore,
    Score,
)
from neighbourhoods.selectors import may_score, neighbourhood_of
from repairs.handover import RepairRefused, repair_create
from sla.calendar import add_months
from tenancy.models import Block, Customer, HouseholdRole

if TYPE_CHECKING:
    from accounts.models import User


class NeighbourhoodRuleBroken(Exception):
    def __init__(self, *problems: str):
        super().__init__(" ".join(problems))
        self.problems = list(problems)


MONTHS_BETWEEN_INSPECTIONS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3}


@transaction.atomic
def inspection_record(
    *,
    actor: User,
    inspected_on: dt.date,
    estate: Estate | None = None,
    block: Block | None = None,
    schedule: InspectionSchedule | None = None,
    summary: str = "",
) -> Inspection:
    """Start an inspection of an estate or a block. From a schedule, the area is the
    schedule's and its next inspection moves on by the schedule's frequency from this one."""
    if schedule is not None:
        estate, block = schedule.estate, schedule.block
    if (estate is None) == (block is None):
        raise NeighbourhoodRuleBroken("Choose an estate or a block, not both.")
    inspection = Inspection.objects.create(
        schedule=schedule,
        estate=estate,
        block=block,
        inspected_on=inspected_on,
        officer=actor,
        summary=summary,
    )
    if schedule is not None:
        months = MONTHS_BETWEEN_INSPECTIONS[Frequency(schedule.frequency)]
        schedule.next_due_on = add_months(inspected_on, months)
        schedule.save(update_fields=["next_due_on"])
    return inspection


@transaction.atomic
def inspection_score(
    *,
    inspection: Inspection,
    item: str,
    score: int,
    comment: str = "",
    photo: File | None = None,
) -> InspectionScore:
    """Score one checklist item (again, if it was scored: the latest score stands). A photo
    passes the same checks as every upload and is kept without its location metadata."""
    if inspection.is_published:
        raise NeighbourhoodRuleBroken("This inspection is published; its scores are final.")
    if item not in ChecklistItem.values or score not in Score.values:
        raise NeighbourhoodRuleBroken("Choose an item from the checklist and a score from 1 to 5.")
    row, _ = InspectionScore.objects.update_or_create(
        inspection=inspection, item=item, defaults={"score": score, "comment": comment}
    )
    if photo is not None:
        try:
            checked = attachment_check(photo, photos_only=True)
        except ValidationError as exc:
            raise NeighbourhoodRuleBroken(*exc.messages) from exc
        row.photo.save(checked.original_name, checked.content, save=True)
    return row


@transaction.atomic
def inspection_score_checklist(
    *, inspection: Inspection, items: list[tuple[str, int, str, File | None]]
) -> None:
    """Score the whole checklist at once (item, score, comment, photo): all or nothing, so a
    refused photo leaves every score as it was and the officer's page shows why."""
    for item, score, comment, photo in items:
        inspection_score(
            inspection=inspection, item=item, score=score, comment=comment, photo=photo
        )


@transaction.atomic
def inspection_publish(*, inspection: Inspection, actor: User) -> Inspection:
    """Publish the results to the residents of the area. Every item must have been scored."""
    scored = set(inspection.scores.values_list("item", flat=True))
    missing = [item.label for item in ChecklistItem if item.value not in scored]
    if missing:
        raise NeighbourhoodRuleBroken(*(f"Score {label.lower()} first." for label in missing))
    if inspection.published_at is None:
        inspection.published_at = timezone.now()
        inspection.save(update_fields=["published_at"])
    return inspection


def _household_reporting_for(block: Block) -> Customer:
    """A communal repair is a case of one household: the block's longest-standing current
    lead household is the one kept informed of a repair that we found ourselves."""
    customer = (
        Customer.objects.filter(
            tenancy__property__block=block,
            tenancy__end_date__isnull=True,
            household_role__in=[
                HouseholdRole.LEAD_TENANT,
                HouseholdRole.LEASEHOLDER,
                HouseholdRole.SHARED_OWNER,
            ],
        )
        .order_by("tenancy__start_date", "pk")
        .first()
    )
    if customer is None:
        raise NeighbourhoodRuleBroken(f"Nobody lives in {block} to report the repair for.")
    return customer


@transaction.atomic
def inspection_raise_repair(
    *,
    score: InspectionScore,
    block: Block,
    item_code: str,
    description: str,
    actor: User,
) -> str:
    """Raise a communal repair for an issue found on an inspection, through the repairs
    service (so it gets its clocks and queue like any other). Returns its reference."""
    inspection = score.inspection
    if score.repair_reference:
        raise NeighbourhoodRuleBroken(f"Repair {score.repair_reference} was already raised.")
    in_area = block.pk == inspection.block_id or (
        inspection.estate_id is not None and inspection.estate.blocks.filter(pk=block.pk).exists()  # type: ignore[union-attr]
    )
    if not in_area:
        raise NeighbourhoodRuleBroken("Choose a block in the inspected area.")
    try:
        repair = repair_create(
            customer=_household_reporting_for(block),
            item_code=item_code,
            location="communal",
            description=description,
            received_by=ReceivedBy.STAFF,
            actor=actor,
        )
    except RepairRefused as exc:
        raise NeighbourhoodRuleBroken(str(exc)) from exc
    score.repair_reference = repair.reference
    score.save(update_fields=["repair_reference"])
    return repair.reference


@transaction.atomic
def resident_inspector_sign_up(*, customer: Customer, estate: Estate) -> ResidentInspector:
    if estate.pk not in neighbourhood_of(customer).estate_ids:
        raise NeighbourhoodRuleBroken("You can inspect only the estate you live on.")
    inspector, _ = ResidentInspector.objects.get_or_create(
        customer=customer, estate=estate, defaults={"signed_up_at": timezone.now()}
    )
    return inspector


@transaction.atomic
def resident_scores_submit(
    *, customer: Customer, inspection: Inspection, scores: dict[str, int]
) -> int:
    """A resident inspector's scores for an inspection of their estate, kept beside the
    officer's. Each item once per resident; a second set is refused. Returns how many kept."""
    if not may_score(customer, inspection):
        raise NeighbourhoodRuleBroken("Sign up as a resident inspector for this estate first.")
    problems = [
        f"{item} is not on the checklist."
        for item, score in scores.items()
        if item not in ChecklistItem.values or score not in Score.values
    ]
    if problems or not scores:
        raise NeighbourhoodRuleBroken(*(problems or ["Score at least one item."]))
    now = timezone.now()
    try:
        with transaction.atomic():
            ResidentScore.objects.bulk_create(
                ResidentScore(
                    inspection=inspection, customer=customer, item=item, score=score, scored_at=now
                )
                for item, score in scores.items()
            )
    except IntegrityError as exc:
        raise NeighbourhoodRuleBroken("You have already scored this inspection.") from exc
    return len(scores)
