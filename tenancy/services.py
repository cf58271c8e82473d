"""Writes to customer records. Each is one transaction.

One email address per customer, used everywhere (``Customer.email``, which every message is
sent to). For a customer with a portal account it is always the address they confirmed: it is
set when they confirm it (``customer_use_confirmed_email``, from the account's confirmation
step) and a change they ask for waits for the link sent to the new address
(``customer_request_email_change``). Staff keep the address of a customer with no account.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from tenancy.models import Channel, Customer, HouseholdRole, Property, Tenancy

CONTACT_FIELDS = (
    "email",
    "phone",
    "mobile",
    "preferred_channel",
    "consent_to_sms",
    "large_print",
    "easy_read",
    "interpreter_language",
    "other_adjustments",
)


@transaction.atomic
def customer_update_contact_details(*, customer: Customer, **changes) -> list[str]:
    """Update how we contact a customer and the adjustments they need. Returns changed fields."""
    unknown = set(changes) - set(CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"Not a contact detail: {', '.join(sorted(unknown))}")
    changed = [name for name, value in changes.items() if getattr(customer, name) != value]
    for name in changed:
        setattr(customer, name, changes[name])
    if changed:
        customer.save(update_fields=changed)
    return changed


def customer_request_email_change(*, request, customer: Customer, email: str) -> bool:
    """Ask to change the email of a customer with a portal account: a confirmation link goes to
    the new address and nothing changes until it is opened. Whether a change is pending (True
    also when the address belongs to another account, where nothing is sent, so that the page
    does not tell anyone which addresses have accounts)."""
    email = email.strip().lower()
    if customer.user_id is None or not email or email == customer.email.strip().lower():
        return False
    if EmailAddress.objects.filter(email__iexact=email).exclude(user_id=customer.user_id).exists():
        return True
    # allauth's change-of-address flow (ACCOUNT_CHANGE_EMAIL): an unconfirmed address that
    # replaces the current one once its link is opened.
    EmailAddress.objects.add_new_email(request, customer.user, email)
    return True


@transaction.atomic
def customer_use_confirmed_email(*, user_id: int, email: str) -> int:
    """The account ``user_id`` has confirmed ``email``: from now on every message to its
    customer goes there. Returns how many customer records changed."""
    return Customer.objects.filter(user_id=user_id).exclude(email=email).update(email=email)


@transaction.atomic
def tenancy_end(*, tenancy: Tenancy, end_date: dt.date) -> Tenancy:
    """Record the last day of ``tenancy`` (the keys back). The household stays current until
    that day has passed (``Tenancy.is_current``). Ending it again with another date moves the
    date; the reason is kept by whoever ends it (lettings records it on the empty home)."""
    locked = Tenancy.objects.select_for_update().get(pk=tenancy.pk)
    if end_date < locked.start_date:
        raise ValidationError("A tenancy cannot end before it starts.")
    locked.end_date = end_date
    locked.save(update_fields=["end_date"])
    tenancy.end_date = end_date
    return locked


@dataclass(frozen=True)
class NewHouseholdMember:
    """A person named on a new tenancy, as the letting recorded them."""

    first_name: str
    last_name: str
    date_of_birth: dt.date
    household_role: str = HouseholdRole.LEAD_TENANT
    email: str = ""
    mobile: str = ""
    preferred_channel: str = Channel.EMAIL


@transaction.atomic
def customer_create_applicant(
    *,
    first_name: str,
    last_name: str,
    date_of_birth: dt.date,
    email: str,
    user: AbstractBaseUser | None = None,
) -> Customer:
    """A person we know who has no household with us: someone applying for a home
    (docs/decisions/0030). They may use the applicant's pages (``@applicant_required``), never a
    household's. With a portal login (``user``) the email stays blank until they confirm the
    login's address (``customer_use_confirmed_email``), as for every customer with an account;
    without one, staff must give an address to write to."""
    email = email.strip().lower()
    if user is None and not email:
        raise ValidationError("An applicant without an account needs an email address.")
    if user is not None and Customer.objects.filter(user_id=user.pk).exists():
        raise ValidationError("This login already belongs to a person.")
    customer = Customer(
        tenancy=None,
        household_role=HouseholdRole.APPLICANT,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        date_of_birth=date_of_birth,
        email=email,
        user_id=user.pk if user is not None else None,
    )
    customer.full_clean(exclude=["user"])
    customer.save(force_insert=True)
    return customer


@transaction.atomic
def tenancy_create_for_letting(
    *,
    property: Property,
    reference: str,
    tenancy_type: str,
    start_date: dt.date,
    members: list[NewHouseholdMember],
    login_from: Customer | None = None,
) -> tuple[Tenancy, list[Customer]]:
    """The tenancy and household records of a home just let, so the new tenants can use the
    portal at once: each tenant without a login can register with ``reference``, their
    postcode and date of birth (``customer_find_for_registration``).

    ``login_from``: the applicant already has a portal login on an earlier household record
    (a tenant moving home); it moves to the lead tenant's new record, since one login belongs
    to one record and the new home is where their services now are. Their earlier records stay
    as they were, for staff. An applicant with no household (never a tenant) is not copied:
    their own record becomes the lead tenant's, login and all.
    """
    if not members or members[0].household_role != HouseholdRole.LEAD_TENANT:
        raise ValidationError("A new tenancy needs its lead tenant first.")
    if Tenancy.objects.filter(reference__iexact=reference).exists():
        raise ValidationError(f"The tenancy reference {reference} is already in use.")
    tenancy = Tenancy(
        reference=reference, property=property, tenancy_type=tenancy_type, start_date=start_date
    )
    tenancy.full_clean(exclude=["property"])
    tenancy.save()
    if login_from is not None and not login_from.has_household:
        # An applicant with no household becomes the lead tenant: the same person, so their
        # own record joins the household (login, contact preferences and adjustments with it)
        # rather than leaving a second record of them behind with no home.
        lead = Customer.objects.select_for_update().get(pk=login_from.pk)
        if lead.has_household:
            raise ValidationError("This applicant has just been given a home: refresh the page.")
        lead.tenancy = tenancy
        lead.household_role = members[0].household_role
        lead.save(update_fields=["tenancy", "household_role"])
        login_from.tenancy = tenancy
        login_from.household_role = lead.household_role
        return tenancy, [lead, *_household_create(tenancy, members[1:])]
    customers = _household_create(tenancy, members)
    if login_from is not None and login_from.user_id is not None:
        user_id = login_from.user_id
        # One login, one record: released from the old one first (the column is unique).
        Customer.objects.filter(pk=login_from.pk).update(user=None)
        Customer.objects.filter(pk=customers[0].pk).update(user_id=user_id)
        login_from.user_id = None
        customers[0].user_id = user_id
    return tenancy, customers


def _household_create(tenancy: Tenancy, members: list[NewHouseholdMember]) -> list[Customer]:
    return [
        Customer.objects.create(
            tenancy=tenancy,
            household_role=member.household_role,
            first_name=member.first_name,
            last_name=member.last_name,
            date_of_birth=member.date_of_birth,
            email=member.email,
            mobile=member.mobile,
            preferred_channel=member.preferred_channel,
        )
        for member in members
    ]
