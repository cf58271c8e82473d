"""Reads for a resident's neighbourhood: their block and the estates holding it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404

from casework.access import access_case_for_customer
from kernel import personal_data
from kernel.caching import generation_cached
from neighbourhoods.models import (
    ChecklistItem,
    CommunalService,
    Estate,
    Inspection,
    InspectionScore,
    NeighbourhoodReport,
    Partner,
    ResidentInspector,
    ResidentScore,
)
from tenancy.models import Block, Customer, Property


@dataclass(frozen=True)
class Neighbourhood:
    """The areas a resident belongs to: the rule every resident-facing read uses."""

    block_id: int | None
    estate_ids: tuple[int, ...]

    def q(self) -> Q:
        """Rows (inspections, services) for this neighbourhood: its block or its estates."""
        area = Q(estate_id__in=self.estate_ids)
        if self.block_id is not None:
            area |= Q(block_id=self.block_id)
        return area


def neighbourhood_of(customer: Customer) -> Neighbourhood:
    block_id = customer.household.property.block_id
    if block_id is None:
        return Neighbourhood(None, ())
    estate_ids = tuple(Estate.objects.filter(blocks=block_id).values_list("pk", flat=True))
    return Neighbourhood(block_id, estate_ids)


def published_inspections_for(neighbourhood: Neighbourhood) -> QuerySet[Inspection]:
    return (
        Inspection.objects.filter(neighbourhood.q(), published_at__isnull=False)
        .select_related("estate", "block")
        .order_by("-inspected_on", "-id")
    )


# The home page's inspection is cached per household until an inspection is published
# (``neighbourhoods.services.inspection_publish``), and at most this long (a block added to an
# estate, a household moved).
LATEST_INSPECTION_SCOPE = "home-inspection"
LATEST_INSPECTION_CACHE_SECONDS = 300


def latest_inspection_for_customer(customer: Customer) -> Inspection | None:
    """The newest published inspection of the resident's block or estate, for the home page:
    one query when not cached, the home's block and estates as subqueries (the same areas as
    ``neighbourhood_of``). None for an applicant, who has no home of ours."""
    if not customer.has_household:
        return None

    def newest() -> Inspection | None:
        block = Property.objects.filter(tenancies=customer.tenancy_id).values("block_id")
        estates = Estate.blocks.through.objects.filter(block_id__in=block).values("estate_id")
        return (
            Inspection.objects.filter(Q(block_id__in=block) | Q(estate_id__in=estates))
            .filter(published_at__isnull=False)
            .select_related("estate", "block")
            .order_by("-inspected_on", "-id")
            .first()
        )

    return generation_cached(
        scope=LATEST_INSPECTION_SCOPE,
        key=f"tenancy:{customer.tenancy_id}",
        compute=newest,
        timeout=LATEST_INSPECTION_CACHE_SECONDS,
    )


def access_inspection(customer: Customer, inspection_id: int) -> Inspection:
    """A published inspection of the customer's own area; 404 for any other."""
    inspection = (
        published_inspections_for(neighbourhood_of(customer)).filter(pk=inspection_id).first()
    )
    if inspection is None:
        raise Http404("No such inspection.")
    return inspection


@dataclass(frozen=True)
class ItemResult:
    item: str
    label: str
    officer_score: int | None
    officer_comment: str
    resident_average: float | None
    resident_count: int


def inspection_results(inspection: Inspection) -> list[ItemResult]:
    """Each checklist item with the officer's score and the resident inspectors' average."""
    officer = {s.item: s for s in inspection.scores.all()}
    residents = {
        row["item"]: row
        for row in ResidentScore.objects.filter(inspection=inspection)
        .values("item")
        .annotate(average=Avg("score"), count=Count("pk"))
    }
    results = []
    for item in ChecklistItem:
        score = officer.get(item.value)
        resident = residents.get(item.value)
        results.append(
            ItemResult(
                item=item.value,
                label=item.label,
                officer_score=score.score if score else None,
                officer_comment=score.comment if score else "",
                resident_average=round(resident["average"], 1) if resident else None,
                resident_count=resident["count"] if resident else 0,
            )
        )
    return results


def communal_services_for_customer(customer: Customer) -> list[CommunalService]:
    return list(
        CommunalService.objects.filter(neighbourhood_of(customer).q())
        .select_related("estate", "block")
        .order_by("kind", "next_visit_on")
    )


def partners_for_customer(customer: Customer) -> list[Partner]:
    estates = neighbourhood_of(customer).estate_ids
    return list(
        Partner.objects.filter(Q(estate__isnull=True) | Q(estate_id__in=estates)).order_by(
            "kind", "name"
        )
    )


def estates_for_customer(customer: Customer) -> list[Estate]:
    return list(Estate.objects.filter(pk__in=neighbourhood_of(customer).estate_ids))


def inspector_estate_ids(customer: Customer) -> set[int]:
    return set(
        ResidentInspector.objects.filter(customer=customer).values_list("estate_id", flat=True)
    )


def access_estate(customer: Customer, estate_id: int) -> Estate:
    if estate_id not in neighbourhood_of(customer).estate_ids:
        raise Http404("No such estate.")
    return Estate.objects.get(pk=estate_id)


def may_score(customer: Customer, inspection: Inspection) -> bool:
    """Resident inspectors score inspections of the estates they signed up for."""
    return inspection.estate_id is not None and inspection.estate_id in inspector_estate_ids(
        customer
    )


def resident_scores_given(customer: Customer, inspection: Inspection) -> dict[str, int]:
    return dict(
        ResidentScore.objects.filter(inspection=inspection, customer=customer).values_list(
            "item", "score"
        )
    )


# ---------------------------------------------------------------------------------------------
# Staff
# ---------------------------------------------------------------------------------------------


def inspection_for_staff(inspection_id: int) -> Inspection:
    inspection = (
        Inspection.objects.select_related("estate", "block").filter(pk=inspection_id).first()
    )
    if inspection is None:
        raise Http404("No such inspection.")
    return inspection


def inspection_score_for_staff(score_id: int) -> InspectionScore:
    score = (
        InspectionScore.objects.select_related("inspection__estate", "inspection__block")
        .filter(pk=score_id)
        .first()
    )
    if score is None:
        raise Http404("No such score.")
    return score


def blocks_of_inspection(inspection: Inspection) -> list[Block]:
    if inspection.block is not None:
        return [inspection.block]
    assert inspection.estate is not None  # an inspection is of an estate or a block
    return list(inspection.estate.blocks.all())


def block_of_inspection(inspection: Inspection, block_id: int) -> Block:
    for block in blocks_of_inspection(inspection):
        if block.pk == block_id:
            return block
    raise Http404("That block is not in the inspected area.")


def access_report(user, reference: str) -> NeighbourhoodReport:
    """A report of the signed-in customer's household; 404 for any other."""
    case = access_case_for_customer(user, reference)
    if not isinstance(case, NeighbourhoodReport):
        raise Http404("No such report.")
    return case


# --- what we hold about a person (kernel/personal_data.py) ------------------------------------

PERSONAL_DATA_COVERAGE = personal_data.Coverage(
    included={
        "neighbourhoods.NeighbourhoodReport": "every report the person made about a shared area",
        "neighbourhoods.ResidentInspector": "the estates they signed up to inspect",
        "neighbourhoods.ResidentScore": "every score they gave as a resident inspector",
    },
    holds_none={
        "neighbourhoods.Estate": "an estate and its blocks",
        "neighbourhoods.InspectionSchedule": "when an officer inspects an area",
        "neighbourhoods.Inspection": "an officer's inspection of shared areas (a resident "
        "inspector's own scores are theirs, above)",
        "neighbourhoods.InspectionScore": "an officer's score for an item of an inspection",
        "neighbourhoods.CommunalService": "a cleaning or grounds service and its days",
        "neighbourhoods.Partner": "a local agency and how to reach it",
    },
)


def personal_data_for(customer: Customer) -> personal_data.Part:
    """This person's reports about shared areas and what they did as a resident inspector."""
    records = personal_data.records_of(
        NeighbourhoodReport.objects.filter(customer=customer)
        .select_related("team", "assignee", "communal_service", "estate", "block")
        .order_by("opened_at", "pk"),
        title=lambda r: f"{r.reference}: {r.display_title}",
        exclude=personal_data.CASE_LINKS_NOT_SHOWN,
        staff=lambda r: (r.assignee,),
    )
    records += personal_data.records_of(
        ResidentInspector.objects.filter(customer=customer)
        .select_related("estate")
        .order_by("signed_up_at", "pk"),
        title=lambda i: f"Resident inspector for {i.estate}",
        exclude=("customer",),
    )
    records += personal_data.records_of(
        ResidentScore.objects.filter(customer=customer)
        .select_related("inspection__estate", "inspection__block")
        .order_by("scored_at", "pk"),
        title=lambda s: (
            f"Your score at the inspection of {s.inspection.area_name} on "
            f"{personal_data.text(s.inspection.inspected_on)}"
        ),
        exclude=("customer", "inspection"),
    )
    return personal_data.Part(area="Your neighbourhood", records=tuple(records))
