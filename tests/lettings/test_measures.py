"""The lettings measures for managers: each figure from the records, for the chosen year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from kernel.reporting import reporting_year_containing
from kernel.roles import Role
from lettings import selectors, services
from tests.factories import StaffFactory


def test_the_measures_count_what_happened(accepted, advert, officer, frozen, tenant_a):
    settling_in = services.application_sign_up(
        application=accepted, actor=officer, tenancy_start_date=timezone.localdate()
    )
    services.settling_in_record_satisfaction(
        settling_in=settling_in, customer=settling_in.customer, satisfaction=5
    )
    frozen.shift(dt.timedelta(weeks=7))
    services.settling_in_record_visit(
        settling_in=settling_in, actor=officer, visited_at=timezone.now()
    )
    year = reporting_year_containing(dt.date(2026, 3, 1))
    measures = selectors.lettings_measures(
        since=year.start_at, until=year.end_at + dt.timedelta(days=60)
    )
    # Keys back 10 days before the advert went up; it ran 7 days; signed up that day.
    assert measures.homes_let == 1
    assert measures.average_days_empty == Decimal("17.0")
    assert (measures.offers, measures.offers_on_time) == (1, Decimal("100.0"))
    assert (measures.viewings, measures.viewings_with_notice) == (1, Decimal("100.0"))
    # Visited after 7 weeks: late.
    assert (measures.settling_in_visits, measures.settling_in_visits_on_time) == (1, Decimal("0.0"))
    assert (measures.new_tenant_answers, measures.new_tenant_satisfaction) == (1, Decimal("100.0"))
    assert measures.exchanges_decided == 0 and measures.exchanges_on_time is None


def test_the_measures_page_is_for_managers_and_the_lettings_team(
    client, officer, frozen, django_assert_max_num_queries
):
    url = reverse("lettings:measures")
    client.force_login(StaffFactory(roles=[Role.MANAGER]))
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert "Average days empty" in page.content.decode()
    client.force_login(officer)
    assert client.get(url + "?year=bad").status_code == 200
    client.force_login(StaffFactory(roles=[Role.REPAIRS]))
    assert client.get(url).status_code == 403


def test_the_dashboard_links_to_the_lettings_measures(client, db, frozen):
    client.force_login(StaffFactory(roles=[Role.MANAGER]))
    page = client.get(reverse("performance:dashboard")).content.decode()
    assert reverse("lettings:measures") in page
