"""The measures managers and the Board report: CH01, CH02, Quick Resolution rate, satisfaction
with complaint handling, upheld rate by service area; the dashboard and the annual report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from casework.models import ReceivedBy
from complaints.models import (
    OmbudsmanRecord,
    OmbudsmanRecordKind,
    Outcome,
    QuickResolutionOutcome,
    RefusalReason,
    Satisfaction,
    ServiceArea,
)
from complaints.selectors import (
    ComplaintMeasures,
    ServiceAreaRow,
    annual_report,
    complaint_measures,
)
from complaints.services import (
    complaint_close,
    complaint_continue_as_formal,
    complaint_define,
    complaint_escalate,
    complaint_learning_record,
    complaint_rate,
    complaint_refuse,
)
from kernel.formatting import LONDON
from kernel.reporting import ReportingYear
from kernel.roles import Role
from tenancy.models import Ownership, Tenure
from tests.complaints.factories import acknowledge, receive, respond
from tests.factories import PropertyFactory, StaffFactory

YEAR = ReportingYear(2026)


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=LONDON)


@pytest.fixture
def year_of_complaints(tenant_a, tenant_b, complaints_officer, review_officer, time_machine):
    """Eight homes and a year of complaints whose measures are worked out by hand below."""
    PropertyFactory.create_batch(6)
    move = time_machine.move_to

    move(dt.datetime(2026, 3, 2, 10, 0, tzinfo=LONDON), tick=False)
    receive(tenant_b, subject="Last year")  # reported in 2025 to 2026, not here

    move(at(6, 1), tick=False)
    on_time = receive(tenant_a, subject="On time")
    late = receive(tenant_b, subject="Late", service_area=ServiceArea.RENT)
    refused = receive(tenant_b, subject="Refused")
    move(at(6, 2), tick=False)
    quick_ok = receive(
        tenant_a,
        subject="Quick",
        received_by=ReceivedBy.PHONE,
        actor=complaints_officer,
        quick_resolution=True,
    )
    quick_lapsed = receive(
        tenant_b,
        subject="Quick, lapsed",
        received_by=ReceivedBy.PHONE,
        actor=complaints_officer,
        quick_resolution=True,
    )
    complaint_refuse(
        complaint=refused,
        actor=complaints_officer,
        reason=RefusalReason.LEGAL_PROCEEDINGS,
        explanation="In court",
    )
    move(at(6, 3), tick=False)
    complaint_define(
        complaint=quick_ok, actor=complaints_officer, issues=["Light out"], outcomes_sought=""
    )
    respond(quick_ok, complaints_officer, outcome=Outcome.NOT_UPHELD)
    move(at(6, 4), tick=False)
    acknowledge(on_time, complaints_officer)
    complaint_continue_as_formal(
        complaint=quick_lapsed, reason=QuickResolutionOutcome.NOT_RESOLVED_IN_TIME
    )
    move(at(6, 8), tick=False)
    acknowledge(late, complaints_officer)  # day 5: inside the Code's 5 days
    move(at(6, 10), tick=False)
    respond(on_time, complaints_officer)
    move(at(6, 15), tick=False)
    complaint_escalate(complaint=on_time)
    move(at(6, 17), tick=False)
    acknowledge(on_time, review_officer)
    move(at(6, 25), tick=False)
    respond(late, complaints_officer, outcome=Outcome.NOT_UPHELD)  # Code due 22 June: late
    complaint_close(complaint=late, actor=complaints_officer)
    complaint_rate(complaint=late, customer=tenant_b, satisfaction=Satisfaction.VERY_DISSATISFIED)
    move(at(7, 1), tick=False)
    respond(on_time, review_officer)
    complaint_learning_record(
        complaint=on_time,
        actor=review_officer,
        lesson="Repairs closed unseen",
        improvement="Photo on completion",
    )
    complaint_close(complaint=on_time, actor=review_officer)
    complaint_rate(complaint=on_time, customer=tenant_a, satisfaction=Satisfaction.FAIRLY_SATISFIED)
    OmbudsmanRecord.objects.create(
        kind=OmbudsmanRecordKind.ANNUAL_LETTER,
        received_on=dt.date(2026, 10, 1),
        summary="Our landlord performance letter",
        recorded_by=complaints_officer,
    )
    return {"on_time": on_time, "late": late}


def test_the_years_measures_are_worked_out_from_the_records(
    year_of_complaints, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        measures = complaint_measures(YEAR)

    assert measures.homes == 8
    assert measures.stage1_received == 4  # refusals are not accepted into the process
    assert measures.ch01_stage1 == Decimal("500.0")
    assert measures.stage2_received == 1
    assert measures.ch01_stage2 == Decimal("125.0")
    assert (measures.stage1_within_code, measures.stage1_responded) == (2, 3)
    assert measures.ch02_stage1 == Decimal("66.7")
    assert (measures.stage2_within_code, measures.stage2_responded) == (1, 1)
    assert measures.ch02_stage2 == Decimal("100.0")
    assert (measures.quick_resolutions_resolved, measures.quick_resolutions_ended) == (1, 2)
    assert measures.quick_resolution_rate == Decimal("50.0")
    assert (measures.ratings_satisfied, measures.ratings) == (1, 2)
    assert measures.satisfaction == Decimal("50.0")
    rows = {row.service_area: row for row in measures.by_service_area}
    assert (rows["repairs"].stage1_responses, rows["repairs"].stage1_upheld) == (2, 1)
    assert (rows["repairs"].stage2_responses, rows["repairs"].stage2_upheld) == (1, 1)
    assert (rows["rent"].stage1_responses, rows["rent"].stage1_upheld) == (1, 0)
    assert rows["repairs"].stage1_upheld_percent == Decimal("50.0")


def test_the_previous_year_holds_only_its_own_complaints(year_of_complaints):
    measures = complaint_measures(ReportingYear(2025))

    assert measures.stage1_received == 1
    assert measures.stage1_responded == 0
    assert measures.ch02_stage1 is None


def test_the_annual_report_has_the_codes_contents(
    year_of_complaints, django_assert_max_num_queries
):
    with django_assert_max_num_queries(14):
        report = annual_report(YEAR)

    assert [(r.label, r.count) for r in report.refusals] == [("Legal proceedings have started", 1)]
    assert {(r.label, r.count) for r in report.by_channel} == {("Portal", 2), ("Phone", 2)}
    assert [(r.label, r.count) for r in report.code_clocks_missed] == [
        ("Respond to a formal complaint (Code)", 1)
    ]
    assert report.stage2_same_handler == 0
    assert [item.lesson for item in report.learning] == ["Repairs closed unseen"]
    assert [r.summary for r in report.ombudsman_records] == ["Our landlord performance letter"]


# --- the pages -----------------------------------------------------------------------------------


def test_the_performance_page_is_for_managers(client, db):
    url = reverse("complaints:performance")
    assert client.get(url).status_code == 302
    client.force_login(StaffFactory(roles=[Role.COMPLAINTS]))
    assert client.get(url).status_code == 403
    client.force_login(StaffFactory(roles=[Role.MANAGER]))
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 405


def test_customers_cannot_see_the_performance_pages(client_a):
    assert client_a.get(reverse("complaints:performance")).status_code == 403
    assert client_a.get(reverse("complaints:annual_report")).status_code == 403


def test_the_performance_page_shows_the_measures_in_a_fixed_number_of_queries(
    client, year_of_complaints, django_assert_max_num_queries, time_machine
):
    time_machine.move_to(at(9, 1), tick=False)
    client.force_login(StaffFactory(roles=[Role.MANAGER]))

    with django_assert_max_num_queries(10):
        response = client.get(reverse("complaints:performance"), {"year": "2026"})

    html = response.content.decode()
    assert "CH01 (1) Stage 1 complaints per 1,000 homes" in html
    assert "500.0" in html and "66.7%" in html and "Repairs and maintenance" in html


def test_the_annual_report_page_for_a_chosen_year(client, year_of_complaints, time_machine):
    time_machine.move_to(at(9, 1), tick=False)
    client.force_login(StaffFactory(roles=[Role.MANAGER]))

    html = client.get(reverse("complaints:annual_report"), {"year": "2026"}).content.decode()

    for heading in (
        "Self-assessment against the Code",
        "Complaint handling in numbers",
        "Findings of non-compliance",
        "Service improvements made from learning",
        "The Ombudsman's annual letter and other reports",
    ):
        assert heading in html
    assert "Legal proceedings have started" in html
    assert "Photo on completion" in html
    assert "Our landlord performance letter" in html


def test_a_year_in_the_future_or_nonsense_shows_the_current_year(client, db, time_machine):
    time_machine.move_to(at(9, 1), tick=False)
    client.force_login(StaffFactory(roles=[Role.MANAGER]))

    for value in ("2099", "abc"):
        response = client.get(reverse("complaints:performance"), {"year": value})
        assert response.context["year"] == YEAR


def test_halves_round_up_in_every_complaint_measure():
    # 1 of 16 is exactly 6.25% and 1 complaint in 800 homes exactly 1.25 per 1,000: the TSM
    # technical requirements publish 6.3 and 1.3.
    row = ServiceAreaRow(
        service_area=ServiceArea.REPAIRS,
        label="Repairs and maintenance",
        stage1_responses=16,
        stage1_upheld=1,
        stage2_responses=0,
        stage2_upheld=0,
    )
    assert row.stage1_upheld_percent == Decimal("6.3")
    measures = ComplaintMeasures(
        year=YEAR,
        homes=800,
        stage1_received=1,
        stage2_received=0,
        stage1_responded=16,
        stage1_within_code=1,
        stage2_responded=0,
        stage2_within_code=0,
        quick_resolutions_ended=0,
        quick_resolutions_resolved=0,
        ratings=0,
        ratings_satisfied=0,
        open_now=0,
        overdue_now=0,
        by_service_area=[row],
    )
    assert measures.ch01_stage1 == Decimal("1.3")
    assert measures.ch02_stage1 == Decimal("6.3")


def test_ch01_divides_by_the_low_cost_homes_owned_at_the_end_of_the_year(
    tenant_a, complaints_officer, time_machine
):
    # Tenant A's home and four more the regulator counts at 31 March 2027...
    PropertyFactory(tenure=Tenure.SHARED_OWNERSHIP)
    PropertyFactory(joined_stock_on=dt.date(2027, 3, 31))
    PropertyFactory(left_stock_on=dt.date(2027, 4, 1))
    PropertyFactory(joined_stock_on=dt.date(2020, 1, 6), left_stock_on=dt.date(2027, 6, 1))
    # ...and five it does not: an outright leasehold, a home we only manage, one bought
    # after the year end, one sold on the last day, one sold during the year.
    PropertyFactory(tenure=Tenure.LEASEHOLD)
    PropertyFactory(ownership=Ownership.MANAGED)
    PropertyFactory(joined_stock_on=dt.date(2027, 4, 1))
    PropertyFactory(left_stock_on=dt.date(2027, 3, 31))
    PropertyFactory(left_stock_on=dt.date(2026, 9, 1))
    time_machine.move_to(at(6, 1), tick=False)
    receive(tenant_a, subject="Counted")
    # Read long after the year: later sales and purchases do not change its figures.
    time_machine.move_to(dt.datetime(2027, 7, 1, 10, 0, tzinfo=LONDON), tick=False)

    measures = complaint_measures(YEAR)

    assert measures.homes == 5
    assert measures.ch01_stage1 == Decimal("200.0")
