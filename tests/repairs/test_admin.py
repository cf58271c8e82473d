"""The staff side in the admin: the queue, a repair's page, the step pages and raising a repair
for a customer who phoned."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from repairs import services
from repairs.models import Appointment, Repair, RepairStatus
from tests.repairs.conftest import report
from tests.repairs.factories import OperativeFactory

pytestmark = pytest.mark.usefixtures("frozen", "repairs_team")


def _client(user) -> Client:
    """A member of staff signed in (test staff have an authenticator, as the admin requires)."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def officer(repairs_officer):
    return _client(repairs_officer)


def step(repair, name):
    return reverse("admin:repairs_repair_step", args=[repair.pk, name])


def test_queue_is_sorted_by_due_time_and_filters_by_trade(officer, tenant_a, tenant_b):
    routine = report(tenant_a, "kitchen.units")
    urgent = report(tenant_b, "bathroom.leak")
    report(tenant_a, "outside.roof")

    page = officer.get(reverse("admin:repairs_repair_changelist")).content.decode()
    assert page.index(urgent.reference) < page.index(routine.reference)

    carpentry = officer.get(
        reverse("admin:repairs_repair_changelist") + "?trade__exact=carpentry"
    ).content.decode()
    assert routine.reference in carpentry and urgent.reference not in carpentry


def test_queue_queries_do_not_grow_with_the_page(
    officer, tenant_a, carpentry_slot, django_assert_max_num_queries
):
    report(tenant_a, slot=carpentry_slot)
    url = reverse("admin:repairs_repair_changelist") + "?trade__exact=carpentry"
    officer.get(url)
    with django_assert_max_num_queries(12) as first:
        officer.get(url)
    for _ in range(10):
        report(tenant_a)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert officer.get(url).status_code == 200


def test_the_queue_never_counts_the_whole_table(officer, tenant_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    report(tenant_a)
    with CaptureQueriesContext(connection) as ctx:
        officer.get(reverse("admin:repairs_repair_changelist") + "?trade__exact=carpentry")

    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts, "the paginator counts, but only up to its limit"
    assert all("LIMIT" in sql.upper() for sql in counts)


def test_a_repairs_page_shows_the_steps_it_can_take(officer, tenant_a, carpentry_slot):
    repair = report(tenant_a, slot=carpentry_slot)

    page = officer.get(reverse("admin:repairs_repair_change", args=[repair.pk])).content.decode()

    for title in ("Record no access", "Record completed", "We can&#x27;t keep the appointment"):
        assert title in page


def test_repair_page_queries_are_bounded(
    officer, tenant_a, carpentry_slot, django_assert_max_num_queries
):
    repair = report(tenant_a, slot=carpentry_slot)
    with django_assert_max_num_queries(25):
        assert (
            officer.get(reverse("admin:repairs_repair_change", args=[repair.pk])).status_code == 200
        )


def test_officer_records_no_access_and_the_repair_stays_open(officer, tenant_a, carpentry_slot):
    repair = report(tenant_a, slot=carpentry_slot)

    response = officer.post(step(repair, "no_access"), {"note": "No answer at the door."})

    assert response.status_code == 302
    repair.refresh_from_db()
    assert repair.status == RepairStatus.NO_ACCESS and repair.closed_at is None


def test_officer_books_and_completes_with_follow_on(officer, tenant_a, carpentry_slot):
    repair = report(tenant_a)

    officer.post(step(repair, "book"), {"slot": carpentry_slot.pk})
    assert Appointment.objects.get(repair=repair).slot == carpentry_slot
    officer.post(
        step(repair, "completed"),
        {
            "first_time_fix": "on",
            "note": "",
            "follow_on": "Paint the new door.",
            "follow_on_priority": "routine",
        },
    )

    repair.refresh_from_db()
    assert repair.status == RepairStatus.COMPLETED
    assert repair.first_time_fix is False
    assert Repair.objects.filter(follow_on_of=repair).count() == 1


def test_booking_after_the_due_date_needs_a_reason_and_is_flagged_on_the_queue(officer, tenant_a):
    from repairs.services import HazardAnswers
    from tests.repairs.factories import SlotFactory

    # Routine by priority, but the damp investigation is due on Wednesday 24 June.
    repair = report(
        tenant_a,
        "hazard.damp",
        hazard=HazardAnswers("damp_mould", ("bathroom",), "medium"),
        priority="routine",
    )
    late = SlotFactory(trade="damp", date=dt.date(2026, 6, 25))

    form = officer.get(step(repair, "book")).content.decode()
    refused = officer.post(step(repair, "book"), {"slot": late.pk, "after_due_reason": ""})
    assert "AFTER THE DUE DATE" in form
    assert "Wednesday 24 June 2026" in refused.content.decode()
    assert not Appointment.objects.exists()

    officer.post(
        step(repair, "book"), {"slot": late.pk, "after_due_reason": "Tenant away until then."}
    )

    assert Appointment.objects.get(repair=repair).after_due_reason == "Tenant away until then."
    queue = officer.get(reverse("admin:repairs_repair_changelist")).content.decode()
    assert "AFTER THE DUE DATE: Tenant away until then." in queue
    page = officer.get(reverse("admin:repairs_repair_change", args=[repair.pk])).content.decode()
    assert "is after the date this repair is due" in page


def test_officer_assigns_an_operative_of_the_trade(officer, tenant_a):
    repair = report(tenant_a)
    carpenter = OperativeFactory(trade="carpentry")
    plumber = OperativeFactory(trade="plumbing")

    page = officer.get(step(repair, "assign")).content.decode()
    assert carpenter.name in page and plumber.name not in page
    officer.post(step(repair, "assign"), {"operative": carpenter.pk})

    repair.refresh_from_db()
    assert repair.operative == carpenter


def test_a_step_that_does_not_apply_is_refused(officer, tenant_a):
    repair = report(tenant_a)

    response = officer.post(step(repair, "no_access"), {"note": "x"})

    assert response.status_code == 302
    repair.refresh_from_db()
    assert repair.status == RepairStatus.REPORTED


def test_a_refused_step_shows_the_reason_on_the_form(officer, tenant_a, carpentry_slot):
    repair = report(tenant_a, slot=carpentry_slot)

    response = officer.post(step(repair, "cannot_keep"), {"reason": ""})

    assert response.status_code == 200
    assert Appointment.objects.get(repair=repair).status == "booked"


def test_officer_records_the_hazard_investigation_and_summary(officer, tenant_a):
    from repairs.services import HazardAnswers

    repair = report(
        tenant_a, "hazard.damp", hazard=HazardAnswers("damp_mould", ("bathroom",), "medium")
    )

    officer.post(
        step(repair, "investigation"), {"finding": "significant", "findings": "Failed fan."}
    )
    officer.post(step(repair, "summary"), {"summary": "We will replace the fan by Friday."})

    repair.hazard.refresh_from_db()
    assert repair.hazard.investigated_at is not None
    assert repair.hazard.summary_sent_at is not None


def test_raising_a_repair_for_a_caller_uses_the_portals_service_once(officer, tenant_a):
    search = officer.get(reverse("admin:repairs_repair_raise"), {"q": tenant_a.last_name})
    assert tenant_a.tenancy.reference in search.content.decode()
    url = reverse("admin:repairs_repair_raise_for", args=[tenant_a.pk])
    token = str(uuid.uuid4())
    data = {
        "idempotency_key": token,
        "received_by": "phone",
        "location": "home",
        "item": "bathroom.leak",
        "description": "Leak under the basin, caller on phone.",
    }

    first = officer.post(url, data)
    second = officer.post(url, data)

    repair = Repair.objects.get()
    assert first.status_code == second.status_code == 302
    assert repair.received_by == "phone"
    assert repair.customer == tenant_a


def test_raising_for_a_leaseholders_home_is_refused_with_the_reason(officer, leaseholder):
    url = reverse("admin:repairs_repair_raise_for", args=[leaseholder.pk])

    response = officer.post(
        url,
        {
            "idempotency_key": str(uuid.uuid4()),
            "received_by": "phone",
            "location": "home",
            "item": "kitchen.tap",
            "description": "Dripping tap.",
        },
    )

    assert response.status_code == 200
    assert "leaseholder or shared owner" in response.content.decode()
    assert not Repair.objects.exists()


def test_staff_of_another_team_cannot_see_the_queue_or_act(complaints_officer, tenant_a):
    repair = report(tenant_a)
    client = _client(complaints_officer)

    assert client.get(reverse("admin:repairs_repair_changelist")).status_code == 403
    assert client.post(step(repair, "cancel"), {"reason": "x"}).status_code == 403
    assert client.get(reverse("admin:repairs_repair_raise")).status_code == 403
    repair.refresh_from_db()
    assert repair.status == RepairStatus.REPORTED


def test_a_manager_sees_the_queue_but_cannot_act(manager, tenant_a):
    repair = report(tenant_a)
    client = _client(manager)

    assert client.get(reverse("admin:repairs_repair_changelist")).status_code == 200
    assert client.post(step(repair, "cancel"), {"reason": "x"}).status_code == 403


def test_planned_works_steps_tell_the_household(officer, tenant_a, repairs_officer):
    from notifications.models import Message
    from repairs.models import PlannedWork
    from tests.repairs.factories import ProgrammeFactory

    programme = ProgrammeFactory()
    services.programme_add_homes(programme=programme, homes=[tenant_a.tenancy.property])
    work = PlannedWork.objects.get()
    url = reverse("admin:repairs_plannedwork_step", args=[work.pk, "book_inspection"])

    officer.post(url, {"date": "2026-06-22", "window": "morning"})

    work.refresh_from_db()
    assert work.status == "inspection_booked"
    assert work.inspection_date == dt.date(2026, 6, 22)
    assert Message.objects.filter(customer=tenant_a, subject__startswith="Survey booked")


def test_a_booking_overtaken_by_a_clock_started_since_is_flagged(officer, tenant_a):
    from repairs.models import HazardCategory
    from repairs.services import HazardAnswers
    from tests.repairs.factories import SlotFactory

    repair = report(
        tenant_a,
        "hazard.damp",
        hazard=HazardAnswers("damp_mould", ("bathroom",), "medium"),
    )
    # Urgent: due Wednesday 17 June; booked for that day.
    services.appointment_book(
        repair=repair, slot=SlotFactory(trade="damp", date=dt.date(2026, 6, 17))
    )
    page = reverse("admin:repairs_repair_change", args=[repair.pk])
    assert "is after the date this repair is due" not in officer.get(page).content.decode()

    # The investigation finds an emergency: 24 hours to make safe, from now.
    services.hazard_record_investigation(
        hazard=repair.hazard,
        actor=Repair.objects.get(pk=repair.pk).team.lead,
        finding=HazardCategory.EMERGENCY,
        findings="Mould throughout the bedroom; baby in the home.",
        further_works_needed=False,
    )

    flagged = officer.get(page).content.decode()
    assert "is after the date this repair is due (Thursday 11 June 2026)" in flagged
