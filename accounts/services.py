"""Writes for accounts: registering a customer or an applicant, creating staff."""

from __future__ import annotations

import datetime as dt

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import IntegrityError, transaction

from accounts.models import User
from kernel.roles import Role
from tenancy.models import Customer
from tenancy.services import customer_create_applicant

REGISTRATION_ATTEMPTS_PER_HOUR = 5


class RegistrationRefused(Exception):
    """The customer could not be matched, or the email is already in use.

    Deliberately says nothing about which check failed.
    """


class EmailInUse(RegistrationRefused):
    """The address belongs to another account. The caller tells that account's owner by email,
    never the person at the keyboard, who sees the same page as after a success."""

    def __init__(self, email: str) -> None:
        super().__init__(email)
        self.email = email


def registration_attempt_allowed(*, client_key: str) -> bool:
    """Count one attempt by this client; False once it has used up the hour's allowance."""
    key = f"register-attempts:{client_key}"
    added = cache.add(key, 1, timeout=3600)
    if added:
        return True
    try:
        attempts = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)
        attempts = 1
    return attempts <= REGISTRATION_ATTEMPTS_PER_HOUR


@transaction.atomic
def customer_register(*, customer: Customer, email: str, password: str) -> User:
    """Give a matched customer a login. The email must be verified before it can be used."""
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if customer.user_id is not None:
        raise RegistrationRefused
    email = User.objects.normalize_email(email).lower()
    user = _login_create(
        email=email,
        password=password,
        first_name=customer.first_name,
        last_name=customer.last_name,
    )
    customer.user = user
    # The customer's email changes to this address when it is confirmed (the account
    # adapter's confirm_email), not before: until then it is only a claim.
    customer.save(update_fields=["user"])
    return user


@transaction.atomic
def applicant_register(
    *, first_name: str, last_name: str, date_of_birth: dt.date, email: str, password: str
) -> User:
    """An account for someone who has never been one of our tenants, to apply for a home: a
    login and the person (with no household) through the tenancy app. As for a tenant's
    registration, the email must be verified before it can be used, and an address already in
    use writes nothing (``EmailInUse``)."""
    email = User.objects.normalize_email(email).lower()
    user = _login_create(email=email, password=password, first_name=first_name, last_name=last_name)
    # The person's email is set when they confirm the address (the account adapter's
    # confirm_email), not before: until then it is only a claim.
    customer_create_applicant(
        first_name=first_name, last_name=last_name, date_of_birth=date_of_birth, email="", user=user
    )
    return user


def _login_create(*, email: str, password: str, first_name: str, last_name: str) -> User:
    """A customer's login with its unconfirmed address, or ``EmailInUse`` and nothing written."""
    if (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    ):
        raise EmailInUse(email)
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email,
                password=password,
                first_name=first_name[:150],
                last_name=last_name[:150],
            )
    except IntegrityError as exc:
        # Another registration took the address between the check and the insert.
        raise EmailInUse(email) from exc
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    return user


@transaction.atomic
def staff_create(
    *,
    email: str,
    password: str | None,
    roles: list[Role],
    first_name: str = "",
    last_name: str = "",
) -> User:
    user = User.objects.create_user(
        email=email, password=password, is_staff=True, first_name=first_name, last_name=last_name
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    user.groups.set(Group.objects.filter(name__in=[Role(r).label for r in roles]))
    return user
