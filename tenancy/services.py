"""Writes to customer records. Each is one transaction.

One email address per customer, used everywhere (``Customer.email``, which every message is
sent to). For a customer with a portal account it is always the address they confirmed: it is
set when they confirm it (``customer_use_confirmed_email``, from the account's confirmation
step) and a change they ask for waits for the link sent to the new address
(``customer_request_email_change``). Staff keep the address of a customer with no account.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction

from tenancy.models import Customer

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
