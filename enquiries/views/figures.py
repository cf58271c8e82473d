"""Telephone figures: the call statistics import and the manager's page."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from enquiries import selectors, services
from enquiries.forms import CallStatisticsImportForm, DashboardPeriodForm
from kernel.access import staff_required
from kernel.roles import Role


@staff_required(Role.CUSTOMER_SERVICES, Role.MANAGER)
@require_http_methods(["GET", "POST"])
def staff_call_import(request):
    if request.method == "POST":
        form = CallStatisticsImportForm(request.POST, request.FILES)
        if form.is_valid():
            count = services.call_statistics_import(rows=form.rows, actor=request.user)
            messages.success(
                request, f"Imported {count} day{'s' if count != 1 else ''} of call figures."
            )
            return redirect("enquiries:staff_call_import")
    else:
        form = CallStatisticsImportForm()
    return render(
        request,
        "enquiries/staff/call_import.html",
        {"form": form, "recent": selectors.recent_call_statistics()},
    )


@staff_required(Role.MANAGER)
@require_GET
def staff_dashboard(request):
    period_form = DashboardPeriodForm(request.GET or None)
    start, end = period_form.period()
    measures = selectors.keeping_in_touch_measures(start=start, end=end)
    return render(
        request,
        "enquiries/staff/dashboard.html",
        {
            "measures": measures,
            "period_form": period_form,
            "answer_rate_target": selectors.ANSWER_RATE_TARGET,
        },
    )
