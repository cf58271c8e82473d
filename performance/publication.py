"""Reads for everything published: the public performance page and its downloads, the Board
report and the annual customer report.

Every commitment figure here comes from the daily rollups of closed days, never from the
deadline table: a published page costs a handful of small queries whatever the volume. The
TSMs come from ``PublishedTsmFigure``, refreshed daily. Nothing published names a case, and a
count under 5 is never shown (``suppressed``), nor a percentage of fewer than 5 cases.
See docs/decisions/0028-published-figures-from-rollups.md.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Count, F, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404

from complaints.selectors import annual_report as complaint_annual_report
from complaints.selectors import improvements_in_year
from engagement.selectors import you_said_we_did_in_year
from kernel.reporting import ReportingYear, reporting_year_containing
from performance.chc_provisions import PROVISIONS, Provision
from performance.models import (
    ComplaintHandlingPack,
    DailyCommitmentRollup,
    ProvisionAnswer,
    PublishedTsmFigure,
    RollupWatermark,
)
from performance.selectors import WindowFigures, rollup_totals, rollup_watermark
from performance.tsm.definitions import MeasureDefinition, Unit, definitions_for
from performance.tsm.returns import NOT_YET_RECORDED, format_figure
from performance.windows import add_months, local_midnight, month_start
from sla.models import Commitment, Deadline

# Counts from 1 to 4 could point to a person (a street, a household); shown as "fewer than 5".
SMALLEST_PUBLISHED_COUNT = 5
FEWER_THAN_FIVE = "fewer than 5"

# Clocks of case types that only the ASB team may see (docs/decisions/0003): never published,
# not even as totals. NM01(2), the rate of hate incidents the regulator requires, is published
# as a rate with the same suppression as every other figure.
SENSITIVE_COMMITMENT_PREFIXES = ("asb.hate_crime.", "asb.domestic_abuse.")

# Service areas, by the first word of a commitment's code, in the order the page shows them.
AREAS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("keeping-in-touch", "Keeping in touch", ("enquiry", "webchat")),
    ("complaints", "Complaints", ("complaint", "chc")),
    ("repairs", "Repairs, and damp and mould", ("repair", "hazard")),
    ("safety", "Keeping you safe", ("gas", "electrical", "fire")),
    ("neighbourhoods", "Anti-social behaviour", ("asb",)),
    ("lettings", "Letting homes and moving", ("lettings", "exchange")),
    ("rent", "Rent", ("rent",)),
    ("data", "Your personal data", ("dp",)),
)
OTHER_AREA = ("other", "Other commitments")


def area_of(code: str) -> tuple[str, str]:
    first = code.split(".", 1)[0]
    for key, title, prefixes in AREAS:
        if first in prefixes:
            return key, title
    return OTHER_AREA


def is_publishable(code: str) -> bool:
    return not code.startswith(SENSITIVE_COMMITMENT_PREFIXES)


def suppressed(count: int | None) -> int | None:
    """``count`` if it may be published (0, or 5 and more); None if it is 1 to 4."""
    if count is None or count == 0 or count >= SMALLEST_PUBLISHED_COUNT:
        return count
    return None


def count_text(count: int | None) -> str:
    shown = suppressed(count)
    return FEWER_THAN_FIVE if shown is None else f"{shown:,}"


@dataclass(frozen=True)
class PublicFigures:
    """One commitment in one period, as published: the count of clocks started, and the
    share met on time of those due that finished, withheld below 5."""

    figures: WindowFigures

    @property
    def started_text(self) -> str:
        return count_text(self.figures.started)

    @property
    def finished_text(self) -> str:
        return count_text(self.figures.finished)

    @property
    def percent(self) -> Decimal | None:
        """None when nothing was due, or fewer than 5 were (a small base could point to a
        person: 0% of 1)."""
        if self.figures.finished < SMALLEST_PUBLISHED_COUNT:
            return None
        return self.figures.percent_met_on_time

    @property
    def percent_text(self) -> str:
        if self.figures.finished == 0:
            return "none due"
        if self.percent is None:
            return "fewer than 5 due"
        return f"{self.percent}%"

    def on_target(self, target: Decimal) -> bool | None:
        if self.percent is None:
            return None
        return self.figures.on_target(target)


@dataclass(frozen=True)
class PublicLine:
    code: str
    title: str
    promise: str
    target_percent: Decimal
    last_month: PublicFigures
    year_to_date: PublicFigures


@dataclass(frozen=True)
class PublicArea:
    key: str
    title: str
    lines: list[PublicLine]


@dataclass(frozen=True)
class PublishedTsm:
    definition: MeasureDefinition
    this_year: PublishedTsmFigure | None
    last_year: PublishedTsmFigure | None

    def text(self, row: PublishedTsmFigure | None) -> str:
        return published_tsm_text(row, self.definition.unit)

    @property
    def this_year_text(self) -> str:
        return self.text(self.this_year)

    @property
    def last_year_text(self) -> str:
        return self.text(self.last_year)


def published_tsm_text(row: PublishedTsmFigure | None, unit: Unit) -> str:
    if row is None or not row.recorded:
        return NOT_YET_RECORDED
    if suppressed(row.numerator) is None or suppressed(row.denominator) is None:
        return "withheld: " + FEWER_THAN_FIVE + " cases"
    if row.figure is None:
        return "none to count"
    return format_figure(row.figure, unit)


@dataclass(frozen=True)
class PublishedPerformance:
    last_month_first: dt.date | None  # None: the rollups do not cover last month yet
    year: ReportingYear
    year_to_date_last: dt.date | None  # the last day counted; None: no day of the year yet
    areas: list[PublicArea]
    tsms: list[PublishedTsm]
    tsm_computed_at: dt.datetime | None
    watermark: RollupWatermark = field(repr=False, default_factory=RollupWatermark)

    @property
    def last_month_last(self) -> dt.date | None:
        if self.last_month_first is None:
            return None
        return add_months(self.last_month_first, 1) - dt.timedelta(days=1)


def publishable_commitments(*, first_day: dt.date, last_day: dt.date) -> list[dict[str, Any]]:
    """Active clocks (not notice periods), not of sensitive case types, that started at least
    one clock from ``first_day`` to ``last_day``, by their rollups: one query."""
    started_ids = set(
        DailyCommitmentRollup.objects.filter(date__gte=first_day, date__lte=last_day, started__gt=0)
        .values_list("commitment_id", flat=True)
        .order_by()  # the model's ordering would make every day a distinct row
        .distinct()
    )
    return [
        dict(row)
        for row in Commitment.objects.filter(
            is_active=True, is_constraint=False, id__in=started_ids
        )
        .order_by("code")
        .values("id", "code", "title", "promise", "target_percent")
        if is_publishable(row["code"])
    ]


# The published figures change only when the rollups or the TSM lines are refreshed, so they
# are kept in the cache under a key made of both refresh times (and the day, which moves "last
# month" and "the year to date"): a refresh makes a new key, and nothing has to be deleted.
PUBLISHED_CACHE_SECONDS = 24 * 60 * 60


def published_figures_key(today: dt.date) -> tuple[str | None, RollupWatermark]:
    """The cache key of the published figures for ``today``, and the watermark: one query.
    No key (None) before the rollups' first refresh, when there is nothing worth keeping."""
    latest_tsm = PublishedTsmFigure.objects.order_by("-computed_at").values("computed_at")[:1]
    watermark = (
        RollupWatermark.objects.filter(pk=1).annotate(tsm_computed_at=Subquery(latest_tsm)).first()
    )
    if watermark is None or watermark.refreshed_at is None:
        return None, watermark or RollupWatermark()
    tsm_stamp = getattr(watermark, "tsm_computed_at", None)
    key = ":".join(
        str(part)
        for part in (
            "performance.published.v1",
            today.isoformat(),
            watermark.covered_from,
            watermark.covered_through,
            watermark.refreshed_at.isoformat(),
            tsm_stamp.isoformat() if tsm_stamp else "no-tsm",
        )
    )
    return key, watermark


def published_performance(*, today: dt.date) -> PublishedPerformance:
    """The public page's figures (see ``compute_published_performance``), from the cache while
    neither the rollups nor the published TSM lines have been refreshed since they were worked
    out: one query when they are in the cache, five when they are not."""
    key, watermark = published_figures_key(today)
    if key is not None:
        kept = cache.get(key)
        if isinstance(kept, PublishedPerformance):
            return kept
    performance = compute_published_performance(today=today, watermark=watermark)
    if key is not None:
        cache.set(key, performance, PUBLISHED_CACHE_SECONDS)
    return performance


def compute_published_performance(
    *, today: dt.date, watermark: RollupWatermark | None = None
) -> PublishedPerformance:
    """The public page: for every publishable commitment that started clocks this reporting
    year or last month, last month's figures and the year to date's, by service area; and the
    TSMs as last computed. Five queries whatever the volume: the watermark (unless given), the
    commitments, the rollup totals, the TSM figures (this year and last)."""
    if watermark is None:
        watermark = rollup_watermark()
    year = reporting_year_containing(today)
    last_closed = today - dt.timedelta(days=1)
    covered_through = watermark.covered_through if watermark.covered_from else None
    last_month_first = add_months(month_start(today), -1)
    last_month_last = month_start(today) - dt.timedelta(days=1)
    ranges: dict[str, tuple[dt.date, dt.date]] = {}
    if covered_through is not None and watermark.covered_from is not None:
        if watermark.covered_from <= last_month_first and covered_through >= last_month_last:
            ranges["last_month"] = (last_month_first, last_month_last)
        ytd_last = min(covered_through, last_closed)
        if ytd_last >= year.starts and watermark.covered_from <= year.starts:
            ranges["year"] = (year.starts, ytd_last)
    first_day = min((first for first, _ in ranges.values()), default=today)
    last_day = max((last for _, last in ranges.values()), default=today)
    commitments = publishable_commitments(first_day=first_day, last_day=last_day) if ranges else []
    totals = rollup_totals([c["id"] for c in commitments], ranges)

    by_area: dict[tuple[str, str], list[PublicLine]] = defaultdict(list)
    for c in commitments:
        figures = totals.get(c["id"], {})
        by_area[area_of(c["code"])].append(
            PublicLine(
                code=c["code"],
                title=c["title"],
                promise=c["promise"],
                target_percent=c["target_percent"],
                last_month=PublicFigures(figures.get("last_month", WindowFigures())),
                year_to_date=PublicFigures(figures.get("year", WindowFigures())),
            )
        )
    order = [key for key, _, _ in AREAS] + [OTHER_AREA[0]]
    areas = [
        PublicArea(key=key, title=title, lines=lines)
        for (key, title), lines in sorted(by_area.items(), key=lambda item: order.index(item[0][0]))
    ]
    tsms, computed_at = published_tsms(year)
    return PublishedPerformance(
        last_month_first=last_month_first if "last_month" in ranges else None,
        year=year,
        year_to_date_last=ranges["year"][1] if "year" in ranges else None,
        areas=areas,
        tsms=tsms,
        tsm_computed_at=computed_at,
        watermark=watermark,
    )


def published_tsms(year: ReportingYear) -> tuple[list[PublishedTsm], dt.datetime | None]:
    """Every line of ``year``'s definitions beside this year's and last year's published
    figures: one query."""
    rows = {
        (row.first_year, row.part): row
        for row in PublishedTsmFigure.objects.filter(
            first_year__in=[year.first_year, year.first_year - 1]
        )
    }
    computed = max((row.computed_at for row in rows.values()), default=None)
    return [
        PublishedTsm(
            definition=d,
            this_year=rows.get((year.first_year, d.part)),
            last_year=rows.get((year.first_year - 1, d.part)),
        )
        for d in definitions_for(year).lines
    ], computed


# ---------------------------------------------------------------------------------------------
# Months: the Board report's trend and the annual customer report
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthLine:
    code: str
    title: str
    target_percent: Decimal
    months: list[WindowFigures]  # oldest first, one per month asked for

    @property
    def latest(self) -> WindowFigures:
        return self.months[-1]


def monthly_figures(
    *, first_month: dt.date, last_month: dt.date
) -> tuple[list[dt.date], list[MonthLine]]:
    """Per active commitment (sensitive ones included: the Board sees every area), per month
    from ``first_month`` to ``last_month`` (first days), the rollup totals: two queries. Months
    the rollups do not cover count nothing; the caller says which are covered."""
    months = []
    month = first_month
    while month <= last_month:
        months.append(month)
        month = add_months(month, 1)
    end = add_months(last_month, 1) - dt.timedelta(days=1)
    commitments = list(
        Commitment.objects.filter(is_active=True, is_constraint=False)
        .order_by("code")
        .values("id", "code", "title", "target_percent")
    )
    rows = (
        DailyCommitmentRollup.objects.filter(date__gte=first_month, date__lte=end)
        .annotate(month=TruncMonth("date"))
        .values("commitment_id", "month")
        .annotate(
            started_total=Sum("started"),
            finished_total=Sum(F("met_on_time") + F("met_late") + F("breached")),
            on_time_total=Sum("met_on_time"),
        )
        .order_by()
    )
    found: dict[tuple[int, dt.date], WindowFigures] = {}
    for row in rows:
        found[(row["commitment_id"], _as_date(row["month"]))] = WindowFigures(
            started=row["started_total"] or 0,
            finished=row["finished_total"] or 0,
            met_on_time=row["on_time_total"] or 0,
        )
    lines = [
        MonthLine(
            code=c["code"],
            title=c["title"],
            target_percent=c["target_percent"],
            months=[found.get((c["id"], m), WindowFigures()) for m in months],
        )
        for c in commitments
    ]
    return months, [line for line in lines if any(m.started or m.finished for m in line.months)]


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def totals(lines: Iterable[WindowFigures]) -> WindowFigures:
    result = WindowFigures()
    for figures in lines:
        result = result + figures
    return result


@dataclass(frozen=True)
class BreachSummary:
    code: str
    title: str
    breached: int  # due in the month and missed
    since_met: int  # of those, met later (the work was done, late)
    still_open: int  # of those, still not met


def breaches_in_month(month: dt.date) -> list[BreachSummary]:
    """Clocks due in ``month`` (Europe/London) and missed, per commitment, and what happened
    to them since: met late, or still open. One query."""
    start = local_midnight(month)
    end = local_midnight(add_months(month, 1))
    rows = (
        Deadline.objects.filter(due_at__gte=start, due_at__lt=end)
        .filter(Q(breached_at__isnull=False) | Q(met_at__gt=F("due_at")))
        .values("commitment__code", "commitment__title")
        .annotate(
            breached=Count("id"),
            since_met=Count("id", filter=Q(met_at__isnull=False)),
            still_open=Count("id", filter=Q(met_at__isnull=True)),
        )
        .order_by("commitment__code")
    )
    return [
        BreachSummary(
            code=r["commitment__code"],
            title=r["commitment__title"],
            breached=r["breached"],
            since_met=r["since_met"],
            still_open=r["still_open"],
        )
        for r in rows
    ]


# ---------------------------------------------------------------------------------------------
# The Board report
# ---------------------------------------------------------------------------------------------

TREND_MONTHS = 13


@dataclass(frozen=True)
class BoardArea:
    key: str
    title: str
    lines: list[MonthLine]

    @property
    def month_total(self) -> WindowFigures:
        return totals(line.latest for line in self.lines)


def board_report(*, month: dt.date, now: dt.datetime) -> dict:
    """Everything the Board's monthly report shows, for ``month`` (its first day): every
    area's figures that month, the 13 months to it, the clocks missed that month and what
    was done about them since, and the TSMs of the year so far. Six queries."""
    first = add_months(month, -(TREND_MONTHS - 1))
    months, lines = monthly_figures(first_month=first, last_month=month)
    by_area: dict[tuple[str, str], list[MonthLine]] = defaultdict(list)
    for line in lines:
        by_area[area_of(line.code)].append(line)
    order = [key for key, _, _ in AREAS] + [OTHER_AREA[0]]
    areas = [
        BoardArea(key=key, title=title, lines=area_lines)
        for (key, title), area_lines in sorted(
            by_area.items(), key=lambda item: order.index(item[0][0])
        )
    ]
    watermark = rollup_watermark()
    year = reporting_year_containing(month)
    tsms, tsm_computed_at = published_tsms(year)
    return {
        "month": month,
        "months": months,
        "areas": areas,
        "all_month": totals(area.month_total for area in areas),
        "breaches": breaches_in_month(month),
        "tsms": tsms,
        "tsm_year": year,
        "tsm_computed_at": tsm_computed_at,
        "covered_from": watermark.covered_from,
        "covered_through": watermark.covered_through,
        "generated_at": now,
    }


# ---------------------------------------------------------------------------------------------
# The Complaint Handling Code annual pack
# ---------------------------------------------------------------------------------------------


def submission_deadline(pack: ComplaintHandlingPack) -> Deadline | None:
    return (
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(ComplaintHandlingPack),
            object_id=pack.pk,
            commitment__code="chc.annual_submission",
        )
        .order_by("pk")
        .first()
    )


def submission_clock_started(pack: ComplaintHandlingPack) -> bool:
    return submission_deadline(pack) is not None


@dataclass(frozen=True)
class ProvisionLine:
    provision: Provision
    answer: ProvisionAnswer | None


def pack_for_year(year: ReportingYear) -> ComplaintHandlingPack | None:
    return ComplaintHandlingPack.objects.filter(first_year=year.first_year).first()


def provision_lines(pack: ComplaintHandlingPack | None) -> list[ProvisionLine]:
    """Every provision of the form with its answer (or None): one query."""
    answers = {a.provision: a for a in pack.answers.select_related("answered_by")} if pack else {}
    return [ProvisionLine(p, answers.get(p.number)) for p in PROVISIONS]


def published_pack(year: ReportingYear) -> ComplaintHandlingPack:
    """The year's pack if it has been published; 404 otherwise (a draft is nobody's
    business outside the association)."""
    pack = pack_for_year(year)
    if pack is None or pack.published_at is None:
        raise Http404
    return pack


def published_packs() -> list[ComplaintHandlingPack]:
    return list(
        ComplaintHandlingPack.objects.filter(published_at__isnull=False).order_by("-first_year")
    )


def annual_report_for_publication(year: ReportingYear) -> dict:
    """The annual complaints performance and service improvement report as it is frozen at
    publication: counts and measures only, never a reference, a name or a sensitive case."""
    report = complaint_annual_report(year)
    m = report.measures
    return {
        "stage1_received": m.stage1_received,
        "stage2_received": m.stage2_received,
        "homes": m.homes,
        "ch01_stage1": None if m.ch01_stage1 is None else str(m.ch01_stage1),
        "ch01_stage2": None if m.ch01_stage2 is None else str(m.ch01_stage2),
        "stage1_responded": m.stage1_responded,
        "stage1_within_code": m.stage1_within_code,
        "stage2_responded": m.stage2_responded,
        "stage2_within_code": m.stage2_within_code,
        "by_channel": [[row.label, row.count] for row in report.by_channel],
        "by_outcome": [[row.label, row.count] for row in report.by_outcome],
        "refusals": [[row.label, row.count] for row in report.refusals],
        "extensions_stage1": report.extensions_stage1,
        "extensions_stage2": report.extensions_stage2,
        "extensions_beyond_limit": report.extensions_beyond_limit,
        "code_clocks_missed": [[row.label, row.count] for row in report.code_clocks_missed],
        "stage2_same_handler": report.stage2_same_handler,
        "improvements": [r.improvement for r in report.learning],
    }


@dataclass(frozen=True)
class PublishedCount:
    label: str
    count: int

    @property
    def text(self) -> str:
        return count_text(self.count)


def published_report_view(frozen: dict) -> dict:
    """The frozen report with every count suppressed under 5 for the page."""
    counts = {key: count_text(value) for key, value in frozen.items() if isinstance(value, int)}
    rows = {
        key: [PublishedCount(label, count) for label, count in frozen.get(key, [])]
        for key in ("by_channel", "by_outcome", "refusals", "code_clocks_missed")
    }
    responded1 = frozen.get("stage1_responded", 0)
    responded2 = frozen.get("stage2_responded", 0)
    ch02_1 = PublicFigures(
        WindowFigures(finished=responded1, met_on_time=frozen.get("stage1_within_code", 0))
    )
    ch02_2 = PublicFigures(
        WindowFigures(finished=responded2, met_on_time=frozen.get("stage2_within_code", 0))
    )
    return {
        "counts": counts,
        "rows": rows,
        "ch01_stage1": frozen.get("ch01_stage1")
        if suppressed(frozen.get("stage1_received")) is not None
        else None,
        "ch01_stage2": frozen.get("ch01_stage2")
        if suppressed(frozen.get("stage2_received")) is not None
        else None,
        "ch02_stage1": ch02_1.percent_text,
        "ch02_stage2": ch02_2.percent_text,
        "improvements": frozen.get("improvements", []),
    }


# ---------------------------------------------------------------------------------------------
# The annual customer report
# ---------------------------------------------------------------------------------------------


def annual_customer_report(year: ReportingYear, *, today: dt.date) -> dict:
    """The year's figures for residents, by area (from the rollups, suppressed as on the
    public page), the TSMs as published, and what complaints changed and what engagement
    published ("you said, we did"). Six queries."""
    watermark = rollup_watermark()
    last_day = min(year.ends, today - dt.timedelta(days=1))
    covered = (
        watermark.covered_from is not None
        and watermark.covered_through is not None
        and watermark.covered_from <= year.starts
        and last_day >= year.starts
    )
    areas: list[PublicArea] = []
    counted_through = None
    if covered:
        assert watermark.covered_through is not None
        counted_through = min(last_day, watermark.covered_through)
        commitments = publishable_commitments(first_day=year.starts, last_day=counted_through)
        figures = rollup_totals(
            [c["id"] for c in commitments], {"year": (year.starts, counted_through)}
        )
        by_area: dict[tuple[str, str], list[PublicLine]] = defaultdict(list)
        for c in commitments:
            year_figures = PublicFigures(figures.get(c["id"], {}).get("year", WindowFigures()))
            by_area[area_of(c["code"])].append(
                PublicLine(
                    code=c["code"],
                    title=c["title"],
                    promise=c["promise"],
                    target_percent=c["target_percent"],
                    last_month=year_figures,
                    year_to_date=year_figures,
                )
            )
        order = [key for key, _, _ in AREAS] + [OTHER_AREA[0]]
        areas = [
            PublicArea(key=key, title=title, lines=lines)
            for (key, title), lines in sorted(
                by_area.items(), key=lambda item: order.index(item[0][0])
            )
        ]
    rows = {row.part: row for row in PublishedTsmFigure.objects.filter(first_year=year.first_year)}
    tsms = [
        PublishedTsm(definition=d, this_year=rows.get(d.part), last_year=None)
        for d in definitions_for(year).lines
    ]
    return {
        "year": year,
        "complete": year.has_ended(today),
        "counted_through": counted_through,
        "areas": areas,
        "tsms": tsms,
        "you_said_we_did": improvements_in_year(year),
        "residents_said_we_did": you_said_we_did_in_year(year),
    }
