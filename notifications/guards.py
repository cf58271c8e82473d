"""Checks that may stop a message leaving by its channel, filled by the service apps.

The outbox sits below the service apps and knows nothing of them, yet some of them know when a
channel is unsafe for a person: someone who reported domestic abuse may have said that letters
to the home or texts to the family phone would put them in danger. Such an app registers a
check from its ``ready()``; every delivery asks all of them just before sending, whichever app
queued the message, so the rule holds on every channel without each caller remembering it.

A withheld message is not sent: it ends as failed with the reason (so a person looks at it and
a retry asks the checks again), and the check's ``on_withheld`` is called in the same
transaction, so the app can tell its officer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q

from notifications.models import WITHHELD

if TYPE_CHECKING:
    from notifications.models import Message
    from tenancy.models import Customer

# Returns why the message must not go by its channel, or None to let it go.
DeliveryCheck = Callable[["Message"], "str | None"]
WithheldHandler = Callable[["Message", str], None]


@dataclass(frozen=True)
class _Guard:
    check: DeliveryCheck
    on_withheld: WithheldHandler | None


@dataclass(frozen=True)
class Withholding:
    reason: str
    on_withheld: WithheldHandler | None


_guards: dict[str, _Guard] = {}
# Returns the messages (a condition on Message, no query of its own) that this customer's
# portal pages must leave out, or None.
InboxFilter = Callable[["Customer"], "Q | None"]
_inbox_filters: dict[str, InboxFilter] = {}


def register_delivery_check(
    name: str, check: DeliveryCheck, *, on_withheld: WithheldHandler | None = None
) -> None:
    """Ask ``check`` before every delivery. Registering ``name`` again replaces it."""
    _guards[name] = _Guard(check=check, on_withheld=on_withheld)


def register_inbox_filter(name: str, hide: InboxFilter) -> None:
    """Leave out of a customer's portal inbox the messages ``hide(customer)`` names. Every
    message is in the inbox whatever channel it went by; an app that knows the account itself
    is not safe for some of them (someone else reads it) says which. ``hide`` returns a
    condition evaluated in the inbox's own queries, so the inbox costs no query more.
    Registering ``name`` again replaces it."""
    _inbox_filters[name] = hide


def hidden_from_inbox(customer: Customer) -> Q:
    """The messages no portal page shows ``customer``: those a delivery check withheld
    (``notifications.models.WITHHELD``) and those a registered inbox filter hides."""
    hidden = WITHHELD
    for hide in _inbox_filters.values():
        condition = hide(customer)
        if condition is not None:
            hidden |= condition
    return hidden


def withholding_for(message: Message) -> Withholding | None:
    """The first registered check that refuses ``message``, or None if every one lets it go."""
    for guard in _guards.values():
        reason = guard.check(message)
        if reason:
            return Withholding(reason=reason, on_withheld=guard.on_withheld)
    return None
