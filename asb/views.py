"""Customer pages for reporting anti-social behaviour, hate crime and domestic abuse, and the
measures page. The ASB team works cases in the admin (``admin.py``, ``steps.py``).

Every page of the journey carries the quick exit (``templates/asb/base.html``) and is never
kept by the browser or a proxy, so Back and the history reveal as little as possible.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from asb import selectors
from asb.forms import AnonymousReportForm, CloseAnswerForm, DiaryForm, ReportForm, SatisfactionForm
from asb.models import AsbStatus
from asb.services import (
    AsbRuleBroken,
    anonymous_report,
    asb_report,
    close_answer,
    diary_add,
    satisfaction_record,
)
from casework.models import ReceivedBy
from kernel.access import customer_required, public, staff_required
from kernel.formatting import LONDON
from kernel.reporting import reporting_year_chosen, reporting_years_offered
from kernel.roles import Role
from tenancy.selectors import access_customer_household, customer_for_user


def _add_problems(form, problems: list[str]) -> None:
    for problem in problems:
        form.add_error(None, problem)


@public
@never_cache
@require_GET
def start(request):
    """Safety first: 999 and the helplines before anything else, then the ways to report."""
    signed_in = (
        customer_for_user(request.user) is not None if request.user.is_authenticated else False
    )
    return render(request, "asb/start.html", {"signed_in": signed_in})


@customer_required
@never_cache
@require_http_methods(["GET", "POST"])
def report_new(request):
    customer = access_customer_household(request.user)
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = asb_report(
                customer=customer,
                incident=form.incident(),
                safe_contact=form.safe_contact(),
                received_by=ReceivedBy.PORTAL,
                idempotency_key=form.cleaned_data["idempotency_key"],
                evidence=form.cleaned_data.get("evidence") or None,
            )
        except AsbRuleBroken as exc:
            _add_problems(form, exc.problems)
        except ValidationError as exc:
            form.add_error("evidence", exc)
        else:
            messages.success(
                request, f"Your report has been sent. Your reference is {case.reference}."
            )
            return redirect("asb:detail", reference=case.reference)
    return render(request, "asb/report_form.html", {"form": form})


@public
@never_cache
@require_http_methods(["GET", "POST"])
def report_anonymous(request):
    form = AnonymousReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            anonymous_report(
                incident=form.incident(),
                safe_contact=form.safe_contact(),
                contact_way=form.cleaned_data["contact_way"],
                contact_name=form.cleaned_data.get("contact_name", ""),
                contact_email=form.cleaned_data.get("contact_email", ""),
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except AsbRuleBroken as exc:
            _add_problems(form, exc.problems)
        else:
            return redirect("asb:anonymous_sent")
    return render(request, "asb/anonymous_form.html", {"form": form})


@public
@never_cache
@require_GET
def anonymous_sent(request):
    # Says nothing about any report: there is nothing to read back here.
    return render(request, "asb/anonymous_sent.html")


@customer_required
@never_cache
@require_GET
def case_list(request):
    customer = access_customer_household(request.user)
    return render(
        request, "asb/case_list.html", {"cases": selectors.cases_for_reporter(customer)[:50]}
    )


@customer_required
@never_cache
@require_GET
def case_detail(request, reference: str):
    case = selectors.access_asb_case(request.user, reference)
    return render(request, "asb/case_detail.html", {"page": selectors.reporter_page(case)})


@customer_required
@never_cache
@require_http_methods(["GET", "POST"])
def diary_new(request, reference: str):
    case = selectors.access_asb_case(request.user, reference)
    if case.closed_at is not None:
        raise Http404
    form = DiaryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            diary_add(
                case=case,
                happened_on=form.cleaned_data["happened_on"],
                what_happened=form.cleaned_data["what_happened"],
                added_by=request.user,
                evidence=form.cleaned_data.get("evidence") or None,
            )
        except AsbRuleBroken as exc:
            _add_problems(form, exc.problems)
        except ValidationError as exc:
            form.add_error("evidence", exc)
        else:
            messages.success(request, "Added to your diary.")
            return redirect("asb:detail", reference=case.reference)
    return render(request, "asb/diary_form.html", {"case": case, "form": form})


@customer_required
@never_cache
@require_http_methods(["GET", "POST"])
def close_consent(request, reference: str):
    case = selectors.access_asb_case(request.user, reference)
    if case.status != AsbStatus.CLOSING:
        raise Http404
    form = CloseAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            close_answer(
                case=case,
                agrees=form.cleaned_data["agrees"] == "yes",
                actor=request.user,
                note=form.cleaned_data.get("reason", ""),
            )
        except AsbRuleBroken as exc:
            _add_problems(form, exc.problems)
        else:
            messages.success(request, "Thank you. We have your answer.")
            return redirect("asb:detail", reference=case.reference)
    return render(request, "asb/close_form.html", {"case": case, "form": form})


@customer_required
@never_cache
@require_http_methods(["GET", "POST"])
def satisfaction(request, reference: str):
    case = selectors.access_asb_case(request.user, reference)
    if case.closed_at is None or case.satisfaction:
        raise Http404
    form = SatisfactionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            satisfaction_record(case=case, answer=form.cleaned_data["answer"])
        except AsbRuleBroken as exc:
            _add_problems(form, exc.problems)
        else:
            messages.success(request, "Thank you for telling us.")
            return redirect("asb:detail", reference=case.reference)
    return render(request, "asb/satisfaction_form.html", {"case": case, "form": form})


@staff_required(Role.MANAGER, Role.ASB)
@require_GET
def measures(request):
    today = timezone.now().astimezone(LONDON).date()
    year = reporting_year_chosen(request.GET.get("year"), today=today)
    context = {
        "measures": selectors.asb_measures(year),
        "years": reporting_years_offered(today),
        "year": year,
    }
    return render(request, "asb/measures.html", context)
