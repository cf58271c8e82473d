"""The manager dashboard: how well every commitment is kept, and what to act on."""

from __future__ import annotations

from django.core.cache import cache
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

# The dashboard's figures are read at most once a minute, and again as soon as the rollups are
# refreshed (decision 0001): managers opening it in turn share one reading of the deadlines.
DASHBOARD_FIGURES_SECONDS = 60


def _cached(key: str, compute):
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, DASHBOARD_FIGURES_SECONDS)
    return value


def _dashboard_figures() -> dict:
    now = timezone.now()
    return {
        "now": now,
        "rows": commitment_performance(now=now),
        "breaches": breaches_to_act_on(now=now),
        "asb_measures": asb_measures(reporting_year_containing(now.astimezone(LONDON).date())),
        "rent": rent_measures(today=local_date(now)),
        "safety": safety_measures(year=reporting_year_containing(local_date(now)), now=now),
        "lettings_measures": lettings_measures_for_year(reporting_year_containing(local_date(now))),
    }


def _trend_figures(chosen, *, now) -> dict:
    subject = chosen.title if chosen else "all commitments"
    trend = weekly_trend(commitment_code=chosen.code if chosen else None, now=now)
    target = chosen.target_percent if chosen else None
    return {
        "trend": trend,
        "trend_subject": subject,
        "trend_target": target,
        "chart": trend_chart_svg(trend, subject=subject, target_percent=target),
    }


@staff_required(Role.MANAGER)
@require_GET
def dashboard(request):
    watermark = rollup_watermark()
    stamp = watermark.refreshed_at.isoformat() if watermark.refreshed_at else "never"
    figures = _cached(f"performance:dashboard:{stamp}", _dashboard_figures)
    now, rows = figures["now"], figures["rows"]
    windows = dashboard_windows(now)
    form = TrendForm(
        request.GET if "commitment" in request.GET else None,
        commitments=[(row.code, row.title) for row in rows],
    )
    code = form.chosen_code() if form.is_bound else None
    chosen = next((row for row in rows if row.code == code), None)
    trend = _cached(
        f"performance:dashboard:{stamp}:{now.isoformat()}:trend:{chosen.code if chosen else ''}",
        lambda: _trend_figures(chosen, now=now),
    )
    context = {
        **figures,
        **trend,
        # The windows' tables are drawn once per reading of the figures (the template caches
        # them under this key).
        "figures_key": f"{stamp}:{now.isoformat()}",
        "figures_seconds": DASHBOARD_FIGURES_SECONDS,
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
        "watermark": watermark,
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
