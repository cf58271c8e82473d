"""The manager dashboard: how well every commitment is kept, and what to act on."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from asb.selectors import asb_measures
from kernel.access import staff_required
from kernel.formatting import LONDON
from kernel.reporting import reporting_year_containing
from kernel.roles import Role
from kernel.spreadsheets import SafeCsvWriter
from lettings.selectors import lettings_measures_for_year
from performance.charts import trend_chart_svg
from performance.exports import performance_csv_rows
from performance.forms import TrendForm
from performance.selectors import (
    breaches_to_act_on,
    commitment_performance,
    rollup_watermark,
    weekly_trend,
)
from performance.windows import dashboard_windows, local_date
from rent.selectors import rent_measures
from safety.selectors import safety_measures


@staff_required(Role.MANAGER)
@require_GET
def dashboard(request):
    now = timezone.now()
    rows = commitment_performance(now=now)
    windows = dashboard_windows(now)
    form = TrendForm(
        request.GET if "commitment" in request.GET else None,
        commitments=[(row.code, row.title) for row in rows],
    )
    code = form.chosen_code() if form.is_bound else None
    chosen = next((row for row in rows if row.code == code), None)
    trend = weekly_trend(commitment_code=chosen.code if chosen else None, now=now)
    subject = chosen.title if chosen else "all commitments"
    context = {
        "now": now,
        "rows": rows,
        "tables": [
            {
                "window": window,
                "lines": [
                    {
                        "row": row,
                        "figures": row.figures(window.key),
                        "on_target": row.on_target(window.key),
                    }
                    for row in rows
                ],
            }
            for window in windows
        ],
        "form": form,
        "trend": trend,
        "trend_subject": subject,
        "trend_target": chosen.target_percent if chosen else None,
        "chart": trend_chart_svg(
            trend, subject=subject, target_percent=chosen.target_percent if chosen else None
        ),
        "breaches": breaches_to_act_on(now=now),
        "watermark": rollup_watermark(),
        "asb_measures": asb_measures(reporting_year_containing(now.astimezone(LONDON).date())),
        "rent": rent_measures(today=local_date(now)),
        "safety": safety_measures(year=reporting_year_containing(local_date(now)), now=now),
        "lettings_measures": lettings_measures_for_year(reporting_year_containing(local_date(now))),
    }
    return render(request, "performance/dashboard.html", context)


@staff_required(Role.MANAGER)
@require_GET
def export_csv(request):
    now = timezone.now()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="commitment-performance-{local_date(now):%Y-%m-%d}.csv"'
    )
    writer = SafeCsvWriter(response)
    writer.writerows(performance_csv_rows(commitment_performance(now=now), dashboard_windows(now)))
    return response
