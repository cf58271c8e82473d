"""A former tenant (tenancy ended) keeps their old cases, complaints, questions, messages and
details, and is told clearly that new service for the home they left is not theirs to start
(docs/decisions/0009-what-a-former-tenant-may-do.md)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import get_resolver, reverse

from casework.models import Attachment
from enquiries.models import CallBack, ChatSession, Enquiry
from kernel.access import view_access
from repairs.models import Repair
from tests.url_walk import concrete_path, walk

ENDED = "Your tenancy has ended"
CURRENT_ONLY = "customer:current-tenancy"


def _current_only_routes() -> list[str]:
    return [
        route
        for route, view, namespaces in walk(get_resolver().url_patterns)
        if view_access(view, namespaces) == CURRENT_ONLY
    ]


@pytest.fixture
def former_tenant(tenant_a):
    tenant_a.tenancy.end_date = dt.date(2025, 10, 31)
    tenant_a.tenancy.save()
    return tenant_a


def _written() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Repair, CallBack, ChatSession, Enquiry, Attachment)
    )


def test_every_page_that_starts_service_for_the_home_needs_a_current_tenancy():
    routes = set(_current_only_routes())
    repair_reporting = {
        route
        for route, _view, _ns in walk(get_resolver().url_patterns)
        if route.startswith("repairs/report/") and not route.startswith("repairs/report/sent/")
    }

    assert repair_reporting <= routes
    assert {
        "repairs/<reference:reference>/appointment/",
        "repairs/<reference:reference>/not-fixed/",
        "repairs/<reference:reference>/photos/",
        "contact-us/call-back/",
        "contact-us/chat/",
    } <= routes


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_former_tenant_is_told_what_they_can_still_do_and_nothing_is_written(
    client, former_tenant, method
):
    client.force_login(former_tenant.user)
    before = _written()

    answers = {}
    for route in _current_only_routes():
        response = getattr(client, method)(concrete_path(route, {"reference": "REP-2026-000001"}))
        answers[route] = (response.status_code, ENDED in response.content.decode())

    assert set(answers.values()) == {(403, True)}
    assert _written() == before


def test_the_page_names_the_home_the_date_and_what_is_still_open(client, former_tenant):
    client.force_login(former_tenant.user)

    body = client.get(reverse("repairs:report_start")).content.decode()

    assert former_tenant.tenancy.property.address_line_1 in body
    assert "31 October 2025" in body
    assert reverse("complaints:new") in body
    assert reverse("casework:case_list") in body


@pytest.mark.parametrize(
    "name",
    [
        "casework:case_list",
        "complaints:new",
        "complaints:list",
        "enquiries:enquiry_new",
        "notifications:inbox",
        "tenancy:your_details",
        "repairs:list",
    ],
)
def test_a_former_tenant_still_sees_their_records_and_may_complain(client, former_tenant, name):
    client.force_login(former_tenant.user)

    assert client.get(reverse(name)).status_code == 200


def test_a_tenant_on_notice_still_reports_repairs_until_the_tenancy_ends(client, tenant_a):
    tenant_a.tenancy.end_date = dt.date(2099, 1, 31)
    tenant_a.tenancy.save()
    client.force_login(tenant_a.user)

    assert client.get(reverse("repairs:report_start")).status_code == 200
