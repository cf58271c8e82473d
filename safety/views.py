"""The household's safety page and certificates; the compliance team's overdue list, a check's
history, recording a check, the no-access steps and the import; the building safety measures."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kernel.access import customer_required, staff_required
from kernel.reporting import reporting_year_chosen, reporting_years_offered
from kernel.roles import Role
from safety import selectors
from safety.forms import (
    AccessAttemptForm,
    ImportForm,
    PeepAgreeForm,
    PeepForm,
    RecordForm,
    ReportForm,
    VisitSlotForm,
)
from safety.models import CheckRecord, CheckType, ReportKind
from safety.services import (
    SafetyRefused,
    access_attempt_record,
    check_visit_book,
    is_high_rise,
    peep_agree,
    peep_request,
    peep_withdraw,
    record_add,
    records_import,
    remedial_complete,
    safety_report_create,
    visit_last_day,
    visit_slots_for,
)
from tenancy.selectors import access_customer_household

logger = logging.getLogger(__name__)


def _certificate_response(record: CheckRecord) -> FileResponse:
    try:
        stored = record.certificate.open("rb")
    except FileNotFoundError:
        logger.error("The certificate of safety record %s is missing from storage.", record.pk)
        raise Http404 from None
    # Always a download, with the type we checked by its bytes: never rendered in our origin.
    response = FileResponse(
        stored,
        as_attachment=True,
        filename=record.certificate_name or "certificate.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the household --------------------------------------------------------------------------


@customer_required
@require_GET
def your_safety(request):
    customer = access_customer_household(request.user)
    lines = selectors.safety_for_household(customer)
    return render(
        request,
        "safety/your_safety.html",
        {
            "home": customer.tenancy.property,
            "high_rise": customer.tenancy.property.block is not None
            and is_high_rise(customer.tenancy.property.block),
            "home_lines": [line for line in lines if not line.for_the_building],
            "building_lines": [line for line in lines if line.for_the_building],
        },
    )


@customer_required(current_tenancy=True)
@require_http_methods(["GET", "POST"])
def visit_book(request, check_id: int):
    customer = access_customer_household(request.user)
    check = selectors.access_home_check(customer, check_id)
    slots = visit_slots_for(check)
    form = VisitSlotForm(request.POST if request.method == "POST" else None, slots=slots)
    if request.method == "POST" and form.is_valid():
        try:
            visit = check_visit_book(
                check=check, slot_id=form.cleaned_data["slot"], actor=request.user
            )
        except SafetyRefused as exc:
            for problem in exc.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, f"Your visit is booked: {visit.label}.")
            return redirect("safety:your_safety")
    context = {
        "check": check,
        "form": form,
        "slots": slots,
        "visit": selectors.booked_visit(check),
        "last_day": visit_last_day(check),
    }
    return render(request, "safety/visit_book.html", context)


@customer_required
@require_GET
def certificate_download(request, record_id: int):
    customer = access_customer_household(request.user)
    return _certificate_response(selectors.access_certificate(customer, record_id))


REPORT_TITLES: dict[str, str] = {
    ReportKind.FIRE: "Report a fire",
    ReportKind.COMMUNAL_ITEMS: "Report items left in a shared area",
    ReportKind.ALTERATION: "Ask permission to alter your home",
}


@customer_required(current_tenancy=True)
@require_http_methods(["GET", "POST"])
def report_new(request, kind: str):
    customer = access_customer_household(request.user)
    posted = request.method == "POST"
    form = ReportForm(
        request.POST if posted else None, request.FILES if posted else None, kind=kind
    )
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            report = safety_report_create(
                customer=customer,
                kind=kind,
                details=data["details"],
                where=data.get("where", ""),
                alteration_kind=data.get("alteration_kind", ""),
                photo=data.get("photo"),
                idempotency_key=data["idempotency_key"],
            )
        except SafetyRefused as exc:
            for problem in exc.problems:
                form.add_error(None, problem)
        except ValidationError as exc:
            for problem in exc.messages:
                form.add_error("photo", problem)
        else:
            messages.success(request, f"Thank you. Your reference is {report.reference}.")
            return redirect("casework:case_detail", reference=report.reference)
    return render(
        request,
        "safety/report_form.html",
        {"form": form, "kind": kind, "title": REPORT_TITLES[kind]},
    )


@customer_required(current_tenancy=True)
@require_http_methods(["GET", "POST"])
def evacuation_plan(request):
    customer = access_customer_household(request.user)
    peep = selectors.peep_for_customer(customer)
    form = None
    if peep is None:
        form = PeepForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                peep_request(
                    customer=customer,
                    needs=form.cleaned_data["needs"],
                    consent=form.cleaned_data["consent"],
                    share_with_fire_service=form.cleaned_data["share_with_fire_service"],
                )
            except SafetyRefused as exc:
                for problem in exc.problems:
                    form.add_error(None, problem)
            else:
                messages.success(request, "Thank you. We will contact you to arrange your plan.")
                return redirect("safety:evacuation_plan")
    elif request.method == "POST":
        return redirect("safety:evacuation_plan")
    return render(request, "safety/evacuation_plan.html", {"peep": peep, "form": form})


@customer_required
@require_POST
def evacuation_plan_withdraw(request):
    customer = access_customer_household(request.user)
    peep = selectors.peep_for_customer(customer)
    if peep is None:
        raise Http404
    peep_withdraw(peep=peep, customer=customer)
    messages.success(request, "Your plan has stopped and will not be shared.")
    return redirect("safety:evacuation_plan")


# --- the compliance team ----------------------------------------------------------------------


@staff_required(Role.COMPLIANCE)
@require_GET
def overdue(request):
    check_type = request.GET.get("type")
    if check_type not in CheckType.values:
        check_type = None
    now = timezone.now()
    return render(
        request,
        "safety/overdue.html",
        {
            "checks": selectors.overdue_checks(now=now, check_type=check_type),
            "by_type": selectors.overdue_by_type(now=now),
            "chosen_type": check_type,
        },
    )


@staff_required(Role.COMPLIANCE)
@require_GET
def check_detail(request, check_id: int):
    check = selectors.check_for_staff(check_id)
    return render(
        request,
        "safety/check_detail.html",
        {
            "check": check,
            "records": selectors.records_of_check(check),
            "attempts": check.access_attempts.select_related("actor"),
            "access_form": AccessAttemptForm(),
        },
    )


@staff_required(Role.COMPLIANCE)
@require_http_methods(["GET", "POST"])
def record_new(request, check_id: int):
    check = selectors.check_for_staff(check_id)
    posted = request.method == "POST"
    form = RecordForm(
        request.POST if posted else None, request.FILES if posted else None, check=check
    )
    if posted and form.is_valid():
        try:
            record_add(
                check=check,
                details=form.details(),
                certificate=form.cleaned_data["certificate"],
                actor=request.user,
            )
        except SafetyRefused as exc:
            for problem in exc.problems:
                form.add_error(None, problem)
        except ValidationError as exc:
            for problem in exc.messages:
                form.add_error("certificate", problem)
        else:
            messages.success(request, "The record is kept and the check's next date is set.")
            return redirect("safety:check", check_id=check.pk)
    return render(request, "safety/record_form.html", {"check": check, "form": form})


@staff_required(Role.COMPLIANCE)
@require_POST
def access_attempt_new(request, check_id: int):
    check = selectors.check_for_staff(check_id)
    form = AccessAttemptForm(request.POST)
    if form.is_valid():
        try:
            access_attempt_record(
                check=check,
                stage=form.cleaned_data["stage"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except SafetyRefused as exc:
            for problem in exc.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, "The step is recorded.")
            return redirect("safety:check", check_id=check.pk)
    context = {
        "check": check,
        "records": selectors.records_of_check(check),
        "attempts": check.access_attempts.select_related("actor"),
        "access_form": form,
    }
    return render(request, "safety/check_detail.html", context, status=200)


@staff_required(Role.COMPLIANCE)
@require_POST
def remedial_done(request, remedial_id: int):
    remedial = selectors.remedial_for_staff(remedial_id)
    try:
        remedial_complete(remedial=remedial, actor=request.user)
    except SafetyRefused as exc:
        messages.error(request, " ".join(exc.problems))
    else:
        messages.success(request, "The remedial work is recorded as done; the household is told.")
    return redirect("safety:check", check_id=remedial.record.compliance_check_id)


@staff_required(Role.COMPLIANCE)
@require_GET
def staff_certificate_download(request, record_id: int):
    return _certificate_response(selectors.record_for_staff(record_id))


@staff_required(Role.COMPLIANCE)
@require_http_methods(["GET", "POST"])
def import_records(request):
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    result = None
    if posted and form.is_valid():
        result = records_import(
            text=form.cleaned_data["spreadsheet"],
            actor=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
    return render(request, "safety/import.html", {"form": form, "result": result})


@staff_required(Role.COMPLIANCE)
@require_GET
def peeps(request):
    return render(request, "safety/peeps.html", {"peeps": selectors.peeps_for_staff()})


@staff_required(Role.COMPLIANCE)
@require_http_methods(["GET", "POST"])
def peep_detail(request, peep_id: int):
    peep = selectors.peep_for_staff(peep_id)
    form = PeepAgreeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            peep_agree(peep=peep, statement=form.cleaned_data["statement"], actor=request.user)
        except SafetyRefused as exc:
            for problem in exc.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, "The plan is recorded; its yearly review is set.")
            return redirect("safety:peeps")
    return render(request, "safety/peep_detail.html", {"peep": peep, "form": form})


# --- the measures ---------------------------------------------------------------------------


@staff_required(Role.MANAGER, Role.COMPLIANCE)
@require_GET
def measures(request):
    now = timezone.now()
    today = timezone.localdate()
    year = reporting_year_chosen(request.GET.get("year"), today=today)
    return render(
        request,
        "safety/measures.html",
        {
            "safety": selectors.safety_measures(year=year, now=now),
            "year": year,
            "years": reporting_years_offered(today),
        },
    )
