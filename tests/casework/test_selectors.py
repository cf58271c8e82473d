from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from casework.models import CaseEvent, EventKind
from casework.selectors import (
    household_timeline,
    open_case_summaries_for_customer,
    open_cases_for_household,
    timeline_for_case,
)
from enquiries.models import EnquiryStatus
from tests.casework.factories import EnquiryFactory

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def event(case, *, visible=True, at=T0, note="x"):
    return CaseEvent.objects.create(
        case=case,
        tenancy=case.tenancy,
        occurred_at=at,
        kind=EventKind.NOTE,
        note=note,
        visible_to_customer=visible,
    )


@pytest.mark.django_db
def test_your_home_summaries_are_the_households_open_cases_newest_first(
    tenant_a, joint_tenant_a, tenant_b
):
    older = EnquiryFactory(customer=tenant_a, opened_at=T0, subject="Bins")
    newer = EnquiryFactory(
        customer=joint_tenant_a,
        opened_at=T0 + dt.timedelta(days=1),
        subject="Parking",
        status=EnquiryStatus.ACKNOWLEDGED,
        next_due_at=T0 + dt.timedelta(days=5),
    )
    EnquiryFactory(customer=tenant_a, closed_at=T0, status=EnquiryStatus.CLOSED)
    EnquiryFactory(customer=tenant_b)
    summaries = open_case_summaries_for_customer(tenant_a)
    assert summaries == [
        {
            "reference": newer.reference,
            "title": "Parking",
            "status": "Acknowledged",
            "due_at": T0 + dt.timedelta(days=5),
            "url": reverse("casework:case_detail", args=[newer.reference]),
        },
        {
            "reference": older.reference,
            "title": "Bins",
            "status": "Received",
            "due_at": None,
            "url": reverse("casework:case_detail", args=[older.reference]),
        },
    ]


@pytest.mark.django_db
def test_sensitive_cases_are_listed_only_for_their_reporter(
    tenant_a, joint_tenant_a, enquiry_is_sensitive
):
    reported = EnquiryFactory(customer=tenant_a)
    assert [s.reference for s in open_cases_for_household(tenant_a.tenancy, viewer=tenant_a)] == [
        reported.reference
    ]
    assert open_cases_for_household(tenant_a.tenancy, viewer=joint_tenant_a) == []
    assert open_cases_for_household(tenant_a.tenancy) == []


@pytest.mark.django_db
def test_open_cases_stop_at_the_limit(tenant_a, django_assert_max_num_queries):
    EnquiryFactory.create_batch(8, customer=tenant_a)
    with django_assert_max_num_queries(1):
        assert len(open_cases_for_household(tenant_a.tenancy, limit=5)) == 5


@pytest.mark.django_db
def test_the_case_timeline_for_customers_holds_only_visible_events(tenant_a):
    enquiry = EnquiryFactory(customer=tenant_a)
    shown = event(enquiry, visible=True, note="We called you")
    event(enquiry, visible=False, note="Internal")
    assert list(timeline_for_case(enquiry, customer_view=True)) == [shown]
    assert timeline_for_case(enquiry, customer_view=False).count() == 2


@pytest.mark.django_db
def test_the_household_timeline_is_newest_first_and_only_this_household(
    tenant_a, tenant_b, django_assert_max_num_queries
):
    ours = EnquiryFactory.create_batch(6, customer=tenant_a)
    for n, case in enumerate(ours):
        event(case, at=T0 + dt.timedelta(hours=n))
        event(case, visible=False)
    event(EnquiryFactory(customer=tenant_b))
    with django_assert_max_num_queries(2):  # the events, then their cases (one per model)
        timeline = household_timeline(tenant_a.tenancy, viewer=tenant_a)
        references = [e.case.reference for e in timeline]
    assert references == [c.reference for c in reversed(ours)]


@pytest.mark.django_db
def test_the_household_timeline_hides_other_members_sensitive_cases(
    tenant_a, joint_tenant_a, enquiry_is_sensitive
):
    reported = EnquiryFactory(customer=tenant_a)
    event(reported, note="Your report")
    assert [e.note for e in household_timeline(tenant_a.tenancy, viewer=tenant_a)] == [
        "Your report"
    ]
    assert household_timeline(tenant_a.tenancy, viewer=joint_tenant_a) == []
    assert household_timeline(tenant_a.tenancy) == []
