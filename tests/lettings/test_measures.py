"""The lettings measures for managers: each figure from the records, for the chosen year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from kernel.formatting import LONDON
from kernel.reporting import reporting_year_containing
from kernel.roles import Role
from lettings import selectors, services
from tests.factories import CustomerFactory, StaffFactory


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


def _exchange_decided_after(days: int, officer, frozen) -> None:
    """A mutual exchange applied for now and consented to ``days`` days later."""
    exchange = services.exchange_apply(
        customer=CustomerFactory(),
        partner_name="Jo Bloggs",
        partner_address="4 Elm Road",
        partner_landlord="Riverton Homes Trust",
    )
    services.exchange_record_checks(
        exchange=exchange,
        actor=officer,
        rent_account_clear=True,
        no_tenancy_breach=True,
        property_suitable=True,
        safety_checks_arranged=True,
    )
    frozen.shift(dt.timedelta(days=days))
    services.exchange_decide(
        exchange=exchange, actor=officer, decision="consented", explanation="All checks clear."
    )


def _dashboard_figures(page: str) -> dict[str, tuple[str, str]]:
    """Each lettings measure's (figure, out of) as the dashboard shows them."""
    table = page[page.index('id="lettings-measures"') :]
    table = table[: table.index("</table>")]
    figures = {}
    for row in table.split('data-measure="')[1:]:
        key = row[: row.index('"')]
        cells = [cell.split("</td>")[0].strip() for cell in row.split('numeric">')[1:]]
        figures[key] = (cells[0], cells[1])
    return figures


def test_the_manager_dashboard_shows_the_lettings_measures_of_the_year(
    client, accepted, officer, frozen, django_assert_num_queries
):
    # Two exchanges, applied for in January: one decided in 41 days, one in 43 (late).
    frozen.move_to(dt.datetime(2026, 1, 5, 10, 0, tzinfo=LONDON), tick=False)
    _exchange_decided_after(41, officer, frozen)
    frozen.move_to(dt.datetime(2026, 1, 5, 10, 0, tzinfo=LONDON), tick=False)
    _exchange_decided_after(43, officer, frozen)
    # Back to the letting: signed up the day the advert closed, visited a week later, and the
    # new tenant fairly dissatisfied with the home.
    frozen.move_to(accepted.advert.closes_at + dt.timedelta(days=1), tick=False)
    settling_in = services.application_sign_up(
        application=accepted, actor=officer, tenancy_start_date=timezone.localdate()
    )
    frozen.shift(dt.timedelta(weeks=1))
    services.settling_in_record_visit(
        settling_in=settling_in, actor=officer, visited_at=timezone.now()
    )
    services.settling_in_record_satisfaction(
        settling_in=settling_in, customer=settling_in.customer, satisfaction=2
    )
    year = reporting_year_containing(timezone.localdate())
    assert year.label == "2025 to 2026"

    manager = StaffFactory(roles=[Role.MANAGER])
    figures_only = selectors.lettings_measures_for_year(year)
    with django_assert_num_queries(5):
        selectors.lettings_measures_for_year(year)
    client.force_login(manager)
    page = client.get(reverse("performance:dashboard")).content.decode()

    assert "Letting homes and moving, 2025 to 2026" in page
    assert _dashboard_figures(page) == {
        # Keys back 10 days before the advert went up, 7 days advertised, let the day after.
        "days-empty": ("18.0", "1 homes let"),
        "offers": ("100.0%", "1 offers"),
        "viewings": ("100.0%", "1 viewings"),
        "settling-in": ("100.0%", "1 visits"),
        "exchanges": ("50.0%", "2 decisions"),
        "satisfaction": ("0.0%", "1 answers"),
    }
    assert figures_only.measures.exchanges_decided == 2
