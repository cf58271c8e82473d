"""Following a repair in the portal: the list, one repair, booking, moving and cancelling the
appointment, "this is not fixed", how we did; with the number of queries pinned."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework.models import Attachment
from repairs import services
from repairs.models import Appointment, AppointmentStatus, RepairStatus
from tests.repairs.conftest import report
from tests.repairs.factories import SlotFactory
from tests.repairs.photos import jpeg_bytes

pytestmark = pytest.mark.usefixtures("frozen", "repairs_team")


def url(name, *args):
    return reverse(f"repairs:{name}", args=args)


def test_the_list_shows_open_repairs_with_their_appointment(client_a, tenant_a, carpentry_slot):
    report(tenant_a, slot=carpentry_slot)
    report(tenant_a, "doors.wont_lock", emergency_reason="insecure")

    page = client_a.get(url("list")).content.decode()

    assert "Thursday 11 June 2026, morning" in page
    assert "We are arranging an operative" in page
    assert ">Appointment booked</strong>" in page


def test_the_list_pages_to_older_repairs_rather_than_dropping_them(client_a, tenant_a, monkeypatch):
    from repairs import views

    monkeypatch.setattr(views, "REPAIRS_PER_PAGE", 2)
    first, second, third = (report(tenant_a, "doors.wont_lock") for _ in range(3))

    newest = client_a.get(url("list")).content.decode()
    older = client_a.get(url("list") + "?page=2").content.decode()
    nonsense = client_a.get(url("list") + "?page=x").content.decode()

    assert third.reference in newest and second.reference in newest
    assert first.reference not in newest
    assert 'href="?page=2" rel="next"' in newest
    assert first.reference in older and third.reference not in older
    assert 'href="?page=1" rel="prev"' in older
    assert 'rel="next"' not in older
    assert third.reference in nonsense


def test_the_list_takes_the_same_queries_however_many_repairs(
    client_a, tenant_a, carpentry_slot, django_assert_max_num_queries
):
    report(tenant_a, slot=carpentry_slot)
    with django_assert_max_num_queries(4):
        client_a.get(url("list"))
    for _ in range(8):
        report(tenant_a, "bathroom.leak")
    with django_assert_max_num_queries(4):
        assert client_a.get(url("list")).status_code == 200


def test_a_repair_page_takes_a_fixed_number_of_queries(
    client_a, tenant_a, carpentry_slot, repairs_officer, django_assert_max_num_queries
):
    repair = report(tenant_a, slot=carpentry_slot)
    for n in range(5):
        services.repair_assign(
            repair=repair, actor=repairs_officer, contractor=None, operative=_operative(n)
        )

    # The session, the user with their customer record, and one read of everything the page
    # shows: the repair with its home, booked appointment, running clocks, history and photos.
    with django_assert_max_num_queries(3):
        page = client_a.get(url("detail", repair.reference)).content.decode()

    assert repair.reference in page
    assert (
        'Due</dt><dd class="govuk-summary-list__value">Complete a routine repair: by Wednesday '
        "8 July 2026" in page
    )
    assert "Thursday 11 June 2026, morning" in page
    assert tenant_a.tenancy.property.full_address in page
    # Clock and history times in London time, as the customer lives them (BST in June).
    assert "Complete a routine repair: by Wednesday 8 July 2026 at 11:59pm" in page
    assert "Wednesday 10 June 2026 at 10am</time>" in page and "Status: Appointment booked" in page


def _operative(n):
    from tests.repairs.factories import OperativeFactory

    return OperativeFactory(name=f"Operative {n}")


def test_the_customer_books_a_slot_for_a_repair_without_one(client_a, tenant_a, carpentry_slot):
    repair = report(tenant_a)

    page = client_a.get(url("book", repair.reference)).content.decode()
    assert "Thursday 11 June 2026, morning" in page
    response = client_a.post(url("book", repair.reference), {"slot": carpentry_slot.pk})

    assert response["Location"] == url("detail", repair.reference)
    assert Appointment.objects.get(repair=repair).status == AppointmentStatus.BOOKED


def _damp_repair_due_by_its_investigation(customer):
    """Routine by priority (8 July), but its Awaab's Law investigation is due on 24 June."""
    return report(
        customer,
        "hazard.damp",
        hazard=services.HazardAnswers("damp_mould", ("bathroom",), "medium"),
        priority="routine",
        description="Black mould behind the bath.",
    )


def test_the_customer_is_offered_only_slots_on_or_before_the_earliest_clock(client_a, tenant_a):
    repair = _damp_repair_due_by_its_investigation(tenant_a)
    on_time = SlotFactory(trade="damp", date=dt.date(2026, 6, 24))
    late = SlotFactory(trade="damp", date=dt.date(2026, 6, 25))

    page = client_a.get(url("book", repair.reference)).content.decode()
    refused = client_a.post(url("book", repair.reference), {"slot": late.pk})

    assert "Wednesday 24 June 2026, morning" in page
    assert "Thursday 25 June 2026" not in page
    assert "on or before Wednesday 24 June 2026" in page
    assert refused.status_code == 200
    assert not Appointment.objects.exists()
    client_a.post(url("book", repair.reference), {"slot": on_time.pk})
    assert Appointment.objects.get(repair=repair).slot == on_time


def test_with_no_slot_before_the_due_date_the_customer_is_told_so(client_a, tenant_a):
    repair = _damp_repair_due_by_its_investigation(tenant_a)
    SlotFactory(trade="damp", date=dt.date(2026, 6, 25))

    page = client_a.get(url("book", repair.reference)).content.decode()

    assert "no appointments left on or before Wednesday 24 June 2026" in page
    assert "Thursday 25 June 2026" not in page


def test_the_customer_moves_the_appointment(client_a, tenant_a, carpentry_slot):
    repair = report(tenant_a, slot=carpentry_slot)
    later = SlotFactory(date=dt.date(2026, 6, 16), window="school_run")

    client_a.post(url("book", repair.reference), {"slot": later.pk})

    booked = Appointment.objects.get(repair=repair, status="booked")
    assert booked.slot == later
    carpentry_slot.refresh_from_db()
    assert carpentry_slot.booked == 0


def test_a_slot_taken_meanwhile_sends_the_customer_back_to_choose(
    client_a, tenant_a, carpentry_slot
):
    repair = report(tenant_a)
    carpentry_slot.booked = carpentry_slot.capacity
    carpentry_slot.save()

    response = client_a.post(
        url("book", repair.reference), {"slot": carpentry_slot.pk}, follow=True
    )

    assert response.redirect_chain[-1][0] == url("book", repair.reference)
    assert not Appointment.objects.exists()


def test_another_trades_slot_cannot_be_booked_by_changing_the_form(client_a, tenant_a):
    repair = report(tenant_a)
    plumbing = SlotFactory(trade="plumbing", date=dt.date(2026, 6, 11))

    response = client_a.post(url("book", repair.reference), {"slot": plumbing.pk})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Appointment.objects.exists()


def test_an_emergency_cannot_be_booked(client_a, tenant_a):
    repair = report(tenant_a, "doors.wont_lock", emergency_reason="insecure")

    response = client_a.get(url("book", repair.reference))

    assert response["Location"] == url("detail", repair.reference)


def test_the_customer_cancels_the_appointment_after_confirming(client_a, tenant_a, carpentry_slot):
    repair = report(tenant_a, slot=carpentry_slot)

    confirm = client_a.get(url("appointment_cancel", repair.reference)).content.decode()
    assert "Are you sure" in confirm
    client_a.post(url("appointment_cancel", repair.reference))

    assert Appointment.objects.get(repair=repair).status == "cancelled_by_customer"
    repair.refresh_from_db()
    assert repair.status == RepairStatus.REPORTED


def test_not_fixed_page_reopens_the_repair(client_a, tenant_a, repairs_officer):
    repair = report(tenant_a)
    services.repair_record_completed(repair=repair, actor=repairs_officer, first_time_fix=True)

    response = client_a.post(
        url("not_fixed", repair.reference),
        {"details": "The door fell off again.", "next_step": "reopen"},
    )

    assert response["Location"] == url("detail", repair.reference)
    repair.refresh_from_db()
    assert repair.status == RepairStatus.REPORTED


def test_a_reopened_repair_is_due_by_its_new_clock_not_its_first_target(
    client_a, tenant_a, repairs_officer, frozen
):
    # Reported Wednesday 10 June 2026: routine, first target Wednesday 8 July.
    repair = report(tenant_a)
    services.repair_record_completed(repair=repair, actor=repairs_officer, first_time_fix=True)
    frozen.move_to(dt.datetime(2026, 6, 11, 9, 0, tzinfo=dt.UTC))
    client_a.post(
        url("not_fixed", repair.reference),
        {"details": "The door fell off again.", "next_step": "reopen"},
    )

    page = client_a.get(url("detail", repair.reference)).content.decode()
    listing = client_a.get(url("list")).content.decode()

    # 20 working days from Thursday 11 June.
    assert (
        'Due</dt><dd class="govuk-summary-list__value">Complete a routine repair: by Thursday '
        "9 July 2026" in page
    )
    assert "8 July" not in page
    assert "9 Jul 2026" in listing
    assert "8 Jul 2026" not in listing


def test_an_emergency_says_an_operative_is_coming_only_once_one_is_assigned(
    client_a, tenant_a, repairs_officer
):
    from tests.repairs.factories import OperativeFactory

    repair = report(tenant_a, "doors.wont_lock", emergency_reason="insecure")

    before = client_a.get(url("detail", repair.reference)).content.decode()
    before_list = client_a.get(url("list")).content.decode()
    services.repair_assign(repair=repair, actor=repairs_officer, operative=OperativeFactory())
    after = client_a.get(url("detail", repair.reference)).content.decode()
    after_list = client_a.get(url("list")).content.decode()

    for page in (before, before_list):
        assert "on the way" not in page
        assert "Operative assigned" not in page
        assert "Emergency: arranging an operative" in page
    # Attend within 24 hours of 10:00 BST on Wednesday 10 June.
    assert "operative with you by Thursday 11 June 2026 at 10am. If it gets worse" in before
    for page in (after, after_list):
        assert "Operative assigned" in page


def test_not_fixed_page_can_open_a_complaint(client_a, tenant_a, repairs_officer):
    from complaints.models import Complaint

    repair = report(tenant_a)
    services.repair_record_completed(repair=repair, actor=repairs_officer, first_time_fix=True)

    client_a.post(
        url("not_fixed", repair.reference),
        {"details": "Third visit and still broken.", "next_step": "complain"},
    )

    assert Complaint.objects.filter(customer=tenant_a).count() == 1


def test_not_fixed_is_only_for_completed_repairs(client_a, tenant_a):
    repair = report(tenant_a)

    assert client_a.get(url("not_fixed", repair.reference)).status_code == 404


def test_feedback_is_asked_once(client_a, tenant_a, repairs_officer):
    repair = report(tenant_a)
    services.repair_record_completed(repair=repair, actor=repairs_officer, first_time_fix=True)

    client_a.post(url("feedback", repair.reference), {"overall": "5", "time_taken": "4"})

    repair.refresh_from_db()
    assert (repair.satisfaction_overall, repair.satisfaction_time) == (5, 4)
    assert client_a.get(url("feedback", repair.reference)).status_code == 404


def test_feedback_needs_both_answers(client_a, tenant_a, repairs_officer):
    repair = report(tenant_a)
    services.repair_record_completed(repair=repair, actor=repairs_officer, first_time_fix=True)

    response = client_a.post(url("feedback", repair.reference), {"overall": "5"})

    assert "Select how satisfied you are with the time it took" in response.content.decode()
    repair.refresh_from_db()
    assert repair.satisfaction_at is None


def test_a_photo_can_be_added_to_an_open_repair(client_a, tenant_a):
    repair = report(tenant_a)

    client_a.post(
        url("add_photo", repair.reference), {"photo": SimpleUploadedFile("more.png", _png())}
    )

    assert Attachment.objects.filter(object_id=repair.pk, mime_type="image/png").exists()
    page = client_a.get(url("detail", repair.reference)).content.decode()
    assert ">more.png</a>" in page
    assert "No photos." not in page


def test_a_refused_photo_on_a_repair_shows_why(client_a, tenant_a):
    repair = report(tenant_a)

    response = client_a.post(
        url("add_photo", repair.reference), {"photo": SimpleUploadedFile("x.gif", b"GIF89a....")}
    )

    assert "must be a JPG, PNG or PDF" in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_history_shows_only_what_the_customer_may_see(client_a, tenant_a, repairs_officer):
    from casework.services import case_add_note

    repair = report(tenant_a)
    case_add_note(
        case=repair,
        actor=repairs_officer,
        note="Customer was rude on the phone.",
        visible_to_customer=False,
    )
    case_add_note(
        case=repair, actor=repairs_officer, note="Parts ordered.", visible_to_customer=True
    )

    page = client_a.get(url("detail", repair.reference)).content.decode()

    assert "Parts ordered." in page
    assert "rude" not in page


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_jpeg_helper_makes_a_real_jpeg():
    assert jpeg_bytes().startswith(b"\xff\xd8\xff")


def test_a_hazard_repair_page_shows_the_legal_steps(
    client_a, tenant_a, django_assert_max_num_queries
):
    from repairs.services import HazardAnswers

    repair = report(
        tenant_a, "hazard.damp", hazard=HazardAnswers("damp_mould", ("bathroom",), "medium")
    )

    with django_assert_max_num_queries(3):
        page = client_a.get(url("detail", repair.reference)).content.decode()

    assert "Damp and mould: what the law says we must do" in page
    assert "Investigate a significant damp or mould hazard: by" in page


def test_a_communal_repair_page_names_the_block(leaseholder):
    from django.test import Client

    repair = report(leaseholder, "communal.lighting", location="communal")
    client = Client()
    client.force_login(leaseholder.user)

    page = client.get(url("detail", repair.reference)).content.decode()

    assert f"{leaseholder.tenancy.property.block.name} (shared area)" in page
