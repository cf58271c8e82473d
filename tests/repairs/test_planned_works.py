"""Planned improvement programmes: survey, confirmed works, a time that suits the household;
leaseholders consulted first, with the date their comments are due."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from notifications.models import Message
from repairs import services
from repairs.models import PlannedWork, PlannedWorkEvent, PlannedWorkStatus
from repairs.services import RepairRefused
from tests.repairs.factories import ProgrammeFactory

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def programme(db):
    return ProgrammeFactory(name="Kitchens 2026", estimated_cost_per_home=4200)


def test_tenants_wait_for_a_survey_and_leaseholders_are_consulted_first(
    programme, tenant_a, leaseholder
):
    added = services.programme_add_homes(
        programme=programme, homes=[tenant_a.tenancy.property, leaseholder.tenancy.property]
    )

    assert added == 2
    statuses = dict(PlannedWork.objects.values_list("property_id", "status"))
    assert statuses[tenant_a.tenancy.property_id] == PlannedWorkStatus.TO_INSPECT
    assert statuses[leaseholder.tenancy.property_id] == PlannedWorkStatus.CONSULTING
    assert services.programme_add_homes(programme=programme, homes=[tenant_a.tenancy.property]) == 0


def test_consultation_gives_leaseholders_30_days_and_their_share(
    programme, leaseholder, repairs_officer
):
    services.programme_add_homes(programme=programme, homes=[leaseholder.tenancy.property])

    assert services.programme_consult_leaseholders(programme=programme, actor=repairs_officer) == 1
    assert services.programme_consult_leaseholders(programme=programme, actor=repairs_officer) == 0

    work = PlannedWork.objects.get()
    assert work.observations_by == dt.date(2026, 7, 10)
    message = Message.objects.get(customer=leaseholder)
    assert "Friday 10 July 2026" in message.body
    assert "£4,200.00" in message.body


def test_works_cannot_go_ahead_before_the_consultation_ends(
    programme, leaseholder, repairs_officer, frozen
):
    services.programme_add_homes(programme=programme, homes=[leaseholder.tenancy.property])
    services.programme_consult_leaseholders(programme=programme, actor=repairs_officer)
    work = PlannedWork.objects.get()

    with pytest.raises(RepairRefused, match="consultation has not ended"):
        services.planned_work_end_consultation(work=work)

    frozen.shift(dt.timedelta(days=31))
    services.planned_work_end_consultation(work=work, observations="Asked for a grey worktop.")
    work.refresh_from_db()
    assert work.status == PlannedWorkStatus.TO_INSPECT


def test_survey_confirmed_works_and_booking_each_tell_the_household(programme, tenant_a):
    services.programme_add_homes(programme=programme, homes=[tenant_a.tenancy.property])
    work = PlannedWork.objects.get()

    services.planned_work_book_inspection(work=work, date=dt.date(2026, 6, 22), window="morning")
    services.planned_work_record_inspection(work=work, confirmed_works="New units and sink.")
    services.planned_work_book(work=work, date=dt.date(2026, 9, 14), window="school_run")
    services.planned_work_complete(work=work)

    work.refresh_from_db()
    assert work.status == PlannedWorkStatus.COMPLETED
    subjects = list(
        Message.objects.filter(customer=tenant_a)
        .order_by("created_at", "id")
        .values_list("subject", flat=True)
    )
    assert [s.split(":")[0] for s in subjects] == [
        "Survey booked",
        "Your planned works",
        "Works booked",
        "Works completed",
    ]


def test_steps_out_of_order_are_refused(programme, tenant_a):
    services.programme_add_homes(programme=programme, homes=[tenant_a.tenancy.property])
    work = PlannedWork.objects.get()

    with pytest.raises(RepairRefused):
        services.planned_work_book(work=work, date=dt.date(2026, 9, 14), window="morning")

    work.refresh_from_db()
    assert work.status == PlannedWorkStatus.TO_INSPECT


def test_another_household_does_not_see_them(programme, tenant_a, tenant_b):
    from django.test import Client

    services.programme_add_homes(programme=programme, homes=[tenant_a.tenancy.property])
    client = Client()
    client.force_login(tenant_b.user)

    page = client.get(reverse("repairs:planned_works")).content.decode()

    assert "Kitchens 2026" not in page
    assert "no planned improvements" in page


def test_the_household_sees_its_planned_works(programme, tenant_a, client_a):
    services.programme_add_homes(programme=programme, homes=[tenant_a.tenancy.property])
    work = PlannedWork.objects.get()
    services.planned_work_book_inspection(work=work, date=dt.date(2026, 6, 22), window="morning")

    assert (
        "Planned improvements to your home"
        in client_a.get(reverse("repairs:list")).content.decode()
    )
    page = client_a.get(reverse("repairs:planned_works")).content.decode()

    assert "Kitchens 2026" in page
    assert "Survey: Monday 22 June 2026" in page


def test_every_status_change_is_in_the_works_history_with_who_made_it(
    programme, tenant_a, repairs_officer
):
    services.programme_add_homes(
        programme=programme, homes=[tenant_a.tenancy.property], actor=repairs_officer
    )
    work = PlannedWork.objects.get()

    services.planned_work_book_inspection(
        work=work, date=dt.date(2026, 6, 22), window="morning", actor=repairs_officer
    )
    services.planned_work_record_inspection(
        work=work, confirmed_works="New units and sink.", actor=repairs_officer
    )
    services.planned_work_book(
        work=work, date=dt.date(2026, 9, 14), window="morning", actor=repairs_officer
    )
    services.planned_work_complete(work=work, actor=repairs_officer)

    history = list(
        PlannedWorkEvent.objects.filter(work=work).values_list("from_status", "to_status", "actor")
    )
    S = PlannedWorkStatus
    who = repairs_officer.pk
    assert history == [
        ("", S.TO_INSPECT, who),
        (S.TO_INSPECT, S.INSPECTION_BOOKED, who),
        (S.INSPECTION_BOOKED, S.INSPECTED, who),
        (S.INSPECTED, S.CONFIRMED, who),
        (S.CONFIRMED, S.BOOKED, who),
        (S.BOOKED, S.COMPLETED, who),
    ]
    assert "New units and sink." in PlannedWorkEvent.objects.get(to_status=S.CONFIRMED).note


def test_a_refused_step_writes_no_history(programme, tenant_a):
    services.programme_add_homes(programme=programme, homes=[tenant_a.tenancy.property])
    work = PlannedWork.objects.get()
    before = PlannedWorkEvent.objects.count()

    with pytest.raises(RepairRefused):
        services.planned_work_book(work=work, date=dt.date(2026, 9, 14), window="morning")

    assert PlannedWorkEvent.objects.count() == before


def test_the_admin_shows_the_works_history(programme, tenant_a, repairs_officer):
    from django.test import Client

    services.programme_add_homes(programme=programme, homes=[tenant_a.tenancy.property])
    work = PlannedWork.objects.get()
    client = Client()
    client.force_login(repairs_officer)
    client.post(
        reverse("admin:repairs_plannedwork_step", args=[work.pk, "book_inspection"]),
        {"date": "2026-06-22", "window": "morning"},
    )

    page = client.get(reverse("admin:repairs_plannedwork_change", args=[work.pk])).content.decode()

    assert "Survey booked" in page
    assert "Survey on Monday 22 June" in page
