"""The lettings team works in the admin through the shared step pages: each step one service,
a refusal shown on the form with what was typed, other roles kept out."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from kernel.formatting import LONDON
from kernel.roles import Role
from lettings.models import Application, ApplicationStatus, Void
from tests.factories import CustomerFactory, StaffFactory
from tests.lettings import factories as f


def _step(model: str, pk: int, name: str) -> str:
    return reverse(f"admin:lettings_{model}_step", args=[pk, name])


def test_a_viewing_booked_too_soon_is_refused_on_the_form(client, offer, officer):
    ready = f.assessed(f.form_sent(offer), officer)
    client.force_login(officer)
    soon = (timezone.now() + dt.timedelta(hours=3)).astimezone(LONDON)
    response = client.post(
        _step("application", ready.pk, "viewing"),
        {"viewing_at": soon.strftime("%Y-%m-%d %H:%M"), "with_staff": officer.pk},
    )
    assert response.status_code == 200
    assert "at least 24 hours" in response.content.decode()
    ready.refresh_from_db()
    assert ready.status == ApplicationStatus.ASSESSED


def test_the_officer_offers_the_home_through_the_step(client, application, advert, officer, frozen):
    f.close(advert, frozen)
    client.force_login(officer)
    response = client.post(_step("application", application.pk, "offer"), {"note": ""})
    assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.OFFERED


def test_other_roles_cannot_take_lettings_steps(client, application, void):
    client.force_login(StaffFactory(roles=[Role.REPAIRS]))
    assert client.get(_step("application", application.pk, "priority")).status_code == 403
    assert client.get(_step("void", void.pk, "sign_off")).status_code == 403


def test_ending_a_tenancy_in_the_admin_opens_the_void_through_the_service(client, officer, frozen):
    former = CustomerFactory()
    client.force_login(officer)
    response = client.post(
        reverse("admin:lettings_void_add"),
        {
            "former_tenancy": former.tenancy.pk,
            "keys_returned_on": "2026-02-27",
            "end_reason": "Moved away",
            "lettable_on": "",
        },
    )
    assert response.status_code == 302
    void = Void.objects.get(former_tenancy=former.tenancy)
    assert void.property_id == former.tenancy.property_id
    former.tenancy.refresh_from_db()
    assert former.tenancy.end_date == dt.date(2026, 2, 27)


def test_signing_off_with_checks_missing_is_refused_on_the_form(client, void, officer):
    client.force_login(officer)
    response = client.post(_step("void", void.pk, "sign_off"), {"note": ""})
    assert "Still to do" in response.content.decode()
    void.refresh_from_db()
    assert void.signed_off_at is None


def test_ending_a_tenancy_twice_in_the_admin_is_refused_on_the_form(client, void, officer):
    client.force_login(officer)
    response = client.post(
        reverse("admin:lettings_void_add"),
        {
            "former_tenancy": void.former_tenancy_id,
            "keys_returned_on": "2026-02-27",
            "end_reason": "Again",
            "lettable_on": "",
        },
    )
    assert response.status_code == 200
    assert "already empty" in response.content.decode()
    assert Void.objects.count() == 1


def test_the_schemes_bands_are_imported_for_the_adverts_applicants(client, advert, officer):
    from lettings.models import Band
    from tests.factories import CustomerWithLoginFactory

    first = f.interest(CustomerWithLoginFactory(), advert)
    second = f.interest(CustomerWithLoginFactory(), advert)
    client.force_login(officer)
    response = client.post(
        _step("advert", advert.pk, "import_priorities"),
        {"rows": f"{first.reference},a,2024-05-01\n\n{second.reference},C,2025-01-31\n"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.band, first.band_date) == (Band.A, dt.date(2024, 5, 1))
    assert (second.band, second.band_date) == (Band.C, dt.date(2025, 1, 31))


def test_an_import_with_one_bad_row_changes_nothing_and_says_which(client, advert, officer):
    from tests.factories import CustomerWithLoginFactory

    first = f.interest(CustomerWithLoginFactory(), advert)
    client.force_login(officer)
    response = client.post(
        _step("advert", advert.pk, "import_priorities"),
        {"rows": f"{first.reference},A,2024-05-01\nLET-2026-999999,B,2024-01-01"},
    )
    assert (
        "Line 2: LET-2026-999999 is not an application for this home." in response.content.decode()
    )
    first.refresh_from_db()
    assert first.band == "D"
    malformed = client.post(
        _step("advert", advert.pk, "import_priorities"), {"rows": "LET-1,A,yesterday"}
    )
    assert "Line 1 must be reference,band,date" in malformed.content.decode()
