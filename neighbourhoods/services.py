"""Writes for estate inspections, resident inspectors and communal services. One function per
action; the admin, the resident pages, the demo and the tests call the same ones."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from casework.models import ReceivedBy, Team
from casework.services import attachment_add, attachment_check, case_open, case_transition
from kernel.caching import generation_bump
from kernel.formatting import london_date, london_datetime
from kernel.roles import Role
from neighbourhoods.models import (
    ChecklistItem,
    CommunalService,
    Estate,
    Frequency,
    Inspection,
    InspectionSchedule,
    InspectionScore,
    NeighbourhoodReport,
    Place,
    ReportKind,
    ReportStatus,
    ResidentInspector,
    ResidentScore,
    Score,
)
from neighbourhoods.selectors import LATEST_INSPECTION_SCOPE, may_score, neighbourhood_of
from notifications.services import notify_customer, notify_outside, notify_staff
from repairs.handover import RepairRefused, repair_create
from sla.calendar import add_months
from sla.services import deadline_meet, deadline_start
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
        generation_bump(LATEST_INSPECTION_SCOPE)
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


# ---------------------------------------------------------------------------------------------
# Reports: a communal service not done, bulk rubbish, graffiti
# ---------------------------------------------------------------------------------------------

# The government's services that pass a report to the right council by postcode.
COUNCIL_LINKS = {
    ReportKind.BULK_RUBBISH: "https://www.gov.uk/report-flytipping",
    ReportKind.GRAFFITI: "https://www.gov.uk/report-graffiti",
}


@dataclass(frozen=True)
class Responsibility:
    ours: bool
    council_link: str = ""


def responsibility_for(*, customer: Customer, kind: str, place: str) -> Responsibility:
    """Whose job it is: ours for the resident's own block and estate, the council's for
    anywhere else (streets, parks and roads are theirs), with the council's link."""
    neighbourhood = neighbourhood_of(customer)
    if place == Place.BLOCK and neighbourhood.block_id is not None:
        return Responsibility(ours=True)
    if place == Place.ESTATE and neighbourhood.estate_ids:
        return Responsibility(ours=True)
    return Responsibility(ours=False, council_link=COUNCIL_LINKS.get(ReportKind(kind), ""))


def clock_for(kind: str, *, offensive: bool) -> str:
    if kind == ReportKind.MISSED_SERVICE:
        return "neighbourhood.missed_service.put_right"
    if kind == ReportKind.BULK_RUBBISH:
        return "neighbourhood.bulk_rubbish.remove"
    return (
        "neighbourhood.graffiti.offensive.remove" if offensive else "neighbourhood.graffiti.remove"
    )


REPORT_TRANSITIONS: dict[str, set[str]] = {
    ReportStatus.RECEIVED: {ReportStatus.WITH_CONTRACTOR, ReportStatus.DONE, ReportStatus.CLOSED},
    ReportStatus.WITH_CONTRACTOR: {ReportStatus.DONE, ReportStatus.CLOSED},
}


@transaction.atomic
def report_create(
    *,
    customer: Customer,
    kind: str,
    place: str,
    where: str,
    details: str,
    offensive: bool = False,
    communal_service: CommunalService | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    photo: File | None = None,
    received_by: str = ReceivedBy.PORTAL,
    actor: User | None = None,
    idempotency_key: uuid.UUID | None = None,
) -> NeighbourhoodReport:
    """Open a report about a shared area we look after, start its clock and, for a service
    not done, pass it to that service's contractor. Refused (nothing written) for a place
    that is the council's: ``responsibility_for`` gives the resident the council's link."""
    if idempotency_key is not None:
        existing = NeighbourhoodReport.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.tenancy_id != customer.tenancy_id:
                raise NeighbourhoodRuleBroken("That report belongs to another household.")
            return existing
    if kind not in ReportKind.values:
        raise NeighbourhoodRuleBroken("Choose what you are reporting.")
    if offensive and kind != ReportKind.GRAFFITI:
        raise NeighbourhoodRuleBroken("Only graffiti can be marked as offensive.")
    neighbourhood = neighbourhood_of(customer)
    if kind == ReportKind.MISSED_SERVICE:
        if communal_service is None or not communal_service_serves(communal_service, neighbourhood):
            raise NeighbourhoodRuleBroken("Choose the cleaning or grounds service that was missed.")
        estate_id, block_id = communal_service.estate_id, communal_service.block_id
    else:
        if not responsibility_for(customer=customer, kind=kind, place=place).ours:
            raise NeighbourhoodRuleBroken("This is the council's to deal with, not ours.")
        if place == Place.BLOCK:
            estate_id, block_id = None, neighbourhood.block_id
        else:
            estate_id, block_id = neighbourhood.estate_ids[0], None
    if photo is not None:
        # A photo, not a document: checked before anything is written.
        try:
            attachment_check(photo, photos_only=True)
        except ValidationError as exc:
            raise NeighbourhoodRuleBroken(*exc.messages) from exc
        photo.seek(0)
    contractor = communal_service.contractor if communal_service is not None else ""
    report = case_open(
        model=NeighbourhoodReport,
        customer=customer,
        received_by=received_by,
        status=ReportStatus.WITH_CONTRACTOR if contractor else ReportStatus.RECEIVED,
        actor=actor,
        team=Team.objects.filter(role=Role.CUSTOMER_SERVICES).order_by("name").first(),
        kind=kind,
        offensive=offensive,
        communal_service=communal_service,
        estate_id=estate_id,
        block_id=block_id,
        latitude=latitude,
        longitude=longitude,
        where=where,
        details=details,
        contractor=contractor,
        idempotency_key=idempotency_key,
    )
    deadline = deadline_start(
        case=report, code=clock_for(kind, offensive=offensive), started_at=report.opened_at
    )
    notify_customer(
        customer=customer,
        subject=f"We have your report {report.reference}",
        body=(
            f"Thank you for reporting {report.display_title.lower()} at {where}. "
            f"We will put it right by {london_datetime(deadline.due_at)}."
            + (f" We have passed it to {contractor}." if contractor else "")
        ),
        key=f"neighbourhood-report:{report.pk}:received",
        about=report,
    )
    if communal_service is not None and communal_service.contractor_email:
        _tell_contractor(report, communal_service)
    if photo is not None:
        try:
            attachment_add(case=report, uploaded_file=photo, uploaded_by=actor)
        except ValidationError as exc:
            # Raised inside the transaction: the report and its clock are not kept either.
            raise NeighbourhoodRuleBroken(*exc.messages) from exc
    report.refresh_from_db()
    return report


def _tell_contractor(report: NeighbourhoodReport, service: CommunalService) -> None:
    """Send a missed visit to the contractor doing the round, by the outbox (so a failed send
    is retried like any other). It names the place and what was missed, never the resident."""
    notify_outside(
        name=service.contractor,
        email=service.contractor_email,
        subject=f"Visit not done: {service} ({report.reference})",
        body=(
            f"A resident has told us that this visit was not done:\n\n{service}\n"
            f"What should be done: {service.what}\n"
            f"Where: {report.where}\n"
            f"What they told us: {report.details}\n\n"
            f"Please put it right and tell us when it is done, quoting {report.reference}."
        ),
        key=f"neighbourhood-report:{report.pk}:contractor",
        about=report,
    )


def communal_service_serves(service: CommunalService, neighbourhood) -> bool:
    return (service.block_id is not None and service.block_id == neighbourhood.block_id) or (
        service.estate_id is not None and service.estate_id in neighbourhood.estate_ids
    )


@transaction.atomic
def report_mark_done(*, report: NeighbourhoodReport, actor: User, note: str) -> NeighbourhoodReport:
    """The work is done: meet the clock, tell the resident, close the report."""
    case_transition(
        case=report,
        to_status=ReportStatus.DONE,
        allowed=REPORT_TRANSITIONS,
        actor=actor,
        note=note,
        closes=True,
    )
    now = timezone.now()
    NeighbourhoodReport.objects.filter(pk=report.pk).update(done_at=now)
    deadline_meet(case=report, code=clock_for(report.kind, offensive=report.offensive), met_at=now)
    notify_customer(
        customer=report.customer,
        subject=f"Your report {report.reference} has been put right",
        body=note,
        key=f"neighbourhood-report:{report.pk}:done",
        about=report,
    )
    report.done_at = now
    return report


def inspections_due_remind(*, today: dt.date | None = None) -> int:
    """Email each scheduled inspection's officer on the day it falls due, and every day after
    until it is done. One message per schedule, due date and day (the outbox key), so running
    it again the same day sends nothing more. Returns how many were queued."""
    today = today or timezone.localdate()
    queued = 0
    due = (
        InspectionSchedule.objects.filter(next_due_on__lte=today, officer__isnull=False)
        .exclude(officer__email="")
        .select_related("officer", "estate", "block")
    )
    for schedule in due:
        with transaction.atomic():
            notify_staff(
                user=schedule.officer,  # type: ignore[arg-type]
                subject=f"Estate inspection due: {schedule.estate or schedule.block}",
                body=(
                    f"The {schedule.get_frequency_display().lower()} inspection of "
                    f"{schedule.estate or schedule.block} was due on "
                    f"{london_date(schedule.next_due_on)}."
                ),
                key=f"inspection-due:{schedule.pk}:{schedule.next_due_on.isoformat()}:{today.isoformat()}",
                about=schedule,
            )
        queued += 1
    return queued
