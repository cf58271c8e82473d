"""The sweep: marks each breach once, warns once, catches up after downtime, calls handlers."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from sla import services, tasks
from sla.models import ClaimedBatch, Deadline
from sla.selectors import sweep_preview
from tests.sla.factories import EnquiryFactory

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC

pytestmark = pytest.mark.django_db


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@pytest.fixture
def handlers(sweep_handlers):
    return sweep_handlers


def _hate_crime_report(time_machine, reported_at: dt.datetime) -> Deadline:
    """A 24-hour clock (warned 4 hours before), started at ``reported_at``."""
    time_machine.move_to(reported_at, tick=False)
    return services.deadline_start(case=EnquiryFactory(), code="asb.hate_crime.acknowledge")


def _state(deadline: Deadline) -> tuple:
    deadline.refresh_from_db()
    return deadline.breached_at, deadline.warned_at


# --- breaches ------------------------------------------------------------------------------


def test_a_passed_clock_is_marked_breached_once(time_machine, handlers):
    breaches, _ = handlers
    deadline = _hate_crime_report(time_machine, utc(2026, 1, 12, 2, 0))
    sweep_time = utc(2026, 1, 13, 2, 0, 30)

    first = services.sweep_deadlines(now=sweep_time)
    second = services.sweep_deadlines(now=sweep_time + dt.timedelta(minutes=1))

    assert first.breached == 1 and second == services.SweepResult(breached=0, warned=0)
    assert _state(deadline)[0] == sweep_time
    assert breaches.ids == [deadline.pk]


def test_a_clock_is_breached_at_its_due_time_not_a_moment_before(time_machine, handlers):
    deadline = _hate_crime_report(time_machine, utc(2026, 1, 12, 2, 0))
    assert services.sweep_deadlines(now=deadline.due_at - dt.timedelta(seconds=1)).breached == 0
    assert services.sweep_deadlines(now=deadline.due_at).breached == 1


def test_catching_up_after_beat_was_down_escalates_each_breach_once(time_machine, handlers):
    breaches, _ = handlers
    # Due at 02:00 on Tuesday; beat last ran at 01:59 and stopped until 09:00.
    deadline = _hate_crime_report(time_machine, utc(2026, 1, 12, 2, 0))
    # A clock that ran out the day before, during the same outage.
    older = _hate_crime_report(time_machine, utc(2026, 1, 11, 1, 0))
    time_machine.move_to(utc(2026, 1, 13, 1, 59), tick=False)
    assert services.sweep_deadlines().breached == 1  # only the older one
    breaches.batches.clear()

    time_machine.move_to(utc(2026, 1, 13, 9, 0), tick=False)
    caught_up = services.sweep_deadlines()
    time_machine.move_to(utc(2026, 1, 13, 9, 1), tick=False)
    next_minute = services.sweep_deadlines()

    assert (caught_up.breached, next_minute.breached) == (1, 0)
    assert _state(deadline)[0] == utc(2026, 1, 13, 9, 0)  # when we noticed
    assert _state(older)[0] == utc(2026, 1, 13, 1, 59)
    assert breaches.ids == [deadline.pk]


def test_a_met_clock_is_never_breached(time_machine, handlers):
    breaches, _ = handlers
    deadline = _hate_crime_report(time_machine, utc(2026, 1, 12, 2, 0))
    services.deadline_meet(case=deadline.case, code="asb.hate_crime.acknowledge")
    assert services.sweep_deadlines(now=utc(2026, 1, 20)).breached == 0
    assert _state(deadline)[0] is None
    assert breaches.batches == []


def test_a_paused_clock_is_never_breached(time_machine, handlers):
    deadline = _hate_crime_report(time_machine, utc(2026, 1, 12, 2, 0))
    services.deadline_pause(deadline=deadline)
    assert services.sweep_deadlines(now=utc(2026, 1, 20)).breached == 0
    assert _state(deadline) == (None, None)


def test_a_resumed_clock_breaches_at_its_moved_due_time(time_machine, handlers):
    deadline = _hate_crime_report(time_machine, utc(2026, 1, 12, 2, 0))
    services.deadline_pause(deadline=deadline)
    time_machine.shift(dt.timedelta(hours=10))
    services.deadline_resume(deadline=deadline)
    assert services.sweep_deadlines(now=utc(2026, 1, 13, 2, 0)).breached == 0
    assert services.sweep_deadlines(now=utc(2026, 1, 13, 12, 0)).breached == 1


def test_handlers_get_each_breach_once_with_its_commitment_loaded(
    time_machine, handlers, django_assert_num_queries
):
    seen = []

    def handler(deadlines):
        with django_assert_num_queries(0):
            seen.extend(
                (d.pk, d.commitment.code, d.content_type.model, d.due_at, d.marked_at)
                for d in deadlines
            )

    from sla import hooks

    hooks.register_breach_handler(handler)
    hooks.register_breach_handler(handler)  # registering twice changes nothing
    first = _hate_crime_report(time_machine, utc(2026, 1, 12, 2, 0))
    second = _hate_crime_report(time_machine, utc(2026, 1, 12, 3, 0))

    services.sweep_deadlines(now=utc(2026, 1, 14))
    services.sweep_deadlines(now=utc(2026, 1, 15))

    swept_at = utc(2026, 1, 14)
    assert seen == [
        (first.pk, "asb.hate_crime.acknowledge", "enquiry", utc(2026, 1, 13, 2, 0), swept_at),
        (second.pk, "asb.hate_crime.acknowledge", "enquiry", utc(2026, 1, 13, 3, 0), swept_at),
    ]


def test_a_backlog_is_marked_in_batches(time_machine, handlers):
    breaches, _ = handlers
    deadlines = [_hate_crime_report(time_machine, utc(2026, 1, 12, hour, 0)) for hour in range(5)]
    result = services.sweep_deadlines(now=utc(2026, 1, 14), batch_size=2)
    assert result.breached == 5
    assert [len(batch) for batch in breaches.batches] == [2, 2, 1]
    assert sorted(breaches.ids) == sorted(d.pk for d in deadlines)
    # The oldest breaches first.
    assert breaches.ids == [d.pk for d in deadlines]


def test_a_failing_handler_keeps_the_mark_and_its_batch_for_the_next_run(time_machine, handlers):
    """The breach is recorded when it is found; what the handlers write is rolled back with
    them, and the batch is handed over again later, never lost."""
    breaches, _ = handlers
    deadline = _hate_crime_report(time_machine, utc(2026, 1, 12, 2, 0))
    calls = []

    def flaky(deadlines):
        calls.append(len(deadlines))
        if len(calls) == 1:
            raise RuntimeError("the outbox is unavailable")

    from sla import hooks

    hooks.register_breach_handler(flaky)

    assert services.sweep_deadlines(now=utc(2026, 1, 14)).breached == 1
    assert _state(deadline)[0] == utc(2026, 1, 14)
    assert ClaimedBatch.objects.count() == 1

    assert services.sweep_deadlines(now=utc(2026, 1, 14, 0, 1)).breached == 0
    assert _state(deadline)[0] == utc(2026, 1, 14)
    assert calls == [1, 1]
    assert not ClaimedBatch.objects.exists()
    # The handler registered first saw the batch both times: its writes were rolled back with
    # the failure, so it writes them again.
    assert breaches.ids == [deadline.pk, deadline.pk]


def test_a_batch_that_cannot_be_handed_over_does_not_hold_up_the_next(time_machine, handlers):
    breaches, _ = handlers
    first = _hate_crime_report(time_machine, utc(2026, 1, 12, 1, 0))
    second = _hate_crime_report(time_machine, utc(2026, 1, 12, 2, 0))

    def refuses_the_first(deadlines):
        if first.pk in [d.pk for d in deadlines]:
            raise RuntimeError("a bug in a handler")

    from sla import hooks

    hooks.register_breach_handler(refuses_the_first)

    assert services.sweep_deadlines(now=utc(2026, 1, 14), batch_size=1).breached == 2
    assert [batch.rows[0][0] for batch in ClaimedBatch.objects.all()] == [first.pk]
    assert second.pk in breaches.ids


def test_the_marks_are_committed_before_the_handlers_run(time_machine, handlers):
    """The worker's sweep only marks and records the batch: its events and emails are written
    by the follow-up, outside the transaction that holds the claimed rows."""
    breaches, _ = handlers
    deadline = _hate_crime_report(time_machine, utc(2026, 1, 12, 2, 0))

    assert services.sweep_deadlines(now=utc(2026, 1, 14), hand_over=False).breached == 1
    assert _state(deadline)[0] == utc(2026, 1, 14) and breaches.ids == []
    [batch] = ClaimedBatch.objects.all()
    assert (batch.kind, batch.rows[0][0]) == (ClaimedBatch.Kind.BREACH, deadline.pk)

    assert services.hand_over_claimed() == 1
    assert breaches.ids == [deadline.pk] and not ClaimedBatch.objects.exists()
    assert services.hand_over_claimed() == 0


def test_the_sweep_costs_a_fixed_number_of_queries_per_batch(
    time_machine, handlers, django_assert_max_num_queries
):
    for hour in range(20):
        _hate_crime_report(time_machine, utc(2026, 1, 12, hour, 0))
    # Marking: per batch a savepoint, the claim, the batch's record and the release; for
    # breaches and then warnings. Handing over: per batch a savepoint, the batch, the
    # catalogue, its deletion and the release, and the look-up that finds no more.
    with django_assert_max_num_queries(8):
        assert services.sweep_deadlines(now=utc(2026, 1, 14), hand_over=False).breached == 20
    with django_assert_max_num_queries(8):
        assert services.hand_over_claimed() == 20


# --- warnings ------------------------------------------------------------------------------


def test_a_clock_nearly_due_is_warned_of_once(time_machine, handlers):
    _, warnings = handlers
    deadline = _hate_crime_report(time_machine, utc(2026, 1, 12, 2, 0))
    assert deadline.warn_at == utc(2026, 1, 12, 22, 0)

    assert services.sweep_deadlines(now=utc(2026, 1, 12, 21, 59)).warned == 0
    assert services.sweep_deadlines(now=utc(2026, 1, 12, 22, 0)) == services.SweepResult(0, 1)
    assert services.sweep_deadlines(now=utc(2026, 1, 12, 22, 1)).warned == 0
    assert _state(deadline) == (None, utc(2026, 1, 12, 22, 0))
    assert warnings.ids == [deadline.pk]

    # ... and then breached when it runs out.
    assert services.sweep_deadlines(now=utc(2026, 1, 13, 2, 0)) == services.SweepResult(1, 0)


def test_a_clock_already_due_is_breached_not_warned(time_machine, handlers):
    breaches, warnings = handlers
    deadline = _hate_crime_report(time_machine, utc(2026, 1, 12, 2, 0))
    assert services.sweep_deadlines(now=utc(2026, 1, 13, 9, 0)) == services.SweepResult(1, 0)
    assert (breaches.ids, warnings.ids) == ([deadline.pk], [])


def test_a_clock_without_a_warning_is_never_warned(time_machine, handlers):
    time_machine.move_to(utc(2026, 1, 12, 10, 0), tick=False)
    services.deadline_start(case=EnquiryFactory(), code="webchat.acknowledge")
    assert services.sweep_deadlines(now=utc(2026, 1, 12, 10, 1, 59)).warned == 0


def test_two_sweeps_one_after_the_other_never_claim_a_row_twice(time_machine, handlers):
    """The single-connection half of the concurrency guarantee (the two-connection half runs
    on PostgreSQL in test_sweep_concurrency.py): the claim re-checks its condition."""
    breaches, _ = handlers
    for hour in range(6):
        _hate_crime_report(time_machine, utc(2026, 1, 12, hour, 0))
    first = services._claim_breaches(utc(2026, 1, 14), 4)
    second = services._claim_breaches(utc(2026, 1, 14), 4)
    third = services._claim_breaches(utc(2026, 1, 14), 4)
    assert (len(first), len(second), third) == (4, 2, [])
    assert not {row[0] for row in first} & {row[0] for row in second}


# --- preview, command and task -------------------------------------------------------------


def test_the_preview_counts_what_the_sweep_then_does(time_machine, handlers):
    for hour in range(3):
        _hate_crime_report(time_machine, utc(2026, 1, 12, hour, 0))
    _hate_crime_report(time_machine, utc(2026, 1, 13, 0, 0))
    now = utc(2026, 1, 13, 21, 0)
    assert sweep_preview(now=now) == (3, 1)
    assert services.sweep_deadlines(now=now) == services.SweepResult(breached=3, warned=1)
    assert sweep_preview(now=now) == (0, 0)


def test_the_command_dry_run_reports_and_writes_nothing(time_machine, handlers):
    breaches, warnings = handlers
    deadline = _hate_crime_report(time_machine, utc(2026, 1, 12, 2, 0))
    time_machine.move_to(utc(2026, 1, 14), tick=False)
    out = StringIO()

    call_command("sla_sweep", "--dry-run", stdout=out)

    assert "would mark 1 breached and warn of 0" in out.getvalue()
    assert _state(deadline) == (None, None)
    assert breaches.batches == warnings.batches == []


def test_the_command_sweeps(time_machine, handlers):
    deadline = _hate_crime_report(time_machine, utc(2026, 1, 12, 2, 0))
    time_machine.move_to(utc(2026, 1, 14), tick=False)
    out = StringIO()

    call_command("sla_sweep", stdout=out)

    assert "1 breached, 0 warned" in out.getvalue()
    assert _state(deadline)[0] == utc(2026, 1, 14)


def test_the_beat_task_runs_the_sweep(time_machine, handlers):
    breaches, _ = handlers
    deadline = _hate_crime_report(time_machine, utc(2026, 1, 12, 2, 0))
    time_machine.move_to(utc(2026, 1, 14), tick=False)

    result = tasks.sweep_deadlines.delay()

    assert tasks.sweep_deadlines.name == "sla.tasks.sweep_deadlines"
    assert result.get() == {"breached": 1, "warned": 0}
    assert _state(deadline)[0] == utc(2026, 1, 14)
    assert breaches.ids == [deadline.pk]


def test_a_hand_over_the_broker_could_not_take_is_done_by_the_next_sweep(
    time_machine, handlers, monkeypatch
):
    breaches, _ = handlers
    deadline = _hate_crime_report(time_machine, utc(2026, 1, 12, 2, 0))
    time_machine.move_to(utc(2026, 1, 14), tick=False)

    def broker_down():
        raise ConnectionError("broker unreachable")

    with monkeypatch.context() as patched:
        patched.setattr(tasks.hand_over_claimed, "delay", broker_down)
        assert tasks.sweep_deadlines.delay().get() == {"breached": 1, "warned": 0}
    assert breaches.ids == [] and ClaimedBatch.objects.count() == 1

    time_machine.move_to(utc(2026, 1, 14, 0, 1), tick=False)
    assert tasks.sweep_deadlines.delay().get() == {"breached": 0, "warned": 0}
    assert breaches.ids == [deadline.pk] and not ClaimedBatch.objects.exists()


def test_the_beat_schedule_names_the_task():
    from portal.celery import app

    assert app.conf.beat_schedule["sla-sweep"]["task"] == tasks.sweep_deadlines.name
