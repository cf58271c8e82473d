"""No server error for any URL: every route's parameters and the query parameters views read,
filled with hostile values (a NUL byte, numbers beyond the database's integers, impossible and
extreme dates, very long strings), for an anonymous visitor, a customer, an applicant with no
household (docs/decisions/0030) and a member of staff with every role and an authenticator
app."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote, unquote

import pytest
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern

from kernel.roles import Role
from tenancy.services import customer_create_applicant
from tests.complaints.factories import receive
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

# Already percent-encoded where it matters: these are what a browser or a script can send.
HOSTILE_PARTS = [
    "%00",
    "RH-2026-%00000001",
    "9" * 30,
    str(2**31),
    str(2**63),
    "-1",
    "0",
    "2026-02-30",
    "A" * 3000,
    "%C3%28",  # not UTF-8
    "%F0%9F%8F%A0",
    "..%2F..%2Fetc",
]
# The admin's own pages read an object id the same way on every page and method; the few kinds
# that reach its lookups differently are enough there (its pages are many).
ADMIN_HOSTILE_PARTS = ["%00", "9" * 30, "2026-02-30", "A" * 3000, "%C3%28"]
# The query parameters views read (page numbers, years, ids, date ranges, choices, searches),
# every one of them at once, one hostile kind at a time.
QUERY_NAMES = ["page", "year", "after", "enquiry", "commitment", "q", "start", "end", "next"]
HOSTILE_QUERIES = [
    "9" * 30,
    str(2**63),
    "-1",
    "%00",
    "A" * 3000,
    "2026-02-30",
    "0001-01-01",
    "9999-12-31",
    "%C3%28",
]
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def _routes() -> list[str]:
    """Every route of the URL conf as written with ``path()``; the few regular-expression
    routes (allauth's email confirmation and password reset keys) are filled by hand below."""
    return [
        route
        for route, pattern in _walk(get_resolver().url_patterns)
        if isinstance(pattern.pattern, RoutePattern)
    ]


def _fill(route: str, values: dict[str, str], default: str) -> str:
    return "/" + PARAMETER.sub(lambda m: values.get(m["name"], default), route)


def _urls_with_hostile_parameters(sample_reference: str) -> list[str]:
    urls = []
    for route in _routes():
        names = [m["name"] for m in PARAMETER.finditer(route)]
        values = ADMIN_HOSTILE_PARTS if route.startswith("admin/") else HOSTILE_PARTS
        for name in names:
            for value in values:
                # The other parameters take a real reference, so the hostile one is reached.
                urls.append(_fill(route, {name: value}, sample_reference))
    for value in HOSTILE_PARTS:
        urls.append(f"/account/confirm-email/{value}/")
        urls.append(f"/account/password/reset/key/{value}-{value}/")
    return urls


def _urls_with_hostile_queries(sample_reference: str) -> list[str]:
    urls = []
    for route in _routes():
        if route.startswith("admin/") and PARAMETER.search(route):
            continue  # the admin's own object pages read no query parameter of ours
        base = _fill(route, {}, sample_reference)
        for value in HOSTILE_QUERIES:
            query = "&".join(f"{name}={value}" for name in QUERY_NAMES)
            urls.append(f"{base}?{query}")
    return urls


def _server_errors(client: Client, urls: list[str], *, post: bool) -> list[str]:
    client.raise_request_exception = False
    errors = []
    for url in urls:
        for method in ("get", "post") if post and not url.startswith("/admin/") else ("get",):
            response = getattr(client, method)(url)
            if response.status_code >= 500:
                errors.append(f"{method.upper()} {url[:160]} -> {response.status_code}")
    return errors


@pytest.fixture
def sample_reference(tenant_a) -> str:
    return quote(receive(tenant_a).reference)


@pytest.fixture
def every_persona(client, tenant_a, db):
    staff = StaffFactory(roles=list(Role), first_name="Every", last_name="Role")
    customer = Client()
    customer.force_login(tenant_a.user)
    staff_client = Client()
    staff_client.force_login(staff)
    applicant = Client()
    applicant.force_login(
        customer_create_applicant(
            first_name="Robin",
            last_name="Okafor",
            date_of_birth=dt.date(1995, 4, 2),
            email="",
            user=UserFactory(email="robin@example.org"),
        ).user
    )
    return {
        "anonymous": client,
        "customer": customer,
        "applicant": applicant,
        "staff": staff_client,
    }


PERSONAS = ["anonymous", "customer", "applicant", "staff"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_route_parameter_causes_a_server_error(every_persona, sample_reference, persona):
    urls = _urls_with_hostile_parameters(sample_reference)
    if persona != "staff":
        # Only staff get past the admin's own sign-in; for the rest it is one redirect.
        urls = [url for url in urls if not url.startswith("/admin/")]

    errors = _server_errors(every_persona[persona], urls, post=True)
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_query_parameter_causes_a_server_error(every_persona, sample_reference, persona):
    urls = _urls_with_hostile_queries(sample_reference)
    if persona != "staff":
        urls = [url for url in urls if not url.startswith("/admin/")]

    errors = _server_errors(every_persona[persona], urls, post=False)
    assert not errors, "\n".join(errors)


# --- each kind of value that reached a query, once, on any database -------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/repairs/REP-2026-%00000001/",
        "/complaints/CMP-2026-%00000001/rate/",
        "/cases/" + "A" * 21 + "/",
        "/contact-us/enquiries/ENQ 2026/",
        "/notifications/" + "9" * 30 + "/",
        "/contact-us/staff/visits/" + str(2**63) + "/",
        "/complaints/CMP-2026-000001/letters/" + "9" * 19 + "/",
    ],
)
def test_a_reference_or_id_no_row_can_have_is_no_address(path):
    with pytest.raises(Resolver404):
        resolve(unquote(path))


def test_real_references_and_ids_still_resolve():
    assert resolve("/repairs/REP-2026-000123/").kwargs == {"reference": "REP-2026-000123"}
    assert resolve("/notifications/" + "9" * 18 + "/").kwargs == {"pk": int("9" * 18)}
    assert reverse("complaints:letter", args=["CMP-2026-000001", 7]) == (
        "/complaints/CMP-2026-000001/letters/7/"
    )


@pytest.mark.parametrize("page", ["9" * 30, str(2**63), "-1", "%00", "1e9"])
def test_a_page_number_no_list_has_shows_the_first_page(client_a, page):
    response = client_a.get(f"/repairs/?page={page}")

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("start", "end"),
    [("0001-01-01", "0001-01-01"), ("9999-12-31", "9999-12-31"), ("0001-01-01", "")],
)
def test_the_contact_dashboard_refuses_dates_at_the_calendars_limits(client, manager, start, end):
    client.force_login(manager)

    response = client.get(reverse("enquiries:staff_dashboard"), {"start": start, "end": end})

    assert response.status_code == 200
    assert "Enter a date between 1 January 2000 and" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/complaints/complaint/%00/acknowledge/",
        "/admin/complaints/complaint/%00/change/",
        "/admin/repairs/repair/2026-02-30/change/",
        "/admin/repairs/repair/A/step/attend/",
        "/admin/repairs/plannedwork/%00/change/",
        "/admin/repairs/programme/%00/add-homes/",
    ],
)
def test_an_admin_page_for_an_id_that_is_no_number_names_nothing(client, db, path):
    client.force_login(StaffFactory(roles=list(Role)))
    client.raise_request_exception = False

    assert client.get(path).status_code in (302, 404)


def test_an_export_filtered_by_a_field_that_does_not_exist_starts_again_unfiltered(client, db):
    client.force_login(StaffFactory(roles=list(Role)))

    response = client.get("/admin/tenancy/customer/export/?year=2026")

    assert response.status_code == 302
    assert response["Location"] == "/admin/tenancy/customer/export/"
