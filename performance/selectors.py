"""Reads for the manager dashboard: how well each commitment is kept.

Every figure is counted by the database with conditional aggregation, never by looping over
deadlines in Python, and each function runs a fixed number of queries whatever the number of
deadlines. Closed days come from ``DailyCommitmentRollup`` where ``RollupWatermark`` says the
rollups are complete; the rest (always including today) is counted live from ``sla.Deadline``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from kernel import personal_data
from kernel.figures import percent
from performance.models import BoardReport, DailyCommitmentRollup, RollupWatermark
from performance.windows import (
    LONDON,
    TREND_WEEKS,
    dashboard_windows,
    local_date,
    local_midnight,
    week_start,
)
from sla.models import Commitment, Deadline

# A deadline has finished when it was met or the sweep marked it breached. These three groups
# of finished deadlines are disjoint; together they are every finished deadline.
FINISHED = Q(met_at__isnull=False) | Q(breached_at__isnull=False)
MET_ON_TIME = Q(met_at__isnull=False, met_at__lte=F("due_at"))
MET_LATE = Q(met_at__gt=F("due_at"))
BREACHED_UNMET = Q(met_at__isnull=True, breached_at__isnull=False)


@dataclass(frozen=True)
class WindowFigures:
    """One commitment in one window.

    - ``started``: deadlines whose clock started in the window.
    - ``finished``: deadlines *due* in the window (up to now) that were met or breached.
    - ``met_on_time``: those of ``finished`` met by their due time (``met_at <= due_at``).
    """

    started: int = 0
    finished: int = 0
    met_on_time: int = 0

    @property
    def percent_met_on_time(self) -> Decimal | None:
        return percent(self.met_on_time, self.finished)

    def on_target(self, target_percent: Decimal) -> bool | None:
        """Whether the unrounded share met on time reaches the target; None with nothing due."""
        if not self.finished:
            return None
        return Decimal(self.met_on_time) * 100 >= target_percent * self.finished

    def __add__(self, other: WindowFigures) -> WindowFigures:
        return WindowFigures(
            started=self.started + other.started,
            finished=self.finished + other.finished,
            met_on_time=self.met_on_time + other.met_on_time,
        )


@dataclass(frozen=True)
class Row:
    """One commitment's line on the dashboard.

    ``windows`` maps a window key ("week", "last_30_days", "year") to its figures. The other
    counts describe the deadlines as they stand now, whenever they started:

    - ``open``: not met (``met_at`` empty), including paused and breached ones;
    - ``due_today``: open and due today (Europe/London), including any due earlier today;
    - ``overdue``: open and due before now;
    - ``breached_open``: marked breached by the sweep and still not met.
    """

    commitment_id: int
    code: str
    title: str
    target_percent: Decimal
    windows: dict[str, WindowFigures]
    open: int = 0
    due_today: int = 0
    overdue: int = 0
    breached_open: int = 0

    def figures(self, window_key: str) -> WindowFigures:
        return self.windows.get(window_key, WindowFigures())

    def on_target(self, window_key: str) -> bool | None:
        return self.figures(window_key).on_target(self.target_percent)


def dashboard_commitments() -> list[dict]:
    """The commitments the dashboard reports: active clocks (notice periods checked at booking,
    ``is_constraint``, cannot be missed later and are left out)."""
    return [
        dict(row)
        for row in Commitment.objects.filter(is_active=True, is_constraint=False)
        .order_by("code")
        .values("id", "code", "title", "target_percent")
    ]


def rollup_watermark() -> RollupWatermark:
    """The watermark row, or an empty one (nothing covered) before the first refresh."""
    return RollupWatermark.objects.filter(pk=1).first() or RollupWatermark()


def _split(
    window_first_day: dt.date,
    watermark: RollupWatermark,
    today: dt.date,
) -> tuple[dt.date | None, dt.datetime | None]:
    """How a window that starts on ``window_first_day`` is read: the last day taken from the
    rollups (None when none is), and the instant from which it is counted live (None: from the
    window's start). Today is always live, whatever the watermark says."""
    if not watermark.covers(window_first_day) or watermark.covered_through is None:
        return None, None
    last_day = min(watermark.covered_through, today - dt.timedelta(days=1))
    if last_day < window_first_day:
        return None, None
    return last_day, local_midnight(last_day + dt.timedelta(days=1))


def _window_aggregates(prefix: str, start: dt.datetime, now: dt.datetime) -> dict:
    started = Q(started_at__gte=start, started_at__lte=now)
    due = Q(due_at__gte=start, due_at__lte=now)
    return {
        f"{prefix}_started": Count("id", filter=started),
        f"{prefix}_finished": Count("id", filter=due & FINISHED),
        f"{prefix}_on_time": Count("id", filter=due & MET_ON_TIME),
    }


def _live_window_figures(
    commitment_ids: list[int], live_starts: dict[str, dt.datetime], now: dt.datetime
) -> dict[int, dict[str, WindowFigures]]:
    """One query: per commitment, the figures of each window's live part (``live_starts[key]``
    to now)."""
    if not commitment_ids or not live_starts:
        return {}
    lowest = min(live_starts.values())
    aggregates: dict = {}
    for key, start in live_starts.items():
        aggregates.update(_window_aggregates(key, start, now))
    rows = (
        Deadline.objects.filter(commitment_id__in=commitment_ids)
        .filter(
            Q(started_at__gte=lowest, started_at__lte=now) | Q(due_at__gte=lowest, due_at__lte=now)
        )
        .values("commitment_id")
        .annotate(**aggregates)
        .order_by()
    )
    result: dict[int, dict[str, WindowFigures]] = {}
    for row in cast(Iterable[dict[str, Any]], rows):
        result[row["commitment_id"]] = {
            key: WindowFigures(
                started=row[f"{key}_started"],
                finished=row[f"{key}_finished"],
                met_on_time=row[f"{key}_on_time"],
            )
            for key in live_starts
        }
    return result


def rollup_totals(
    commitment_ids: list[int],
    ranges: dict[str, tuple[dt.date, dt.date]],
) -> dict[int, dict[str, WindowFigures]]:
    """One query: per commitment, the rollup totals of each window's closed days
    (``ranges[key]`` = first and last day, inclusive)."""
    if not commitment_ids or not ranges:
        return {}
    finished = F("met_on_time") + F("met_late") + F("breached")
    aggregates: dict = {}
    for key, (first, last) in ranges.items():
        days = Q(date__gte=first, date__lte=last)
        aggregates[f"{key}_started"] = Coalesce(Sum("started", filter=days), Value(0))
        aggregates[f"{key}_finished"] = Coalesce(Sum(finished, filter=days), Value(0))
        aggregates[f"{key}_on_time"] = Coalesce(Sum("met_on_time", filter=days), Value(0))
    rows = (
        DailyCommitmentRollup.objects.filter(
            commitment_id__in=commitment_ids,
            date__gte=min(first for first, _ in ranges.values()),
            date__lte=max(last for _, last in ranges.values()),
        )
        .values("commitment_id")
        .annotate(**aggregates)
        .order_by()
    )
    result: dict[int, dict[str, WindowFigures]] = {}
    for row in cast(Iterable[dict[str, Any]], rows):
        result[row["commitment_id"]] = {
            key: WindowFigures(
                started=row[f"{key}_started"],
                finished=row[f"{key}_finished"],
                met_on_time=row[f"{key}_on_time"],
            )
            for key in ranges
        }
    return result


def _unmet_now(commitment_ids: list[int], now: dt.datetime) -> dict[int, dict[str, int]]:
    """One query over the unmet deadlines only: open, due today, overdue, breached and open."""
    if not commitment_ids:
        return {}
    today = local_date(now)
    today_start = local_midnight(today)
    tomorrow_start = local_midnight(today + dt.timedelta(days=1))
    rows = (
        # Counting due_at (never null) and breached_at rather than id: every figure then
        # reads only the columns of the index of unmet deadlines, not the table.
        Deadline.objects.unmet()
        .filter(commitment_id__in=commitment_ids)
        .values("commitment_id")
        .annotate(
            open=Count("due_at"),
            due_today=Count("due_at", filter=Q(due_at__gte=today_start, due_at__lt=tomorrow_start)),
            overdue=Count("due_at", filter=Q(due_at__lt=now)),
            breached_open=Count("breached_at"),
        )
        .order_by()
    )
    return {row.pop("commitment_id"): row for row in (dict(r) for r in cast(Iterable[dict], rows))}


def commitment_performance(*, now: dt.datetime | None = None) -> list[Row]:
    """Every active, non-constraint commitment's figures for this week, the last 30 days and
    this reporting year (see ``performance.windows``), plus its unmet deadlines as they stand.

    Met on time %:

    - denominator: deadlines whose ``due_at`` falls in the window (from the window's start to
      now) and that have finished, that is were met (``met_at`` set) or marked breached
      (``breached_at`` set). A deadline due in the window that is neither (paused, or passed
      less than a minute ago and not yet swept) is not counted until it is; one met early but
      due after now is counted in the window where it falls due.
    - numerator: those of them met by their due time, ``met_at <= due_at``.

    "Cases" is the number of deadlines whose clock started in the window.

    Five queries whatever the number of deadlines or commitments: the commitments, the
    watermark, the rollup totals of closed days, the live counts since the rollups end (today
    at least), and the unmet deadlines.
    """
    now = now or timezone.now()
    today = local_date(now)
    windows = dashboard_windows(now)
    commitments = dashboard_commitments()
    ids = [c["id"] for c in commitments]
    watermark = rollup_watermark()

    rollup_ranges: dict[str, tuple[dt.date, dt.date]] = {}
    live_starts: dict[str, dt.datetime] = {}
    for window in windows:
        last_rollup_day, live_from = _split(window.first_day, watermark, today)
        if last_rollup_day is not None and live_from is not None:
            rollup_ranges[window.key] = (window.first_day, last_rollup_day)
            live_starts[window.key] = max(live_from, window.start)
        else:
            live_starts[window.key] = window.start

    from_rollups = rollup_totals(ids, rollup_ranges)
    live = _live_window_figures(ids, live_starts, now)
    unmet = _unmet_now(ids, now)

    rows = []
    for commitment in commitments:
        cid = commitment["id"]
        figures = {}
        for window in windows:
            figures[window.key] = from_rollups.get(cid, {}).get(
                window.key, WindowFigures()
            ) + live.get(cid, {}).get(window.key, WindowFigures())
        rows.append(
            Row(
                commitment_id=cid,
                code=commitment["code"],
                title=commitment["title"],
                target_percent=commitment["target_percent"],
                windows=figures,
                **unmet.get(cid, {}),
            )
        )
    return rows


@dataclass(frozen=True)
class DayFigures:
    started: int = 0
    met_on_time: int = 0
    met_late: int = 0
    breached: int = 0

    @property
    def finished(self) -> int:
        return self.met_on_time + self.met_late + self.breached


def daily_figures(
    *,
    start: dt.datetime,
    end: dt.datetime,
    end_inclusive: bool = False,
    commitment_ids: Iterable[int] | None = None,
    with_started: bool = True,
) -> dict[tuple[int, dt.date], DayFigures]:
    """Per commitment and Europe/London day: deadlines started, and finished deadlines due, in
    [start, end) (or [start, end] with ``end_inclusive``). Two queries (one without
    ``with_started``), each grouped in the database."""
    before = "lte" if end_inclusive else "lt"
    scope = Q()
    if commitment_ids is not None:
        scope = Q(commitment_id__in=list(commitment_ids))
    started: dict[tuple[int, dt.date], int] = {}
    if with_started:
        started_rows = (
            Deadline.objects.filter(scope, started_at__gte=start, **{f"started_at__{before}": end})
            .annotate(day=TruncDate("started_at", tzinfo=LONDON))
            .values("commitment_id", "day")
            .annotate(n=Count("id"))
            .order_by()
        )
        started = {(r["commitment_id"], r["day"]): r["n"] for r in started_rows}
    finished_rows = (
        Deadline.objects.filter(scope, FINISHED, due_at__gte=start, **{f"due_at__{before}": end})
        .annotate(day=TruncDate("due_at", tzinfo=LONDON))
        .values("commitment_id", "day")
        .annotate(
            on_time_count=Count("id", filter=MET_ON_TIME),
            late_count=Count("id", filter=MET_LATE),
            breached_count=Count("id", filter=BREACHED_UNMET),
        )
        .order_by()
    )
    result: dict[tuple[int, dt.date], DayFigures] = {}
    for r in finished_rows:
        key = (r["commitment_id"], r["day"])
        result[key] = DayFigures(
            started=started.pop(key, 0),
            met_on_time=r["on_time_count"],
            met_late=r["late_count"],
            breached=r["breached_count"],
        )
    for key, n in started.items():
        result[key] = DayFigures(started=n)
    return result


@dataclass(frozen=True)
class TrendWeek:
    week_start: dt.date  # a Monday
    due: int  # due that week (up to now) and finished: met or breached
    met_on_time: int

    @property
    def percent_met_on_time(self) -> Decimal | None:
        return percent(self.met_on_time, self.due)


def weekly_trend(
    *, commitment_code: str | None = None, weeks: int = TREND_WEEKS, now: dt.datetime | None = None
) -> list[TrendWeek]:
    """Per week (Monday to Sunday, Europe/London), oldest first, ending with this week: the
    deadlines due that week that have finished, and how many of them were met on time (the same
    definition as ``commitment_performance``). One commitment, or every commitment the
    dashboard reports. Four queries."""
    now = now or timezone.now()
    today = local_date(now)
    first_monday = week_start(today) - dt.timedelta(weeks=weeks - 1)
    if commitment_code is None:
        ids = [c["id"] for c in dashboard_commitments()]
    else:
        ids = list(Commitment.objects.filter(code=commitment_code).values_list("id", flat=True))
    watermark = rollup_watermark()

    due: dict[dt.date, int] = defaultdict(int)
    on_time: dict[dt.date, int] = defaultdict(int)
    last_rollup_day, live_from = _split(first_monday, watermark, today)
    if last_rollup_day is not None and ids:
        rows = (
            DailyCommitmentRollup.objects.filter(
                commitment_id__in=ids, date__gte=first_monday, date__lte=last_rollup_day
            )
            .values("date")
            .annotate(
                finished_total=Sum(F("met_on_time") + F("met_late") + F("breached")),
                on_time_total=Sum("met_on_time"),
            )
            .order_by()
        )
        for row in rows:
            due[week_start(row["date"])] += row["finished_total"]
            on_time[week_start(row["date"])] += row["on_time_total"]
    if ids:
        live = daily_figures(
            start=live_from or local_midnight(first_monday),
            end=now,
            end_inclusive=True,
            commitment_ids=ids,
            with_started=False,
        )
        for (_, day), figures in live.items():
            due[week_start(day)] += figures.finished
            on_time[week_start(day)] += figures.met_on_time

    mondays = [first_monday + dt.timedelta(weeks=n) for n in range(weeks)]
    return [TrendWeek(week_start=m, due=due[m], met_on_time=on_time[m]) for m in mondays]


@dataclass(frozen=True)
class Breach:
    deadline_id: int
    commitment_code: str
    commitment_title: str
    case_kind: str
    case_reference: str
    admin_url: str | None
    due_at: dt.datetime
    breached_at: dt.datetime | None
    days_overdue: int = field(default=0)


def _admin_change_url(content_type: ContentType, object_id: int) -> str | None:
    try:
        return reverse(
            f"admin:{content_type.app_label}_{content_type.model}_change", args=[object_id]
        )
    except NoReverseMatch:
        # A case model without an admin page yet: listed, but not linked.
        return None


def breaches_to_act_on(*, limit: int = 50, now: dt.datetime | None = None) -> list[Breach]:
    """Deadlines breached and still not met, the longest overdue first, each with its case's
    reference and admin page. One query for the deadlines and one per kind of case among them
    (never one per row)."""
    now = now or timezone.now()
    deadlines = list(
        Deadline.objects.unmet()
        .filter(breached_at__isnull=False)
        .select_related("commitment", "content_type")
        .order_by("due_at", "id")[:limit]
    )
    ids_by_type: dict[ContentType, list[int]] = defaultdict(list)
    for deadline in deadlines:
        ids_by_type[deadline.content_type].append(deadline.object_id)
    references: dict[tuple[int, int], str] = {}
    for content_type, object_ids in ids_by_type.items():
        model = content_type.model_class()
        if model is None:
            continue
        rows = model._default_manager.filter(pk__in=object_ids)
        if any(field.name == "reference" for field in model._meta.concrete_fields):
            for pk, reference in rows.values_list("pk", "reference"):
                references[(content_type.pk, pk)] = reference
        else:
            # A clocked row that is not a case (a home's gas check) has no reference: it is
            # named by what it is and where.
            for row in rows:
                references[(content_type.pk, row.pk)] = str(row)

    today = local_date(now)
    breaches = []
    for deadline in deadlines:
        content_type = deadline.content_type
        model = content_type.model_class()
        kind = str(model._meta.verbose_name).capitalize() if model else content_type.model
        breaches.append(
            Breach(
                deadline_id=deadline.pk,
                commitment_code=deadline.commitment.code,
                commitment_title=deadline.commitment.title,
                case_kind=kind,
                case_reference=references.get(
                    (content_type.pk, deadline.object_id), f"{kind} {deadline.object_id}"
                ),
                admin_url=_admin_change_url(content_type, deadline.object_id),
                due_at=deadline.due_at,
                breached_at=deadline.breached_at,
                days_overdue=(today - local_date(deadline.due_at)).days,
            )
        )
    return breaches


# What we hold about a person (kernel/personal_data.py): nothing here names anyone.
PERSONAL_DATA_COVERAGE = personal_data.Coverage(
    holds_none={
        "performance.DailyCommitmentRollup": "counts per commitment per day, no person",
        "performance.RollupWatermark": "how far the counts have been brought up to date",
        "performance.PublishedTsmFigure": "a TSM return's line as published: counts and figures",
        "performance.BoardReport": "the Board's monthly report as generated: figures, no person",
        "performance.ComplaintHandlingPack": "the Code's annual self-assessment and published "
        "report: counts and measures, never a reference or a name",
        "performance.ProvisionAnswer": "the complaints lead's answer to a provision of the Code "
        "(staff, not customers)",
        "performance.PeerFigure": "other landlords' published TSM figures",
    },
)


def board_reports_kept() -> list[BoardReport]:
    """The Board reports kept, newest first, without their PDFs."""
    return list(BoardReport.objects.defer("pdf").order_by("-month"))


def board_report_pdf(pk: int) -> BoardReport:
    return get_object_or_404(BoardReport, pk=pk)
