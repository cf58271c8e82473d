"""Limits slow down guessing without letting a stranger lock a person out, and count real
people behind the production proxy, not the proxy."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.views import TOO_MANY
from kernel.client_address import client_address_from
from kernel.roles import Role
from tests.accounts.test_registration import CREATE_LOGIN, REGISTER, find_details
from tests.factories import PASSWORD, StaffFactory

LOGIN = reverse("account_login")
TOO_MANY_SIGN_INS = "Too many failed login attempts"
STRANGER = "203.0.113.66"
OFFICE = "198.51.100.10"
PROXY = "10.0.0.2"

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return StaffFactory(roles=[Role.REPAIRS], email="officer@riverside-homes.example")


def _sign_in(client, email, password, **address):
    return client.post(LOGIN, {"login": email, "password": password}, **address)


def test_a_stranger_guessing_a_staff_password_does_not_lock_the_officer_out(client, officer):
    for _ in range(6):
        _sign_in(client, officer.email, "wrong password guess", REMOTE_ADDR=STRANGER)

    signed_in = _sign_in(client, officer.email, PASSWORD, REMOTE_ADDR=OFFICE)

    assert TOO_MANY_SIGN_INS not in signed_in.content.decode()
    assert signed_in.status_code == 302
    assert signed_in["Location"] == reverse("mfa_authenticate")


def test_the_guesser_is_still_held_back_after_five_wrong_passwords(client, officer):
    for _ in range(5):
        _sign_in(client, officer.email, "wrong password guess", REMOTE_ADDR=STRANGER)

    refused = _sign_in(client, officer.email, PASSWORD, REMOTE_ADDR=STRANGER)

    assert TOO_MANY_SIGN_INS in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_behind_the_proxy_a_strangers_guesses_do_not_lock_out_the_officer(
    client, officer, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(6):
        _sign_in(
            client,
            officer.email,
            "wrong password guess",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=STRANGER,
        )

    signed_in = _sign_in(
        client, officer.email, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OFFICE
    )

    assert signed_in["Location"] == reverse("mfa_authenticate")


def test_registration_limits_count_each_person_behind_the_proxy(client, settings, db):
    from tests.factories import CustomerFactory

    settings.TRUSTED_PROXY_COUNT = 1
    customer = CustomerFactory()
    for _ in range(6):
        client.post(
            REGISTER,
            find_details(customer, postcode="RV9 9ZZ"),
            REMOTE_ADDR=PROXY,
            # A guesser cannot escape the limit by writing their own entries in front.
            HTTP_X_FORWARDED_FOR=f"192.0.2.{_}, {STRANGER}",
        )
    held_back = client.post(
        REGISTER, find_details(customer), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=STRANGER
    )

    allowed = client.post(
        REGISTER, find_details(customer), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OFFICE
    )

    assert TOO_MANY in held_back.content.decode()
    assert allowed["Location"] == CREATE_LOGIN


@pytest.mark.parametrize(
    ("header", "count", "expected"),
    [
        ("198.51.100.10", 1, "198.51.100.10"),
        ("1.2.3.4, 198.51.100.10", 1, "198.51.100.10"),
        ("198.51.100.10, 10.0.0.1", 2, "198.51.100.10"),
        ("198.51.100.10", 2, None),  # did not come through both proxies
        ("not-an-address", 1, None),
        ("198.51.100.10", 0, None),  # no proxy configured: the header is the client's own
        (None, 1, None),
    ],
)
def test_the_client_address_is_the_one_our_proxies_saw(header, count, expected):
    assert client_address_from(header, count) == expected
