"""The portal's own pages: home, "Your home", the statements, and the health check."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpResponseBadRequest, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from casework.selectors import open_case_summaries_for_customer
from engagement.selectors import news_for_home_page
from kernel.access import customer_required, public
from neighbourhoods.selectors import latest_inspection_for_customer
from portal import health
from tenancy.selectors import access_customer_household, household_members


@public
@require_GET
def home(request):
    customer = getattr(request.user, "customer", None) if request.user.is_authenticated else None
    context = {
        "news": news_for_home_page(customer),
        "latest_inspection": latest_inspection_for_customer(customer) if customer else None,
    }
    return render(request, "portal/home.html", context)


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
        "open_cases": open_case_summaries_for_customer(customer),
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
    checks = {"database": _database_ok(), "broker": health.broker_is_reachable()}
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


def bad_request(request, exception=None):
    """The 400 page, also for an unknown Host header, when nothing about the request is trusted."""
    html = loader.get_template("400.html").render({"org": settings.ORGANISATION})
    return HttpResponseBadRequest(html)


def server_error(request):
    """The 500 page. Whatever failed may be the database or a context processor, so this page
    uses neither: only the organisation's name and phone numbers from settings."""
    html = loader.get_template("500.html").render({"org": settings.ORGANISATION})
    return HttpResponseServerError(html)
