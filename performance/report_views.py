"""Staff pages of the regulator's returns: the TSM return (with its drill-down and the data
collection CSV), the Board report, the Complaint Handling Code annual pack and benchmarking."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kernel.access import staff_required
from kernel.reporting import (
    EARLIEST_FIRST_YEAR,
    ReportingYear,
    reporting_year_chosen,
    reporting_years_offered,
)
from kernel.roles import Role
from kernel.spreadsheets import SafeCsvWriter
from performance.benchmarking import benchmark, latest_peer_year
from performance.chc_provisions import CODE_URL, PROVISIONS_BY_KEY
from performance.forms import GoverningBodyResponseForm, PeerFiguresForm, ProvisionAnswerForm
from performance.publication import (
    board_report,
    pack_for_year,
    provision_lines,
    submission_deadline,
)
from performance.selectors import board_report_pdf, board_reports_kept
from performance.services import (
    PackRefused,
    chc_answer_save,
    chc_governing_body_response_record,
    chc_pack_for_year,
    chc_pack_publish,
    chc_pack_submitted,
    peer_figures_import,
)
from performance.tsm.returns import template_rows, tsm_return
from performance.windows import add_months, local_date, month_start

DRILL_DOWN_LIMIT = 500


def _year(request) -> tuple[ReportingYear, list[ReportingYear], dt.date]:
    today = local_date(timezone.now())
    return (
        reporting_year_chosen(request.GET.get("year"), today=today),
        reporting_years_offered(today),
        today,
    )


def part_key(part: str) -> str:
    """ "CH01(1)" as "CH01-1" for a URL; "BS01" stays."""
    return part.replace("(", "-").replace(")", "")


# --- the TSM return ---------------------------------------------------------------------------


@staff_required(Role.MANAGER)
@require_GET
def tsm_return_page(request):
    year, years, _ = _year(request)
    tsm = tsm_return(year)
    return render(
        request,
        "performance/tsm_return.html",
        {
            "tsm": tsm,
            "year": year,
            "years": years,
            "lines": [(line, part_key(line.definition.part)) for line in tsm.lines],
        },
    )


@staff_required(Role.MANAGER)
@require_GET
def tsm_return_csv(request):
    year, _, _ = _year(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tsm-return-{year.first_year}.csv"'
    SafeCsvWriter(response).writerows(template_rows(tsm_return(year)))
    return response


@staff_required(Role.MANAGER)
@require_GET
def tsm_drill_down(request, key: str):
    year, years, _ = _year(request)
    tsm = tsm_return(year)
    line = next((ln for ln in tsm.lines if part_key(ln.definition.part) == key), None)
    if line is None:
        raise Http404
    cases = line.figures.counted_cases(DRILL_DOWN_LIMIT) if line.figures else []
    return render(
        request,
        "performance/tsm_drill_down.html",
        {"line": line, "year": year, "years": years, "cases": cases, "limit": DRILL_DOWN_LIMIT},
    )


# --- the Board report -------------------------------------------------------------------------


MONTH = re.compile(r"(\d{4})-(\d{2})")


def _month(value: str | None, today: dt.date) -> dt.date:
    """``?month=2026-11``; last month for nothing, nonsense, or a month not yet over."""
    last_month = add_months(month_start(today), -1)
    match = MONTH.fullmatch(value or "")
    if not match:
        return last_month
    year, month = int(match.group(1)), int(match.group(2))
    if not (year >= EARLIEST_FIRST_YEAR and 1 <= month <= 12):
        return last_month
    chosen = dt.date(year, month, 1)
    return chosen if chosen <= last_month else last_month


@staff_required(Role.MANAGER)
@require_GET
def board_reports(request):
    return render(request, "performance/board_reports.html", {"reports": board_reports_kept()})


@staff_required(Role.MANAGER)
@require_GET
def board_report_page(request):
    now = timezone.now()
    month = _month(request.GET.get("month"), local_date(now))
    context = board_report(month=month, now=now)
    return render(request, "performance/board_report.html", context)


@staff_required(Role.MANAGER)
@require_GET
def board_report_download(request, pk: int):
    report = board_report_pdf(pk)
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="board-report-{report.month:%Y-%m}.pdf"'
    )
    return response


# --- the Complaint Handling Code annual pack ---------------------------------------------------


def _pack_url(year: ReportingYear) -> str:
    return f"{reverse('performance:complaint_handling')}?year={year.first_year}"


@staff_required(Role.COMPLAINTS, Role.MANAGER)
@require_GET
def complaint_handling(request):
    year, years, _ = _year(request)
    pack = pack_for_year(year)
    lines = provision_lines(pack)
    return render(
        request,
        "performance/complaint_handling.html",
        {
            "year": year,
            "years": years,
            "pack": pack,
            "lines": lines,
            "answered": sum(1 for line in lines if line.answer),
            "deadline": submission_deadline(pack) if pack else None,
            "code_url": CODE_URL,
        },
    )


@staff_required(Role.COMPLAINTS)
@require_http_methods(["GET", "POST"])
def complaint_handling_provision(request, key: str):
    year, _, _ = _year(request)
    provision = PROVISIONS_BY_KEY.get(key)
    if provision is None:
        raise Http404
    pack = pack_for_year(year)
    answer = next(
        (line.answer for line in provision_lines(pack) if line.provision == provision), None
    )
    initial = (
        {
            "compliance": answer.compliance,
            "evidence": answer.evidence,
            "evidence_link": answer.evidence_link,
        }
        if answer
        else None
    )
    form = ProvisionAnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            pack = chc_pack_for_year(year=year)
            chc_answer_save(
                pack=pack, provision=provision.number, actor=request.user, **form.cleaned_data
            )
        except PackRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"Your answer to provision {provision.number} is saved.")
            return redirect(_pack_url(year))
    return render(
        request,
        "performance/complaint_handling_provision.html",
        {"year": year, "provision": provision, "form": form, "code_url": CODE_URL},
    )


@staff_required(Role.MANAGER)
@require_http_methods(["GET", "POST"])
def complaint_handling_response(request):
    year, _, today = _year(request)
    pack = pack_for_year(year)
    initial = (
        {"response": pack.governing_body_response, "approved_on": pack.governing_body_approved_on}
        if pack and pack.governing_body_response
        else None
    )
    form = GoverningBodyResponseForm(request.POST or None, initial=initial, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            pack = chc_pack_for_year(year=year)
            chc_governing_body_response_record(
                pack=pack,
                response=form.cleaned_data["response"],
                approved_on=form.cleaned_data["approved_on"],
            )
        except PackRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "The governing body's response is saved.")
            return redirect(_pack_url(year))
    return render(
        request, "performance/complaint_handling_response.html", {"year": year, "form": form}
    )


@staff_required(Role.MANAGER)
@require_POST
def complaint_handling_publish(request):
    year, _, _ = _year(request)
    pack = pack_for_year(year)
    if pack is None:
        messages.error(request, "Answer every provision before publishing.")
        return redirect(_pack_url(year))
    try:
        chc_pack_publish(pack=pack)
    except PackRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "The pack is published on our performance page.")
    return redirect(_pack_url(year))


@staff_required(Role.COMPLAINTS, Role.MANAGER)
@require_POST
def complaint_handling_submitted(request):
    year, _, _ = _year(request)
    pack = pack_for_year(year)
    if pack is None:
        raise Http404
    try:
        chc_pack_submitted(pack=pack)
    except PackRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "The submission to the Housing Ombudsman is recorded.")
    return redirect(_pack_url(year))


# --- benchmarking -----------------------------------------------------------------------------


@staff_required(Role.MANAGER)
@require_GET
def benchmarking(request):
    year, years, _ = _year(request)
    if not request.GET.get("year"):
        year = latest_peer_year(years) or year
    return render(
        request,
        "performance/benchmarking.html",
        {"year": year, "years": years, "lines": benchmark(year)},
    )


@staff_required(Role.MANAGER)
@require_http_methods(["GET", "POST"])
def benchmarking_import(request):
    form = PeerFiguresForm(request.POST or None, request.FILES or None)
    errors: list[tuple[int, str]] = []
    if request.method == "POST" and form.is_valid():
        outcome = peer_figures_import(text=form.cleaned_data["file"])
        if outcome.errors:
            errors = outcome.errors
            form.add_error("file", f"The file has {len(errors)} bad rows; nothing was imported")
        else:
            messages.success(request, f"{outcome.imported} figures imported.")
            return redirect("performance:benchmarking")
    return render(
        request, "performance/benchmarking_import.html", {"form": form, "row_errors": errors}
    )
