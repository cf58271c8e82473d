"""The providers of the measures whose records exist, registered at start-up
(``PerformanceConfig.ready``).

- CH01, CH02: ``complaints.selectors`` (the same rules as the complaints measures page).
- RP02: ``repairs.selectors`` (the same rules as the repairs measures page).
- NM01: ``asb.selectors.asb_measures`` (the ASB area's own count, docs/decisions/0015). ASB
  cases are sensitive (decisions 0003 and 0014): the drill-down counts them without naming them.
- TP01 to TP12: ``engagement.selectors.perception_measures`` (docs/decisions/0023). The return's
  lines are the low-cost rental (LCRA) figures: its definitions have one line per perception
  measure, TP02 and TP03 exist for LCRA only, and the regulator collects the low-cost home
  ownership (LCHO) figures apart from them. LCHO answers never move an LCRA line.
- RP01 (Decent Homes): no record of a home's Decent Homes status exists yet; not yet recorded.
- BS01 to BS05: ``safety.selectors.building_safety_measures`` at safety's own measure moment
  (31 March for a past year, now for the year under way), so the return and the safety
  measures page cannot disagree; the drill-down lists the homes counted by the same rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from asb.selectors import asb_measures
from complaints.selectors import (
    complaint_measures,
    complaints_counted_for_ch01,
    complaints_counted_for_ch02,
)
from engagement.selectors import perception_measures
from kernel.figures import per_thousand, percent
from kernel.formatting import london_date
from kernel.reporting import ReportingYear
from performance.tsm.definitions import MEASURE_CODES
from performance.tsm.registry import CountedCase, PartFigures, register_provider
from repairs.selectors import EMERGENCY, repairs_counted_for_rp02
from safety.selectors import (
    building_safety_measures,
    homes_counted_for_building_safety,
    measure_moment,
)
from tenancy.models import StockClass


def _admin_url(model_label: str, pk: int) -> str | None:
    try:
        return reverse(f"admin:{model_label}_change", args=[pk])
    except NoReverseMatch:
        return None


def complaints_provider(year: ReportingYear) -> Mapping[str, PartFigures]:
    """CH01(1), CH01(2), CH02(1), CH02(2), from the complaints' own measures (five queries)."""
    measures = complaint_measures(year)

    def received(stage: int) -> Callable[[int], Sequence[CountedCase]]:
        def cases(limit: int) -> Sequence[CountedCase]:
            field = "opened_at" if stage == 1 else "escalated_at"
            return [
                CountedCase(
                    reference=c.reference,
                    kind="Complaint",
                    in_numerator=True,
                    detail=f"Received {london_date(getattr(c, field))}",
                    admin_url=_admin_url("complaints_complaint", c.pk),
                )
                for c in complaints_counted_for_ch01(year, stage)[:limit]
            ]

        return cases

    def responded(stage: int) -> Callable[[int], Sequence[CountedCase]]:
        def cases(limit: int) -> Sequence[CountedCase]:
            return [
                CountedCase(
                    reference=c.reference,
                    kind="Complaint",
                    in_numerator=bool(getattr(c, "within_code", False)),
                    detail=(
                        f"Answered {london_date(getattr(c, f'stage{stage}_responded_at'))}, "
                        + ("within" if getattr(c, "within_code", False) else "outside")
                        + " the Code's timescales"
                    ),
                    admin_url=_admin_url("complaints_complaint", c.pk),
                )
                for c in complaints_counted_for_ch02(year, stage)[:limit]
            ]

        return cases

    return {
        "CH01(1)": PartFigures(
            measures.stage1_received, measures.homes, measures.ch01_stage1, received(1)
        ),
        "CH01(2)": PartFigures(
            measures.stage2_received, measures.homes, measures.ch01_stage2, received(2)
        ),
        "CH02(1)": PartFigures(
            measures.stage1_within_code,
            measures.stage1_responded,
            measures.ch02_stage1,
            responded(1),
        ),
        "CH02(2)": PartFigures(
            measures.stage2_within_code,
            measures.stage2_responded,
            measures.ch02_stage2,
            responded(2),
        ),
    }


def repairs_provider(year: ReportingYear) -> Mapping[str, PartFigures]:
    """RP02(1) (non-emergency) and RP02(2) (emergency): one query. Both parts are counted in
    the same pass over the year's completed repairs (the repairs area's two sets, joined),
    split by the repairs area's own emergency rule: at 1,000,000 repairs one pass takes about
    two thirds of the time of two (bench/README.md)."""
    counted = {
        part: repairs_counted_for_rp02(first=year.starts, last=year.ends, emergency=emergency)
        for part, emergency in (("RP02(1)", False), ("RP02(2)", True))
    }
    within = Q(within_target=True)
    totals = (counted["RP02(1)"] | counted["RP02(2)"]).aggregate(
        whole_1=Count("pk", filter=~EMERGENCY),
        within_1=Count("pk", filter=~EMERGENCY & within),
        whole_2=Count("pk", filter=EMERGENCY),
        within_2=Count("pk", filter=EMERGENCY & within),
    )
    result = {}
    for n, part in ((1, "RP02(1)"), (2, "RP02(2)")):

        def cases(limit: int, counted=counted[part]) -> Sequence[CountedCase]:
            return [
                CountedCase(
                    reference=r.reference,
                    kind="Repair",
                    in_numerator=r.within_target,
                    detail=f"Completed {london_date(r.completed_at)}, "
                    + ("within" if r.within_target else "after")
                    + " its target",
                    admin_url=_admin_url("repairs_repair", r.pk),
                )
                for r in counted[:limit]
            ]

        whole, numerator = totals[f"whole_{n}"], totals[f"within_{n}"]
        result[part] = PartFigures(numerator, whole, percent(numerator, whole), cases)
    return result


def neighbourhood_provider(year: ReportingYear) -> Mapping[str, PartFigures]:
    """NM01(1) and NM01(2) from the ASB area's measures, whose rule (which kinds count,
    reports made without signing in included) stays there. No case is listed: every ASB case
    is seen only by the ASB team, and the drill-down is a manager's page."""
    measures = asb_measures(year)
    return {
        "NM01(1)": PartFigures(
            measures.cases_opened,
            measures.homes,
            measures.nm01_1,
            cases_not_listed=ASB_CASES_NOT_LISTED,
        ),
        "NM01(2)": PartFigures(
            measures.hate_cases_opened,
            measures.homes,
            measures.nm01_2,
            cases_not_listed=ASB_CASES_NOT_LISTED,
        ),
    }


ASB_CASES_NOT_LISTED = (
    "Anti-social behaviour cases are counted without naming them: only the ASB team may see them."
)
RESPONSES_NOT_LISTED = "Survey answers are counted, never listed: the survey is anonymous."

# The stock class whose perception figures fill the return's TP lines.
RETURN_STOCK_CLASS = StockClass.LOW_COST_RENTAL


def perception_provider(year: ReportingYear) -> Mapping[str, PartFigures]:
    """TP01 to TP12 (one query): the LCRA figure of each measure as the line of that code."""
    return {
        figure.code: PartFigures(
            figure.numerator,
            figure.denominator,
            figure.figure,
            cases_not_listed=RESPONSES_NOT_LISTED,
        )
        for figure in perception_measures(year)
        if figure.stock_class == RETURN_STOCK_CLASS
    }


def building_safety_provider(year: ReportingYear) -> Mapping[str, PartFigures]:
    """BS01 to BS05 from the safety measures, at the moment the safety measures page uses (the
    end of the year, or now for the year under way): eleven queries for the five. The
    drill-down lists the homes counted, compliant or not, by the same rule."""
    at = measure_moment(year, timezone.now())

    def homes(code: str) -> Callable[[int], Sequence[CountedCase]]:
        def cases(limit: int) -> Sequence[CountedCase]:
            return [
                CountedCase(
                    reference=home.uprn,
                    kind="Home",
                    in_numerator=bool(getattr(home, "compliant", False)),
                    detail=f"{home.address_line_1}: "
                    + (
                        "every required check in date"
                        if getattr(home, "compliant", False)
                        else "a required check out of date or never done"
                    )
                    + f" on {london_date(at)}",
                    admin_url=_admin_url("tenancy_property", home.pk),
                )
                for home in homes_counted_for_building_safety(year=year, at=at, code=code)[:limit]
            ]

        return cases

    return {
        m.code: percent_part(m.homes_compliant, m.homes_requiring, homes(m.code))
        for m in building_safety_measures(year=year, at=at)
    }


# ---------------------------------------------------------------------------------------------
# Adapters from an area's figures to the registry's shape.
# ---------------------------------------------------------------------------------------------


def per_thousand_part(count: int, homes: int, cases=None) -> PartFigures:
    """A per-1,000-homes line (NM01) from a count of cases and the homes counted."""
    return PartFigures(count, homes, per_thousand(count, homes), cases or (lambda limit: ()))


def percent_part(part: int, whole: int, cases=None) -> PartFigures:
    """A percentage line (BS01 to BS05, TP01 to TP12) from a numerator and a denominator."""
    return PartFigures(part, whole, percent(part, whole), cases or (lambda limit: ()))


def parts_from(figures: Mapping[str, Any]) -> dict[str, PartFigures]:
    """Figures keyed by part code, each a ``PartFigures`` already or any object with
    ``numerator`` and ``denominator`` (and optionally ``counted_cases(limit)``), as
    percentages; for per-1,000 parts use ``per_thousand_part``."""
    result = {}
    for part, value in figures.items():
        if isinstance(value, PartFigures):
            result[part] = value
        else:
            result[part] = percent_part(
                value.numerator, value.denominator, getattr(value, "counted_cases", None)
            )
    return result


def register_all() -> None:
    register_provider("CH01", complaints_provider)
    register_provider("CH02", complaints_provider)
    register_provider("RP02", repairs_provider)
    register_provider("NM01", neighbourhood_provider)
    for code in MEASURE_CODES:
        if code.startswith("TP"):
            register_provider(code, perception_provider)
    # Building safety (BS01 to BS05): one provider for the five, from the safety measures.
    for code in ("BS01", "BS02", "BS03", "BS04", "BS05"):
        register_provider(code, building_safety_provider)
