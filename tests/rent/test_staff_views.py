"""The income team's pages and admin steps: role checks, the queue, imports, rent changes."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rent.models import ArrearsCase, ArrearsStatus, LedgerEntry, RentChange
from rent.services import charges_post_due
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

STAFF_URLS = ["rent:staff_arrears_queue", "rent:staff_payments_import", "rent:staff_rent_change"]


@pytest.fixture
def in_arrears(account_a, account_b):
    for account in (account_a, account_b):
        tenancy = account.tenancy
        tenancy.start_date = dt.date(2026, 4, 6)
        tenancy.save()
    with time_machine.travel("2026-04-13 09:00 +01:00", tick=False):
        charges_post_due(today=dt.date(2026, 4, 13))
    return ArrearsCase.objects.order_by("pk")


@pytest.mark.parametrize("name", STAFF_URLS)
def test_income_staff_open_each_page(client, income_officer, name):
    client.force_login(income_officer)
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", STAFF_URLS)
def test_staff_without_the_income_role_are_refused(client, repairs_officer, name):
    client.force_login(repairs_officer)
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", STAFF_URLS)
def test_customers_are_refused_and_anonymous_sent_to_sign_in(client, tenant_a, name):
    assert client.get(reverse(name)).status_code == 302
    client.force_login(tenant_a.user)
    assert client.get(reverse(name)).status_code == 403


def test_staff_without_an_authenticator_are_sent_to_set_one_up(client):
    officer = StaffFactory(roles=["income"], authenticator=False)
    client.force_login(officer)
    response = client.get(reverse("rent:staff_arrears_queue"))
    assert response.status_code == 302
    assert "totp" in response["Location"]


def test_wrong_method_on_the_queue_is_rejected(client, income_officer):
    client.force_login(income_officer)
    assert client.post(reverse("rent:staff_arrears_queue")).status_code == 405


@time_machine.travel("2026-04-14 09:00 +01:00", tick=False)
def test_the_queue_lists_accounts_in_arrears_in_fixed_queries(
    client, income_officer, in_arrears, django_assert_max_num_queries
):
    client.force_login(income_officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("rent:staff_arrears_queue"))
    page = response.content.decode()
    for case in in_arrears:
        assert case.reference in page
    assert "£211.00" in page  # two weeks of £100 + £5.50


def test_a_payments_file_through_the_page_reports_each_line(client, income_officer, account_a):
    client.force_login(income_officer)
    content = (
        "date,reference,amount,transaction_id\n"
        f"2026-04-10,{account_a.tenancy.reference},10.00,X1\n"
        f"2026-04-10,{account_a.tenancy.reference},ten,X2\n"
    ).encode()
    response = client.post(
        reverse("rent:staff_payments_import"),
        {"file": SimpleUploadedFile("bank.csv", content, content_type="text/csv")},
    )
    page = response.content.decode()
    assert "1 posted" in page
    assert "Line 3: The amount is not an amount of pounds" in page
    assert LedgerEntry.objects.count() == 1


@time_machine.travel("2026-02-02 10:00 +00:00", tick=False)
def test_a_rent_change_with_an_unknown_reference_is_refused_with_nothing_written(
    client, income_officer, account_a
):
    client.force_login(income_officer)
    response = client.post(
        reverse("rent:staff_rent_change"),
        {
            "references": f"{account_a.tenancy.reference}\nRH-NOPE",
            "effective_from_0": "6",
            "effective_from_1": "4",
            "effective_from_2": "2026",
            "rent_percent": "2",
            "service_charge_percent": "0",
            "cpi_percent": "3.8",
            "reason": "Annual review",
        },
    )
    assert "No rent account for: RH-NOPE" in response.content.decode()
    assert not RentChange.objects.exists()


@time_machine.travel("2026-02-02 10:00 +00:00", tick=False)
def test_a_rent_change_through_the_page_is_scheduled(client, income_officer, account_a):
    client.force_login(income_officer)
    response = client.post(
        reverse("rent:staff_rent_change"),
        {
            "references": account_a.tenancy.reference,
            "effective_from_0": "6",
            "effective_from_1": "4",
            "effective_from_2": "2026",
            "rent_percent": "2",
            "service_charge_percent": "0",
            "cpi_percent": "3.8",
            "reason": "Annual review",
        },
    )
    assert response.status_code == 302
    assert RentChange.objects.get().lines.count() == 1


@time_machine.travel("2026-04-14 09:00 +01:00", tick=False)
def test_contact_is_recorded_through_the_admin_step(client, income_officer, in_arrears):
    case = in_arrears.first()
    client.force_login(income_officer)
    url = reverse("admin:rent_arrearscase_step", args=[case.pk, "contact"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"method": "phone", "note": "Agreed to call back"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == ArrearsStatus.CONTACTED


@time_machine.travel("2026-04-14 09:00 +01:00", tick=False)
def test_other_teams_cannot_take_arrears_steps(client, repairs_officer, in_arrears):
    case = in_arrears.first()
    client.force_login(repairs_officer)
    url = reverse("admin:rent_arrearscase_step", args=[case.pk, "contact"])
    assert client.post(url, {"method": "phone", "note": ""}).status_code in (302, 403, 404)
    case.refresh_from_db()
    assert case.status == ArrearsStatus.TO_CONTACT


@time_machine.travel("2026-04-14 09:00 +01:00", tick=False)
def test_an_adjustment_is_posted_through_the_account_step(client, income_officer, account_a):
    client.force_login(income_officer)
    url = reverse("admin:rent_rentaccount_step", args=[account_a.pk, "post"])
    response = client.post(
        url,
        {
            "kind": "adjustment",
            "amount": "-12.00",
            "on_0": "14",
            "on_1": "4",
            "on_2": "2026",
            "method": "",
            "description": "Goodwill for a missed appointment",
        },
    )
    assert response.status_code == 302
    account_a.refresh_from_db()
    assert account_a.balance_pence == -1200


def test_a_held_payment_is_posted_through_its_step(client, income_officer, account_a):
    from tests.rent.factories import held_payment

    payment = held_payment()
    client.force_login(income_officer)
    url = reverse("admin:rent_suspensepayment_step", args=[payment.pk, "allocate"])
    refused = client.post(url, {"tenancy_reference": "RH-NOBODY"})
    assert "No rent account has the tenancy reference" in refused.content.decode()
    assert not LedgerEntry.objects.exists()
    response = client.post(url, {"tenancy_reference": account_a.tenancy.reference.lower()})
    assert response.status_code == 302
    account_a.refresh_from_db()
    assert account_a.balance_pence == -2500
