from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection, transaction

from casework.models import CaseEvent, CaseLink, EventKind, ReceivedBy, ReferenceCounter
from casework.services import (
    InvalidTransition,
    case_add_note,
    case_assign,
    case_link,
    case_open,
    case_reference_next,
    case_transition,
)
from enquiries.models import Enquiry, EnquiryStatus
from kernel.roles import Role
from tests.casework.factories import TeamFactory
from tests.factories import StaffFactory

ENQUIRY_TRANSITIONS = {
    EnquiryStatus.RECEIVED: {EnquiryStatus.ACKNOWLEDGED, EnquiryStatus.ANSWERED},
    EnquiryStatus.ACKNOWLEDGED: {EnquiryStatus.ANSWERED},
    EnquiryStatus.ANSWERED: {EnquiryStatus.CLOSED},
}


def open_enquiry(customer, **kwargs):
    fields = {"subject": "Parking permit", "details": "How do I get a parking permit?"}
    fields.update(kwargs)
    return case_open(
        model=Enquiry,
        customer=customer,
        received_by=ReceivedBy.PORTAL,
        status=EnquiryStatus.RECEIVED,
        **fields,
    )


def events_of(case):
    return list(CaseEvent.objects.filter(object_id=case.pk).order_by("id"))


# --- references ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_references_are_sequential_per_prefix_and_year():
    refs = [case_reference_next(prefix="ENQ", year=2026) for _ in range(3)]
    assert refs == ["ENQ-2026-000001", "ENQ-2026-000002", "ENQ-2026-000003"]
    assert case_reference_next(prefix="ENQ", year=2027) == "ENQ-2027-000001"
    assert case_reference_next(prefix="REP", year=2026) == "REP-2026-000001"
    assert ReferenceCounter.objects.get(prefix="ENQ", year=2026).last_number == 3


@pytest.mark.django_db
def test_case_reference_takes_the_london_year_of_opening(tenant_a):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        this_year = open_enquiry(tenant_a)
    last_year = open_enquiry(
        tenant_a, opened_at=dt.datetime(2025, 12, 31, 23, 59, 59, tzinfo=dt.UTC)
    )
    assert this_year.reference == "ENQ-2026-000001"
    assert last_year.reference == "ENQ-2025-000001"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_openings_get_distinct_consecutive_references(require_postgres):
    barrier = threading.Barrier(4)
    results: list[str] = []
    errors: list[BaseException] = []

    def take_one():
        try:
            barrier.wait()
            with transaction.atomic():
                results.append(case_reference_next(prefix="ENQ", year=2026))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=take_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == [f"ENQ-2026-{n:06d}" for n in range(1, 5)]


# --- opening ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_case_open_fills_the_household_and_writes_the_opened_event(tenant_a):
    team = TeamFactory()
    with time_machine.travel(dt.datetime(2026, 4, 7, 10, 0, tzinfo=dt.UTC), tick=False):
        enquiry = open_enquiry(tenant_a, team=team, note="Asked through the portal")
    enquiry.refresh_from_db()
    assert enquiry.reference == "ENQ-2026-000001"
    assert enquiry.tenancy == tenant_a.tenancy
    assert enquiry.property == tenant_a.tenancy.property
    assert enquiry.team == team
    assert enquiry.status == EnquiryStatus.RECEIVED
    [opened] = events_of(enquiry)
    assert opened.kind == EventKind.OPENED
    assert opened.to_status == EnquiryStatus.RECEIVED
    assert opened.visible_to_customer is True
    assert opened.tenancy == tenant_a.tenancy
    assert opened.occurred_at == dt.datetime(2026, 4, 7, 10, 0, tzinfo=dt.UTC)
    assert opened.note == "Asked through the portal"


@pytest.mark.django_db
def test_case_open_leaves_nothing_when_the_opened_event_cannot_be_written(tenant_a, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(CaseEvent, "save", refuse)
    with pytest.raises(RuntimeError):
        open_enquiry(tenant_a)
    assert not Enquiry.objects.exists()
    assert not ReferenceCounter.objects.filter(last_number__gt=0).exists()


@pytest.mark.django_db
def test_case_open_refuses_invalid_fields_and_writes_nothing(tenant_a):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        case_open(
            model=Enquiry,
            customer=tenant_a,
            received_by="pigeon",
            status=EnquiryStatus.RECEIVED,
            subject="x",
            details="y",
        )
    assert not Enquiry.objects.exists()
    assert not CaseEvent.objects.exists()


# --- transitions -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_allowed_transition_writes_a_status_event(tenant_a, customer_services_officer):
    enquiry = open_enquiry(tenant_a)
    event = case_transition(
        case=enquiry,
        to_status=EnquiryStatus.ACKNOWLEDGED,
        allowed=ENQUIRY_TRANSITIONS,
        actor=customer_services_officer,
        note="We have your question.",
    )
    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.ACKNOWLEDGED
    assert enquiry.closed_at is None
    assert (event.kind, event.from_status, event.to_status) == (
        EventKind.STATUS,
        EnquiryStatus.RECEIVED,
        EnquiryStatus.ACKNOWLEDGED,
    )
    assert event.actor == customer_services_officer
    assert event.visible_to_customer is True
    assert events_of(enquiry)[-1] == event


@pytest.mark.django_db
def test_a_closing_transition_sets_closed_at(tenant_a):
    enquiry = open_enquiry(tenant_a)
    case_transition(case=enquiry, to_status=EnquiryStatus.ANSWERED, allowed=ENQUIRY_TRANSITIONS)
    with time_machine.travel(dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        case_transition(
            case=enquiry, to_status=EnquiryStatus.CLOSED, allowed=ENQUIRY_TRANSITIONS, closes=True
        )
    enquiry.refresh_from_db()
    assert enquiry.closed_at == dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)
    assert not enquiry.is_open


@pytest.mark.django_db
def test_an_invalid_transition_is_refused_and_nothing_is_written(tenant_a):
    enquiry = open_enquiry(tenant_a)
    before = events_of(enquiry)
    with pytest.raises(InvalidTransition, match="cannot move from 'received' to 'closed'"):
        case_transition(
            case=enquiry, to_status=EnquiryStatus.CLOSED, allowed=ENQUIRY_TRANSITIONS, closes=True
        )
    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.RECEIVED
    assert enquiry.closed_at is None
    assert events_of(enquiry) == before


@pytest.mark.django_db
def test_a_transition_checks_the_saved_status_not_a_stale_copy(tenant_a):
    enquiry = open_enquiry(tenant_a)
    stale = Enquiry.objects.get(pk=enquiry.pk)
    case_transition(case=enquiry, to_status=EnquiryStatus.ANSWERED, allowed=ENQUIRY_TRANSITIONS)
    # The stale copy still says "received", from where "acknowledged" would be allowed.
    with pytest.raises(InvalidTransition):
        case_transition(
            case=stale, to_status=EnquiryStatus.ACKNOWLEDGED, allowed=ENQUIRY_TRANSITIONS
        )
    assert Enquiry.objects.get(pk=enquiry.pk).status == EnquiryStatus.ANSWERED


# --- notes, assignment, links ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_note_is_written_with_its_visibility(tenant_a, customer_services_officer):
    enquiry = open_enquiry(tenant_a)
    event = case_add_note(
        case=enquiry,
        actor=customer_services_officer,
        note="  Rang the tenant back.  ",
        visible_to_customer=False,
    )
    assert (event.kind, event.note, event.visible_to_customer) == (
        EventKind.NOTE,
        "Rang the tenant back.",
        False,
    )


@pytest.mark.django_db
def test_assigning_writes_an_internal_event_once(tenant_a, customer_services_officer):
    enquiry = open_enquiry(tenant_a)
    team = TeamFactory(name="Front desk")
    officer = StaffFactory(roles=[Role.CUSTOMER_SERVICES], first_name="Jo", last_name="Bloggs")
    event = case_assign(case=enquiry, assignee=officer, team=team, actor=customer_services_officer)
    enquiry.refresh_from_db()
    assert (enquiry.assignee, enquiry.team) == (officer, team)
    assert event.kind == EventKind.ASSIGNED
    assert event.note == "Assigned to Jo Bloggs (Front desk)"
    assert event.visible_to_customer is False
    assert case_assign(case=enquiry, assignee=officer, actor=customer_services_officer) is None
    assert CaseEvent.objects.filter(kind=EventKind.ASSIGNED).count() == 1


@pytest.mark.django_db
def test_linking_writes_an_event_on_both_cases_once(tenant_a):
    first = open_enquiry(tenant_a)
    second = open_enquiry(tenant_a, subject="A complaint about the answer")
    link = case_link(from_case=second, to_case=first, visible_to_customer=True)
    again = case_link(from_case=second, to_case=first, visible_to_customer=True)
    assert again == link
    assert CaseLink.objects.count() == 1
    [on_second] = [e for e in events_of(second) if e.kind == EventKind.LINKED]
    [on_first] = [e for e in events_of(first) if e.kind == EventKind.LINKED]
    assert on_second.note == f"This case is about {first.reference}"
    assert on_first.note == f"{second.reference} is about this case"
    assert on_first.visible_to_customer and on_second.visible_to_customer


@pytest.mark.django_db
def test_a_link_naming_a_sensitive_case_is_never_shown_to_customers(tenant_a, enquiry_is_sensitive):
    first = open_enquiry(tenant_a)
    second = open_enquiry(tenant_a)
    case_link(from_case=second, to_case=first, visible_to_customer=True)
    linked = CaseEvent.objects.filter(kind=EventKind.LINKED)
    assert linked.count() == 2
    assert not linked.filter(visible_to_customer=True).exists()
