"""Every team can look up a household in the admin; only some may change it."""

import pytest

from tests.factories import CustomerFactory


@pytest.mark.django_db
def test_a_repairs_officer_can_look_up_a_customer_but_not_change_them(client, repairs_officer):
    customer = CustomerFactory()
    client.force_login(repairs_officer)
    page = client.get(f"/admin/tenancy/customer/{customer.pk}/change/")
    assert page.status_code == 200
    assert b'name="first_name"' not in page.content
    response = client.post(
        f"/admin/tenancy/customer/{customer.pk}/change/", {"first_name": "Changed"}
    )
    assert response.status_code == 403
    customer.refresh_from_db()
    assert customer.first_name != "Changed"


@pytest.mark.django_db
def test_customer_services_can_correct_a_customer(client, customer_services_officer):
    customer = CustomerFactory()
    client.force_login(customer_services_officer)
    page = client.get(f"/admin/tenancy/customer/{customer.pk}/change/")
    assert b'name="first_name"' in page.content


@pytest.mark.django_db
def test_only_managers_may_import_homes(client, customer_services_officer, manager):
    client.force_login(customer_services_officer)
    assert client.get("/admin/tenancy/property/import/").status_code == 403
    client.force_login(manager)
    assert client.get("/admin/tenancy/property/import/").status_code == 200
