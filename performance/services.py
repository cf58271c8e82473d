"""Writes of the performance app: keeping the daily rollups of the deadline table fresh."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import tablib
from django.db import transaction
from django.utils import timezone

from kernel.pdf import render_pdf
from kernel.reporting import ReportingYear, reporting_year_containing
from performance.benchmarking import PeerFigureResource, peer_import_errors
from performance.chc_provisions import PROVISIONS
from performance.models import (
    BoardReport,
    ComplaintHandlingPack,
    DailyCommitmentRollup,
    ProvisionAnswer,
    PublishedTsmFigure,
    RollupWatermark,
)
from performance.publication import (
    annual_report_for_publication,
    board_report,
    submission_clock_started,
)
from performance.selectors import daily_figures
from performance.tsm.returns import tsm_return
from performance.windows import add_months, local_date, local_midnight, month_start, rollup_horizon
from sla.models import Commitment
from sla.services import deadline_meet, deadline_start

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


# ---------------------------------------------------------------------------------------------
# Published TSM figures
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def published_figures_refresh(*, now: dt.datetime | None = None) -> int:
    """Recompute the TSM return of this reporting year (to date) and of the last one, and keep
    their lines for the public page. Returns the number of lines written. Idempotent."""
    now = now or timezone.now()
    this_year = reporting_year_containing(local_date(now))
    written = 0
    for year in (ReportingYear(this_year.first_year - 1), this_year):
        for line in tsm_return(year).lines:
            figures = line.figures
            PublishedTsmFigure.objects.update_or_create(
                first_year=year.first_year,
                part=line.definition.part,
                defaults={
                    "recorded": figures is not None,
                    "numerator": None if figures is None else figures.numerator,
                    "denominator": None if figures is None else figures.denominator,
                    "figure": None if figures is None else figures.figure,
                    "computed_at": now,
                },
            )
            written += 1
    return written


# ---------------------------------------------------------------------------------------------
# The Board report
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def board_report_generate(*, month: dt.date, now: dt.datetime | None = None) -> BoardReport:
    """Generate the Board's report for ``month`` (any day of it) and keep it; generating a
    month again replaces its PDF (figures of closed days can still change late)."""
    now = now or timezone.now()
    first = month_start(month)
    pdf = render_pdf("performance/board_report_print.html", board_report(month=first, now=now))
    report, _ = BoardReport.objects.update_or_create(
        month=first, defaults={"generated_at": now, "pdf": pdf}
    )
    return report


def board_report_for_last_month(*, now: dt.datetime | None = None) -> BoardReport:
    """The scheduled run: last month's report, once its days are closed."""
    now = now or timezone.now()
    return board_report_generate(month=add_months(month_start(local_date(now)), -1), now=now)


# ---------------------------------------------------------------------------------------------
# The Complaint Handling Code annual pack
# ---------------------------------------------------------------------------------------------


class PackRefused(Exception):
    """A step on the annual pack that the Code's order does not allow yet; the message says
    why, for the person who tried."""


SUBMISSION_CLOCK = "chc.annual_submission"


def _submission_clock_start(year: ReportingYear) -> dt.datetime:
    # Day 0 is 31 March: 6 months on is 30 September, the Ombudsman's date.
    return year.end_at - dt.timedelta(seconds=1)


@transaction.atomic
def chc_pack_for_year(
    *, year: ReportingYear, now: dt.datetime | None = None
) -> ComplaintHandlingPack:
    """The year's pack, created if need be; once the year has ended, its submission clock is
    running (started at the year's end, whenever the pack was created)."""
    now = now or timezone.now()
    pack, _ = ComplaintHandlingPack.objects.get_or_create(
        first_year=year.first_year,
        defaults={"reference": f"CHC-{year.first_year}", "created_at": now},
    )
    pack = ComplaintHandlingPack.objects.select_for_update().get(pk=pack.pk)
    if year.has_ended(local_date(now)) and not submission_clock_started(pack):
        deadline_start(case=pack, code=SUBMISSION_CLOCK, started_at=_submission_clock_start(year))
        if pack.submitted_at is not None:
            deadline_meet(case=pack, code=SUBMISSION_CLOCK, met_at=pack.submitted_at)
    return pack


def chc_submission_clocks_start(*, now: dt.datetime | None = None) -> ComplaintHandlingPack:
    """Daily: the year just ended has its pack and its submission clock (idempotent)."""
    now = now or timezone.now()
    current = reporting_year_containing(local_date(now))
    return chc_pack_for_year(year=ReportingYear(current.first_year - 1), now=now)


def _refuse_if_published(pack: ComplaintHandlingPack) -> None:
    if pack.published_at is not None:
        raise PackRefused(
            "This pack has been published. A revised self-assessment is a new submission: "
            "ask the Board to approve it and publish it again."
        )


@transaction.atomic
def chc_answer_save(
    *,
    pack: ComplaintHandlingPack,
    provision: str,
    compliance: str,
    evidence: str,
    evidence_link: str,
    actor,
    now: dt.datetime | None = None,
) -> ProvisionAnswer:
    """Record the complaints lead's answer to one provision (replacing an earlier answer)."""
    if provision not in {p.number for p in PROVISIONS}:
        raise PackRefused(f"The Code's form has no provision {provision}.")
    pack = ComplaintHandlingPack.objects.select_for_update().get(pk=pack.pk)
    _refuse_if_published(pack)
    answer, _ = ProvisionAnswer.objects.update_or_create(
        pack=pack,
        provision=provision,
        defaults={
            "compliance": compliance,
            "evidence": evidence,
            "evidence_link": evidence_link,
            "answered_by": actor,
            "answered_at": now or timezone.now(),
        },
    )
    return answer


@transaction.atomic
def chc_governing_body_response_record(
    *, pack: ComplaintHandlingPack, response: str, approved_on: dt.date
) -> ComplaintHandlingPack:
    pack = ComplaintHandlingPack.objects.select_for_update().get(pk=pack.pk)
    _refuse_if_published(pack)
    pack.governing_body_response = response
    pack.governing_body_approved_on = approved_on
    pack.save(update_fields=["governing_body_response", "governing_body_approved_on"])
    return pack


@transaction.atomic
def chc_pack_publish(
    *, pack: ComplaintHandlingPack, now: dt.datetime | None = None
) -> ComplaintHandlingPack:
    """Publish the self-assessment, the annual report and the governing body's response
    together (Code 8.1): refused until every provision is answered and the response is in."""
    pack = ComplaintHandlingPack.objects.select_for_update().get(pk=pack.pk)
    _refuse_if_published(pack)
    answered = set(pack.answers.values_list("provision", flat=True))
    missing = [p.number for p in PROVISIONS if p.number not in answered]
    if missing:
        raise PackRefused(
            f"Answer every provision before publishing: {len(missing)} still to answer "
            f"({', '.join(missing[:5])}{'...' if len(missing) > 5 else ''})."
        )
    if not pack.governing_body_response.strip() or pack.governing_body_approved_on is None:
        raise PackRefused("Record the governing body's response before publishing.")
    pack.published_at = now or timezone.now()
    pack.published_report = annual_report_for_publication(ReportingYear(pack.first_year))
    pack.save(update_fields=["published_at", "published_report"])
    return pack


@transaction.atomic
def chc_pack_submitted(
    *, pack: ComplaintHandlingPack, now: dt.datetime | None = None
) -> ComplaintHandlingPack:
    """The pack went to the Ombudsman: meets the submission clock in the same transaction."""
    now = now or timezone.now()
    pack = ComplaintHandlingPack.objects.select_for_update().get(pk=pack.pk)
    if pack.published_at is None:
        raise PackRefused("Publish the pack before recording its submission to the Ombudsman.")
    if pack.submitted_at is not None:
        raise PackRefused("Its submission is already recorded.")
    pack.submitted_at = now
    pack.save(update_fields=["submitted_at"])
    if submission_clock_started(pack):
        deadline_meet(case=pack, code=SUBMISSION_CLOCK, met_at=now)
    return pack


# ---------------------------------------------------------------------------------------------
# Benchmarking: peer landlords' published figures
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeerImport:
    imported: int
    errors: list[tuple[int, str]]  # (line of the file, what is wrong), header is line 1


def peer_figures_import(*, text: str, now: dt.datetime | None = None) -> PeerImport:
    """Import a CSV of peer landlords' TSM figures (``landlord,year,measure,figure``; year as
    2025 for 2025 to 2026, measure as CH01(1), figure as 12.5). All or nothing: a file with
    any bad row imports none, and every bad row is reported with its line number."""
    now = now or timezone.now()
    dataset = tablib.Dataset().load(text, format="csv")
    resource = PeerFigureResource(imported_at=now)
    with transaction.atomic():
        result = resource.import_data(dataset, dry_run=True, raise_errors=False)
        errors = peer_import_errors(result)
        if errors:
            return PeerImport(imported=0, errors=errors)
        result = resource.import_data(dataset, dry_run=False, raise_errors=True)
    return PeerImport(
        imported=result.totals.get("new", 0) + result.totals.get("update", 0), errors=[]
    )
