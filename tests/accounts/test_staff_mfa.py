"""Staff must enrol an authenticator app before the admin or any other staff page opens, and
sign in to it via allauth."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.urls import reverse

from kernel.roles import Role
from tests.factories import PASSWORD, StaffFactory

pytestmark = pytest.mark.django_db

ACTIVATE = reverse("mfa_activate_totp")
LOGIN = reverse("account_login")
NOW = dt.datetime(2026, 5, 12, 9, 30, 10, tzinfo=dt.UTC)


def code_for(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(NOW.timestamp()) // 30))


def sign_in(client, user) -> None:
    """Through the real forms: allauth asks for the password again before an authenticator can be
    added, so that a session left open on a shared computer cannot enrol a stranger's phone."""
    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    confirm = client.get(ACTIVATE, follow=True)
    assert "Confirm it is you" in confirm.content.decode()
    confirmed = client.post(confirm.redirect_chain[-1][0], {"password": PASSWORD})
    assert confirmed["Location"] == ACTIVATE


@pytest.fixture
def repairs_officer(db):
    """A new repairs officer who has not set up an authenticator app yet."""
    return StaffFactory(roles=[Role.REPAIRS], authenticator=False)


@pytest.fixture
def new_manager(db):
    return StaffFactory(roles=[Role.MANAGER], authenticator=False)


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/tenancy/customer/", "/admin/accounts/user/1/change/"]
)
def test_staff_without_an_authenticator_are_sent_to_set_one_up(client, repairs_officer, path):
    client.force_login(repairs_officer)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == ACTIVATE


def test_staff_with_an_authenticator_get_the_admin(client, repairs_officer):
    TOTP.activate(repairs_officer, generate_totp_secret())
    client.force_login(repairs_officer)

    response = client.get("/admin/")

    assert response.status_code == 200
    assert "Queues and records" in response.content.decode()


def test_staff_without_an_authenticator_can_still_use_other_pages(client, repairs_officer):
    client.force_login(repairs_officer)

    assert client.get(reverse("portal:home")).status_code == 200


def test_admin_login_goes_through_the_allauth_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=%2Fadmin%2F"


def test_admin_sends_anonymous_visitors_to_sign_in(client):
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert response.status_code == 200


def test_customer_is_refused_the_admin_login(client_a):
    assert client_a.get("/admin/login/").status_code == 403
    response = client_a.get("/admin/", follow=True)
    assert response.status_code == 403


def test_activation_page_shows_qr_code_and_setup_key(client, repairs_officer):
    sign_in(client, repairs_officer)

    response = client.get(ACTIVATE)

    html = response.content.decode()
    secret = client.session["mfa.totp.secret"]
    assert response.status_code == 200
    assert '<img class="portal-qr-code" src="data:image/svg+xml;base64,' in html
    assert 'alt="QR code for your authenticator app.' in html
    assert f'value="{secret}"' in html
    assert '<label class="govuk-label" for="id_code">Code from the app</label>' in html


def test_wrong_activation_code_is_an_error_linked_to_the_code_field(client, repairs_officer):
    sign_in(client, repairs_officer)
    client.get(ACTIVATE)

    response = client.post(ACTIVATE, {"code": "000000"})

    html = response.content.decode()
    assert '<li><a href="#id_code">' in html
    assert "<title>Error: Set up your authenticator app" in html
    assert not Authenticator.objects.filter(user=repairs_officer).exists()


def test_enrolling_then_signing_in_with_a_code_opens_the_admin(client, repairs_officer):
    with time_machine.travel(NOW, tick=False):
        sign_in(client, repairs_officer)
        client.get(ACTIVATE)
        secret = client.session["mfa.totp.secret"]

        enrolled = client.post(ACTIVATE, {"code": code_for(secret)})

        assert enrolled["Location"] == reverse("mfa_view_recovery_codes")
        assert Authenticator.objects.filter(
            user=repairs_officer, type=Authenticator.Type.TOTP
        ).exists()
        codes_page = client.get(enrolled["Location"])
        assert '<textarea class="govuk-textarea' in codes_page.content.decode()

        client.post(reverse("account_logout"))
        password_step = client.post(LOGIN, {"login": repairs_officer.email, "password": PASSWORD})
        assert password_step["Location"] == reverse("mfa_authenticate")
        assert "_auth_user_id" not in client.session
        code_page = client.get(password_step["Location"]).content.decode()
        assert '<label class="govuk-label" for="id_code">Code</label>' in code_page

        client.post(reverse("mfa_authenticate"), {"code": code_for(secret)})
        assert int(client.session["_auth_user_id"]) == repairs_officer.pk
        assert client.get("/admin/").status_code == 200


def test_wrong_sign_in_code_keeps_the_door_shut(client, repairs_officer):
    TOTP.activate(repairs_officer, generate_totp_secret())
    client.post(LOGIN, {"login": repairs_officer.email, "password": PASSWORD})

    response = client.post(reverse("mfa_authenticate"), {"code": "123456"})

    assert '<li><a href="#id_code">' in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "name",
    ["performance:dashboard", "repairs:measures", "complaints:performance", "enquiries:staff_home"],
)
def test_staff_pages_outside_the_admin_also_need_an_authenticator(client, new_manager, name):
    client.force_login(new_manager)

    refused = client.get(reverse(name))
    TOTP.activate(new_manager, generate_totp_secret())
    opened = client.get(reverse(name))

    assert refused.status_code == 302
    assert refused["Location"] == ACTIVATE
    assert opened.status_code == 200
