"""The home page and 'Your home'."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

YOUR_HOME = reverse("portal:your_home")


def main_of(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_home_page_shows_the_emergency_number_before_anything_else(client):
    main = main_of(client.get(reverse("portal:home")))

    emergency = settings.ORGANISATION["emergency_phone"]
    assert main.index(emergency) < main.index("<h1")
    assert f'href="tel:{emergency.replace(" ", "")}"' in main
    assert settings.ORGANISATION["gas_emergency_phone"] in main


def test_your_home_shows_property_tenancy_and_household(client_a, tenant_a, joint_tenant_a):
    main = main_of(client_a.get(YOUR_HOME))

    assert tenant_a.tenancy.property.full_address in main
    assert tenant_a.tenancy.reference in main
    assert "Amina Khan (Tenant)" in main
    assert "Sam Khan (Joint tenant)" in main


def test_your_home_never_shows_another_household(client_a, tenant_a, tenant_b):
    main = main_of(client_a.get(YOUR_HOME))

    assert tenant_b.full_name not in main
    assert tenant_b.tenancy.reference not in main
    assert tenant_b.tenancy.property.address_line_1 not in main


def test_your_home_query_count_is_pinned(
    client_a, tenant_a, joint_tenant_a, django_assert_max_num_queries
):
    from casework.access import registered_case_models

    # Six for the page itself, and one per kind of case listed under "Your requests", however
    # many cases the household has.
    with django_assert_max_num_queries(6 + len(registered_case_models())):
        assert client_a.get(YOUR_HOME).status_code == 200


def test_your_home_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(YOUR_HOME)

    assert response["Location"].startswith(reverse("account_login"))


def test_your_home_refuses_staff(client, repairs_officer):
    client.force_login(repairs_officer)

    assert client.get(YOUR_HOME).status_code == 403


def test_your_home_refuses_other_methods(client_a):
    assert client_a.post(YOUR_HOME).status_code == 405
