"""Writes to customer records. Each is one transaction."""

from __future__ import annotations

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
