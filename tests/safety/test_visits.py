"""Booking and moving the visit for a home's check in the repairs slots of its trade."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from notifications.models import Message
from repairs.models import Slot
from safety.models import AccessAttempt, CheckVisit
from safety.services import (
    SafetyRefused,
    access_attempt_record,
    check_register,
    check_visit_book,
    home_checks_register,
    invitations_send,
)
from tests.factories import BlockFactory
from tests.safety.factories import record

pytestmark = pytest.mark.usefixtures("frozen")


def _slot(home, day: dt.date, *, trade="heating", capacity=2, window="morning") -> Slot:
    return Slot.objects.create(
        trade=trade, patch=home.patch, date=day, window=window, capacity=capacity
    )


@pytest.fixture
def due_soon(boiler_check):
    record(boiler_check, dt.date(2025, 7, 1))  # due 1 July 2026
    return boiler_check


def test_the_household_books_a_visit_before_the_due_day(client_a, due_soon, tenant_a):
    home = tenant_a.tenancy.property
    before = _slot(home, dt.date(2026, 6, 15))
    _slot(home, dt.date(2026, 7, 2))  # after the due day: not offered
    _slot(home, dt.date(2026, 6, 16), trade="plumbing")  # another trade: not offered
    url = reverse("safety:visit_book", kwargs={"check_id": due_soon.pk})

    page = client_a.get(url).content.decode()
    assert "Monday 15 June 2026" in page and "2 July" not in page and "16 June" not in page

    response = client_a.post(url, {"slot": str(before.pk)})

    assert response.status_code == 302
    visit = CheckVisit.objects.get()
    assert visit.slot_id == before.pk and visit.status == CheckVisit.Status.BOOKED
    before.refresh_from_db()
    assert before.booked == 1
    assert Message.objects.filter(customer=tenant_a, subject__contains="visit").exists()
    assert "Visit booked" in client_a.get(reverse("safety:your_safety")).content.decode()


def test_moving_the_visit_gives_the_old_place_back(due_soon, tenant_a):
    home = tenant_a.tenancy.property
    first, second = _slot(home, dt.date(2026, 6, 15)), _slot(home, dt.date(2026, 6, 17))
    check_visit_book(check=due_soon, slot_id=first.pk, actor=None)

    check_visit_book(check=due_soon, slot_id=second.pk, actor=None)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.booked, second.booked) == (0, 1)
    assert list(CheckVisit.objects.values_list("status", flat=True).order_by("pk")) == [
        "moved",
        "booked",
    ]


def test_a_full_slot_is_refused_and_nothing_is_written(client_a, due_soon, tenant_a):
    full = _slot(tenant_a.tenancy.property, dt.date(2026, 6, 15), capacity=1)
    Slot.objects.filter(pk=full.pk).update(booked=1)

    with pytest.raises(SafetyRefused):
        check_visit_book(check=due_soon, slot_id=full.pk, actor=None)

    response = client_a.post(
        reverse("safety:visit_book", kwargs={"check_id": due_soon.pk}), {"slot": str(full.pk)}
    )
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert not CheckVisit.objects.exists()


def test_another_household_cannot_book_the_visit(client, due_soon, tenant_a, tenant_b):
    slot = _slot(tenant_a.tenancy.property, dt.date(2026, 6, 15))
    client.force_login(tenant_b.user)
    url = reverse("safety:visit_book", kwargs={"check_id": due_soon.pk})

    assert client.get(url).status_code == 404
    assert client.post(url, {"slot": str(slot.pk)}).status_code == 404
    assert not CheckVisit.objects.exists()


def test_the_visit_page_sends_anonymous_visitors_to_sign_in_and_refuses_staff(
    client, due_soon, compliance_officer
):
    url = reverse("safety:visit_book", kwargs={"check_id": due_soon.pk})

    assert "login" in client.get(url)["Location"]
    client.force_login(compliance_officer)
    assert client.get(url).status_code == 403


def test_the_visit_page_refuses_other_methods(client_a, due_soon):
    url = reverse("safety:visit_book", kwargs={"check_id": due_soon.pk})

    assert client_a.delete(url).status_code == 405


def test_with_no_times_left_the_household_is_told_to_call(client_a, due_soon):
    page = client_a.get(reverse("safety:visit_book", kwargs={"check_id": due_soon.pk}))

    assert "no times left" in page.content.decode()


def test_the_invitation_points_to_the_booking_page(due_soon, tenant_a):
    Message.objects.all().delete()
    invitations_send()

    message = Message.objects.get(customer=tenant_a)
    assert reverse("safety:your_safety") in message.body


# --- every check that needs us inside the home, not only gas and electrical ----------------


def test_the_household_books_its_alarms_check_in_the_electricians_slots(client_a, tenant_a):
    home = tenant_a.tenancy.property
    alarms = check_register(check_type="alarms", home=home)
    record(alarms, dt.date(2025, 7, 1), outcome="satisfactory")  # due 1 July 2026
    electrician = _slot(home, dt.date(2026, 6, 15), trade="electrical")
    _slot(home, dt.date(2026, 6, 16))  # a gas engineer's slot: not for the alarms
    url = reverse("safety:visit_book", kwargs={"check_id": alarms.pk})

    assert "Book a visit" in client_a.get(reverse("safety:your_safety")).content.decode()
    page = client_a.get(url).content.decode()
    assert "Monday 15 June 2026" in page and "16 June" not in page
    response = client_a.post(url, {"slot": str(electrician.pk)})

    assert response.status_code == 302
    assert CheckVisit.objects.get().compliance_check == alarms


def test_a_flat_entrance_door_is_invited_booked_and_chased_like_a_gas_check(tenant_a):
    home = tenant_a.tenancy.property
    home.block = BlockFactory(storeys=8, height_metres=24)
    home.save(update_fields=["block"])
    door = next(
        c
        for c in home_checks_register(home=home, appliances=[])
        if c.check_type == "flat_entrance_doors"
    )
    record(door, dt.date(2025, 7, 1), outcome="satisfactory")  # due 1 July 2026
    Message.objects.all().delete()

    invitations_send()
    door.refresh_from_db()
    locksmith = _slot(home, dt.date(2026, 6, 20), trade="locksmith")
    visit = check_visit_book(check=door, slot_id=locksmith.pk, actor=None)
    letter = access_attempt_record(check=door, stage="first_letter", note="", actor=None)

    invitation = Message.objects.filter(customer=tenant_a).order_by("pk").first()
    assert "flat entrance doors check" in invitation.subject.lower()
    assert AccessAttempt.objects.filter(compliance_check=door, stage="invited").exists()
    assert visit.visit_date == dt.date(2026, 6, 20)
    assert letter.stage == "first_letter"


def test_a_block_check_cannot_be_booked_by_a_resident(client_a, tenant_a):
    block = BlockFactory(has_lift=True)
    home = tenant_a.tenancy.property
    home.block = block
    home.save(update_fields=["block"])
    lift = check_register(check_type="passenger_lift", block=block)

    response = client_a.get(reverse("safety:visit_book", kwargs={"check_id": lift.pk}))

    assert response.status_code == 404
    assert not CheckVisit.objects.exists()
