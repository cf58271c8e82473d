"""Writes of the performance app: keeping the daily rollups of the deadline table fresh."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from performance.models import DailyCommitmentRollup, RollupWatermark
from performance.selectors import daily_figures
from performance.windows import local_date, local_midnight, rollup_horizon
from sla.models import Commitment

# Days recomputed on every run. A day's figures keep changing after it closes: the sweep marks
# a deadline due at 23:59:59 breached a minute later, the next day, and staff meet deadlines
# late. A week covers every such change of a recent day; older days are caught by the daily
# full refresh (a letter logged weeks after it arrived starts its clock in the past).
RECENT_DAYS = 8


@dataclass(frozen=True)
class RollupRefresh:
    first_day: dt.date
    last_day: dt.date
    full: bool
    rows: int


@transaction.atomic
def rollups_refresh(*, now: dt.datetime | None = None, full: bool = False) -> RollupRefresh:
    """Recompute the rollups of closed days from the deadline table.

    The whole range the dashboard reads (``rollup_horizon``: the reporting year, the last 30
    days and the weekly trend) is recomputed on the first run of each day, when asked
    (``full``), or when the rollups have fallen more than ``RECENT_DAYS`` behind (beat stopped);
    otherwise only the last ``RECENT_DAYS`` closed days are. Runs one at a time: a second run
    waits on the watermark row, then recomputes from fresh data.
    """
    now = now or timezone.now()
    today = local_date(now)
    last_day = today - dt.timedelta(days=1)
    horizon = rollup_horizon(today)
    RollupWatermark.objects.get_or_create(pk=1)
    watermark = RollupWatermark.objects.select_for_update().get(pk=1)

    recent_first = last_day - dt.timedelta(days=RECENT_DAYS - 1)
    full = (
        full
        or watermark.full_refresh_on != today
        or watermark.covered_from is None
        or watermark.covered_from > horizon
        or watermark.covered_through is None
        or watermark.covered_through < recent_first - dt.timedelta(days=1)
    )
    first_day = horizon if full else max(horizon, recent_first)

    figures = daily_figures(
        start=local_midnight(first_day),
        end=local_midnight(last_day + dt.timedelta(days=1)),
        commitment_ids=Commitment.objects.values_list("id", flat=True),
    )
    DailyCommitmentRollup.objects.filter(date__gte=first_day, date__lte=last_day).delete()
    DailyCommitmentRollup.objects.bulk_create(
        [
            DailyCommitmentRollup(
                date=day,
                commitment_id=commitment_id,
                started=day_figures.started,
                met_on_time=day_figures.met_on_time,
                met_late=day_figures.met_late,
                breached=day_figures.breached,
            )
            for (commitment_id, day), day_figures in sorted(
                figures.items(), key=lambda item: item[0][::-1]
            )
        ],
        batch_size=2000,
    )

    if full:
        watermark.covered_from = first_day
        watermark.full_refresh_on = today
    watermark.covered_through = last_day
    watermark.refreshed_at = now
    watermark.save()
    return RollupRefresh(first_day=first_day, last_day=last_day, full=full, rows=len(figures))
