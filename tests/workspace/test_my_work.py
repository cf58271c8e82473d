"""My work: one queue of every case type, soonest clock first, with the clock's name, due
moment and state, filtered by whose cases and by when they are due."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.access import registered_case_models
from casework.models import Team
from casework.selectors import ClockState, clock_state
from casework.services import case_assign
from enquiries.models import Enquiry
from kernel.formatting import LONDON
from kernel.roles import Role
from tests.casework.factories import EnquiryFactory, TeamFactory
from tests.factories import CustomerFactory, StaffFactory
from tests.workspace.conftest import NOW
from tests.workspace.factories import one_case_of_every_type
from workspace.selectors import DueWhen, Scope, case_admin_url, my_work

pytestmark = pytest.mark.django_db

MY_WORK = reverse("workspace:my_work")


def references(page) -> list[str]:
    return [row.reference for row in page.rows]


def test_my_work_lists_my_open_cases_of_every_type_soonest_clock_first(
    tenant_a, customer_services_officer, manager
):
    # Managers work every queue but the sensitive ones and those only their own team works
    # (requests about a person's own data), so one of them can hold a case of every other type.
    cases = one_case_of_every_type(tenant_a)
    for case in cases.values():
        case_assign(case=case, assignee=manager, actor=None)

    page = my_work(manager)

    assert {type(row.case) for row in page.rows} == {
        e.model for e in registered_case_models() if not (e.sensitive or e.role_holders_only)
    }
    # Cases with a running clock first, soonest first; those waiting on no clock after them.
    dues = [row.due_at for row in page.rows]
    running = [due for due in dues if due is not None]
    assert dues == sorted(running) + [None] * (len(dues) - len(running))
    assert running
    assert all(row.clock_name for row in page.rows if row.due_at is not None)


def test_the_row_names_the_clock_the_case_is_due_at_and_its_state(tenant_a, manager):
    case = one_case_of_every_type(tenant_a)[Enquiry]
    case_assign(case=case, assignee=manager, actor=None)

    (row,) = my_work(manager).rows

    assert row.clock_name == "Acknowledge a written, email or portal contact"
    assert row.due_at == case.next_due_at
    assert row.state is ClockState.ON_TRACK


def test_closed_cases_and_other_peoples_cases_are_not_in_my_work(customer_services_officer):
    colleague = StaffFactory(roles=[Role.CUSTOMER_SERVICES])
    mine = EnquiryFactory(assignee=customer_services_officer)
    EnquiryFactory(assignee=customer_services_officer, closed_at=NOW)
    EnquiryFactory(assignee=colleague)
    EnquiryFactory(assignee=None)

    assert references(my_work(customer_services_officer)) == [mine.reference]


def test_cases_with_no_clock_come_last_oldest_first(customer_services_officer):
    officer = customer_services_officer
    later = EnquiryFactory(assignee=officer, next_due_at=NOW + dt.timedelta(days=3))
    no_clock_old = EnquiryFactory(
        assignee=officer, next_due_at=None, opened_at=NOW - dt.timedelta(days=9)
    )
    overdue = EnquiryFactory(assignee=officer, next_due_at=NOW - dt.timedelta(hours=2))
    no_clock_new = EnquiryFactory(
        assignee=officer, next_due_at=None, opened_at=NOW - dt.timedelta(days=1)
    )
    sooner = EnquiryFactory(assignee=officer, next_due_at=NOW + dt.timedelta(hours=1))

    assert references(my_work(officer)) == [
        c.reference for c in (overdue, sooner, later, no_clock_old, no_clock_new)
    ]


@pytest.fixture
def my_team(customer_services_officer):
    return TeamFactory(name="Contact centre", role=Role.CUSTOMER_SERVICES)


def test_my_team_shows_the_teams_cases_whoever_holds_them(customer_services_officer, my_team):
    colleague = StaffFactory(roles=[Role.CUSTOMER_SERVICES])
    other_team = Team.objects.create(name="Repairs desk", role=Role.REPAIRS)
    held = EnquiryFactory(team=my_team, assignee=colleague)
    unassigned = EnquiryFactory(team=my_team, assignee=None)
    EnquiryFactory(team=other_team, assignee=None)

    team_page = my_work(customer_services_officer, scope=Scope.TEAM)
    unassigned_page = my_work(customer_services_officer, scope=Scope.UNASSIGNED)

    assert set(references(team_page)) == {held.reference, unassigned.reference}
    assert references(unassigned_page) == [unassigned.reference]


def test_overdue_and_due_today_filters_follow_the_london_calendar(customer_services_officer):
    officer = customer_services_officer
    overdue = EnquiryFactory(assignee=officer, next_due_at=NOW - dt.timedelta(minutes=1))
    tonight = dt.datetime(2026, 12, 8, 23, 30, tzinfo=LONDON)
    later_today = EnquiryFactory(assignee=officer, next_due_at=tonight)
    tomorrow = EnquiryFactory(assignee=officer, next_due_at=NOW + dt.timedelta(days=1))

    overdue_page = my_work(officer, due=DueWhen.OVERDUE)
    today_page = my_work(officer, due=DueWhen.TODAY)

    assert references(overdue_page) == [overdue.reference]
    assert references(today_page) == [overdue.reference, later_today.reference]
    assert tomorrow.reference not in references(today_page)


@pytest.mark.parametrize(
    ("due_at", "warn_at", "state"),
    [
        (None, None, ClockState.NO_CLOCK),
        (NOW - dt.timedelta(seconds=1), None, ClockState.OVERDUE),
        (NOW, None, ClockState.OVERDUE),
        # 23:59 in London on the same day.
        (dt.datetime(2026, 12, 8, 23, 59, tzinfo=LONDON), None, ClockState.DUE_SOON),
        (NOW + dt.timedelta(days=2), NOW - dt.timedelta(hours=1), ClockState.DUE_SOON),
        (NOW + dt.timedelta(days=2), NOW + dt.timedelta(hours=1), ClockState.ON_TRACK),
        (dt.datetime(2026, 12, 9, 0, 0, tzinfo=LONDON), None, ClockState.ON_TRACK),
    ],
)
def test_clock_state_is_red_amber_or_green(due_at, warn_at, state):
    assert clock_state(due_at, warn_at=warn_at, now=NOW) is state


def test_the_page_shows_the_state_as_a_word_and_a_colour(client, customer_services_officer):
    EnquiryFactory(assignee=customer_services_officer, next_due_at=NOW - dt.timedelta(hours=1))
    client.force_login(customer_services_officer)

    body = client.get(MY_WORK).content.decode()

    assert '<strong class="casework-clock casework-clock-overdue">Overdue</strong>' in body
    assert "casework/admin.css" in body


def test_each_row_opens_the_cases_own_admin_page(client, customer_services_officer):
    case = EnquiryFactory(assignee=customer_services_officer)
    client.force_login(customer_services_officer)

    body = client.get(MY_WORK).content.decode()

    assert f'href="{reverse("admin:enquiries_enquiry_change", args=[case.pk])}"' in body


def test_pages_follow_one_another_without_repeating_a_case(customer_services_officer):
    officer = customer_services_officer
    for hours in range(30):
        EnquiryFactory(assignee=officer, next_due_at=NOW + dt.timedelta(hours=hours + 1))

    first = my_work(officer, page_size=25)
    second = my_work(officer, page=2, page_size=25)

    assert first.has_next and not second.has_next
    assert len(first.rows) == 25 and len(second.rows) == 5
    assert not set(references(first)) & set(references(second))


@pytest.mark.parametrize(
    "query",
    [
        {"scope": "everyone"},
        {"due": "\x00"},
        {"size": "1000000"},
        {"page": "99999999999999999999"},
        {"page": "-1"},
    ],
)
def test_odd_query_values_show_the_default_queue(client, customer_services_officer, query):
    client.force_login(customer_services_officer)

    response = client.get(MY_WORK, query)

    assert response.status_code == 200
    assert response.context["scope"] is Scope.MINE


def test_the_queue_costs_the_same_queries_for_few_cases_as_for_many(
    client, customer_services_officer, django_assert_max_num_queries
):
    officer = customer_services_officer
    customer = CustomerFactory()
    client.force_login(officer)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(MY_WORK).status_code == 200
        return len(captured)

    EnquiryFactory.create_batch(2, assignee=officer, customer=customer)
    few = count_queries()
    EnquiryFactory.create_batch(40, assignee=officer, customer=customer)
    many = count_queries()

    assert few == many
    # The session and user, the authenticator, the roles, the colleagues to assign to, one query
    # per case model, the clocks and the hand-overs; no count of the whole table.
    with django_assert_max_num_queries(5 + len(registered_case_models()) + 4):
        client.get(MY_WORK)


def test_a_caseworker_with_nothing_assigned_sees_an_empty_queue(client, repairs_officer):
    client.force_login(repairs_officer)

    response = client.get(MY_WORK)

    assert response.status_code == 200
    assert "No open cases here." in response.content.decode()


def test_time_moves_the_state_from_on_track_to_overdue(customer_services_officer):
    case = EnquiryFactory(
        assignee=customer_services_officer, next_due_at=NOW + dt.timedelta(days=2)
    )
    assert my_work(customer_services_officer).rows[0].state is ClockState.ON_TRACK

    with time_machine.travel(case.next_due_at + dt.timedelta(minutes=1), tick=False):
        assert my_work(customer_services_officer).rows[0].state is ClockState.OVERDUE


def test_the_case_link_is_the_admins_own_change_url(tenant_a, manager):
    for entry in registered_case_models():
        opts = entry.model._meta
        assert case_admin_url(entry, 123) == reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change", args=[123]
        )


def _models_read(user) -> int:
    """The case models whose queue the reader may see some of: My work reads each once."""
    from casework.access import staff_cases

    return sum(not staff_cases(user, e.model).query.is_empty() for e in registered_case_models())


@pytest.mark.parametrize(("scope", "fixed"), [("", 9), ("team", 10)])
def test_my_work_costs_one_query_per_case_model_and_a_fixed_few_more(
    client, customer_services_officer, django_assert_max_num_queries, scope, fixed
):
    officer = customer_services_officer
    team = TeamFactory(role=Role.CUSTOMER_SERVICES)
    EnquiryFactory.create_batch(
        30, assignee=officer, team=team, next_due_at=NOW + dt.timedelta(days=2)
    )
    client.force_login(officer)
    client.get(MY_WORK, {"scope": scope})  # content types are cached for the process after this

    # Session (from the database when no cache holds it), user, authenticator, roles, colleagues
    # (for giving cases), (the teams), one query per case model, the page's clocks and hand-overs,
    # the officer's model permissions (two, for the admin's menu): never a count.
    with django_assert_max_num_queries(fixed + _models_read(officer)) as captured:
        response = client.get(MY_WORK, {"scope": scope})

    assert len(response.context["page"].rows) == 30
    assert not [q for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
