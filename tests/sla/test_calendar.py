"""The working-day calendar and due times: bank holidays, closure days, time zones, the law."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sla import calendar, services
from sla.calendar import add_working_days, due_at, is_working_day, working_days_between
from sla.models import ClockType, ClosureDay

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC

pytestmark = pytest.mark.django_db

days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31))
# An independent oracle: the holidays package read directly, walked one day at a time.
BANK_HOLIDAYS = set(holidays.country_holidays("GB", subdiv="ENG", years=range(2019, 2038)))
hypothesis_settings = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def london(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


# --- properties ----------------------------------------------------------------------------


@hypothesis_settings
@given(day=days, n=st.integers(min_value=1, max_value=600))
def test_adding_working_days_lands_on_a_working_day(day, n):
    assert is_working_day(add_working_days(day, n))


@hypothesis_settings
@given(day=days, n=st.integers(min_value=-600, max_value=600))
def test_working_days_between_is_the_inverse_of_adding_them(day, n):
    assert working_days_between(day, add_working_days(day, n)) == n


@hypothesis_settings
@given(day=days, n=st.integers(min_value=0, max_value=600))
def test_more_working_days_never_end_earlier(day, n):
    assert add_working_days(day, n) < add_working_days(day, n + 1)


@hypothesis_settings
@given(day=days, later=days)
def test_a_later_start_never_ends_earlier(day, later):
    first, second = sorted((day, later))
    assert add_working_days(first, 5) <= add_working_days(second, 5)


@hypothesis_settings
@given(day=days, n=st.integers(min_value=1, max_value=60))
def test_counting_agrees_with_walking_day_by_day(day, n):
    walked, counted = day, 0
    while counted < n:
        walked += dt.timedelta(days=1)
        if walked.weekday() < 5 and walked not in BANK_HOLIDAYS:
            counted += 1
    assert add_working_days(day, n) == walked


@hypothesis_settings
@given(
    started=st.datetimes(
        min_value=dt.datetime(2020, 1, 1),
        max_value=dt.datetime(2035, 12, 31),
        timezones=st.just(UTC),
    ),
    n=st.integers(min_value=0, max_value=40),
)
def test_a_working_day_clock_ends_at_23_59_59_london_on_a_working_day(started, n):
    due = due_at(ClockType.WORKING_DAYS, n, started).astimezone(LONDON)
    assert due.time() == dt.time(23, 59, 59)
    assert working_days_between(started.astimezone(LONDON).date(), due.date()) == n


# --- bank holidays (the GOV.UK table in the regulation notes) --------------------------------

ENGLAND_AND_WALES_BANK_HOLIDAYS = [
    # 2026: Boxing Day is a Saturday, so Monday 28 December is the substitute.
    "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31",
    "2026-12-25", "2026-12-28",
    # 2027: Christmas on a Saturday and Boxing Day on a Sunday: both substituted.
    "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30",
    "2027-12-27", "2027-12-28",
    # 2028: New Year's Day is a Saturday, so Monday 3 January is the substitute.
    "2028-01-03", "2028-04-14", "2028-04-17", "2028-05-01", "2028-05-29", "2028-08-28",
    "2028-12-25", "2028-12-26",
]  # fmt: skip


@pytest.mark.parametrize("day", ENGLAND_AND_WALES_BANK_HOLIDAYS)
def test_bank_holidays_are_not_working_days(day):
    assert not is_working_day(dt.date.fromisoformat(day))


def test_weekends_are_not_working_days_and_ordinary_weekdays_are():
    assert not is_working_day(dt.date(2026, 6, 6))  # Saturday
    assert not is_working_day(dt.date(2026, 6, 7))  # Sunday
    assert all(is_working_day(dt.date(2026, 6, day)) for day in range(8, 13))


def test_scottish_bank_holidays_do_not_close_an_english_office():
    assert is_working_day(dt.date(2026, 8, 3))  # Scotland's summer bank holiday
    assert is_working_day(dt.date(2026, 11, 30))  # St Andrew's Day


def test_easter_2026_three_working_days_from_the_thursday_before_good_friday():
    # Fri 3 Apr (Good Friday) and Mon 6 Apr (Easter Monday) do not count: due Thu 9 Apr,
    # 23:59:59 BST, which is 22:59:59 UTC.
    assert due_at(ClockType.WORKING_DAYS, 3, london(2026, 4, 2, 10, 0)) == utc(
        2026, 4, 9, 22, 59, 59
    )


def test_christmas_2026_skips_the_substitute_boxing_day():
    assert add_working_days(dt.date(2026, 12, 24), 1) == dt.date(2026, 12, 29)


def test_christmas_2027_skips_both_substitute_days():
    assert add_working_days(dt.date(2027, 12, 24), 1) == dt.date(2027, 12, 29)
    assert working_days_between(dt.date(2027, 12, 24), dt.date(2027, 12, 31)) == 3


def test_new_year_2028_skips_the_substitute_monday():
    assert add_working_days(dt.date(2027, 12, 31), 1) == dt.date(2028, 1, 4)


def test_the_complaint_handling_code_worked_example():
    # Regulation notes, CHC-2: received Mon 1 Jun 2026, acknowledged Thu 4 Jun.
    assert add_working_days(dt.date(2026, 6, 1), 15) == dt.date(2026, 6, 22)  # our promise
    assert add_working_days(dt.date(2026, 6, 4), 10) == dt.date(2026, 6, 18)  # the Code


# --- day 0 and time zones ------------------------------------------------------------------


def test_day_0_is_the_trigger_date_even_on_a_weekend():
    # A complaint at 23:30 on Saturday: day 1 is Monday, not Tuesday.
    assert due_at(ClockType.WORKING_DAYS, 1, london(2026, 6, 6, 23, 30)) == utc(
        2026, 6, 8, 22, 59, 59
    )


def test_day_0_is_the_london_date_not_the_utc_date():
    # 23:30 UTC on Sunday 31 May is 00:30 BST on Monday 1 June: day 0 is the Monday.
    assert due_at(ClockType.WORKING_DAYS, 3, utc(2026, 5, 31, 23, 30)) == utc(
        2026, 6, 4, 22, 59, 59
    )


def test_a_zero_amount_clock_ends_at_the_end_of_day_0():
    assert due_at(ClockType.WORKING_DAYS, 0, london(2026, 6, 6, 9, 0)) == utc(
        2026, 6, 6, 22, 59, 59
    )


def test_24_hours_across_the_spring_clock_change_is_24_real_hours():
    # Sat 28 Mar 2026 12:00 GMT; the clocks go forward at 01:00 UTC on Sun 29 Mar.
    started = london(2026, 3, 28, 12, 0)
    due = due_at(ClockType.HOURS, 24, started)
    assert due == utc(2026, 3, 29, 12, 0)
    assert due - started == dt.timedelta(hours=24)
    assert due.astimezone(LONDON).hour == 13  # 13:00 BST on the wall clock


def test_24_hours_across_the_autumn_clock_change_is_24_real_hours():
    # Sat 24 Oct 2026 12:00 BST; the clocks go back at 01:00 UTC on Sun 25 Oct.
    started = london(2026, 10, 24, 12, 0)
    due = due_at(ClockType.HOURS, 24, started)
    assert due == utc(2026, 10, 25, 11, 0)
    assert due - started == dt.timedelta(hours=24)
    assert due.astimezone(LONDON).hour == 11  # 11:00 GMT on the wall clock


def test_minutes_across_the_missing_hour_are_real_minutes():
    assert due_at(ClockType.MINUTES, 2, utc(2026, 3, 29, 0, 59)) == utc(2026, 3, 29, 1, 1)


def test_a_day_clock_ending_after_the_spring_change_ends_at_23_59_59_bst():
    assert due_at(ClockType.CALENDAR_DAYS, 1, london(2026, 3, 28, 12, 0)) == utc(
        2026, 3, 29, 22, 59, 59
    )


def test_a_day_clock_ending_after_the_autumn_change_ends_at_23_59_59_gmt():
    # Fri 23 Oct 2026 (BST) + 1 working day = Mon 26 Oct, after the clocks went back.
    assert due_at(ClockType.WORKING_DAYS, 1, london(2026, 10, 23, 16, 0)) == utc(
        2026, 10, 26, 23, 59, 59
    )


def test_calendar_days_run_through_weekends_and_bank_holidays():
    # Gas safety record: 28 days from a check on Thu 3 Dec 2026 is Thu 31 Dec.
    assert due_at(ClockType.CALENDAR_DAYS, 28, london(2026, 12, 3, 10, 0)) == utc(
        2026, 12, 31, 23, 59, 59
    )


def test_weeks_are_seven_calendar_days_each():
    assert due_at(ClockType.WEEKS, 6, london(2026, 4, 1, 10, 0)) == utc(2026, 5, 13, 22, 59, 59)


# --- calendar months (UK GDPR) and safety intervals ---------------------------------------


def test_a_month_from_31_january_is_the_last_day_of_february_rolled_to_a_working_day():
    # 28 Feb 2026 is a Saturday: the ICO moves the deadline to Monday 2 March.
    assert due_at(ClockType.CALENDAR_MONTHS, 1, london(2026, 1, 31, 10, 0)) == utc(
        2026, 3, 2, 23, 59, 59
    )


def test_a_month_from_31_january_in_a_leap_year_is_29_february():
    assert due_at(ClockType.CALENDAR_MONTHS, 1, london(2028, 1, 31, 10, 0)) == utc(
        2028, 2, 29, 23, 59, 59
    )


def test_a_month_ending_on_christmas_rolls_past_the_substitute_day():
    # 25 Nov 2026 + 1 month = Fri 25 Dec; 26-27 weekend, 28 substitute: Tue 29 Dec.
    assert due_at(ClockType.CALENDAR_MONTHS, 1, london(2026, 11, 25, 10, 0)) == utc(
        2026, 12, 29, 23, 59, 59
    )


def test_a_month_on_a_working_day_does_not_roll():
    assert due_at(ClockType.CALENDAR_MONTHS, 1, london(2026, 5, 15, 10, 0)) == utc(
        2026, 6, 15, 22, 59, 59
    )


def test_a_gas_safety_interval_is_never_rolled_past_a_holiday():
    # "Not more than 12 months since it was last checked" (GSIUR reg 36): a check due on
    # Christmas Day is due on Christmas Day, not after the bank holidays.
    assert due_at(ClockType.INTERVAL_MONTHS, 12, london(2025, 12, 25, 10, 0)) == utc(
        2026, 12, 25, 23, 59, 59
    )
    assert due_at(ClockType.INTERVAL_MONTHS, 12, london(2027, 2, 28, 10, 0)) == utc(
        2028, 2, 28, 23, 59, 59
    )


def test_add_months_keeps_the_day_or_takes_the_last_of_the_month():
    assert calendar.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert calendar.add_months(dt.date(2026, 3, 31), 1) == dt.date(2026, 4, 30)
    assert calendar.add_months(dt.date(2026, 11, 15), 2) == dt.date(2027, 1, 15)
    assert calendar.add_months(dt.date(2026, 8, 31), 60) == dt.date(2031, 8, 31)


# --- refusals ------------------------------------------------------------------------------


def test_a_naive_start_is_refused():
    with pytest.raises(ValueError, match="aware"):
        due_at(ClockType.HOURS, 24, dt.datetime(2026, 4, 2, 10, 0))  # noqa: DTZ001


def test_an_unknown_clock_type_is_refused():
    with pytest.raises(ValueError, match="Unknown clock"):
        due_at("fortnights", 1, london(2026, 4, 2, 10, 0))


def test_a_negative_amount_is_refused():
    with pytest.raises(ValueError, match="negative"):
        due_at(ClockType.WORKING_DAYS, -1, london(2026, 4, 2, 10, 0))


def test_every_clock_type_has_a_rule():
    started = london(2026, 4, 2, 10, 0)
    for clock in ClockType.values:
        assert due_at(clock, 1, started) > started


# --- closure days and the cache ------------------------------------------------------------


def test_a_closure_day_added_through_the_service_is_honoured_at_once():
    assert add_working_days(dt.date(2026, 4, 2), 3) == dt.date(2026, 4, 9)  # cache warm
    services.closure_day_add(day=dt.date(2026, 4, 8), reason="Staff training day")
    assert not is_working_day(dt.date(2026, 4, 8))
    assert add_working_days(dt.date(2026, 4, 2), 3) == dt.date(2026, 4, 10)


def test_removing_a_closure_day_makes_it_a_working_day_again():
    closure = services.closure_day_add(day=dt.date(2026, 12, 29), reason="Christmas shutdown")
    assert add_working_days(dt.date(2026, 12, 24), 1) == dt.date(2026, 12, 30)
    services.closure_day_remove(closure_day=closure)
    assert add_working_days(dt.date(2026, 12, 24), 1) == dt.date(2026, 12, 29)
    assert not ClosureDay.objects.exists()


def test_the_calendar_is_cached_until_reset(django_assert_num_queries):
    with django_assert_num_queries(1):  # the closure days, once
        assert is_working_day(dt.date(2026, 4, 8))
    # Written behind the calendar's back (as another process would): not seen until reset.
    ClosureDay.objects.create(date=dt.date(2026, 4, 8), reason="Written directly")
    assert is_working_day(dt.date(2026, 4, 8))
    calendar.reset_cache()
    assert not is_working_day(dt.date(2026, 4, 8))


def test_another_processs_closure_day_is_seen_once_the_cache_is_old(monkeypatch):
    assert is_working_day(dt.date(2026, 4, 8))
    ClosureDay.objects.create(date=dt.date(2026, 4, 8), reason="Added in another process")
    monkeypatch.setattr(calendar, "CLOSURE_DAYS_MAX_AGE", 0.0)
    assert not is_working_day(dt.date(2026, 4, 8))


def test_closure_days_are_reset_again_on_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.closure_day_add(day=dt.date(2026, 4, 8), reason="Staff training day")
    assert calendar.reset_cache in callbacks


def test_no_query_per_day_once_the_calendar_is_loaded(django_assert_num_queries):
    started = london(2026, 1, 5, 9, 0)
    due_at(ClockType.WORKING_DAYS, 1, started)
    with django_assert_num_queries(0):
        for offset in range(1000):
            moment = started + dt.timedelta(hours=offset * 7)
            for clock in ClockType.values:
                due_at(clock, 20, moment)
            working_days_between(started.date(), moment.date())


def test_a_date_far_outside_the_window_widens_it_without_a_query(django_assert_num_queries):
    assert is_working_day(dt.date(2026, 6, 1))
    with django_assert_num_queries(0):
        assert not is_working_day(dt.date(2045, 12, 25))
        assert add_working_days(dt.date(2026, 6, 1), 5000) > dt.date(2045, 1, 1)
    assert is_working_day(dt.date(2026, 6, 2))  # the old years are kept


def test_a_long_run_of_closure_days_is_counted_through():
    for offset in range(40):
        ClosureDay.objects.create(date=dt.date(2026, 7, 1) + dt.timedelta(days=offset), reason="x")
    calendar.reset_cache()
    assert add_working_days(dt.date(2026, 6, 30), 1) == dt.date(2026, 8, 10)
