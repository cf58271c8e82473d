"""The customer's report journey through the pages: one question each, check your answers,
confirmation; and what happens when something goes wrong on the way."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from repairs.draft import SESSION_KEY
from repairs.models import Appointment, DraftPhoto, Hazard, HazardCategory, Repair, Slot
from tests.repairs.photos import jpeg_bytes

pytestmark = pytest.mark.usefixtures("frozen", "repairs_team")


def url(name, *args):
    return reverse(f"repairs:{name}", args=args)


def start(client):
    response = client.post(url("report_start"))
    assert response["Location"] == url("report_emergency")


def answer(client, name, data, expect_next=None):
    response = client.post(url(name), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    if expect_next:
        assert response["Location"] == url(expect_next)
    return response


def routine_report_up_to_check(client, slot=None):
    start(client)
    # A house has no shared areas, so "where" answers itself and goes on to the room.
    answer(client, "report_emergency", {"emergency": "none"})
    assert client.get(url("report_where"))["Location"] == url("report_area")
    answer(client, "report_area", {"area": "kitchen"}, "report_problem")
    answer(client, "report_problem", {"item": "kitchen.units"}, "report_details")
    answer(client, "report_details", {"description": "Cupboard door hanging off."}, "report_photos")
    answer(client, "report_photos", {"continue": "1"}, "report_appointment")
    answer(
        client, "report_appointment", {"slot": str(slot.pk) if slot else "later"}, "report_check"
    )


def token(client) -> str:
    return client.session[SESSION_KEY]["token"]


def test_smelling_gas_goes_straight_to_the_national_number(client_a):
    start(client_a)

    answer(client_a, "report_emergency", {"emergency": "gas"}, "report_gas")
    page = client_a.get(url("report_gas")).content.decode()

    assert "0800 111 999" in page
    assert client_a.get(url("report_check"))["Location"] == url("report_gas")
    assert not Repair.objects.exists()


def test_a_routine_report_with_an_appointment_from_start_to_finish(
    client_a, tenant_a, carpentry_slot
):
    routine_report_up_to_check(client_a, carpentry_slot)

    check = client_a.get(url("report_check"))
    assert "Thursday 11 June 2026, morning" in check.content.decode()
    response = client_a.post(url("report_check"), {"idempotency_key": token(client_a)})

    repair = Repair.objects.get()
    assert response["Location"] == url("report_sent", repair.reference)
    assert repair.customer == tenant_a
    assert Appointment.objects.get(repair=repair).slot == carpentry_slot
    assert SESSION_KEY not in client_a.session
    sent = client_a.get(response["Location"]).content.decode()
    assert repair.reference in sent and "Repair reported" in sent


def test_clicking_send_twice_makes_one_repair(client_a, carpentry_slot):
    routine_report_up_to_check(client_a, carpentry_slot)
    sent_token = token(client_a)

    first = client_a.post(url("report_check"), {"idempotency_key": sent_token})
    second = client_a.post(url("report_check"), {"idempotency_key": sent_token})

    assert Repair.objects.count() == 1
    assert first["Location"] == second["Location"]
    carpentry_slot.refresh_from_db()
    assert carpentry_slot.booked == 1


def test_a_full_slot_taken_meanwhile_returns_to_the_choice_and_keeps_the_report(
    client_a, carpentry_slot
):
    routine_report_up_to_check(client_a, carpentry_slot)
    Slot.objects.filter(pk=carpentry_slot.pk).update(booked=carpentry_slot.capacity)

    response = client_a.post(url("report_check"), {"idempotency_key": token(client_a)}, follow=True)

    assert response.redirect_chain[-1][0] == url("report_appointment")
    assert "has just been taken" in response.content.decode()
    assert not Repair.objects.exists()
    kept = client_a.session[SESSION_KEY]
    assert kept["description"] == "Cupboard door hanging off."
    assert kept["slot"] is None and kept["slot_chosen"] is False


def test_a_refused_photo_keeps_every_answer(client_a):
    start(client_a)
    answer(client_a, "report_emergency", {"emergency": "none"})
    client_a.get(url("report_where"))
    answer(client_a, "report_area", {"area": "kitchen"})
    answer(client_a, "report_problem", {"item": "kitchen.units"})
    answer(client_a, "report_details", {"description": "Door off."})

    response = client_a.post(
        url("report_photos"), {"photo": SimpleUploadedFile("virus.jpg", b"MZ\x90\x00")}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "must be a JPG or PNG" in page
    assert client_a.session[SESSION_KEY]["description"] == "Door off."
    assert not DraftPhoto.objects.exists()


def test_a_photo_added_on_the_way_is_listed_and_can_be_removed(client_a):
    start(client_a)
    answer(client_a, "report_emergency", {"emergency": "none"})
    client_a.get(url("report_where"))
    answer(client_a, "report_area", {"area": "kitchen"})
    answer(client_a, "report_problem", {"item": "kitchen.units"})
    answer(client_a, "report_details", {"description": "Door off."})

    client_a.post(url("report_photos"), {"photo": SimpleUploadedFile("door.jpg", jpeg_bytes())})
    photo = DraftPhoto.objects.get()
    assert "door.jpg" in client_a.get(url("report_photos")).content.decode()

    client_a.post(url("report_photo_remove", photo.pk))
    assert not DraftPhoto.objects.exists()


def test_a_question_cannot_be_skipped(client_a):
    start(client_a)

    assert client_a.get(url("report_check"))["Location"] == url("report_emergency")
    assert client_a.get(url("report_details"))["Location"] == url("report_emergency")


def test_without_a_report_started_the_questions_go_to_the_start(client_a):
    assert client_a.get(url("report_details"))["Location"] == url("report_start")


def test_a_missing_answer_shows_the_error_summary(client_a):
    start(client_a)

    response = client_a.post(url("report_emergency"), {})

    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Select an emergency, or none of these" in page
    assert "<title>Error:" in page


def test_too_long_a_description_is_refused_and_kept_as_typed(client_a):
    start(client_a)
    answer(client_a, "report_emergency", {"emergency": "none"})
    client_a.get(url("report_where"))
    answer(client_a, "report_area", {"area": "kitchen"})
    answer(client_a, "report_problem", {"item": "kitchen.units"})
    typed = "<b>drip</b> " * 300

    response = client_a.post(url("report_details"), {"description": typed})

    page = response.content.decode()
    assert "2000 characters or fewer" in page
    assert "&lt;b&gt;drip&lt;/b&gt;" in page
    assert (
        "description" not in client_a.session[SESSION_KEY]
        or client_a.session[SESSION_KEY]["description"] == ""
    )


def test_markup_in_a_description_is_stored_as_typed_and_escaped(client_a, carpentry_slot):
    start(client_a)
    answer(client_a, "report_emergency", {"emergency": "none"})
    client_a.get(url("report_where"))
    answer(client_a, "report_area", {"area": "kitchen"})
    answer(client_a, "report_problem", {"item": "kitchen.units"})
    answer(client_a, "report_details", {"description": "<script>alert(1)</script>"})
    answer(client_a, "report_photos", {"continue": "1"})
    answer(client_a, "report_appointment", {"slot": "later"})
    client_a.post(url("report_check"), {"idempotency_key": token(client_a)})

    repair = Repair.objects.get()
    assert repair.description == "<script>alert(1)</script>"
    page = client_a.get(url("detail", repair.reference)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_a_repair_the_tenant_does_ends_with_advice_and_the_charge(client_a):
    start(client_a)
    answer(client_a, "report_emergency", {"emergency": "none"})
    client_a.get(url("report_where"))
    answer(client_a, "report_area", {"area": "bathroom"})

    answer(client_a, "report_problem", {"item": "bathroom.toilet_seat"}, "report_advice")
    page = client_a.get(url("report_advice")).content.decode()

    assert "This is a repair you do yourself" in page
    assert "we will charge you" in page
    assert client_a.get(url("report_check"))["Location"] == url("report_advice")


def test_the_problem_list_says_who_is_responsible(client_a):
    start(client_a)
    answer(client_a, "report_emergency", {"emergency": "none"})
    client_a.get(url("report_where"))
    answer(client_a, "report_area", {"area": "bathroom"})

    page = client_a.get(url("report_problem")).content.decode()

    assert "We repair it." in page
    assert "You repair it. If we do it, we will charge you." in page


def test_a_leaseholder_is_told_why_only_shared_areas_can_be_reported(leaseholder):
    from django.test import Client

    client = Client()
    client.force_login(leaseholder.user)
    start(client)
    answer(client, "report_emergency", {"emergency": "none"}, "report_where")

    page = client.get(url("report_where")).content.decode()

    assert "you are responsible for repairs inside your own home" in page
    assert 'value="home"' not in page
    answer(client, "report_where", {"location": "communal"}, "report_area")
    assert "Which shared part of the building" in client.get(url("report_area")).content.decode()
    refused = client.post(url("report_where"), {"location": "home"})
    assert refused.status_code == 200


def test_damp_questions_that_show_an_emergency_send_an_operative_not_a_slot(client_a, tenant_a):
    start(client_a)
    answer(client_a, "report_emergency", {"emergency": "none"})
    client_a.get(url("report_where"))
    answer(client_a, "report_area", {"area": "damp_hazards"})
    answer(client_a, "report_problem", {"item": "hazard.damp"}, "report_damp_rooms")
    answer(client_a, "report_damp_rooms", {"rooms": ["bedroom", "living_room"]}, "report_damp_size")
    answer(client_a, "report_damp_size", {"extent": "large"}, "report_damp_people")
    answer(client_a, "report_damp_people", {"people": ["child", "breathing"]}, "report_details")
    answer(client_a, "report_details", {"description": "Black mould behind the cot."})
    answer(client_a, "report_photos", {"continue": "1"}, "report_check")

    assert (
        "An operative will come within 24 hours"
        in client_a.get(url("report_check")).content.decode()
    )
    client_a.post(url("report_check"), {"idempotency_key": token(client_a)})

    hazard = Hazard.objects.get()
    assert hazard.category == HazardCategory.EMERGENCY
    assert hazard.repair.status == "dispatched"


def test_none_of_these_cannot_be_ticked_with_a_person(client_a):
    start(client_a)
    answer(client_a, "report_emergency", {"emergency": "none"})
    client_a.get(url("report_where"))
    answer(client_a, "report_area", {"area": "damp_hazards"})
    answer(client_a, "report_problem", {"item": "hazard.damp"})
    answer(client_a, "report_damp_rooms", {"rooms": ["kitchen"]})
    answer(client_a, "report_damp_size", {"extent": "small"})

    response = client_a.post(url("report_damp_people"), {"people": ["none", "older"]})

    assert response.status_code == 200
    assert "not both" in response.content.decode()


def test_an_emergency_skips_the_catalogue_and_the_slots(client_a):
    start(client_a)
    answer(client_a, "report_emergency", {"emergency": "flooding"})
    client_a.get(url("report_where"))
    answer(
        client_a,
        "report_details",
        {"description": "Water pouring from the ceiling."},
        "report_photos",
    )
    answer(client_a, "report_photos", {"continue": "1"}, "report_check")

    client_a.post(url("report_check"), {"idempotency_key": token(client_a)})

    repair = Repair.objects.get()
    assert (repair.catalogue_code, repair.priority) == ("water.flooding", "emergency")


def test_no_heating_is_an_emergency_choice_only_from_october_to_april(client_a, tenant_a, frozen):
    start(client_a)
    assert "No heating or hot water" not in client_a.get(url("report_emergency")).content.decode()

    frozen.move_to(dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.UTC))
    client_a.force_login(tenant_a.user)  # the June session has expired by November
    start(client_a)
    assert "No heating or hot water" in client_a.get(url("report_emergency")).content.decode()


def test_a_new_build_defect_is_not_offered_a_slot_and_names_the_builder(new_build_tenant):
    from django.test import Client

    client = Client()
    client.force_login(new_build_tenant.user)
    start(client)
    answer(client, "report_emergency", {"emergency": "none"})
    client.get(url("report_where"))
    answer(client, "report_area", {"area": "inside"})
    answer(client, "report_problem", {"item": "inside.plaster"})
    answer(client, "report_details", {"description": "Crack in the hall ceiling."})
    answer(client, "report_photos", {"continue": "1"}, "report_check")

    assert (
        "Kestrel Construction Ltd will contact you"
        in client.get(url("report_check")).content.decode()
    )
    response = client.post(url("report_check"), {"idempotency_key": token(client)}, follow=True)

    assert "under the builder's guarantee" in response.content.decode()
    assert Repair.objects.get().status == "with_builder"


def test_starting_again_replaces_the_draft(client_a):
    start(client_a)
    answer(client_a, "report_emergency", {"emergency": "none"})
    first = token(client_a)

    start(client_a)

    assert token(client_a) != first
    assert client_a.session[SESSION_KEY]["emergency"] == ""


def test_while_reporting_only_slots_before_the_repair_would_be_due_are_offered(client_a):
    # Urgent: finish within 5 working days of Wednesday 10 June, by Wednesday 17 June.
    on_time = Slot.objects.create(
        trade="carpentry", patch="North", date=dt.date(2026, 6, 17), window="morning", capacity=2
    )
    late = Slot.objects.create(
        trade="carpentry", patch="North", date=dt.date(2026, 6, 18), window="morning", capacity=2
    )
    start(client_a)
    answer(client_a, "report_emergency", {"emergency": "none"})
    client_a.get(url("report_where"))
    answer(client_a, "report_area", {"area": "inside"}, "report_problem")
    answer(client_a, "report_problem", {"item": "inside.floor"}, "report_details")
    answer(client_a, "report_details", {"description": "Floorboard split."}, "report_photos")
    answer(client_a, "report_photos", {"continue": "1"}, "report_appointment")

    page = client_a.get(url("report_appointment")).content.decode()
    refused = client_a.post(url("report_appointment"), {"slot": str(late.pk)})

    assert "Wednesday 17 June 2026, morning" in page
    assert "Thursday 18 June 2026" not in page
    assert refused.status_code == 200
    assert client_a.session[SESSION_KEY]["slot"] is None
    answer(client_a, "report_appointment", {"slot": str(on_time.pk)}, "report_check")
