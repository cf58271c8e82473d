"""A case's own admin page: its history latest first, a page at a time, and a fixed cost however
long that history is."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from casework.admin import HISTORY_PER_PAGE
from casework.models import CaseEvent, EventKind
from enquiries.models import Enquiry
from sla.services import deadline_start
from tests.casework.factories import EnquiryFactory
from tests.factories import CustomerFactory
from tests.workspace.conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, customer_services_officer):
    client.force_login(customer_services_officer)
    return client


def _with_history(events: int):
    enquiry = EnquiryFactory(customer=CustomerFactory())
    content_type = ContentType.objects.get_for_model(enquiry)
    CaseEvent.objects.bulk_create(
        CaseEvent(
            content_type=content_type,
            object_id=enquiry.pk,
            tenancy_id=enquiry.tenancy_id,
            occurred_at=NOW - dt.timedelta(hours=events - n),
            kind=EventKind.NOTE,
            note=f"Note {n}",
        )
        for n in range(events)
    )
    return enquiry


def _page(enquiry) -> str:
    return reverse("admin:enquiries_enquiry_change", args=[enquiry.pk])


def _history_shown(response) -> list[str]:
    (history,) = [table for table in response.context["case_records"] if table.title == "History"]
    shown = [event.note for event in history.objects]
    body = response.content.decode()
    assert all(note in body for note in shown)
    return shown


def test_a_case_shows_its_latest_events_first_a_page_at_a_time(officer_client):
    enquiry = _with_history(HISTORY_PER_PAGE * 2 + 5)

    first = officer_client.get(_page(enquiry))

    assert _history_shown(first) == [f"Note {n}" for n in range(44, 24, -1)]
    assert "?history=2" in first.content.decode()
    second = officer_client.get(_page(enquiry), {"history": "2"})
    assert _history_shown(second) == [f"Note {n}" for n in range(24, 4, -1)]
    last = officer_client.get(_page(enquiry), {"history": "3"})
    assert _history_shown(last) == [f"Note {n}" for n in range(4, -1, -1)]
    assert "?history=4" not in last.content.decode()
    assert "?history=2" in last.content.decode()


@pytest.mark.parametrize("history", ["%00", "\x00", "-3", "x", "9" * 30])
def test_a_history_page_that_cannot_be_read_shows_the_latest(officer_client, history):
    enquiry = _with_history(3)

    response = officer_client.get(_page(enquiry), {"history": history})

    assert response.status_code == 200
    assert _history_shown(response) in (["Note 2", "Note 1", "Note 0"], [])


def test_a_history_page_past_the_end_says_there_is_nothing_older(officer_client):
    enquiry = _with_history(3)

    response = officer_client.get(_page(enquiry), {"history": "5"})

    assert _history_shown(response) == []
    assert "No older events." in response.content.decode()


def test_a_case_page_costs_the_same_queries_for_a_long_history(
    officer_client, django_assert_max_num_queries
):
    short, long = _with_history(2), _with_history(HISTORY_PER_PAGE * 3)
    officer_client.get(_page(short))  # content types are cached for the process after this

    with django_assert_max_num_queries(CASE_PAGE_QUERIES):
        officer_client.get(_page(short))
    with django_assert_max_num_queries(CASE_PAGE_QUERIES):
        response = officer_client.get(_page(long))
    assert len(_history_shown(response)) == HISTORY_PER_PAGE


# Session (read from the database when no cache holds it), user, authenticator and roles; the
# enquiry with its customer (and their household and home), household, home, team and assignee, read
# once; its steps' state; its clocks; a page of its history; the assignee shown in its search box;
# its files and home visits. (No longer the officer's model permissions: the admin's sidebar and
# the links beside the assignee box asked for them.)
CASE_PAGE_QUERIES = 10


def test_a_case_page_lists_every_field_of_its_fieldsets_once(officer_client):
    enquiry = _with_history(1)
    Enquiry.objects.filter(pk=enquiry.pk).update(
        subject="Broken gate", details="Line one\nLine two"
    )

    response = officer_client.get(_page(enquiry))

    body = response.content.decode()
    for title in ("Enquiry", "Queue", "Milestones"):
        assert f"<h2>{title}</h2>" in body
    for label in ("Reference", "Subject", "Details", "Topic", "Opened at", "Assignee"):
        assert body.count(f"{label}</") + body.count(f"{label}:</label>") >= 1, label
    assert "Line one<br>Line two" in body
    customer = enquiry.customer
    customer_page = reverse("admin:tenancy_customer_change", args=[customer.pk])
    assert f'<a href="{customer_page}">' in body
    # The officer still passes the case on here: the assignee is the one field to change.
    assert list(response.context["adminform"].form.fields) == ["topic", "assignee"]
    assert 'name="assignee"' in body


def test_a_case_pages_clocks_are_listed_read_only(officer_client):
    enquiry = _with_history(1)
    deadline = deadline_start(case=enquiry, code="enquiry.respond")

    response = officer_client.get(_page(enquiry))

    (clocks,) = [t for t in response.context["case_records"] if t.title == "Clocks"]
    assert clocks.objects == [deadline]
    body = response.content.decode()
    assert deadline.commitment.title in body
    assert "sla-deadline-content_type-object_id-TOTAL_FORMS" not in body


def test_staff_pages_leave_the_queue_list_to_the_admins_home_page(officer_client):
    enquiry = _with_history(1)

    case_page = officer_client.get(_page(enquiry)).content.decode()
    home = officer_client.get(reverse("admin:index")).content.decode()

    assert 'id="nav-sidebar"' not in case_page
    assert reverse("admin:index") in case_page
    assert reverse("admin:enquiries_enquiry_changelist") in home
