"""What other service apps may ask of repairs: raise a repair (a chat or a call that turns out
to be a repair) from the customer-facing catalogue, and raise the remedial work a safety check
found."""

from __future__ import annotations

from typing import TYPE_CHECKING

from casework.models import ReceivedBy
from repairs import catalogue
from repairs.catalogue import Location, Priority
from repairs.services import RepairRefused, repair_create

if TYPE_CHECKING:
    from accounts.models import User
    from repairs.models import Repair
    from tenancy.models import Customer

__all__ = [
    "RepairRefused",
    "remedial_repair_create",
    "repair_create",
    "repair_item_choices",
    "repair_location_choices",
]

# The catalogue entry remedial work from each kind of safety check becomes: the trade that
# does it, and the title the household sees on the repair.
REMEDIAL_ITEMS = {"gas": "heating.none", "electrical": "electrics.wiring"}


def repair_item_choices() -> list:
    """The repairs catalogue, grouped by area, as customers are offered it."""
    groups = []
    for area in catalogue.AREAS:
        items = [(i.code, i.label) for i in catalogue.items_in(area.code) if i.becomes_a_job]
        if items:
            groups.append((area.label, items))
    return [("", "Choose the problem"), *groups]


def repair_location_choices() -> list:
    return list(catalogue.Location.choices)


def remedial_repair_create(
    *, customer: Customer, check_type: str, description: str, dangerous: bool, actor: User | None
) -> Repair:
    """Raise, in the home of ``customer``'s household, the work a gas or electrical safety
    record asks for: an emergency when the record found danger, otherwise urgent. The repair
    runs on its own repair clock; the safety app keeps the legal clock of the remedial work.
    Raises ``RepairRefused`` (a home we do not repair inside) and ``KeyError`` for a kind of
    check with no remedial trade."""
    return repair_create(
        customer=customer,
        item_code=REMEDIAL_ITEMS[check_type],
        location=Location.HOME,
        description=description,
        received_by=ReceivedBy.STAFF,
        actor=actor,
        emergency_reason="Found by a safety check" if dangerous else "",
        priority=Priority.EMERGENCY if dangerous else Priority.URGENT,
    )
