"""The TSM return: every measure for a reporting year from its area's provider, hand-computed
figures on a fixed set of records, "not yet recorded" where no records exist, the drill-down,
the regulator's template CSV, and definitions by reporting year."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from complaints.services import complaint_escalate
from kernel.formatting import LONDON
from kernel.reporting import ReportingYear
from performance.tsm.definitions import MEASURE_CODES, definitions_for
from performance.tsm.providers import per_thousand_part
from performance.tsm.registry import (
    CountedCase,
    provider_for,
    register_provider,
    unregister_provider,
)
from performance.tsm.returns import NOT_YET_RECORDED, template_rows, tsm_return
from repairs import services as repair_services
from tests.complaints.factories import acknowledge, receive, respond
from tests.factories import PropertyFactory
from tests.repairs.conftest import repairs_team, report  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

YEAR = ReportingYear(2026)
NOT_YET_BUILT = ["RP01"]


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=LONDON)


@pytest.fixture
def year_of_records(
    tenant_a,
    tenant_b,
    complaints_officer,
    repairs_officer,
    time_machine,
    request,
):
    """Eight low-cost rental homes, three complaints (one escalated) and three repairs, whose
    measures are worked out by hand in the tests below."""
    request.getfixturevalue("repairs_team")  # repairs are assigned to its team
    PropertyFactory.create_batch(6)
    move = time_machine.move_to
    move(at(6, 1), tick=False)
    on_time = receive(tenant_a, subject="Answered on time")
    late = receive(tenant_b, subject="Answered late")
    move(at(6, 2), tick=False)
    unanswered = receive(tenant_b, subject="Not answered yet")
    acknowledge(on_time, complaints_officer)
    move(at(6, 5), tick=False)
    respond(on_time, complaints_officer)
    move(at(6, 8), tick=False)
    acknowledge(late, complaints_officer)  # day 5 after receipt: within the Code's 5 days
    move(at(6, 10), tick=False)
    emergency = report(tenant_a, "doors.wont_lock", emergency_reason="insecure")
    routine_on_time = report(tenant_a, "bathroom.leak")
    routine_late = report(tenant_b, "bathroom.leak")
    move(at(6, 10, 12), tick=False)
    repair_services.repair_record_completed(
        repair=emergency, actor=repairs_officer, first_time_fix=True
    )
    repair_services.repair_record_completed(
        repair=routine_on_time, actor=repairs_officer, first_time_fix=True
    )
    move(at(6, 15), tick=False)
    complaint_escalate(complaint=on_time)
    move(at(6, 17), tick=False)
    acknowledge(on_time, repairs_officer)
    move(at(6, 25), tick=False)
    respond(late, complaints_officer)  # the Code's 10 working days from 8 June ended 22 June
    move(at(7, 1), tick=False)
    respond(on_time, repairs_officer)
    move(at(12, 1), tick=False)
    # Non-emergency target: 5 or 20 working days from 10 June, long gone by December.
    repair_services.repair_record_completed(
        repair=routine_late, actor=repairs_officer, first_time_fix=True
    )
    return {
        "on_time": on_time,
        "late": late,
        "unanswered": unanswered,
        "emergency": emergency,
        "routine_on_time": routine_on_time,
        "routine_late": routine_late,
    }


def test_the_return_has_all_22_measures_in_26_lines():
    tsm = tsm_return(YEAR)

    assert len(tsm.measure_codes()) == 22
    assert len(tsm.lines) == 26
    assert set(tsm.measure_codes()) == set(MEASURE_CODES)


def test_measures_without_records_say_not_yet_recorded_never_zero(db):
    tsm = tsm_return(YEAR)

    for part in NOT_YET_BUILT:
        line = tsm.line(part)
        assert line.figures is None
        assert line.figure_text == NOT_YET_RECORDED
    # CH01 (2), CH02 (2), NM01 (2), RP02 (2), TP01 to TP12, BS01 to BS05
    assert tsm.recorded_count == 25


def test_complaint_measures_are_worked_out_from_the_records(year_of_records):
    tsm = tsm_return(YEAR)

    ch01_1 = tsm.line("CH01(1)").figures
    assert (ch01_1.numerator, ch01_1.denominator, ch01_1.figure) == (3, 8, Decimal("375.0"))
    ch01_2 = tsm.line("CH01(2)").figures
    assert (ch01_2.numerator, ch01_2.denominator, ch01_2.figure) == (1, 8, Decimal("125.0"))
    ch02_1 = tsm.line("CH02(1)").figures
    assert (ch02_1.numerator, ch02_1.denominator, ch02_1.figure) == (1, 2, Decimal("50.0"))
    ch02_2 = tsm.line("CH02(2)").figures
    assert (ch02_2.numerator, ch02_2.denominator, ch02_2.figure) == (1, 1, Decimal("100.0"))
    assert tsm.line("CH01(1)").figure_text == "375.0 per 1,000 homes"


def test_repair_measures_are_worked_out_from_the_records(year_of_records):
    tsm = tsm_return(YEAR)

    non_emergency = tsm.line("RP02(1)").figures
    assert (non_emergency.numerator, non_emergency.denominator) == (1, 2)
    assert non_emergency.figure == Decimal("50.0")
    emergency = tsm.line("RP02(2)").figures
    assert (emergency.numerator, emergency.denominator, emergency.figure) == (
        1,
        1,
        Decimal("100.0"),
    )


def test_the_previous_year_counts_none_of_this_years_records(year_of_records):
    tsm = tsm_return(ReportingYear(2025))

    assert tsm.line("CH01(1)").figures.numerator == 0
    assert tsm.line("CH02(1)").figures.figure is None
    assert tsm.line("CH02(1)").figure_text == "none to count"


def test_the_drill_down_lists_the_cases_counted(year_of_records):
    tsm = tsm_return(YEAR)
    records = year_of_records

    ch02 = {c.reference: c for c in tsm.line("CH02(1)").figures.counted_cases(100)}
    assert set(ch02) == {records["on_time"].reference, records["late"].reference}
    assert ch02[records["on_time"].reference].in_numerator is True
    assert ch02[records["late"].reference].in_numerator is False
    received = [c.reference for c in tsm.line("CH01(1)").figures.counted_cases(100)]
    assert records["unanswered"].reference in received
    rp02 = {c.reference: c.in_numerator for c in tsm.line("RP02(1)").figures.counted_cases(100)}
    assert rp02 == {
        records["routine_on_time"].reference: True,
        records["routine_late"].reference: False,
    }
    assert len(tsm.line("CH01(1)").figures.counted_cases(1)) == 1


def test_the_whole_return_runs_in_a_fixed_number_of_queries(
    year_of_records, django_assert_max_num_queries
):
    # Complaints five, repairs two, ASB at most five, the perception tallies one, BS01-BS05 six.
    with django_assert_max_num_queries(13 + 6):
        tsm_return(YEAR)


def test_an_area_that_lands_plugs_in_its_provider_once_for_all_its_codes(db):
    calls = []

    def neighbourhood_provider(year):
        calls.append(year)
        case = CountedCase(reference="ASB-2026-000001", kind="ASB case", in_numerator=True)
        return {
            "NM01(1)": per_thousand_part(12, 1000, lambda limit: [case]),
            "NM01(2)": per_thousand_part(3, 1000),
        }

    original = provider_for("NM01")
    register_provider("NM01", neighbourhood_provider)
    try:
        tsm = tsm_return(YEAR)
    finally:
        unregister_provider("NM01")
        if original is not None:
            register_provider("NM01", original)

    assert calls == [YEAR]
    assert tsm.line("NM01(1)").figures.figure == Decimal("12.0")
    assert tsm.line("NM01(2)").figure_text == "3.0 per 1,000 homes"
    assert tsm.line("NM01(1)").figures.counted_cases(10)[0].reference == "ASB-2026-000001"


def test_definitions_are_versioned_by_reporting_year():
    assert definitions_for(ReportingYear(2023)).title.startswith("Technical Requirements, April")
    assert "2024" in definitions_for(ReportingYear(2024)).title
    assert "2024" in definitions_for(ReportingYear(2026)).title
    # Before the first version: the first version.
    assert definitions_for(ReportingYear(2020)).first_year == 2023
    ch02_2023 = next(d for d in definitions_for(ReportingYear(2023)).lines if d.part == "CH02(2)")
    ch02_2024 = next(d for d in definitions_for(ReportingYear(2024)).lines if d.part == "CH02(2)")
    assert ch02_2023.exclusions != ch02_2024.exclusions


def test_the_template_csv_has_a_line_per_measure_part(year_of_records):
    rows = list(template_rows(tsm_return(YEAR)))

    assert rows[0][:3] == ["Reporting year", "Measure", "Template reference"]
    by_part = {row[1]: row for row in rows[1:]}
    assert len(by_part) == 26
    assert by_part["CH02(1)"][5:8] == [1, 2, Decimal("50.0")]
    assert by_part["RP01"][5:8] == ["", "", ""]
    assert by_part["RP01"][9] == NOT_YET_RECORDED


# --- the pages ------------------------------------------------------------------------------


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def test_a_manager_sees_the_return_with_not_yet_recorded_lines(manager_client, year_of_records):
    page = manager_client.get(reverse("performance:tsm_return"), {"year": "2026"})

    assert page.status_code == 200
    text = page.content.decode()
    assert "375.0 per 1,000 homes" in text
    assert text.count(NOT_YET_RECORDED) >= len(NOT_YET_BUILT)


def test_a_manager_downloads_the_return_as_the_template_csv(manager_client, year_of_records):
    response = manager_client.get(reverse("performance:tsm_return_csv"), {"year": "2026"})

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    line = next(row for row in rows if row[1] == "RP02(2)")
    assert line[5:8] == ["1", "1", "100.0"]


def test_a_manager_drills_down_to_the_cases_counted(manager_client, year_of_records):
    page = manager_client.get(
        reverse("performance:tsm_drill_down", kwargs={"key": "CH02-1"}), {"year": "2026"}
    )

    assert page.status_code == 200
    assert year_of_records["late"].reference in page.content.decode()


def test_an_unknown_measure_is_not_found(manager_client):
    page = manager_client.get(reverse("performance:tsm_drill_down", kwargs={"key": "XX99"}))

    assert page.status_code == 404


@pytest.mark.parametrize("name", ["tsm_return", "tsm_return_csv"])
def test_staff_without_the_manager_role_are_refused(client, complaints_officer, name):
    client.force_login(complaints_officer)

    assert client.get(reverse(f"performance:{name}")).status_code == 403


def test_customers_are_refused_and_anonymous_visitors_sent_to_sign_in(client, client_a):
    assert client_a.get(reverse("performance:tsm_return")).status_code == 403
    client.logout()
    response = client.get(reverse("performance:tsm_return"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_return_page_takes_no_post(manager_client):
    assert manager_client.post(reverse("performance:tsm_return")).status_code == 405
