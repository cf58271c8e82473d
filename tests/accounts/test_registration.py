"""Registration by tenancy reference, postcode and date of birth, through to the first sign-in."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.services import REGISTRATION_ATTEMPTS_PER_HOUR
from accounts.views import NOT_MATCHED, SESSION_KEY, TOO_MANY
from tenancy.models import HouseholdRole
from tests.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "kettle lantern orchard 42"
REGISTER = reverse("accounts:register")
CREATE_LOGIN = reverse("accounts:register_login")
DONE = reverse("accounts:register_done")
HOSTILE = {
    "nul": "RH-\x00000001",
    "very_long": "A" * 10_000,
    "emoji": "RH-🏠🔥",
    "right_to_left": "مرحبا-שלום",
}


@pytest.fixture
def new_customer(db):
    """A lead tenant with no account yet."""
    return CustomerFactory(
        tenancy__reference="RH-424242",
        tenancy__property__postcode="RV1 1AA",
        date_of_birth=dt.date(1984, 3, 27),
        first_name="Priya",
        email="",
    )


def find_details(customer, **overrides) -> dict[str, str]:
    data = {
        "tenancy_reference": customer.tenancy.reference,
        "postcode": customer.tenancy.property.postcode,
        "date_of_birth_0": str(customer.date_of_birth.day),
        "date_of_birth_1": str(customer.date_of_birth.month),
        "date_of_birth_2": str(customer.date_of_birth.year),
    }
    data.update(overrides)
    return data


def written_counts() -> tuple[int, int]:
    return User.objects.count(), EmailAddress.objects.count()


def test_matching_details_lead_to_creating_sign_in_details(client, new_customer):
    response = client.post(REGISTER, find_details(new_customer))

    assert response.status_code == 302
    assert response["Location"] == CREATE_LOGIN
    assert client.session[SESSION_KEY] == new_customer.pk
    page = client.get(CREATE_LOGIN)
    assert "We found your tenancy, Priya." in page.content.decode()


def test_details_match_whatever_the_case_and_spacing(client, new_customer):
    response = client.post(
        REGISTER, find_details(new_customer, tenancy_reference=" rh-424242 ", postcode="rv11aa")
    )

    assert response["Location"] == CREATE_LOGIN


def test_registration_through_to_first_sign_in(client, new_customer):
    client.post(REGISTER, find_details(new_customer))
    response = client.post(CREATE_LOGIN, {"email": "Priya@Example.org", "password": NEW_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == DONE
    new_customer.refresh_from_db()
    user = new_customer.user
    assert user.email == "priya@example.org"
    assert new_customer.email == ""  # not until the address is confirmed
    assert EmailAddress.objects.get(user=user).verified is False
    assert SESSION_KEY not in client.session
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["priya@example.org"]
    assert mail.outbox[0].subject == "Riverside Homes: Confirm your email address"

    # Not yet: the address must be confirmed first, and signing in sends the link again.
    refused = client.post(
        reverse("account_login"), {"login": "priya@example.org", "password": NEW_PASSWORD}
    )
    assert refused["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    link = re.search(r"https?://\S+/account/confirm-email/\S+/", mail.outbox[0].body).group(0)
    confirm_path = link.split("testserver", 1)[1]
    assert client.get(confirm_path).status_code == 200
    client.post(confirm_path)
    assert EmailAddress.objects.get(user=user).verified is True
    new_customer.refresh_from_db()
    assert new_customer.email == "priya@example.org"

    signed_in = client.post(
        reverse("account_login"), {"login": "priya@example.org", "password": NEW_PASSWORD}
    )
    assert signed_in["Location"] == reverse("portal:your_home")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.get(reverse("portal:your_home")).status_code == 200


@pytest.mark.parametrize(
    "wrong",
    [
        {"tenancy_reference": "RH-999999"},
        {"postcode": "RV9 9ZZ"},
        {"date_of_birth_0": "28"},
    ],
    ids=["reference", "postcode", "date_of_birth"],
)
def test_any_mismatch_gets_one_message_that_names_no_field(client, new_customer, wrong):
    before = written_counts()

    response = client.post(REGISTER, find_details(new_customer, **wrong))

    html = response.content.decode()
    assert response.status_code == 200
    assert NOT_MATCHED in html
    assert html.count('class="govuk-error-message"') == 0
    assert "<title>Error: Create an account" in html
    assert SESSION_KEY not in client.session
    assert written_counts() == before
    assert mail.outbox == []


def test_household_member_cannot_register(client, new_customer):
    member = CustomerFactory(
        tenancy=new_customer.tenancy,
        household_role=HouseholdRole.MEMBER,
        date_of_birth=dt.date(2001, 1, 2),
    )

    response = client.post(REGISTER, find_details(member))

    assert NOT_MATCHED in response.content.decode()
    assert SESSION_KEY not in client.session


def test_customer_who_already_has_an_account_cannot_register_again(client, tenant_a):
    before = written_counts()

    response = client.post(REGISTER, find_details(tenant_a))

    assert NOT_MATCHED in response.content.decode()
    assert SESSION_KEY not in client.session
    assert written_counts() == before


def test_customer_whose_tenancy_has_ended_cannot_register(client, new_customer):
    new_customer.tenancy.end_date = dt.date(2024, 1, 31)
    new_customer.tenancy.save()

    response = client.post(REGISTER, find_details(new_customer))

    assert NOT_MATCHED in response.content.decode()


def test_sixth_attempt_in_an_hour_is_refused_even_with_the_right_details(client, new_customer):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), tick=False) as clock:
        for _ in range(REGISTRATION_ATTEMPTS_PER_HOUR):
            client.post(REGISTER, find_details(new_customer, postcode="RV9 9ZZ"))

        refused = client.post(REGISTER, find_details(new_customer))

        assert TOO_MANY in refused.content.decode()
        assert SESSION_KEY not in client.session

        # Another computer is not held back by this one's attempts.
        elsewhere = client.post(REGISTER, find_details(new_customer), REMOTE_ADDR="192.0.2.7")
        assert elsewhere["Location"] == CREATE_LOGIN

        clock.shift(dt.timedelta(hours=1, minutes=1))
        client.session.flush()
        allowed = client.post(REGISTER, find_details(new_customer))
        assert allowed["Location"] == CREATE_LOGIN


def test_email_already_in_use_looks_like_success_and_tells_its_owner(client, new_customer):
    UserFactory(email="taken@example.org")
    before = written_counts()
    client.post(REGISTER, find_details(new_customer))

    response = client.post(CREATE_LOGIN, {"email": "TAKEN@example.org", "password": NEW_PASSWORD})

    assert response["Location"] == DONE
    assert written_counts() == before
    new_customer.refresh_from_db()
    assert new_customer.user is None
    assert SESSION_KEY not in client.session
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["taken@example.org"]
    assert mail.outbox[0].subject == "Riverside Homes: You already have an account"
    assert "/account/password/reset/" in mail.outbox[0].body


def test_creating_sign_in_details_without_finding_the_tenancy_first_goes_back(client):
    response = client.post(CREATE_LOGIN, {"email": "a@example.org", "password": NEW_PASSWORD})

    assert response["Location"] == REGISTER
    assert User.objects.count() == 0


def test_weak_password_is_refused_and_nothing_is_written(client, new_customer):
    client.post(REGISTER, find_details(new_customer))
    before = written_counts()

    response = client.post(CREATE_LOGIN, {"email": "priya@example.org", "password": "password"})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_password">' in html
    assert 'value="priya@example.org"' in html
    assert written_counts() == before
    assert mail.outbox == []


def test_empty_form_shows_the_error_summary_with_links_to_each_field(client, new_customer):
    response = client.post(REGISTER, {})

    html = response.content.decode()
    assert 'class="govuk-error-summary"' in html
    assert '<a href="#id_tenancy_reference">Enter your tenancy reference</a>' in html
    assert '<a href="#id_postcode">Enter the postcode of your home</a>' in html
    assert '<a href="#id_date_of_birth_0">' in html


def test_answers_are_kept_when_the_form_is_shown_again(client, new_customer):
    response = client.post(REGISTER, find_details(new_customer, postcode=""))

    html = response.content.decode()
    assert 'value="RH-424242"' in html
    assert 'value="1984"' in html


def test_signed_in_customer_is_sent_to_the_home_page(client_a):
    assert client_a.get(REGISTER)["Location"] == reverse("portal:home")


@pytest.mark.parametrize("method", ["put", "delete"])
def test_registration_pages_refuse_other_methods(client, method):
    assert getattr(client, method)(REGISTER).status_code == 405
    assert getattr(client, method)(DONE).status_code == 405


@pytest.mark.parametrize(
    "field", ["tenancy_reference", "postcode", "date_of_birth_0", "date_of_birth_2"]
)
@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_finding_answers_are_refused_with_a_message(client, new_customer, field, value):
    before = written_counts()

    response = client.post(REGISTER, find_details(new_customer, **{field: value}))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in html
    assert SESSION_KEY not in client.session
    assert written_counts() == before


@pytest.mark.parametrize("day", ["99999999999999999999", "31", "0", "-1"])
def test_impossible_dates_of_birth_get_a_message(client, new_customer, day):
    response = client.post(
        REGISTER, find_details(new_customer, date_of_birth_0=day, date_of_birth_1="2")
    )

    assert response.status_code == 200
    assert "Date of birth must be a real date" in response.content.decode()


def test_a_date_of_birth_in_the_future_gets_a_message(client, new_customer):
    response = client.post(REGISTER, find_details(new_customer, date_of_birth_2="2999"))

    assert "Date of birth must be a real date in the past" in response.content.decode()


@pytest.mark.parametrize(
    ("email", "password", "accepted"),
    [
        ("pri\x00ya@example.org", NEW_PASSWORD, False),
        ("a" * 10_000 + "@example.org", NEW_PASSWORD, False),
        ("priya🏠@example.org", NEW_PASSWORD, False),
        ("שלום@example.org", NEW_PASSWORD, False),
        ("priya@example.org", "kettle\x00lantern orchard", False),
        ("priya@example.org", "k" * 10_000, False),
        ("priya@example.org", "🏠 kettle lantern orchard 🔥", True),
        ("priya@example.org", "مرحبا kettle שלום orchard", True),
    ],
    ids=[
        "email_nul",
        "email_very_long",
        "email_emoji",
        "email_right_to_left",
        "password_nul",
        "password_very_long",
        "password_emoji",
        "password_right_to_left",
    ],
)
def test_hostile_sign_in_details_are_accepted_or_refused_with_a_message(
    client, new_customer, email, password, accepted
):
    client.post(REGISTER, find_details(new_customer))
    before = written_counts()

    response = client.post(CREATE_LOGIN, {"email": email, "password": password})

    if accepted:
        assert response["Location"] == DONE
        new_customer.refresh_from_db()
        assert new_customer.user.check_password(password)
    else:
        assert response.status_code == 200
        assert 'class="govuk-error-summary"' in response.content.decode()
        assert written_counts() == before
