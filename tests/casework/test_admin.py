from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from casework.models import CaseEvent, EventKind, SensitiveCaseRead
from kernel.roles import Role
from tests.casework.factories import EnquiryFactory, TeamFactory
from tests.factories import StaffFactory

NOW = dt.datetime(2026, 4, 8, 11, 0, tzinfo=dt.UTC)  # Wednesday, 12:00 in London
CHANGELIST = "admin:enquiries_enquiry_changelist"


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def cs_client(client, db):
    officer = StaffFactory(roles=[Role.CUSTOMER_SERVICES])
    client.force_login(officer)
    client.officer = officer
    return client


def login_as(client, role: Role):
    user = StaffFactory(roles=[role])
    client.force_login(user)
    return user


def results(response) -> list[str]:
    return [case.reference for case in response.context["cl"].result_list]


def test_the_queue_is_ordered_by_due_time_with_no_clock_last(cs_client):
    later = EnquiryFactory(next_due_at=NOW + dt.timedelta(days=3))
    no_clock_old = EnquiryFactory(next_due_at=None, opened_at=NOW - dt.timedelta(days=9))
    overdue = EnquiryFactory(next_due_at=NOW - dt.timedelta(hours=2))
    no_clock_new = EnquiryFactory(next_due_at=None, opened_at=NOW - dt.timedelta(days=1))
    sooner = EnquiryFactory(next_due_at=NOW + dt.timedelta(hours=1))
    response = cs_client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert results(response) == [
        c.reference for c in (overdue, sooner, later, no_clock_old, no_clock_new)
    ]


def test_overdue_cases_are_marked_in_red(cs_client):
    EnquiryFactory(next_due_at=NOW - dt.timedelta(hours=2))
    body = cs_client.get(reverse(CHANGELIST)).content.decode()
    assert '<strong class="casework-clock casework-clock-overdue">Overdue</strong>' in body
    assert "casework/admin.css" in body


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        ("overdue", {"overdue"}),
        # Today in London ends at 23:59:59 BST, 22:59:59 UTC.
        ("today", {"overdue", "later_today"}),
        ("week", {"overdue", "later_today", "tomorrow", "sunday_night"}),
        ("none", {"no_clock"}),
    ],
)
def test_the_due_filter(cs_client, due, expected):
    cases = {
        "overdue": EnquiryFactory(next_due_at=NOW - dt.timedelta(hours=1)),
        "later_today": EnquiryFactory(next_due_at=dt.datetime(2026, 4, 8, 22, 30, tzinfo=dt.UTC)),
        # 23:30 UTC on Wednesday is already Thursday in London.
        "tomorrow": EnquiryFactory(next_due_at=dt.datetime(2026, 4, 8, 23, 30, tzinfo=dt.UTC)),
        "sunday_night": EnquiryFactory(next_due_at=dt.datetime(2026, 4, 12, 22, 30, tzinfo=dt.UTC)),
        "next_monday": EnquiryFactory(next_due_at=dt.datetime(2026, 4, 12, 23, 30, tzinfo=dt.UTC)),
        "no_clock": EnquiryFactory(next_due_at=None),
        "closed": EnquiryFactory(next_due_at=None, closed_at=NOW - dt.timedelta(days=1)),
    }
    response = cs_client.get(reverse(CHANGELIST), {"due": due})
    assert set(results(response)) == {cases[name].reference for name in expected}


def test_the_queue_costs_the_same_for_many_cases(cs_client, django_assert_max_num_queries):
    EnquiryFactory.create_batch(3, next_due_at=NOW)
    cs_client.get(reverse(CHANGELIST))  # per-process caches (content types) warmed first
    with django_assert_max_num_queries(12) as few:
        assert cs_client.get(reverse(CHANGELIST)).status_code == 200
    EnquiryFactory.create_batch(40, next_due_at=NOW)
    with django_assert_max_num_queries(12) as many:
        response = cs_client.get(reverse(CHANGELIST))
    assert len(results(response)) == 43
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_repairs_officer_cannot_see_the_customer_services_queue(client, db):
    enquiry = EnquiryFactory()
    login_as(client, Role.REPAIRS)
    assert client.get(reverse(CHANGELIST)).status_code == 403
    change = reverse("admin:enquiries_enquiry_change", args=[enquiry.pk])
    assert client.get(change).status_code in (302, 403)
    assert b"enquiries/enquiry/" not in client.get(reverse("admin:index")).content


def test_a_manager_sees_every_queue(client, db):
    enquiry = EnquiryFactory()
    login_as(client, Role.MANAGER)
    assert results(client.get(reverse(CHANGELIST))) == [enquiry.reference]


def test_status_and_reference_are_read_only(cs_client):
    enquiry = EnquiryFactory()
    response = cs_client.get(reverse("admin:enquiries_enquiry_change", args=[enquiry.pk]))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "status" not in form.fields
    assert "reference" not in form.fields
    assert "assignee" in form.fields


def test_the_change_page_shows_the_history_read_only(cs_client):
    enquiry = EnquiryFactory()
    CaseEvent.objects.create(
        case=enquiry,
        tenancy=enquiry.tenancy,
        occurred_at=NOW,
        kind=EventKind.NOTE,
        note="Called the tenant",
    )
    body = cs_client.get(reverse("admin:enquiries_enquiry_change", args=[enquiry.pk]))
    assert "Called the tenant" in body.content.decode()
    assert 'name="casework-caseevent-content_type-object_id-0-note"' not in body.content.decode()


def test_changing_the_assignee_in_the_form_writes_an_assigned_event(cs_client):
    enquiry = EnquiryFactory()
    change = reverse("admin:enquiries_enquiry_change", args=[enquiry.pk])
    page = cs_client.get(change)
    data = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    data.update(
        {
            "topic": enquiry.topic,
            "assignee": cs_client.officer.pk,
            "casework-caseevent-content_type-object_id-TOTAL_FORMS": "0",
            "casework-caseevent-content_type-object_id-INITIAL_FORMS": "0",
            "sla-deadline-content_type-object_id-TOTAL_FORMS": "0",
            "sla-deadline-content_type-object_id-INITIAL_FORMS": "0",
        }
    )
    response = cs_client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    enquiry.refresh_from_db()
    assert enquiry.assignee == cs_client.officer
    event = CaseEvent.objects.get(kind=EventKind.ASSIGNED)
    assert event.actor == cs_client.officer


def test_assign_to_me_assigns_and_writes_events(cs_client):
    first, second = EnquiryFactory.create_batch(2)
    response = cs_client.post(
        reverse(CHANGELIST),
        {
            "action": "assign_to_me",
            ACTION_CHECKBOX_NAME: [first.pk, second.pk],
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.assignee == second.assignee == cs_client.officer
    assert CaseEvent.objects.filter(kind=EventKind.ASSIGNED, actor=cs_client.officer).count() == 2


def test_a_sensitive_queue_is_for_the_asb_team_only(client, db, enquiry_is_sensitive):
    enquiry = EnquiryFactory()
    change = reverse("admin:enquiries_enquiry_change", args=[enquiry.pk])
    for role in (Role.CUSTOMER_SERVICES, Role.MANAGER):
        login_as(client, role)
        assert client.get(reverse(CHANGELIST)).status_code == 403
        assert client.get(change).status_code in (302, 403)
    assert not SensitiveCaseRead.objects.exists()


def test_every_asb_read_of_a_sensitive_case_is_logged(client, db, enquiry_is_sensitive):
    enquiry = EnquiryFactory()
    officer = login_as(client, Role.ASB)
    change = reverse("admin:enquiries_enquiry_change", args=[enquiry.pk])
    assert client.get(change).status_code == 200
    assert client.get(change).status_code == 200
    reads = SensitiveCaseRead.objects.filter(user=officer, object_id=enquiry.pk)
    assert reads.count() == 2
    assert reads.first().path == change


def test_the_event_log_shows_only_the_officers_case_models(client, db):
    enquiry = EnquiryFactory()
    CaseEvent.objects.create(
        case=enquiry, tenancy=enquiry.tenancy, occurred_at=NOW, kind=EventKind.NOTE, note="x"
    )
    login_as(client, Role.REPAIRS)
    assert client.get(reverse("admin:casework_caseevent_changelist")).status_code == 403
    login_as(client, Role.CUSTOMER_SERVICES)
    response = client.get(reverse("admin:casework_caseevent_changelist"))
    assert response.status_code == 200
    assert enquiry.reference in response.content.decode()


def test_a_repairs_officer_sees_only_enquiries_passed_to_a_repairs_team(client, db):
    repairs_team = TeamFactory(role=Role.REPAIRS, lead=None)
    front_desk = TeamFactory(role=Role.CUSTOMER_SERVICES, lead=None)
    passed = EnquiryFactory(team=repairs_team)
    kept = EnquiryFactory(team=front_desk)
    login_as(client, Role.REPAIRS)
    assert results(client.get(reverse(CHANGELIST))) == [passed.reference]
    own = client.get(reverse("admin:enquiries_enquiry_change", args=[passed.pk]))
    assert own.status_code == 200
    other = client.get(reverse("admin:enquiries_enquiry_change", args=[kept.pk]))
    assert other.status_code == 302  # the admin's "no such object" answer
    assert kept.reference not in client.get(reverse("admin:index")).content.decode()
