"""One confirmed email per customer, used everywhere: the address a tenant registered and
confirmed is where their messages go, and a change takes effect only when its link is opened."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from notifications.services import choose_route
from tenancy.models import Channel
from tests.accounts.test_registration import CREATE_LOGIN, NEW_PASSWORD, REGISTER, find_details
from tests.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db

YOUR_DETAILS = reverse("tenancy:your_details")


def _confirm_path(message) -> str:
    link = re.search(r"https?://\S+/account/confirm-email/\S+/", message.body).group(0)
    return link.split("testserver", 1)[1]


def _details(customer, email: str) -> dict[str, str]:
    return {
        "email": email,
        "phone": customer.phone,
        "mobile": customer.mobile,
        "preferred_channel": Channel.EMAIL,
    }


def test_messages_go_to_the_address_the_tenant_registered_and_confirmed(client):
    customer = CustomerFactory(
        email="old.record@example.org",
        tenancy__reference="RH-515151",
        tenancy__property__postcode="RV1 1AA",
        preferred_channel=Channel.EMAIL,
    )
    client.post(REGISTER, find_details(customer))
    client.post(CREATE_LOGIN, {"email": "priya@example.org", "password": NEW_PASSWORD})
    customer.refresh_from_db()
    assert choose_route(customer).to_address == "old.record@example.org"  # not yet confirmed

    client.post(_confirm_path(mail.outbox[-1]))

    customer.refresh_from_db()
    assert customer.email == "priya@example.org"
    assert choose_route(customer).to_address == "priya@example.org"


def test_a_new_email_is_used_only_once_its_link_is_opened(client_a, tenant_a):
    tenant_a.preferred_channel = Channel.EMAIL
    tenant_a.save()
    old = tenant_a.email

    response = client_a.post(YOUR_DETAILS, _details(tenant_a, "New.Address@example.org"))

    tenant_a.refresh_from_db()
    assert tenant_a.email == old
    assert choose_route(tenant_a).to_address == old
    page = client_a.get(response["Location"]).content.decode()
    assert "We have sent a link to new.address@example.org" in page
    assert mail.outbox[-1].to == ["new.address@example.org"]

    client_a.post(_confirm_path(mail.outbox[-1]))

    tenant_a.refresh_from_db()
    tenant_a.user.refresh_from_db()
    assert tenant_a.email == "new.address@example.org"
    assert tenant_a.user.email == "new.address@example.org"
    assert choose_route(tenant_a).to_address == "new.address@example.org"
    assert list(
        EmailAddress.objects.filter(user=tenant_a.user).values_list("email", "verified")
    ) == [("new.address@example.org", True)]


def test_an_address_of_another_account_is_not_given_away_or_taken(client_a, tenant_a):
    UserFactory(email="taken@example.org")
    old = tenant_a.email
    sent_before = len(mail.outbox)

    response = client_a.post(YOUR_DETAILS, _details(tenant_a, "taken@example.org"))

    tenant_a.refresh_from_db()
    assert tenant_a.email == old
    assert len(mail.outbox) == sent_before
    assert (
        "We have sent a link to taken@example.org"
        in client_a.get(response["Location"]).content.decode()
    )
    assert not EmailAddress.objects.filter(user=tenant_a.user, email="taken@example.org").exists()


def test_staff_cannot_overwrite_the_confirmed_email_of_a_customer_with_an_account(
    client, tenant_a, customer_services_officer
):
    client.force_login(customer_services_officer)

    form = (
        client.get(reverse("admin:tenancy_customer_change", args=[tenant_a.pk]))
        .context["adminform"]
        .form
    )

    assert "email" not in form.fields


def test_existing_accounts_get_their_confirmed_address_as_the_customers_email():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("tenancy.migrations.0003_customer_email_is_the_confirmed_one")
    confirmed = CustomerFactory(email="old.record@example.org", user=UserFactory())
    no_account = CustomerFactory(email="kept@example.org")
    unconfirmed_user = UserFactory()
    EmailAddress.objects.filter(user=unconfirmed_user).update(verified=False)
    unconfirmed = CustomerFactory(email="record@example.org", user=unconfirmed_user)

    migration.use_confirmed_addresses(apps, None)

    for customer in (confirmed, no_account, unconfirmed):
        customer.refresh_from_db()
    assert confirmed.email == confirmed.user.email
    assert no_account.email == "kept@example.org"
    assert unconfirmed.email == "record@example.org"


def test_a_change_made_on_the_account_email_page_also_waits_and_then_reaches_the_customer(
    client_a, tenant_a
):
    old = tenant_a.email

    client_a.post(reverse("account_email"), {"action_add": "", "email": "other@example.org"})

    tenant_a.refresh_from_db()
    assert tenant_a.email == old
    client_a.post(_confirm_path(mail.outbox[-1]))
    tenant_a.refresh_from_db()
    assert tenant_a.email == "other@example.org"
