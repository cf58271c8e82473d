"""Customer pages for complaints, compliments and comments; the manager's measures and annual
report; the caseworker's evidence pack. Staff transitions live in the admin (``admin.py``)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from casework.access import access_case_for_customer
from casework.models import ReceivedBy
from complaints import selectors
from complaints.exports import csv_safe
from complaints.forms import ComplaintForm, EscalateForm, FeedbackForm, RatingForm
from complaints.models import ComplaintStatus, QuickResolutionOutcome
from complaints.services import (
    AlreadyRated,
    ComplaintRuleBroken,
    complaint_continue_as_formal,
    complaint_create,
    complaint_escalate,
    complaint_rate,
    feedback_submit,
)
from kernel.access import customer_required, staff_required
from kernel.reporting import reporting_year_chosen, reporting_years_offered
from kernel.roles import Role
from tenancy.selectors import access_customer_household


def _add_problems(form, problems: list[str]) -> None:
    for problem in problems:
        form.add_error(None, problem)


@customer_required
@require_GET
def complaint_list(request):
    customer = access_customer_household(request.user)
    context = {
        "complaints": selectors.complaints_for_household(customer),
        "feedback": selectors.feedback_for_household(customer)[:20],
    }
    return render(request, "complaints/complaint_list.html", context)


@customer_required
@require_http_methods(["GET", "POST"])
def complaint_new(request):
    customer = access_customer_household(request.user)
    cases = selectors.household_cases_to_complain_about(customer)
    form = ComplaintForm(request.POST or None, cases=cases)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        about = access_case_for_customer(request.user, data["about"]) if data.get("about") else None
        try:
            complaint = complaint_create(
                customer=customer,
                subject=data["subject"],
                details=data["details"],
                service_area=data["service_area"],
                outcome_wanted=data["outcome_wanted"],
                issue_date=data["issue_date"],
                received_by=ReceivedBy.PORTAL,
                about=about,
                idempotency_key=data["idempotency_key"],
            )
        except ComplaintRuleBroken as exc:
            _add_problems(form, exc.problems)
        else:
            messages.success(
                request, f"Your complaint has been sent. Your reference is {complaint.reference}."
            )
            return redirect("complaints:detail", reference=complaint.reference)
    return render(request, "complaints/complaint_form.html", {"form": form})


@customer_required
@require_GET
def complaint_detail(request, reference: str):
    customer = access_customer_household(request.user)
    complaint = selectors.access_complaint(customer, reference)
    context = {
        "complaint": complaint,
        "steps": selectors.due_steps(complaint),
        "letters": selectors.letters_for_customer(complaint),
        "actions": selectors.promised_actions(complaint),
        "linked": selectors.linked_cases_for_customer(complaint, customer),
        "timeline": selectors.customer_timeline(complaint),
        "can_escalate": selectors.can_escalate(complaint),
        "can_rate": selectors.can_rate(complaint),
    }
    return render(request, "complaints/complaint_detail.html", context)


@customer_required
@require_http_methods(["GET", "POST"])
def complaint_escalate_view(request, reference: str):
    customer = access_customer_household(request.user)
    complaint = selectors.access_complaint(customer, reference)
    if complaint.stage == 2:
        messages.info(request, "You have already asked for a Final Review of this complaint.")
        return redirect("complaints:detail", reference=complaint.reference)
    if not selectors.can_escalate(complaint):
        raise Http404
    form = EscalateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            complaint_escalate(complaint=complaint, note=form.cleaned_data["note"])
        except ComplaintRuleBroken as exc:
            _add_problems(form, exc.problems)
        else:
            messages.success(request, "You have asked for a Final Review. We will be in touch.")
            return redirect("complaints:detail", reference=complaint.reference)
    return render(request, "complaints/escalate.html", {"complaint": complaint, "form": form})


@customer_required
@require_http_methods(["GET", "POST"])
def complaint_not_satisfied(request, reference: str):
    """During a Quick Resolution the customer may say they want a full investigation."""
    customer = access_customer_household(request.user)
    complaint = selectors.access_complaint(customer, reference)
    if complaint.status != ComplaintStatus.QUICK_RESOLUTION:
        if complaint.quick_resolution_outcome:
            return redirect("complaints:detail", reference=complaint.reference)
        raise Http404
    form = EscalateForm(request.POST or None, button="Investigate my complaint formally")
    if request.method == "POST" and form.is_valid():
        try:
            complaint_continue_as_formal(
                complaint=complaint,
                reason=QuickResolutionOutcome.CUSTOMER_NOT_SATISFIED,
                note=form.cleaned_data["note"],
            )
        except ComplaintRuleBroken as exc:
            _add_problems(form, exc.problems)
        else:
            messages.success(request, "We will now investigate your complaint formally.")
            return redirect("complaints:detail", reference=complaint.reference)
    return render(request, "complaints/not_satisfied.html", {"complaint": complaint, "form": form})


@customer_required
@require_http_methods(["GET", "POST"])
def complaint_rate_view(request, reference: str):
    customer = access_customer_household(request.user)
    complaint = selectors.access_complaint(customer, reference)
    if complaint.closed_at is None:
        raise Http404
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            complaint_rate(
                complaint=complaint,
                customer=customer,
                satisfaction=form.cleaned_data["satisfaction"],
                comment=form.cleaned_data["comment"],
            )
        except AlreadyRated:
            messages.info(request, "You have already told us how we handled this complaint.")
            return redirect("complaints:detail", reference=complaint.reference)
        messages.success(request, "Thank you for telling us how we handled your complaint.")
        return redirect("complaints:detail", reference=complaint.reference)
    if not selectors.can_rate(complaint):
        messages.info(request, "You have already told us how we handled this complaint.")
        return redirect("complaints:detail", reference=complaint.reference)
    return render(request, "complaints/rate.html", {"complaint": complaint, "form": form})


@customer_required
@require_GET
def letter_detail(request, reference: str, letter_id: int):
    customer = access_customer_household(request.user)
    complaint = selectors.access_complaint(customer, reference)
    letter = selectors.access_letter(complaint, letter_id)
    return render(
        request, "complaints/letter_detail.html", {"complaint": complaint, "letter": letter}
    )


@customer_required
@require_GET
def letter_print(request, reference: str, letter_id: int):
    customer = access_customer_household(request.user)
    complaint = selectors.access_complaint(customer, reference)
    letter = selectors.access_letter(complaint, letter_id)
    return render(
        request,
        "complaints/letter_print.html",
        {"complaint": complaint, "letter": letter, "customer": complaint.customer},
    )


@customer_required
@require_http_methods(["GET", "POST"])
def feedback_new(request):
    customer = access_customer_household(request.user)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            feedback_submit(
                customer=customer,
                kind=data["kind"],
                service_area=data["service_area"],
                details=data["details"],
                idempotency_key=data["idempotency_key"],
            )
        except ComplaintRuleBroken as exc:
            _add_problems(form, exc.problems)
        else:
            messages.success(
                request, "Thank you. We have passed your message to the team concerned."
            )
            return redirect("complaints:list")
    return render(request, "complaints/feedback_form.html", {"form": form})


# ---------------------------------------------------------------------------------------------
# Staff pages
# ---------------------------------------------------------------------------------------------


@staff_required(Role.MANAGER)
@require_GET
def performance(request):
    today = timezone.localdate()
    year = reporting_year_chosen(request.GET.get("year"), today=today)
    return render(
        request,
        "complaints/performance.html",
        {
            "measures": selectors.complaint_measures(year),
            "year": year,
            "years": reporting_years_offered(today),
        },
    )


@staff_required(Role.MANAGER)
@require_GET
def annual_report(request):
    today = timezone.localdate()
    year = reporting_year_chosen(request.GET.get("year"), today=today)
    return render(
        request,
        "complaints/annual_report.html",
        {
            "report": selectors.annual_report(year),
            "year": year,
            "years": reporting_years_offered(today),
        },
    )


@staff_required(Role.COMPLAINTS, Role.MANAGER)
@require_GET
def evidence_pack(request, reference: str):
    complaint = selectors.staff_complaint_by_reference(reference)
    pack = selectors.evidence_pack(complaint, reader=request.user, path=request.path)
    return render(
        request, "complaints/evidence_pack.html", {"pack": pack, "complaint": pack.complaint}
    )


@staff_required(Role.COMPLAINTS, Role.MANAGER)
@require_GET
def evidence_pack_csv(request, reference: str):
    """The chronology as a spreadsheet. Every cell is neutralised so text a customer typed
    (``=HYPERLINK(...)``) is shown as text, never run as a formula."""
    complaint = selectors.staff_complaint_by_reference(reference)
    pack = selectors.evidence_pack(complaint, reader=request.user, path=request.path)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{complaint.reference}-chronology.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["When (UK time)", "Case", "What", "Who", "From", "To", "Note", "Customer saw it"]
    )
    rows = [(e.occurred_at, complaint.reference, e) for e in pack.events]
    for linked in pack.linked:
        rows += [(e.occurred_at, linked.case.reference, e) for e in linked.events]
    rows.sort(key=lambda row: row[0])
    for occurred_at, case_reference, event in rows:
        writer.writerow(
            [
                csv_safe(value)
                for value in (
                    timezone.localtime(occurred_at).strftime("%Y-%m-%d %H:%M"),
                    case_reference,
                    event.get_kind_display(),
                    str(event.actor) if event.actor_id else "",
                    event.from_status,
                    event.to_status,
                    event.note,
                    "yes" if event.visible_to_customer else "no",
                )
            ]
        )
    return response
