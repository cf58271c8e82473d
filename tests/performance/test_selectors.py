"""The dashboard's figures against a known set of deadlines, counted live and from rollups."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from performance.models import DailyCommitmentRollup
from performance.selectors import (
    WindowFigures,
    breaches_to_act_on,
    commitment_performance,
    weekly_trend,
)
from performance.services import rollups_refresh
from safety.models import Appliance
from safety.services import check_register
from tests.performance.factories import CommitmentFactory, DeadlineFactory, EnquiryFactory

pytestmark = pytest.mark.django_db

# Wednesday 25 November 2026, 14:00 in London (GMT, so also 14:00 UTC).
NOW = dt.datetime(2026, 11, 25, 14, 0, tzinfo=dt.UTC)


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def row_for(rows, code):
    return next(row for row in rows if row.code == code)


@pytest.fixture
def commitment():
    return CommitmentFactory(
        code="test.respond", title="Respond to a test contact", target_percent=Decimal("60")
    )


@pytest.fixture
def known_deadlines(commitment):
    """Eleven deadlines; the comment on each says where it counts."""
    d = {}
    # Started this week, due earlier today and met yesterday: on time, in every window.
    d[1] = DeadlineFactory(
        commitment=commitment,
        started_at=utc(2026, 11, 23, 10),
        due_at=utc(2026, 11, 25, 12),
        met_at=utc(2026, 11, 24, 9),
    )
    # Started this week, met already, due tomorrow: started, but not yet counted as due.
    d[2] = DeadlineFactory(
        commitment=commitment,
        started_at=utc(2026, 11, 24, 9),
        due_at=utc(2026, 11, 26, 17),
        met_at=utc(2026, 11, 25, 10),
    )
    # Due Monday 09:00, breached, then met late the same morning.
    d[3] = DeadlineFactory(
        commitment=commitment,
        started_at=utc(2026, 11, 10, 9),
        due_at=utc(2026, 11, 23, 9),
        breached_at=utc(2026, 11, 23, 9, 1),
        met_at=utc(2026, 11, 23, 10),
    )
    # Due last Friday, breached and still not met.
    d[4] = DeadlineFactory(
        commitment=commitment,
        started_at=utc(2026, 11, 1, 9),
        due_at=utc(2026, 11, 20, 0),
        breached_at=utc(2026, 11, 20, 0, 1),
    )
    # October: before the last 30 days (which start on 27 October), inside the year.
    d[5] = DeadlineFactory(
        commitment=commitment,
        started_at=utc(2026, 10, 2, 9),
        due_at=utc(2026, 10, 16, 23),
        met_at=utc(2026, 10, 15, 9),
    )
    # 00:30 on 1 April in London (BST) is 23:30 on 31 March in UTC: inside the reporting year.
    d[6] = DeadlineFactory(
        commitment=commitment,
        started_at=utc(2026, 3, 31, 23, 30),
        due_at=utc(2026, 4, 14, 22),
        met_at=utc(2026, 4, 10, 9),
    )
    # Started 23:30 on 31 March in London: the year before. Due 00:30 on 1 April London: in.
    d[7] = DeadlineFactory(
        commitment=commitment,
        started_at=utc(2026, 3, 31, 22, 30),
        due_at=utc(2026, 3, 31, 23, 30),
        met_at=utc(2026, 3, 31, 23, 0),
    )
    # Open, due later today.
    d[8] = DeadlineFactory(
        commitment=commitment, started_at=utc(2026, 11, 25, 9), due_at=utc(2026, 11, 25, 17)
    )
    # Open, due this morning, not yet swept: overdue but not finished.
    d[9] = DeadlineFactory(
        commitment=commitment, started_at=utc(2026, 11, 20, 9), due_at=utc(2026, 11, 25, 10)
    )
    # Paused, due next month: open, nothing else.
    d[10] = DeadlineFactory(
        commitment=commitment,
        started_at=utc(2026, 11, 18, 9),
        due_at=utc(2026, 12, 10, 17),
        paused_at=utc(2026, 11, 19, 9),
    )
    # Sunday 22 November 23:30 in London: last week, inside the 30 days. Met on time.
    d[11] = DeadlineFactory(
        commitment=commitment,
        started_at=utc(2026, 11, 22, 23, 30),
        due_at=utc(2026, 11, 22, 23, 45),
        met_at=utc(2026, 11, 22, 23, 40),
    )
    return d


def _check_known_figures(row):
    assert row.figures("week") == WindowFigures(started=3, finished=2, met_on_time=1)
    assert row.figures("last_30_days") == WindowFigures(started=8, finished=4, met_on_time=2)
    assert row.figures("year") == WindowFigures(started=10, finished=7, met_on_time=5)
    assert row.figures("week").percent_met_on_time == Decimal("50.0")
    assert row.figures("last_30_days").percent_met_on_time == Decimal("50.0")
    assert row.figures("year").percent_met_on_time == Decimal("71.4")
    # Target 60%: the week and the 30 days miss it, the year reaches it.
    assert row.on_target("week") is False
    assert row.on_target("last_30_days") is False
    assert row.on_target("year") is True
    assert (row.open, row.due_today, row.overdue, row.breached_open) == (4, 2, 2, 1)
    assert row.target_percent == Decimal("60")


@time_machine.travel(NOW, tick=False)
def test_figures_are_true_for_a_known_set_of_deadlines_counted_live(known_deadlines):
    _check_known_figures(row_for(commitment_performance(), "test.respond"))


@time_machine.travel(NOW, tick=False)
def test_the_rollup_holds_each_closed_day_by_start_and_by_due_date(commitment, known_deadlines):
    rollups_refresh()
    rollups = {
        r.date: (r.started, r.met_on_time, r.met_late, r.breached)
        for r in DailyCommitmentRollup.objects.filter(commitment=commitment)
    }
    assert rollups[dt.date(2026, 11, 23)] == (1, 0, 1, 0)  # d1 started; d3 due, met late
    assert rollups[dt.date(2026, 11, 20)] == (1, 0, 0, 1)  # d9 started; d4 due, breached
    assert rollups[dt.date(2026, 11, 22)] == (1, 1, 0, 0)  # d11 (London Sunday)
    assert rollups[dt.date(2026, 4, 1)] == (1, 1, 0, 0)  # d6 started; d7 due in London
    assert dt.date(2026, 11, 25) not in rollups  # today is always live
    # Kept from the start of the previous reporting year (the published pages read it).
    assert DailyCommitmentRollup.objects.filter(date__lt=dt.date(2025, 4, 1)).count() == 0


@time_machine.travel(NOW, tick=False)
def test_figures_are_the_same_when_closed_days_come_from_the_rollups(known_deadlines):
    refresh = rollups_refresh()
    assert refresh.full and refresh.last_day == dt.date(2026, 11, 24)
    _check_known_figures(row_for(commitment_performance(), "test.respond"))


def test_a_change_to_a_closed_day_shows_after_the_next_refresh(commitment):
    with time_machine.travel(utc(2026, 11, 25, 9), tick=False):
        late = DeadlineFactory(
            commitment=commitment, started_at=utc(2026, 11, 20, 9), due_at=utc(2026, 11, 24, 23, 59)
        )
        rollups_refresh()
        assert row_for(commitment_performance(), "test.respond").figures("week").finished == 0
    # The sweep marks it after the rollup of 24 November was written.
    late.breached_at = utc(2026, 11, 25, 9, 5)
    late.save()
    with time_machine.travel(utc(2026, 11, 25, 9, 10), tick=False):
        rollups_refresh()
        figures = row_for(commitment_performance(), "test.respond").figures("week")
    assert figures == WindowFigures(started=0, finished=1, met_on_time=0)


def test_days_the_rollups_do_not_cover_are_counted_live(commitment):
    DeadlineFactory(
        commitment=commitment,
        started_at=utc(2026, 11, 16, 9),
        due_at=utc(2026, 11, 18, 17),
        met_at=utc(2026, 11, 17, 9),
    )
    with time_machine.travel(utc(2026, 11, 17, 12), tick=False):
        rollups_refresh()
    # Beat stopped for a week: the rollups end on 16 November.
    with time_machine.travel(utc(2026, 11, 24, 12), tick=False):
        figures = row_for(commitment_performance(), "test.respond").figures("last_30_days")
    assert figures == WindowFigures(started=1, finished=1, met_on_time=1)


@time_machine.travel(utc(2026, 7, 15, 11), tick=False)  # Wednesday, 12:00 BST
def test_this_week_starts_at_midnight_on_monday_in_london(commitment):
    # Monday 00:00 BST is Sunday 23:00 UTC.
    DeadlineFactory(
        commitment=commitment,
        started_at=utc(2026, 7, 12, 23, 30),
        due_at=utc(2026, 7, 12, 23, 45),
        met_at=utc(2026, 7, 12, 23, 40),
    )
    DeadlineFactory(
        commitment=commitment,
        started_at=utc(2026, 7, 12, 22, 30),
        due_at=utc(2026, 7, 12, 22, 45),
        met_at=utc(2026, 7, 12, 22, 50),
    )
    week = row_for(commitment_performance(), "test.respond").figures("week")
    assert week == WindowFigures(started=1, finished=1, met_on_time=1)


@time_machine.travel(utc(2027, 3, 31, 12), tick=False)
def test_the_reporting_year_runs_to_31_march(commitment):
    DeadlineFactory(
        commitment=commitment,
        started_at=utc(2026, 4, 2, 9),
        due_at=utc(2026, 4, 10, 9),
        met_at=utc(2026, 4, 9, 9),
    )
    DeadlineFactory(
        commitment=commitment,
        started_at=utc(2026, 3, 30, 9),
        due_at=utc(2026, 3, 31, 9),
        met_at=utc(2026, 3, 31, 10),
    )
    year = row_for(commitment_performance(), "test.respond").figures("year")
    assert year == WindowFigures(started=1, finished=1, met_on_time=1)
    with time_machine.travel(utc(2027, 4, 1, 9), tick=False):
        assert row_for(commitment_performance(), "test.respond").figures("year") == (
            WindowFigures()
        )


@time_machine.travel(NOW, tick=False)
def test_inactive_commitments_and_notice_periods_are_left_out(commitment):
    retired = CommitmentFactory(code="test.retired", is_active=False)
    notice = CommitmentFactory(code="test.notice", is_constraint=True)
    for other in (retired, notice):
        DeadlineFactory(
            commitment=other,
            started_at=utc(2026, 11, 24, 9),
            due_at=utc(2026, 11, 24, 10),
            met_at=utc(2026, 11, 24, 9),
        )
    codes = {row.code for row in commitment_performance()}
    assert "test.respond" in codes
    assert not codes & {"test.retired", "test.notice"}


@time_machine.travel(NOW, tick=False)
def test_a_commitment_with_nothing_due_has_no_percentage_and_no_verdict(commitment):
    row = row_for(commitment_performance(), "test.respond")
    assert row.figures("week") == WindowFigures()
    assert row.figures("week").percent_met_on_time is None
    assert row.on_target("week") is None


@time_machine.travel(NOW, tick=False)
def test_commitment_performance_runs_five_queries_whatever_the_volume(
    commitment, django_assert_num_queries
):
    for n in range(30):
        DeadlineFactory(
            commitment=commitment,
            started_at=utc(2026, 11, 2 + n % 20, 9),
            due_at=utc(2026, 11, 3 + n % 20, 9),
            met_at=utc(2026, 11, 3 + n % 20, 8) if n % 3 else None,
        )
    rollups_refresh()
    with django_assert_num_queries(5):
        commitment_performance()


@time_machine.travel(NOW, tick=False)
def test_weekly_trend_counts_deadlines_due_each_week(commitment, known_deadlines):
    other = CommitmentFactory(code="test.other")
    DeadlineFactory(
        commitment=other,
        started_at=utc(2026, 11, 16, 9),
        due_at=utc(2026, 11, 17, 9),
        met_at=utc(2026, 11, 18, 9),
    )
    trend = weekly_trend(commitment_code="test.respond", weeks=3)
    assert [(w.week_start, w.due, w.met_on_time) for w in trend] == [
        (dt.date(2026, 11, 9), 0, 0),
        # Friday's breach and Sunday 23:45 (on time).
        (dt.date(2026, 11, 16), 2, 1),
        (dt.date(2026, 11, 23), 2, 1),
    ]
    assert trend[1].percent_met_on_time == Decimal("50.0")
    assert trend[0].percent_met_on_time is None
    everything = weekly_trend(weeks=3)
    assert everything[1].due == 3 and everything[1].met_on_time == 1


@time_machine.travel(NOW, tick=False)
def test_weekly_trend_is_the_same_from_rollups(known_deadlines):
    live = weekly_trend(commitment_code="test.respond")
    rollups_refresh()
    assert weekly_trend(commitment_code="test.respond") == live
    assert len(live) == 12 and live[0].week_start == dt.date(2026, 9, 7)
    assert sum(w.due for w in live) == 5


@time_machine.travel(NOW, tick=False)
def test_a_trend_reaching_back_before_the_rollups_is_counted_live(known_deadlines):
    rollups_refresh()
    trend = weekly_trend(commitment_code="test.respond", weeks=40)
    assert sum(w.due for w in trend) == 7
    assert sum(w.met_on_time for w in trend) == 5


@time_machine.travel(NOW, tick=False)
def test_breaches_to_act_on_lists_open_breaches_oldest_first(commitment, known_deadlines):
    older = DeadlineFactory(
        commitment=commitment,
        started_at=utc(2026, 10, 1, 9),
        due_at=utc(2026, 10, 6, 17),
        breached_at=utc(2026, 10, 6, 17, 1),
    )
    breaches = breaches_to_act_on()
    assert [b.deadline_id for b in breaches] == [older.pk, known_deadlines[4].pk]
    first = breaches[0]
    enquiry = older.case
    assert first.case_reference == enquiry.reference
    assert first.commitment_title == "Respond to a test contact"
    assert first.admin_url == f"/admin/enquiries/enquiry/{enquiry.pk}/change/"
    assert first.days_overdue == 50
    assert breaches_to_act_on(limit=1)[0].deadline_id == older.pk


def test_breaches_to_act_on_runs_one_query_per_kind_of_case(commitment, django_assert_num_queries):
    for _ in range(12):
        DeadlineFactory(
            commitment=commitment,
            case=EnquiryFactory(),
            started_at=utc(2026, 10, 1, 9),
            due_at=utc(2026, 10, 6, 17),
            breached_at=utc(2026, 10, 6, 17, 1),
        )
    with django_assert_num_queries(2):
        assert len(breaches_to_act_on()) == 12


@time_machine.travel(NOW, tick=False)
def test_a_missed_clock_on_a_home_safety_check_is_listed_by_what_it_is(commitment, tenant_a):
    check = check_register(
        check_type="gas", home=tenant_a.tenancy.property, appliance=Appliance.BOILER
    )
    deadline = DeadlineFactory(
        commitment=commitment,
        case=check,
        started_at=utc(2026, 10, 1, 9),
        due_at=utc(2026, 10, 6, 17),
        breached_at=utc(2026, 10, 6, 17, 1),
    )
    [breach] = [b for b in breaches_to_act_on() if b.deadline_id == deadline.pk]
    assert breach.case_reference == str(check)
    assert "Gas" in breach.case_reference
