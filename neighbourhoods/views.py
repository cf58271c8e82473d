"""A resident's neighbourhood: published inspections of their block and estate, communal
services and local partners, and resident inspectors' scores. Staff work in the admin."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework.selectors import attachments_for_case, customer_timeline, open_deadlines_for_case
from kernel.access import customer_required, staff_required
from kernel.roles import Role
from neighbourhoods import selectors
from neighbourhoods.forms import (
    InspectionScoringForm,
    RaiseRepairForm,
    ReportForm,
    ResidentScoreForm,
)
from neighbourhoods.models import ReportKind
from neighbourhoods.services import (
    NeighbourhoodRuleBroken,
    inspection_raise_repair,
    inspection_score_checklist,
    report_create,
    resident_inspector_sign_up,
    resident_scores_submit,
    responsibility_for,
)
from repairs.handover import communal_repair_item_choices
from tenancy.selectors import access_customer_household

RECENT_INSPECTIONS = 10


@customer_required
@require_GET
def neighbourhood_home(request):
    customer = access_customer_household(request.user)
    neighbourhood = selectors.neighbourhood_of(customer)
    context = {
        "inspections": list(
            selectors.published_inspections_for(neighbourhood)[:RECENT_INSPECTIONS]
        ),
        "services": selectors.communal_services_for_customer(customer),
        "partners": selectors.partners_for_customer(customer),
        "estates": selectors.estates_for_customer(customer),
        "inspector_of": selectors.inspector_estate_ids(customer),
    }
    return render(request, "neighbourhoods/home.html", context)


@customer_required
@require_GET
def inspection_detail(request, inspection_id: int):
    customer = access_customer_household(request.user)
    inspection = selectors.access_inspection(customer, inspection_id)
    context = {
        "inspection": inspection,
        "results": selectors.inspection_results(inspection),
        "may_score": selectors.may_score(customer, inspection)
        and not selectors.resident_scores_given(customer, inspection),
    }
    return render(request, "neighbourhoods/inspection_detail.html", context)


@customer_required(current_tenancy=True)
@require_http_methods(["GET", "POST"])
def resident_inspection_scoring(request, inspection_id: int):
    customer = access_customer_household(request.user)
    inspection = selectors.access_inspection(customer, inspection_id)
    form = ResidentScoreForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            resident_scores_submit(customer=customer, inspection=inspection, scores=form.scores())
        except NeighbourhoodRuleBroken as exc:
            for problem in exc.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, "Thank you. Your scores are shown beside ours.")
            return redirect("neighbourhoods:inspection", inspection_id=inspection.pk)
    return render(
        request, "neighbourhoods/inspection_score.html", {"inspection": inspection, "form": form}
    )


@customer_required(current_tenancy=True)
@require_POST
def inspector_sign_up(request, estate_id: int):
    customer = access_customer_household(request.user)
    estate = selectors.access_estate(customer, estate_id)
    resident_inspector_sign_up(customer=customer, estate=estate)
    messages.success(request, f"You are now a resident inspector for {estate.name}.")
    return redirect("neighbourhoods:home")


# ---------------------------------------------------------------------------------------------
# Staff: the inspection checklist on a phone, and a repair raised from an item
# ---------------------------------------------------------------------------------------------

NEIGHBOURHOOD_STAFF = (Role.CUSTOMER_SERVICES, Role.MANAGER)


@staff_required(*NEIGHBOURHOOD_STAFF)
@require_http_methods(["GET", "POST"])
def staff_inspection_scoring(request, inspection_id: int):
    inspection = selectors.inspection_for_staff(inspection_id)
    form = InspectionScoringForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            inspection_score_checklist(inspection=inspection, items=list(form.items()))
        except NeighbourhoodRuleBroken as exc:
            for problem in exc.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, "Scores saved.")
            return redirect("admin:neighbourhoods_inspection_change", inspection.pk)
    context = {"inspection": inspection, "form": form}
    return render(request, "neighbourhoods/staff_inspection_scoring.html", context)


@staff_required(*NEIGHBOURHOOD_STAFF)
@require_http_methods(["GET", "POST"])
def staff_raise_repair(request, score_id: int):
    score = selectors.inspection_score_for_staff(score_id)
    form = RaiseRepairForm(
        request.POST or None,
        blocks=selectors.blocks_of_inspection(score.inspection),
        item_choices=communal_repair_item_choices(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reference = inspection_raise_repair(
                score=score,
                block=selectors.block_of_inspection(score.inspection, data["block"]),
                item_code=data["item_code"],
                description=data["description"],
                actor=request.user,
            )
        except NeighbourhoodRuleBroken as exc:
            for problem in exc.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, f"Repair {reference} raised.")
            return redirect("admin:neighbourhoods_inspection_change", score.inspection_id)
    return render(request, "neighbourhoods/staff_raise_repair.html", {"score": score, "form": form})


# ---------------------------------------------------------------------------------------------
# Reports: a service not done, bulk rubbish, graffiti
# ---------------------------------------------------------------------------------------------


@customer_required(current_tenancy=True)
@require_http_methods(["GET", "POST"])
def report_new(request):
    customer = access_customer_household(request.user)
    services = selectors.communal_services_for_customer(customer)
    form = ReportForm(request.POST or None, request.FILES or None, services=services)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        responsibility = responsibility_for(
            customer=customer, kind=data["kind"], place=data["place"]
        )
        if data["kind"] != ReportKind.MISSED_SERVICE and not responsibility.ours:
            context = {"kind": ReportKind(data["kind"]), "responsibility": responsibility}
            return render(request, "neighbourhoods/council_job.html", context)
        chosen = {s.pk: s for s in services}.get(data["communal_service"] or 0)
        try:
            report = report_create(
                customer=customer,
                kind=data["kind"],
                place=data["place"],
                where=data["where"],
                details=data["details"],
                offensive=data["offensive"],
                communal_service=chosen,
                latitude=data["latitude"],
                longitude=data["longitude"],
                photo=data["photo"],
                idempotency_key=data["idempotency_key"],
            )
        except NeighbourhoodRuleBroken as exc:
            for problem in exc.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, f"Thank you. Your reference is {report.reference}.")
            return redirect("neighbourhoods:report_detail", reference=report.reference)
    return render(request, "neighbourhoods/report_form.html", {"form": form})


@customer_required
@require_GET
def report_detail(request, reference: str):
    report = selectors.access_report(request.user, reference)
    context = {
        "report": report,
        "timeline": customer_timeline(report),
        "attachments": attachments_for_case(report, customer_view=True),
        "next_steps": list(open_deadlines_for_case(report)) if report.is_open else [],
    }
    return render(request, "neighbourhoods/report_detail.html", context)
