"""The providers of the measures whose records exist, registered at start-up
(``PerformanceConfig.ready``).

- CH01, CH02: ``complaints.selectors`` (the same rules as the complaints measures page).
- RP02: ``repairs.selectors`` (the same rules as the repairs measures page).
- RP01 (Decent Homes): no record of a home's Decent Homes status exists yet; not yet recorded.
- NM01, BS01 to BS05, TP01 to TP12: their areas (asb, safety, engagement) are not built yet;
  not yet recorded. When one lands, write an adapter here in the shape of ``complaint_measures``
  below and add it to ``register_all``; see ``nm01_from`` and friends for the expected shape.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from complaints.selectors import (
    complaint_measures,
    complaints_counted_for_ch01,
    complaints_counted_for_ch02,
)
from kernel.figures import per_thousand, percent
from kernel.formatting import london_date
from kernel.reporting import ReportingYear
from performance.tsm.registry import CountedCase, PartFigures, register_provider
from repairs.selectors import repairs_counted_for_rp02
from safety.selectors import (
    building_safety_measures,
    homes_counted_for_building_safety,
    measure_moment,
)


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
    """RP02(1) (non-emergency) and RP02(2) (emergency): two queries."""
    result = {}
    for part, emergency in (("RP02(1)", False), ("RP02(2)", True)):
        counted = repairs_counted_for_rp02(first=year.starts, last=year.ends, emergency=emergency)
        totals = counted.aggregate(
            whole=Count("pk"), within=Count("pk", filter=Q(within_target=True))
        )

        def cases(limit: int, counted=counted) -> Sequence[CountedCase]:
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

        result[part] = PartFigures(
            totals["within"], totals["whole"], percent(totals["within"], totals["whole"]), cases
        )
    return result


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
# Adapters for the areas still being built. Each takes what that area's selector is expected
# to return and gives the registry's shape; wire one in ``register_all`` when its app lands.
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

    # Building safety (BS01 to BS05): one provider for the five, from the safety measures.
    for code in ("BS01", "BS02", "BS03", "BS04", "BS05"):
        register_provider(code, building_safety_provider)

    # When the areas land (names as agreed; adapt to what they return), for example:
    #
    #   def neighbourhood_provider(year):
    #       figures = asb.selectors.nm01(year)
    #       return {"NM01(1)": per_thousand_part(figures.cases, figures.homes, ...),
    #               "NM01(2)": per_thousand_part(figures.hate_cases, figures.homes, ...)}
    #   register_provider("NM01", neighbourhood_provider)
    #
    #   def building_safety_provider(year):
    #       return parts_from(safety.selectors.building_safety_measures(year))
    #   for code in ("BS01", "BS02", "BS03", "BS04", "BS05"):
    #       register_provider(code, building_safety_provider)
    #
    #   def perception_provider(year):
    #       return parts_from(engagement.selectors.perception_measures(year))
    #   for code in MEASURE_CODES if code.startswith("TP"):
    #       register_provider(code, perception_provider)
    #
    # One function object per area, registered under each code it answers: the return calls
    # it once per computation.
