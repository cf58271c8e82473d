"""Pages anyone may read, without signing in: our published performance (with CSV and JSON
downloads), the Complaint Handling Code annual pack once published, and the annual customer
report (a page and a PDF). Every figure is read from the rollups and the published TSM lines;
nothing names a case or shows a count under 5."""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from kernel.access import public
from kernel.pdf import render_pdf
from kernel.reporting import reporting_year_chosen, reporting_years_offered
from kernel.spreadsheets import SafeCsvWriter
from performance.charts import area_chart_svg
from performance.chc_provisions import CODE_URL
from performance.exports import published_csv_rows, published_json
from performance.publication import (
    annual_customer_report,
    provision_lines,
    published_pack,
    published_packs,
    published_performance,
    published_report_view,
)
from performance.windows import local_date


@public
@require_GET
def published(request):
    today = local_date(timezone.now())
    performance = published_performance(today=today)
    return render(
        request,
        "performance/published.html",
        {
            "performance": performance,
            "sections": [
                (area, area_chart_svg(area, chart_id=f"chart-{area.key}"))
                for area in performance.areas
            ],
            "packs": published_packs(),
        },
    )


@public
@require_GET
def published_csv(request):
    today = local_date(timezone.now())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="our-performance-{today:%Y-%m-%d}.csv"'
    SafeCsvWriter(response).writerows(published_csv_rows(published_performance(today=today)))
    return response


@public
@require_GET
def published_json_download(request):
    today = local_date(timezone.now())
    response = JsonResponse(
        published_json(published_performance(today=today)), json_dumps_params={"indent": 2}
    )
    response["Content-Disposition"] = (
        f'attachment; filename="our-performance-{today:%Y-%m-%d}.json"'
    )
    return response


@public
@require_GET
def published_complaint_handling(request):
    today = local_date(timezone.now())
    year = reporting_year_chosen(request.GET.get("year"), today=today)
    pack = published_pack(year)
    return render(
        request,
        "performance/published_complaint_handling.html",
        {
            "year": year,
            "pack": pack,
            "lines": provision_lines(pack),
            "report": published_report_view(pack.published_report),
            "code_url": CODE_URL,
        },
    )


def _customer_report_context(request) -> dict:
    today = local_date(timezone.now())
    year = reporting_year_chosen(request.GET.get("year"), today=today)
    context = annual_customer_report(year, today=today)
    context["years"] = reporting_years_offered(today)
    return context


@public
@require_GET
def customer_report(request):
    return render(request, "performance/customer_report.html", _customer_report_context(request))


@public
@require_GET
def customer_report_pdf(request):
    context = _customer_report_context(request)
    pdf = render_pdf("performance/customer_report_print.html", context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="annual-report-{context["year"].first_year}.pdf"'
    )
    return response
