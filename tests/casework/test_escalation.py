"""What the case timeline and the staff are told when the clock engine acts on a case."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from casework.models import CaseEvent, EventKind
from casework.services import (
    case_deadline_extend,
    case_deadline_meet,
    case_deadlines_breached,
    case_deadlines_due_soon,
)
from casework.services import deadlines as casework_deadlines
from kernel.roles import Role
from notifications.models import Message, MessageStatus
from sla import hooks
from sla.models import Deadline
from sla.services import ClaimedDeadline, deadline_start, sweep_deadlines
from tests.casework.factories import EnquiryFactory, TeamFactory
from tests.factories import StaffFactory

# Wednesday 1 April 2026, 10:00 in London. Good Friday (3rd) and Easter Monday (6th) are not
# working days, so "3 working days" ends at 23:59:59 on Wednesday 8 April.
OPENED = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)
ACK_DUE_TEXT = "Wednesday 8 April 2026 at 11:59pm"
AFTER_ACK_DUE = dt.datetime(2026, 4, 9, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def team(db):
    return TeamFactory(lead=StaffFactory(roles=[Role.CUSTOMER_SERVICES], email="lead@example.org"))


@pytest.fixture
def officer(db):
    return StaffFactory(roles=[Role.CUSTOMER_SERVICES], email="officer@example.org")


def enquiries_with_clocks(n, *, code="enquiry.acknowledge", **fields):
    cases = EnquiryFactory.create_batch(n, opened_at=OPENED, **fields)
    with time_machine.travel(OPENED, tick=False):
        deadlines = [deadline_start(case=case, code=code) for case in cases]
    return cases, deadlines


def breached(deadlines):
    """The rows as the sweep hands them over: marked, with the commitment loaded."""
    ids = [d.pk for d in deadlines]
    Deadline.objects.filter(pk__in=ids).update(breached_at=AFTER_ACK_DUE)
    return [
        ClaimedDeadline.of(deadline, marked_at=AFTER_ACK_DUE)
        for deadline in Deadline.objects.filter(pk__in=ids).select_related("commitment")
    ]


# --- breaches --------------------------------------------------------------------------------


def test_a_breach_writes_an_internal_event_and_tells_assignee_and_team_lead(team, officer):
    [enquiry], [deadline] = enquiries_with_clocks(1, team=team, assignee=officer)
    with time_machine.travel(AFTER_ACK_DUE, tick=False):
        case_deadlines_breached(breached([deadline]))
    event = CaseEvent.objects.get(kind=EventKind.DEADLINE_BREACHED)
    assert event.object_id == enquiry.pk
    assert event.visible_to_customer is False
    assert event.tenancy_id == enquiry.tenancy_id
    assert deadline.commitment.title in event.note
    assert ACK_DUE_TEXT in event.note
    messages = Message.objects.order_by("idempotency_key")
    assert [(m.staff_user, m.idempotency_key) for m in messages] == sorted(
        [
            (team.lead, f"deadline:{deadline.pk}:breach:{team.lead.pk}"),
            (officer, f"deadline:{deadline.pk}:breach:{officer.pk}"),
        ],
        key=lambda pair: pair[1],
    )
    assert all(enquiry.reference in m.subject for m in messages)


def test_the_sweep_escalates_each_breach_once(team, officer):
    cases, deadlines = enquiries_with_clocks(3, team=team, assignee=officer)
    with time_machine.travel(AFTER_ACK_DUE, tick=False):
        first = sweep_deadlines()
        second = sweep_deadlines()
    assert (first.breached, second.breached) == (3, 0)
    breaches = CaseEvent.objects.filter(kind=EventKind.DEADLINE_BREACHED)
    assert sorted(breaches.values_list("object_id", flat=True)) == sorted(c.pk for c in cases)
    assert Message.objects.filter(staff_user=officer).count() == 3
    assert Message.objects.filter(staff_user=team.lead).count() == 3


def test_a_breach_event_and_email_carry_the_breach_time_and_a_link_to_the_case(
    team, officer, settings
):
    [enquiry], [deadline] = enquiries_with_clocks(1, team=team, assignee=officer)
    with time_machine.travel(AFTER_ACK_DUE + dt.timedelta(hours=1), tick=False):
        case_deadlines_breached(breached([deadline]))
    event = CaseEvent.objects.get(kind=EventKind.DEADLINE_BREACHED)
    assert (event.occurred_at, event.actor, event.from_status, event.to_status) == (
        AFTER_ACK_DUE,
        None,
        "",
        "",
    )
    link = settings.SITE_URL + reverse("admin:enquiries_enquiry_change", args=[enquiry.pk])
    message = Message.objects.get(staff_user=officer)
    assert message.body == (
        f"{enquiry.reference}: '{deadline.commitment.title}' was due {ACK_DUE_TEXT} and is now "
        f"overdue.\n\nOpen the case: {link}"
    )
    assert message.subject == f"Overdue: {enquiry.reference} {deadline.commitment.title}"
    assert (message.about, message.to_address) == (enquiry, "officer@example.org")


def test_an_admin_address_that_takes_only_numbers_is_reversed_case_by_case(
    team, officer, monkeypatch, settings
):
    def numeric_ids_only(name, args):
        if not isinstance(args[0], int):
            raise NoReverseMatch(name)
        return f"/staff/enquiry/{args[0]}/"

    monkeypatch.setattr(casework_deadlines, "reverse", numeric_ids_only)
    [enquiry], [deadline] = enquiries_with_clocks(1, team=team, assignee=officer)
    case_deadlines_breached(breached([deadline]))
    message = Message.objects.get(staff_user=officer)
    assert message.body.endswith(f"Open the case: {settings.SITE_URL}/staff/enquiry/{enquiry.pk}/")


def test_a_case_model_without_an_admin_page_is_escalated_without_a_link(team, officer, monkeypatch):
    def no_admin(name, args):
        raise NoReverseMatch(name)

    monkeypatch.setattr(casework_deadlines, "reverse", no_admin)
    _, [deadline] = enquiries_with_clocks(1, team=team, assignee=officer)
    case_deadlines_breached(breached([deadline]))
    message = Message.objects.get(staff_user=officer)
    assert message.body.endswith("and is now overdue.")
    assert "Open the case" not in message.body


def test_an_assignee_who_leads_the_team_is_told_once(officer):
    team = TeamFactory(lead=officer)
    _, [deadline] = enquiries_with_clocks(1, team=team, assignee=officer)
    case_deadlines_breached(breached([deadline]))
    assert Message.objects.filter(staff_user=officer).count() == 1


def test_a_case_with_nobody_to_tell_still_gets_its_event(db):
    _, [deadline] = enquiries_with_clocks(1)
    case_deadlines_breached(breached([deadline]))
    assert CaseEvent.objects.filter(kind=EventKind.DEADLINE_BREACHED).count() == 1
    assert not Message.objects.exists()


def test_staff_who_have_left_or_have_no_email_are_skipped(team):
    gone = StaffFactory(roles=[Role.CUSTOMER_SERVICES], is_active=False)
    _, [deadline] = enquiries_with_clocks(1, team=team, assignee=gone)
    case_deadlines_breached(breached([deadline]))
    assert [m.staff_user for m in Message.objects.all()] == [team.lead]


def test_breach_handling_without_recipients_costs_the_same_for_many_breaches(
    db, django_assert_max_num_queries
):
    _, few = enquiries_with_clocks(2)
    _, many = enquiries_with_clocks(25)
    few, many = breached(few), breached(many)
    with django_assert_max_num_queries(4):
        case_deadlines_breached(few)
    with django_assert_max_num_queries(4):
        case_deadlines_breached(many)
    assert CaseEvent.objects.filter(kind=EventKind.DEADLINE_BREACHED).count() == 27


def test_breach_handling_with_recipients_costs_the_same_for_many_breaches(team, officer):
    _, few = enquiries_with_clocks(2, team=team, assignee=officer)
    _, many = enquiries_with_clocks(20, team=team, assignee=officer)
    few, many = breached(few), breached(many)
    with CaptureQueriesContext(connection) as for_few:
        case_deadlines_breached(few)
    with CaptureQueriesContext(connection) as for_many:
        case_deadlines_breached(many)
    # 18 more breaches, each telling two people: 36 more messages, and not one query more.
    assert len(for_many) == len(for_few)
    assert Message.objects.count() == 44


def test_a_sweep_costs_the_same_queries_for_5_or_40_breaches(
    officer, django_assert_max_num_queries
):
    # The officer leads the team, so each breach is one email: SQLite's 999-variable limit would
    # split an INSERT of more than about 45 messages in two, a limit of the test database only.
    team = TeamFactory(lead=officer)
    batches = {}
    for days, count in ((0, 1), (7, 5), (14, 40)):
        with time_machine.travel(OPENED + dt.timedelta(days=days), tick=False):
            batches[count] = [
                deadline_start(case=case, code="enquiry.acknowledge")
                for case in EnquiryFactory.create_batch(count, team=team, assignee=officer)
            ]
    # Already warned, so each sweep's work is its breaches alone.
    Deadline.objects.update(warned_at=OPENED)
    after = {
        count: max(d.due_at for d in batch) + dt.timedelta(minutes=1)
        for count, batch in batches.items()
    }
    # The first sweep of a process also fills caches (content types): not what is measured.
    with time_machine.travel(after[1], tick=False):
        assert sweep_deadlines().breached == 1
    with time_machine.travel(after[5], tick=False), django_assert_max_num_queries(25) as for_five:
        five = sweep_deadlines()
    with time_machine.travel(after[40], tick=False), django_assert_max_num_queries(25) as for_fifty:
        fifty = sweep_deadlines()
    assert (five.breached, fifty.breached) == (5, 40)
    assert len(for_five) == len(for_fifty)
    assert CaseEvent.objects.filter(kind=EventKind.DEADLINE_BREACHED).count() == 46
    assert Message.objects.filter(staff_user=officer).count() == 46


def test_a_second_sweep_adds_no_messages_or_events(team, officer):
    enquiries_with_clocks(4, team=team, assignee=officer)
    with time_machine.travel(AFTER_ACK_DUE, tick=False):
        sweep_deadlines()
        messages = set(Message.objects.values_list("pk", flat=True))
        events = CaseEvent.objects.count()
        later = sweep_deadlines()
    assert later.breached == 0
    assert len(messages) == 8
    assert set(Message.objects.values_list("pk", flat=True)) == messages
    assert CaseEvent.objects.count() == events


def test_escalating_the_same_breaches_again_queues_no_second_email(team, officer):
    _, deadlines = enquiries_with_clocks(3, team=team, assignee=officer)
    rows = breached(deadlines)
    case_deadlines_breached(rows)
    first = set(Message.objects.values_list("pk", "idempotency_key"))
    case_deadlines_breached(rows)
    assert set(Message.objects.values_list("pk", "idempotency_key")) == first
    assert len(first) == 6


def test_a_breach_email_key_already_used_for_someone_else_is_refused_on_every_database(
    team, officer
):
    """The escalation writes its emails through notify_staff_bulk on SQLite and PostgreSQL
    alike, so a key taken by another recipient is a caller's bug raised everywhere, never a
    message silently dropped (PostgreSQL's ON CONFLICT DO NOTHING used to swallow it)."""
    _, [deadline] = enquiries_with_clocks(1, team=team, assignee=officer)
    rows = breached([deadline])
    other = StaffFactory(roles=[Role.CUSTOMER_SERVICES], email="other@example.org")
    taken = Message.objects.create(
        idempotency_key=f"deadline:{deadline.pk}:breach:{officer.pk}",
        staff_user=other,
        channel="email",
        to_address=other.email,
        subject="Something else",
        body="Something else",
        created_at=AFTER_ACK_DUE,
        next_attempt_at=AFTER_ACK_DUE,
    )
    with pytest.raises(ValueError, match="another recipient"):
        case_deadlines_breached(rows)
    assert list(Message.objects.values_list("pk", flat=True)) == [taken.pk]
    assert not CaseEvent.objects.filter(kind=EventKind.DEADLINE_BREACHED).exists()


def test_the_sweep_kicks_delivery_once_per_batch_and_every_email_is_sent(
    team, officer, django_capture_on_commit_callbacks
):
    enquiries_with_clocks(3, team=team, assignee=officer)
    with (
        time_machine.travel(AFTER_ACK_DUE, tick=False),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        result = sweep_deadlines(batch_size=2)
    assert result.breached == 3
    # Two batches (2 + 1 breaches): one kick each, not one per email.
    assert len(callbacks) == 2
    assert sorted(email.to[0] for email in mail.outbox) == sorted(
        ["officer@example.org"] * 3 + ["lead@example.org"] * 3
    )
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}


def test_a_failure_after_escalating_rolls_back_the_events_and_emails_not_the_breach(
    team, officer, monkeypatch, django_capture_on_commit_callbacks
):
    _, [deadline] = enquiries_with_clocks(1, team=team, assignee=officer)
    monkeypatch.setattr(hooks, "_breach_handlers", list(hooks.breach_handlers()))
    failures = []

    def fails_once(deadlines):
        if not failures:
            failures.append(len(deadlines))
            raise RuntimeError("a later handler failed")

    hooks.register_breach_handler(fails_once)
    with (
        time_machine.travel(AFTER_ACK_DUE, tick=False),
        django_capture_on_commit_callbacks() as callbacks,
    ):
        assert sweep_deadlines().breached == 1
    deadline.refresh_from_db()
    assert deadline.breached_at == AFTER_ACK_DUE
    assert not CaseEvent.objects.filter(kind=EventKind.DEADLINE_BREACHED).exists()
    assert not Message.objects.exists()
    assert callbacks == []

    with time_machine.travel(AFTER_ACK_DUE + dt.timedelta(minutes=1), tick=False):
        assert sweep_deadlines().breached == 0
    assert CaseEvent.objects.filter(kind=EventKind.DEADLINE_BREACHED).count() == 1
    assert Message.objects.count() == 2


# --- warnings --------------------------------------------------------------------------------


def test_a_warning_writes_an_event_and_tells_the_owners_once(team, officer):
    [enquiry], [deadline] = enquiries_with_clocks(1, team=team, assignee=officer)
    assert deadline.warn_at is not None
    with time_machine.travel(deadline.warn_at + dt.timedelta(minutes=1), tick=False):
        first = sweep_deadlines()
        second = sweep_deadlines()
    assert (first.warned, second.warned) == (1, 0)
    event = CaseEvent.objects.get(kind=EventKind.DEADLINE_WARNING)
    assert event.object_id == enquiry.pk
    assert event.visible_to_customer is False
    assert ACK_DUE_TEXT in event.note
    assert set(Message.objects.values_list("idempotency_key", flat=True)) == {
        f"deadline:{deadline.pk}:warning:{officer.pk}",
        f"deadline:{deadline.pk}:warning:{team.lead.pk}",
    }


def test_the_warning_handler_loads_cases_once_per_model(db, django_assert_max_num_queries):
    _, deadlines = enquiries_with_clocks(15)
    claimed = [
        ClaimedDeadline.of(deadline, marked_at=OPENED)
        for deadline in Deadline.objects.filter(pk__in=[d.pk for d in deadlines]).select_related(
            "commitment"
        )
    ]
    with django_assert_max_num_queries(4):
        case_deadlines_due_soon(claimed)
    assert CaseEvent.objects.filter(kind=EventKind.DEADLINE_WARNING).count() == 15


# --- met and extended ------------------------------------------------------------------------


def test_meeting_a_clock_writes_a_met_event(db, officer):
    [enquiry], [deadline] = enquiries_with_clocks(1)
    with time_machine.travel(OPENED + dt.timedelta(days=1), tick=False):
        met = case_deadline_meet(case=enquiry, code="enquiry.acknowledge", actor=officer)
    assert [d.pk for d in met] == [deadline.pk]
    event = CaseEvent.objects.get(kind=EventKind.DEADLINE_MET)
    assert event.actor == officer
    assert "done on time" in event.note
    enquiry.refresh_from_db()
    assert enquiry.next_due_at is None


def test_extending_tells_the_customer_the_new_date_and_why(db, officer):
    [enquiry], [deadline] = enquiries_with_clocks(1, code="enquiry.respond")
    new_due = dt.datetime(2026, 4, 24, 16, 0, tzinfo=dt.UTC)
    with time_machine.travel(OPENED + dt.timedelta(days=2), tick=False):
        extended = case_deadline_extend(
            case=enquiry,
            deadline=deadline,
            new_due_at=new_due,
            reason="We are waiting for the council",
            by=officer,
            tell_customer=True,
        )
    assert extended.due_at == new_due
    assert extended.customer_told_of_extension_at is not None
    event = CaseEvent.objects.get(kind=EventKind.DEADLINE_EXTENDED)
    assert event.visible_to_customer is True
    assert "Friday 24 April 2026" in event.note
    assert "We are waiting for the council" in event.note
    message = Message.objects.get()
    assert message.customer == enquiry.customer
    assert message.idempotency_key == f"deadline:{deadline.pk}:extended:1"
    assert "Friday 24 April 2026" in message.body
    enquiry.refresh_from_db()
    assert enquiry.next_due_at == new_due


def test_extending_without_telling_the_customer_sends_nothing(db, officer):
    [enquiry], [deadline] = enquiries_with_clocks(1, code="enquiry.respond")
    with time_machine.travel(OPENED + dt.timedelta(days=2), tick=False):
        case_deadline_extend(
            case=enquiry,
            deadline=deadline,
            new_due_at=deadline.due_at + dt.timedelta(days=5),
            reason="Waiting for a contractor's report",
            by=officer,
            tell_customer=False,
        )
    assert CaseEvent.objects.filter(kind=EventKind.DEADLINE_EXTENDED).count() == 1
    assert not Message.objects.exists()


def test_a_second_extension_is_a_second_message(db, officer):
    [enquiry], [deadline] = enquiries_with_clocks(1, code="enquiry.respond")
    with time_machine.travel(OPENED + dt.timedelta(days=2), tick=False):
        for days in (3, 6):
            case_deadline_extend(
                case=enquiry,
                deadline=deadline,
                new_due_at=deadline.original_due_at + dt.timedelta(days=days),
                reason="Still waiting",
                by=officer,
                tell_customer=True,
            )
    assert sorted(Message.objects.values_list("idempotency_key", flat=True)) == [
        f"deadline:{deadline.pk}:extended:1",
        f"deadline:{deadline.pk}:extended:2",
    ]


def test_extending_another_cases_clock_is_refused_and_nothing_written(db, officer):
    [enquiry, other], [_, others_deadline] = enquiries_with_clocks(2, code="enquiry.respond")
    with pytest.raises(ValueError, match="is not on"):
        case_deadline_extend(
            case=enquiry,
            deadline=others_deadline,
            new_due_at=others_deadline.due_at + dt.timedelta(days=5),
            reason="Wrong case",
            by=officer,
            tell_customer=True,
        )
    others_deadline.refresh_from_db()
    assert others_deadline.extended_at is None
    assert not CaseEvent.objects.filter(kind=EventKind.DEADLINE_EXTENDED).exists()
    assert not Message.objects.exists()


def test_extending_without_a_reason_is_refused(db, officer):
    [enquiry], [deadline] = enquiries_with_clocks(1, code="enquiry.respond")
    with pytest.raises(ValidationError):
        case_deadline_extend(
            case=enquiry,
            deadline=deadline,
            new_due_at=deadline.due_at + dt.timedelta(days=5),
            reason="  ",
            by=officer,
            tell_customer=True,
        )
    assert not CaseEvent.objects.filter(kind=EventKind.DEADLINE_EXTENDED).exists()
