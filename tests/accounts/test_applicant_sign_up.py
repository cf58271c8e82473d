"""An account to apply for a home, for someone who has never been one of our tenants: the same
email confirmation, limit on attempts and silence about an address in use as a tenant's
registration, and a person with no household behind it (docs/decisions/0030)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.services import REGISTRATION_ATTEMPTS_PER_HOUR
from accounts.views import TOO_MANY
from tenancy.models import Customer, HouseholdRole
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "kettle lantern orchard 42"
SIGN_UP = reverse("accounts:register_applicant")
DONE = reverse("accounts:register_done")


def details(**overrides) -> dict[str, str]:
    return {
        "first_name": "Robin",
        "last_name": "Okafor",
        "date_of_birth_0": "2",
        "date_of_birth_1": "4",
        "date_of_birth_2": "1995",
        "email": "Robin@Example.org",
        "password": PASSWORD,
        **overrides,
    }


def written() -> tuple[int, int, int]:
    return User.objects.count(), EmailAddress.objects.count(), Customer.objects.count()


def test_signing_up_makes_a_person_without_a_household_and_sends_the_confirmation(client):
    response = client.post(SIGN_UP, details())

    assert response["Location"] == DONE
    person = Customer.objects.select_related("user").get()
    assert (person.first_name, person.last_name) == ("Robin", "Okafor")
    assert person.date_of_birth == dt.date(1995, 4, 2)
    assert person.tenancy_id is None
    assert person.household_role == HouseholdRole.APPLICANT
    assert person.user.email == "robin@example.org"
    assert person.email == ""  # not until the address is confirmed
    assert not EmailAddress.objects.get(user=person.user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["robin@example.org"]
    assert mail.outbox[0].subject == "Riverside Homes: Confirm your email address"


def test_email_already_in_use_looks_like_success_tells_its_owner_and_writes_nothing(client):
    UserFactory(email="taken@example.org")
    before = written()

    response = client.post(SIGN_UP, details(email="TAKEN@example.org"))

    assert response["Location"] == DONE
    assert written() == before
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["taken@example.org"]
    assert mail.outbox[0].subject == "Riverside Homes: You already have an account"


def test_a_weak_password_is_refused_with_what_was_typed_and_nothing_is_written(client):
    before = written()

    response = client.post(SIGN_UP, details(password="password"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in html
    assert 'value="Okafor"' in html
    assert written() == before
    assert mail.outbox == []


def test_an_empty_form_shows_the_error_summary_with_links_to_each_field(client):
    html = client.post(SIGN_UP, {}).content.decode()

    assert "<title>Error: Create an account to apply for a home" in html
    for link, message in [
        ("#id_first_name", "Enter your first name"),
        ("#id_last_name", "Enter your last name"),
        ("#id_email", "Enter your email address"),
        ("#id_password", "Create a password"),
    ]:
        assert f'<a href="{link}">{message}</a>' in html
    assert '<a href="#id_date_of_birth_0">' in html
    assert written() == (0, 0, 0)


def test_a_name_of_spaces_alone_is_no_name(client):
    html = client.post(SIGN_UP, details(first_name="   ")).content.decode()

    assert "Enter your first name" in html
    assert written() == (0, 0, 0)


@pytest.mark.parametrize(
    "overrides",
    [
        {"first_name": "Ro\x00bin"},
        {"last_name": "A" * 10_000},
        {"email": "robin\x00@example.org"},
        {"date_of_birth_0": "99999999999999999999"},
        {"date_of_birth_2": "2999"},
        {"password": "x" * 10_000},
    ],
)
def test_hostile_answers_are_refused_with_a_message(client, overrides):
    response = client.post(SIGN_UP, details(**overrides))

    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert written() == (0, 0, 0)


def test_the_sixth_sign_up_in_an_hour_is_refused_and_writes_nothing(client):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        for number in range(REGISTRATION_ATTEMPTS_PER_HOUR):
            client.post(SIGN_UP, details(email=f"robin{number}@example.org"))
        before = written()

        refused = client.post(SIGN_UP, details(email="robin.last@example.org"))

    assert TOO_MANY in refused.content.decode()
    assert written() == before


def test_someone_signed_in_is_sent_to_their_applications(client_a):
    assert client_a.get(SIGN_UP)["Location"] == reverse("lettings:application_list")


def test_the_sign_up_is_offered_where_a_visitor_starts_to_apply(client):
    for page in (
        reverse("lettings:finding_a_home"),
        reverse("lettings:advert_list"),
        reverse("account_login"),
        reverse("accounts:register"),
        reverse("portal:home"),
    ):
        assert SIGN_UP in client.get(page).content.decode(), page


@pytest.mark.parametrize("method", ["put", "delete"])
def test_the_sign_up_page_refuses_other_methods(client, method):
    assert getattr(client, method)(SIGN_UP).status_code == 405
