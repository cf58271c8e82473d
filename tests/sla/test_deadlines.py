"""Starting, meeting, pausing, resuming and extending a case's clocks."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from sla import services
from sla.models import ClockType, Commitment, Deadline
from sla.selectors import deadlines_for_case, earliest_open_deadline
from sla.services import NotAClock, UnknownCommitment
from tests.factories import StaffFactory
from tests.sla.factories import CommitmentFactory, EnquiryFactory

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC

pytestmark = pytest.mark.django_db

# Mon 1 Jun 2026, 10:00 BST: the Complaint Handling Code's worked example starts here.
MONDAY = dt.datetime(2026, 6, 1, 10, 0, tzinfo=LONDON)


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@pytest.fixture
def case(time_machine):
    time_machine.move_to(MONDAY, tick=False)
    return EnquiryFactory()


def _reload(case):
    case.refresh_from_db()
    return case


# --- start ---------------------------------------------------------------------------------


def test_starting_a_clock_copies_the_catalogue_and_sets_the_case_due_time(case):
    deadline = services.deadline_start(case=case, code="enquiry.acknowledge")

    assert deadline.commitment.code == "enquiry.acknowledge"
    assert (deadline.clock, deadline.amount) == (ClockType.WORKING_DAYS, 3)
    assert deadline.started_at == MONDAY
    assert deadline.due_at == deadline.original_due_at == utc(2026, 6, 4, 22, 59, 59)
    assert deadline.warn_at == utc(2026, 6, 3, 22, 59, 59)  # 24 hours before
    assert deadline.case == case
    assert _reload(case).next_due_at == utc(2026, 6, 4, 22, 59, 59)
    assert case.next_due_at == utc(2026, 6, 4, 22, 59, 59)  # the instance passed in, too


def test_a_clock_started_at_an_earlier_time_counts_from_then(case):
    received = dt.datetime(2026, 5, 29, 17, 0, tzinfo=LONDON)  # the Friday before
    deadline = services.deadline_start(case=case, code="enquiry.acknowledge", started_at=received)
    assert deadline.due_at == utc(2026, 6, 3, 22, 59, 59)


def test_a_clock_without_a_warning_has_no_warn_time(case):
    deadline = services.deadline_start(case=case, code="webchat.acknowledge")
    assert deadline.due_at == MONDAY + dt.timedelta(minutes=2)
    assert deadline.warn_at is None


def test_a_warning_that_would_fall_before_the_start_is_not_set(case):
    commitment = CommitmentFactory(amount=2, warn_before=dt.timedelta(hours=4))
    deadline = services.deadline_start(case=case, code=commitment.code)
    assert deadline.warn_at is None


def test_editing_an_amount_moves_new_clocks_not_running_ones(case):
    running = services.deadline_start(case=case, code="enquiry.respond")
    Commitment.objects.filter(code="enquiry.respond").update(amount=5)
    later = services.deadline_start(case=EnquiryFactory(), code="enquiry.respond")

    running.refresh_from_db()
    assert (running.amount, running.due_at) == (10, utc(2026, 6, 15, 22, 59, 59))
    assert (later.amount, later.due_at) == (5, utc(2026, 6, 8, 22, 59, 59))


def test_the_record_may_set_its_own_period(case):
    # An electrical report that asks for the next inspection in 3 years, not 5.
    deadline = services.deadline_start(case=case, code="electrical.eicr", amount=36)
    assert deadline.amount == 36
    assert deadline.due_at == utc(2029, 6, 1, 22, 59, 59)


def test_an_unknown_code_is_refused_and_nothing_is_written(case):
    with pytest.raises(UnknownCommitment, match="enquiry.acknowledged"):
        services.deadline_start(case=case, code="enquiry.acknowledged")
    assert not Deadline.objects.exists()
    assert _reload(case).next_due_at is None


def test_a_retired_commitment_is_refused(case):
    Commitment.objects.filter(code="enquiry.contact_back").update(is_active=False)
    with pytest.raises(UnknownCommitment):
        services.deadline_start(case=case, code="enquiry.contact_back")
    assert not Deadline.objects.exists()


@pytest.mark.parametrize("code", ["lettings.viewing.notice", "rent.change.notice"])
def test_a_constraint_is_never_started_as_a_clock(case, code):
    with pytest.raises(NotAClock, match="minimum notice"):
        services.deadline_start(case=case, code=code)
    assert not Deadline.objects.exists()


def test_starting_a_clock_takes_a_fixed_number_of_queries(case, django_assert_max_num_queries):
    services.deadline_start(case=case, code="enquiry.acknowledge")  # content types cached
    # commitment, insert, lock the case, earliest due, update the case; and the savepoint
    # pair of its transaction (nested in the test's)
    with django_assert_max_num_queries(7):
        services.deadline_start(case=case, code="enquiry.respond")


# --- the stricter of promise and law -------------------------------------------------------


def test_the_case_is_due_at_the_stricter_of_our_promise_and_the_code(case, time_machine):
    # Regulation notes CHC-2: received Mon 1 Jun, acknowledged Thu 4 Jun (day 3).
    services.deadline_start(case=case, code="complaint.stage1.respond")  # 15 WD: Mon 22 Jun
    acknowledged = dt.datetime(2026, 6, 4, 11, 0, tzinfo=LONDON)
    time_machine.move_to(acknowledged, tick=False)
    services.deadline_start(case=case, code="complaint.stage1.respond.code")  # 10 WD: Thu 18 Jun

    assert _reload(case).next_due_at == utc(2026, 6, 18, 22, 59, 59)
    assert earliest_open_deadline(case).commitment.code == "complaint.stage1.respond.code"
    assert [d.due_at for d in deadlines_for_case(case)] == [
        utc(2026, 6, 18, 22, 59, 59),
        utc(2026, 6, 22, 22, 59, 59),
    ]


def test_meeting_the_promise_meets_its_legal_twin(case, time_machine):
    services.deadline_start(case=case, code="complaint.stage1.respond")
    services.deadline_start(case=case, code="complaint.stage1.respond.code")
    services.deadline_start(case=case, code="complaint.stage1.acknowledge")
    responded = dt.datetime(2026, 6, 10, 15, 0, tzinfo=LONDON)
    time_machine.move_to(responded, tick=False)

    met = services.deadline_meet(case=case, code="complaint.stage1.respond")

    assert sorted(d.commitment.code for d in met) == [
        "complaint.stage1.respond",
        "complaint.stage1.respond.code",
    ]
    assert all(d.met_at == responded and d.met_on_time for d in met)
    still_open = Deadline.objects.get(met_at__isnull=True)
    assert still_open.commitment.code == "complaint.stage1.acknowledge"
    assert _reload(case).next_due_at == still_open.due_at


# --- meet ----------------------------------------------------------------------------------


def test_meeting_a_clock_clears_the_case_due_time(case, time_machine):
    services.deadline_start(case=case, code="enquiry.acknowledge")
    time_machine.move_to(dt.datetime(2026, 6, 2, 9, 0, tzinfo=LONDON), tick=False)

    [met] = services.deadline_meet(case=case, code="enquiry.acknowledge")

    assert Deadline.objects.get().met_at == dt.datetime(2026, 6, 2, 9, 0, tzinfo=LONDON)
    assert met.met_on_time
    assert _reload(case).next_due_at is None


def test_a_code_does_not_meet_a_sibling_that_merely_shares_its_start(case):
    services.deadline_start(case=case, code="enquiry.acknowledge")
    services.deadline_start(case=case, code="enquiry.respond")
    services.deadline_meet(case=case, code="enquiry.acknowledge")
    assert Deadline.objects.get(commitment__code="enquiry.respond").met_at is None


def test_meeting_touches_only_this_case(case):
    other = EnquiryFactory()
    services.deadline_start(case=case, code="enquiry.acknowledge")
    services.deadline_start(case=other, code="enquiry.acknowledge")

    services.deadline_meet(case=case, code="enquiry.acknowledge")

    assert Deadline.objects.for_case(other).get().met_at is None
    assert _reload(other).next_due_at is not None


def test_meeting_again_changes_nothing(case, time_machine):
    services.deadline_start(case=case, code="enquiry.acknowledge")
    services.deadline_meet(case=case, code="enquiry.acknowledge")
    first = Deadline.objects.get().met_at
    time_machine.shift(dt.timedelta(hours=1))
    assert services.deadline_meet(case=case, code="enquiry.acknowledge") == []
    assert Deadline.objects.get().met_at == first


def test_meeting_an_unknown_code_is_refused(case):
    with pytest.raises(UnknownCommitment):
        services.deadline_meet(case=case, code="enquiry.acknowledgement")


def test_a_late_reply_is_recorded_and_the_breach_stays(case, time_machine):
    services.deadline_start(case=case, code="enquiry.acknowledge")
    swept = utc(2026, 6, 5, 0, 0)
    services.sweep_deadlines(now=swept)
    time_machine.move_to(dt.datetime(2026, 6, 5, 9, 0, tzinfo=LONDON), tick=False)

    [met] = services.deadline_meet(case=case, code="enquiry.acknowledge")

    deadline = Deadline.objects.get()
    assert deadline.breached_at == swept
    assert deadline.met_at == dt.datetime(2026, 6, 5, 9, 0, tzinfo=LONDON)
    assert not deadline.met_on_time
    assert _reload(case).next_due_at is None


def test_a_reply_logged_after_the_sweep_but_made_in_time_is_not_a_breach(case, time_machine):
    services.deadline_start(case=case, code="enquiry.acknowledge")
    services.sweep_deadlines(now=utc(2026, 6, 5, 0, 0))
    # The officer phoned the customer at 18:00 on the due day and logs it the next morning.
    phoned = dt.datetime(2026, 6, 4, 18, 0, tzinfo=LONDON)
    time_machine.move_to(dt.datetime(2026, 6, 5, 9, 0, tzinfo=LONDON), tick=False)

    services.deadline_meet(case=case, code="enquiry.acknowledge", met_at=phoned)

    deadline = Deadline.objects.get()
    assert (deadline.met_at, deadline.breached_at) == (phoned, None)
    assert deadline.met_on_time


def test_a_late_reply_logged_for_before_the_sweep_breached_when_the_clock_ran_out(
    case, time_machine
):
    services.deadline_start(case=case, code="enquiry.acknowledge")
    services.sweep_deadlines(now=utc(2026, 6, 6, 9, 0))  # beat was down until Saturday
    replied = utc(2026, 6, 5, 12, 0)  # late, but before the sweep noticed
    time_machine.move_to(utc(2026, 6, 6, 10, 0), tick=False)

    services.deadline_meet(case=case, code="enquiry.acknowledge", met_at=replied)

    deadline = Deadline.objects.get()
    assert deadline.met_at == replied
    assert deadline.breached_at == deadline.due_at == utc(2026, 6, 4, 22, 59, 59)
    assert not deadline.met_on_time


# --- pause and resume ----------------------------------------------------------------------


def test_a_paused_clock_is_not_what_the_case_is_due_at(case, time_machine):
    ack = services.deadline_start(case=case, code="enquiry.acknowledge")
    respond = services.deadline_start(case=case, code="enquiry.respond")
    time_machine.shift(dt.timedelta(hours=2))

    paused = services.deadline_pause(deadline=ack)

    assert paused.paused_at == MONDAY + dt.timedelta(hours=2)
    assert _reload(case).next_due_at == respond.due_at


def test_resuming_adds_the_paused_time_to_the_due_and_warning_times(case, time_machine):
    deadline = services.deadline_start(case=case, code="enquiry.acknowledge")
    time_machine.shift(dt.timedelta(hours=2))
    services.deadline_pause(deadline=deadline)
    time_machine.shift(dt.timedelta(days=3, hours=1))

    resumed = services.deadline_resume(deadline=deadline)

    paused_for = dt.timedelta(days=3, hours=1)
    assert resumed.paused_at is None
    assert resumed.paused_seconds == int(paused_for.total_seconds())
    assert resumed.due_at == utc(2026, 6, 4, 22, 59, 59) + paused_for
    assert resumed.warn_at == utc(2026, 6, 3, 22, 59, 59) + paused_for
    assert resumed.original_due_at == utc(2026, 6, 4, 22, 59, 59)
    assert _reload(case).next_due_at == resumed.due_at


def test_two_pauses_add_up(case, time_machine):
    deadline = services.deadline_start(case=case, code="enquiry.respond")
    for _ in range(2):
        services.deadline_pause(deadline=deadline)
        time_machine.shift(dt.timedelta(hours=5))
        services.deadline_resume(deadline=deadline)
    deadline.refresh_from_db()
    assert deadline.paused_seconds == 10 * 3600
    assert deadline.due_at == deadline.original_due_at + dt.timedelta(hours=10)


def test_a_clock_met_while_paused_closes_the_pause(case, time_machine):
    deadline = services.deadline_start(case=case, code="enquiry.acknowledge")
    services.deadline_pause(deadline=deadline)
    time_machine.shift(dt.timedelta(hours=6))

    services.deadline_meet(case=case, code="enquiry.acknowledge")

    deadline.refresh_from_db()
    assert deadline.paused_at is None
    assert deadline.paused_seconds == 6 * 3600
    assert deadline.due_at == deadline.original_due_at + dt.timedelta(hours=6)
    assert deadline.met_on_time


def _snapshot(deadline):
    deadline.refresh_from_db()
    return {f.attname: getattr(deadline, f.attname) for f in Deadline._meta.concrete_fields}


def test_pausing_twice_is_refused_and_changes_nothing(case):
    deadline = services.deadline_start(case=case, code="enquiry.acknowledge")
    services.deadline_pause(deadline=deadline)
    before = _snapshot(deadline)
    with pytest.raises(ValidationError, match="already paused"):
        services.deadline_pause(deadline=deadline)
    assert _snapshot(deadline) == before


def test_resuming_a_running_clock_is_refused(case):
    deadline = services.deadline_start(case=case, code="enquiry.acknowledge")
    before = _snapshot(deadline)
    with pytest.raises(ValidationError, match="not paused"):
        services.deadline_resume(deadline=deadline)
    assert _snapshot(deadline) == before


def test_a_met_clock_cannot_be_paused(case):
    deadline = services.deadline_start(case=case, code="enquiry.acknowledge")
    services.deadline_meet(case=case, code="enquiry.acknowledge")
    before = _snapshot(deadline)
    with pytest.raises(ValidationError, match="met"):
        services.deadline_pause(deadline=deadline)
    assert _snapshot(deadline) == before


def test_a_clock_that_has_run_out_cannot_be_paused(case, time_machine):
    deadline = services.deadline_start(case=case, code="enquiry.acknowledge")
    time_machine.move_to(utc(2026, 6, 5, 0, 0), tick=False)  # due, not yet swept
    before = _snapshot(deadline)
    with pytest.raises(ValidationError, match="run out"):
        services.deadline_pause(deadline=deadline)
    assert _snapshot(deadline) == before


# --- extend --------------------------------------------------------------------------------


def test_extending_records_why_who_and_when_the_customer_was_told(case, time_machine):
    officer = StaffFactory()
    deadline = services.deadline_start(case=case, code="complaint.stage1.respond.code")
    services.sweep_deadlines(now=utc(2026, 6, 13, 0, 0))  # the warning has gone out
    time_machine.move_to(dt.datetime(2026, 6, 12, 11, 0, tzinfo=LONDON), tick=False)
    new_due = utc(2026, 6, 29, 22, 59, 59)
    told = dt.datetime(2026, 6, 12, 11, 5, tzinfo=LONDON)

    extended = services.deadline_extend(
        deadline=deadline,
        new_due_at=new_due,
        reason="Waiting for the contractor's report on the roof.",
        by=officer,
        customer_told_at=told,
    )

    extended.refresh_from_db()
    assert extended.due_at == new_due
    assert extended.original_due_at == utc(2026, 6, 15, 22, 59, 59)
    assert extended.extended_at == dt.datetime(2026, 6, 12, 11, 0, tzinfo=LONDON)
    assert extended.extended_by == officer
    assert extended.extension_reason == "Waiting for the contractor's report on the roof."
    assert extended.customer_told_of_extension_at == told
    # The warning is re-armed 24 hours before the new time.
    assert (extended.warn_at, extended.warned_at) == (new_due - dt.timedelta(hours=24), None)
    assert _reload(case).next_due_at == new_due


@pytest.mark.parametrize(
    ("new_due_at", "reason", "message"),
    [
        (utc(2026, 6, 29, 22, 59, 59), "   ", "reason"),
        (utc(2026, 6, 4, 22, 59, 59), "More time", "later"),
        (utc(2026, 6, 3, 22, 59, 59), "More time", "later"),
    ],
)
def test_an_extension_without_a_reason_or_not_later_is_refused(case, new_due_at, reason, message):
    deadline = services.deadline_start(case=case, code="enquiry.acknowledge")
    before = _snapshot(deadline)
    with pytest.raises(ValidationError, match=message):
        services.deadline_extend(
            deadline=deadline, new_due_at=new_due_at, reason=reason, by=StaffFactory()
        )
    assert _snapshot(deadline) == before


def test_a_breached_clock_cannot_be_extended(case, time_machine):
    deadline = services.deadline_start(case=case, code="enquiry.acknowledge")
    services.sweep_deadlines(now=utc(2026, 6, 5, 0, 0))
    time_machine.move_to(utc(2026, 6, 5, 9, 0), tick=False)
    before = _snapshot(deadline)
    with pytest.raises(ValidationError, match="already been missed"):
        services.deadline_extend(
            deadline=deadline,
            new_due_at=utc(2026, 6, 12, 22, 59, 59),
            reason="Too late",
            by=StaffFactory(),
        )
    assert _snapshot(deadline) == before


def test_a_clock_that_has_run_out_cannot_be_extended_before_the_sweep_sees_it(case, time_machine):
    deadline = services.deadline_start(case=case, code="enquiry.acknowledge")
    time_machine.move_to(utc(2026, 6, 4, 23, 30), tick=False)  # 00:30 BST, a minute's grace
    before = _snapshot(deadline)
    with pytest.raises(ValidationError, match="before the deadline"):
        services.deadline_extend(
            deadline=deadline,
            new_due_at=utc(2026, 6, 12, 22, 59, 59),
            reason="Too late",
            by=StaffFactory(),
        )
    assert _snapshot(deadline) == before


# --- the case's next due time --------------------------------------------------------------


def test_refresh_sets_no_due_time_when_nothing_is_open(case):
    services.deadline_start(case=case, code="enquiry.acknowledge")
    Deadline.objects.update(met_at=MONDAY)
    services.refresh_case_next_due(case)
    assert _reload(case).next_due_at is None


def test_a_breached_clock_still_makes_the_case_due(case):
    deadline = services.deadline_start(case=case, code="enquiry.acknowledge")
    services.sweep_deadlines(now=utc(2026, 6, 5, 0, 0))
    services.refresh_case_next_due(case)
    assert _reload(case).next_due_at == deadline.due_at
    assert earliest_open_deadline(case) == deadline


def test_a_model_without_a_due_time_column_is_left_alone(case):
    officer = StaffFactory()  # a User has no next_due_at
    deadline = services.deadline_start(case=officer, code="enquiry.acknowledge")
    assert deadline.case == officer


def test_earliest_open_deadline_is_none_for_a_case_with_no_clocks(case):
    assert earliest_open_deadline(case) is None
    assert list(deadlines_for_case(case)) == []
