"""TP01 to TP12 against counts made by hand from the regulator's rules: satisfied of valid
responses, "not applicable / don't know" and blanks out of the base, filter questions deciding
who TP02, TP03, TP09 and TP10 count, LCRA and LCHO apart, TP02 and TP03 for LCRA only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from engagement.models import Survey
from engagement.questions import QUESTIONS
from engagement.selectors import perception_measures
from engagement.services import perception_tallies_rebuild, survey_response_submit
from kernel.reporting import ReportingYear
from tests.engagement.factories import (
    SurveyFactory,
    SurveyInvitationFactory,
    SurveyResponseFactory,
)

pytestmark = pytest.mark.django_db

YEAR = ReportingYear(2026)


def _by_key(figures):
    return {(f.code, f.stock_class): f for f in figures}


def _measures(year=YEAR):
    """The measures after the tallies are recounted from the rows these tests insert directly
    (the path for answers a contractor collected and loaded in bulk)."""
    for survey in Survey.objects.all():
        perception_tallies_rebuild(survey=survey)
    return perception_measures(year)


def test_no_responses_gives_no_figure_rather_than_zero():
    figures = perception_measures(YEAR)
    assert len(figures) == 22  # 12 measures for LCRA, 10 for LCHO (not TP02, TP03)
    assert all(f.figure is None and f.numerator == 0 and f.denominator == 0 for f in figures)


def test_tp01_counts_very_and_fairly_satisfied_of_every_answer_on_the_scale():
    survey = SurveyFactory()
    answers = [
        "very_satisfied",
        "fairly_satisfied",
        "fairly_satisfied",
        "neither",
        "fairly_dissatisfied",
        "very_dissatisfied",
        "",
    ]
    for answer in answers:
        SurveyResponseFactory(survey=survey, tp01=answer)
    tp01 = _by_key(_measures())[("TP01", "lcra")]
    # By hand: 3 satisfied of 6 answers (the blank is no answer).
    assert (tp01.numerator, tp01.denominator, tp01.figure) == (3, 6, Decimal("50.0"))


def test_not_applicable_is_left_out_of_tp11_and_tp12():
    survey = SurveyFactory()
    for answer in [
        "very_satisfied",
        "not_applicable",
        "not_applicable",
        "very_dissatisfied",
        "fairly_satisfied",
    ]:
        SurveyResponseFactory(survey=survey, tp11=answer, tp12=answer)
    figures = _by_key(_measures())
    # By hand: 2 satisfied of 3 valid; 2 "not applicable" out of the base. 66.666 -> 66.7.
    for code in ("TP11", "TP12"):
        assert (figures[(code, "lcra")].numerator, figures[(code, "lcra")].denominator) == (2, 3)
        assert figures[(code, "lcra")].figure == Decimal("66.7")


def test_tp02_and_tp03_count_only_those_who_had_a_repair():
    survey = SurveyFactory()
    SurveyResponseFactory(survey=survey, had_repair="yes", tp02="very_satisfied", tp03="neither")
    SurveyResponseFactory(
        survey=survey, had_repair="yes", tp02="fairly_dissatisfied", tp03="fairly_satisfied"
    )
    SurveyResponseFactory(survey=survey, had_repair="yes", tp02="fairly_satisfied", tp03="")
    # An answer from someone who said no repair (routing broken on paper) is not counted.
    SurveyResponseFactory(
        survey=survey, had_repair="no", tp02="very_satisfied", tp03="very_satisfied"
    )
    SurveyResponseFactory(survey=survey, had_repair="", tp02="very_satisfied")
    figures = _by_key(_measures())
    assert (figures[("TP02", "lcra")].numerator, figures[("TP02", "lcra")].denominator) == (2, 3)
    assert figures[("TP02", "lcra")].figure == Decimal("66.7")
    assert (figures[("TP03", "lcra")].numerator, figures[("TP03", "lcra")].denominator) == (1, 2)
    assert ("TP02", "lcho") not in figures and ("TP03", "lcho") not in figures


def test_tp09_counts_complainants_and_tp10_those_with_communal_areas():
    survey = SurveyFactory()
    SurveyResponseFactory(
        survey=survey,
        made_complaint="yes",
        tp09="very_dissatisfied",
        has_communal_areas="yes",
        tp10="fairly_satisfied",
    )
    SurveyResponseFactory(
        survey=survey,
        made_complaint="yes",
        tp09="fairly_satisfied",
        has_communal_areas="dont_know",
        tp10="very_satisfied",
    )
    SurveyResponseFactory(
        survey=survey,
        made_complaint="no",
        tp09="very_satisfied",
        has_communal_areas="no",
        tp10="very_satisfied",
    )
    figures = _by_key(_measures())
    assert (figures[("TP09", "lcra")].numerator, figures[("TP09", "lcra")].denominator) == (1, 2)
    # "Don't know" to the communal filter is not "yes": only the first is counted.
    assert (figures[("TP10", "lcra")].numerator, figures[("TP10", "lcra")].denominator) == (1, 1)
    assert figures[("TP10", "lcra")].figure == Decimal("100.0")


def test_tp08_counts_strongly_and_tend_to_agree():
    survey = SurveyFactory()
    for answer in ["strongly_agree", "tend_to_agree", "neither", "tend_to_disagree"]:
        SurveyResponseFactory(survey=survey, tp08=answer)
    tp08 = _by_key(_measures())[("TP08", "lcra")]
    assert (tp08.numerator, tp08.denominator, tp08.figure) == (2, 4, Decimal("50.0"))


def test_lcra_and_lcho_are_counted_apart():
    survey = SurveyFactory()
    SurveyResponseFactory(survey=survey, stock_class="lcra", tp01="very_satisfied")
    SurveyResponseFactory(survey=survey, stock_class="lcho", tp01="very_dissatisfied")
    SurveyResponseFactory(survey=survey, stock_class="lcho", tp01="fairly_satisfied")
    figures = _by_key(_measures())
    assert figures[("TP01", "lcra")].figure == Decimal("100.0")
    assert (figures[("TP01", "lcho")].numerator, figures[("TP01", "lcho")].denominator) == (1, 2)


def test_halves_round_up_as_published():
    survey = SurveyFactory()
    # 1 of 8 = 12.5% exactly; published as 12.5. 1 of 16 = 6.25% -> 6.3 (halves up).
    SurveyResponseFactory(survey=survey, tp04="very_satisfied")
    for _ in range(15):
        SurveyResponseFactory(survey=survey, tp04="neither")
    assert _by_key(_measures())[("TP04", "lcra")].figure == Decimal("6.3")


def test_only_the_years_surveys_count():
    SurveyResponseFactory(survey=SurveyFactory(first_year=2025), tp01="very_satisfied")
    SurveyResponseFactory(survey=SurveyFactory(first_year=2026), tp01="very_dissatisfied")
    assert _by_key(_measures())[("TP01", "lcra")].figure == Decimal("0.0")
    assert _by_key(_measures(ReportingYear(2025)))[("TP01", "lcra")].figure == Decimal("100.0")


def test_the_measures_are_one_query(django_assert_num_queries):
    SurveyResponseFactory(tp01="very_satisfied")
    _measures()
    with django_assert_num_queries(1):
        perception_measures(YEAR)


def test_answers_recorded_by_the_service_are_counted_as_a_recount_counts_them():
    today = timezone.localdate()
    survey = SurveyFactory(
        first_year=YEAR.first_year,
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=1),
    )
    answers = [
        {
            "tp01": "very_satisfied",
            "had_repair": "yes",
            "tp02": "neither",
            "tp11": "not_applicable",
        },
        {"tp01": "very_satisfied", "had_repair": "no", "tp11": "fairly_satisfied"},
        {
            "tp01": "neither",
            "had_repair": "yes",
            "tp02": "fairly_satisfied",
            "tp12": "very_satisfied",
        },
    ]
    for answer in answers:
        invitation = SurveyInvitationFactory(survey=survey)
        survey_response_submit(survey=survey, customer=invitation.customer, answers=answer)
    running = perception_measures(YEAR)
    by_hand = _by_key(running)
    assert (by_hand[("TP01", "lcra")].numerator, by_hand[("TP01", "lcra")].denominator) == (2, 3)
    assert (by_hand[("TP02", "lcra")].numerator, by_hand[("TP02", "lcra")].denominator) == (1, 2)
    assert (by_hand[("TP11", "lcra")].numerator, by_hand[("TP11", "lcra")].denominator) == (1, 1)
    perception_tallies_rebuild(survey=survey)
    assert perception_measures(YEAR) == running


def test_only_tp11_and_tp12_offer_not_applicable_and_tp01_never_does():
    offering = {q.code for q in QUESTIONS if q.offers_not_applicable}
    assert offering == {"TP11", "TP12"}
    assert "not_applicable" not in {code for code, _ in QUESTIONS[0].choices()}
