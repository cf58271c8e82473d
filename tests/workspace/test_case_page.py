"""A case's own admin page: its history latest first, a page at a time, and a fixed cost however
long that history is."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from casework.admin import HISTORY_PER_PAGE
from casework.models import CaseEvent, EventKind
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
    (history,) = [
        table for table in response.context["case_records"] if table.title == "History"
    ]
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
# once; its steps' state; the officer's model permissions (two, for the admin's menu); its clocks; a
# page of its history; its files and home visits.
CASE_PAGE_QUERIES = 12
