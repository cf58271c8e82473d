"""The portal's own pages: home, "Your home", the statements, and the health check."""

from __future__ import annotations

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.access import customer_required, public
from portal.health import broker_is_reachable
from tenancy.selectors import access_customer_household, household_members


@public
@require_GET
def home(request):
    return render(request, "portal/home.html")


@customer_required
@require_GET
def your_home(request):
    customer = access_customer_household(request.user)
    tenancy = customer.tenancy
    context = {
        "customer": customer,
        "tenancy": tenancy,
        "property": tenancy.property,
        "household": household_members(tenancy),
        "open_cases": [],
    }
    return render(request, "portal/your_home.html", context)


@public
@require_GET
def accessibility(request):
    return render(request, "portal/accessibility.html")


@public
@require_GET
def privacy(request):
    return render(request, "portal/privacy.html")


@public
@require_GET
@never_cache
def healthz(request):
    checks = {"database": _database_ok(), "broker": broker_is_reachable()}
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", "checks": checks},
        status=200 if healthy else 503,
    )


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        return False
