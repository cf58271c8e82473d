"""NM01 from the ASB area and TP01 to TP12 from the perception survey, through the TSM return,
its drill-down and CSV, the public performance page and its CSV, on a small set of records
worked out by hand. ASB cases are never named to a manager; no public count is under 5."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from asb.models import AsbCase, AsbKind
from asb.services import Incident, SafeContactAnswers, anonymous_report, asb_team
from engagement.services import perception_tallies_rebuild
from kernel.reporting import ReportingYear
from performance.services import published_figures_refresh
from performance.tsm.providers import ASB_CASES_NOT_LISTED, RESPONSES_NOT_LISTED
from performance.tsm.returns import NOT_YET_RECORDED, tsm_return
from tests.asb.factories import report
from tests.engagement.factories import SurveyFactory, SurveyResponseFactory
from tests.factories import PropertyFactory

pytestmark = pytest.mark.django_db

YEAR = ReportingYear(2026)
REPORTED = dt.datetime(2026, 6, 1, 11, 0, tzinfo=dt.UTC)
PUBLISHED = dt.datetime(2026, 11, 25, 14, 0, tzinfo=dt.UTC)
PERCEPTION = [f"TP{n:02d}" for n in range(1, 13)]


@pytest.fixture
def year_of_reports(tenant_a, tenant_b, asb_officer):
    """400 homes. ASB: 5 plain reports and 2 of hate crime by tenants, 1 hate crime reported
    without signing in, 1 domestic abuse report (not ASB under the 2014 Act). Survey: 8 LCRA
    answers to TP01 (4 very and 2 fairly satisfied, 1 neither, 1 very dissatisfied), 2 of them
    had a repair (TP02: 1 very satisfied, 1 fairly dissatisfied); 3 LCHO answers to TP01, all
    very dissatisfied.

    By hand: NM01(1) 8 x 1,000 / 400 = 20.0; NM01(2) 3 x 1,000 / 400 = 7.5; TP01 (LCRA) 6 of
    8 = 75.0%; TP02 1 of 2 = 50.0%."""
    team = asb_team()
    team.lead = asb_officer
    team.save()
    with time_machine.travel(REPORTED, tick=False):
        for _ in range(5):
            report(tenant_a)
        report(tenant_b, AsbKind.HATE_CRIME, hate_characteristic="race")
        report(tenant_b, AsbKind.HATE_CRIME, hate_characteristic="disability")
        report(tenant_b, AsbKind.DOMESTIC_ABUSE)
        anonymous_report(
            incident=Incident(kind=AsbKind.HATE_CRIME, place="street", details="Shouted abuse"),
            safe_contact=SafeContactAnswers(),
            contact_way="none",
        )
        survey = SurveyFactory(first_year=YEAR.first_year)
        lcra_answers = ["very_satisfied"] * 4 + ["fairly_satisfied"] * 2
        lcra_answers += ["neither", "very_dissatisfied"]
        repairs = {0: "very_satisfied", 7: "fairly_dissatisfied"}
        for n, answer in enumerate(lcra_answers):
            SurveyResponseFactory(
                survey=survey,
                stock_class="lcra",
                tp01=answer,
                had_repair="yes" if n in repairs else "no",
                tp02=repairs.get(n, ""),
            )
        for _ in range(3):
            SurveyResponseFactory(survey=survey, stock_class="lcho", tp01="very_dissatisfied")
        perception_tallies_rebuild(survey=survey)
        # Each answer came from a customer with a home of their own: 2 + 11 homes so far.
        PropertyFactory.create_batch(400 - 13)


def figures(tsm, part):
    line = tsm.line(part)
    return (line.figures.numerator, line.figures.denominator, line.figures.figure)


def test_nm01_counts_asb_and_hate_cases_per_1000_homes_from_the_asb_area(year_of_reports):
    tsm = tsm_return(YEAR)

    assert figures(tsm, "NM01(1)") == (8, 400, Decimal("20.0"))
    assert figures(tsm, "NM01(2)") == (3, 400, Decimal("7.5"))
    assert tsm.line("NM01(1)").figure_text == "20.0 per 1,000 homes"


def test_tp_lines_are_the_low_cost_rental_figures_never_mixed_with_home_ownership(
    year_of_reports,
):
    tsm = tsm_return(YEAR)

    assert figures(tsm, "TP01") == (6, 8, Decimal("75.0"))
    assert figures(tsm, "TP02") == (1, 2, Decimal("50.0"))
    assert tsm.line("TP01").figure_text == "75.0%"
    # Nobody answered TP03: recorded, but nothing to divide by; never 0% and never 100%.
    assert figures(tsm, "TP03") == (0, 0, None)
    assert tsm.line("TP03").figure_text == "none to count"


def test_every_perception_measure_and_both_nm01_parts_are_recorded(db):
    tsm = tsm_return(YEAR)

    for part in ["NM01(1)", "NM01(2)", *PERCEPTION]:
        assert tsm.line(part).recorded, part
    assert tsm.line("RP01").figure_text == NOT_YET_RECORDED


def test_a_previous_year_counts_none_of_these_reports(year_of_reports):
    tsm = tsm_return(ReportingYear(2025))

    assert figures(tsm, "NM01(1)")[0] == 0
    assert figures(tsm, "TP01") == (0, 0, None)


def test_the_drill_down_counts_asb_cases_without_naming_them(client, manager, year_of_reports):
    client.force_login(manager)
    page = client.get(reverse("performance:tsm_drill_down", kwargs={"key": "NM01-1"}))

    text = page.content.decode()
    assert page.status_code == 200
    assert "(8 of 400)" in text
    assert ASB_CASES_NOT_LISTED in text
    assert AsbCase.objects.count() == 8
    for reference in AsbCase.objects.values_list("reference", flat=True):
        assert reference not in text
    assert tsm_return(YEAR).line("NM01(1)").figures.counted_cases(100) == ()


def test_the_drill_down_of_a_perception_measure_says_answers_are_not_listed(
    client, manager, year_of_reports
):
    client.force_login(manager)
    page = client.get(reverse("performance:tsm_drill_down", kwargs={"key": "TP01"}))

    text = page.content.decode()
    assert "(6 of 8)" in text
    assert RESPONSES_NOT_LISTED in text


def test_the_return_csv_holds_the_hand_computed_figures(client, manager, year_of_reports):
    client.force_login(manager)
    response = client.get(reverse("performance:tsm_return_csv"), {"year": "2026"})

    rows = {row[1]: row for row in csv.reader(io.StringIO(response.content.decode()))}
    assert rows["NM01(1)"][5:8] + rows["NM01(1)"][9:] == ["8", "400", "20.0", "recorded"]
    assert rows["NM01(2)"][5:8] == ["3", "400", "7.5"]
    assert rows["TP01"][5:8] == ["6", "8", "75.0"]
    assert rows["TP02"][5:8] == ["1", "2", "50.0"]
    assert rows["TP03"][9] == "none to count"


def public_row(text: str, part: str) -> str:
    match = re.search(r'data-measure="' + re.escape(part) + r'">(.*?)</tr>', text, flags=re.DOTALL)
    assert match, part
    return match.group(1)


def test_the_public_page_shows_the_figures_and_withholds_counts_under_5(client, year_of_reports):
    with time_machine.travel(PUBLISHED, tick=False):
        published_figures_refresh()
        text = client.get(reverse("performance:published")).content.decode()

    assert "20.0 per 1,000 homes" in public_row(text, "NM01(1)")
    # 3 hate cases, and 1 satisfied of 2 with a repair: too few to publish.
    assert "withheld: fewer than 5 cases" in public_row(text, "NM01(2)")
    assert "7.5" not in public_row(text, "NM01(2)")
    assert "75.0%" in public_row(text, "TP01")
    assert "withheld: fewer than 5 cases" in public_row(text, "TP02")
    assert "50.0%" not in text
    for reference in AsbCase.objects.values_list("reference", flat=True):
        assert reference not in text


def test_the_public_csv_withholds_the_same_figures(client, year_of_reports):
    with time_machine.travel(PUBLISHED, tick=False):
        published_figures_refresh()
        response = client.get(reverse("performance:published_csv"))

    rows = {row[0]: row for row in csv.reader(io.StringIO(response.content.decode())) if row}
    assert rows["NM01(1)"][2] == "20.0 per 1,000 homes"
    assert rows["NM01(2)"][2] == "withheld: fewer than 5 cases"
    assert rows["TP01"][2] == "75.0%"
    assert rows["TP02"][2] == "withheld: fewer than 5 cases"
