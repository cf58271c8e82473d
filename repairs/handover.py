"""What other service apps may ask of repairs: raise a repair (a chat or a call that turns out
to be a repair, an issue found on an estate inspection) from the customer-facing catalogue, or a
void repair to an empty home."""

from __future__ import annotations

from accounts.models import User
from casework.models import ReceivedBy
from repairs import catalogue
from repairs.catalogue import Location
from repairs.models import Repair
from repairs.services import RepairRefused, repair_create
from tenancy.models import Customer

__all__ = [
    "RepairRefused",
    "communal_repair_item_choices",
    "repair_create",
    "repair_item_choices",
    "repair_location_choices",
    "void_repair_create",
]


def void_repair_create(
    *, former_customer: Customer, item_code: str, description: str, actor: User
) -> Repair:
    """A repair to an empty home, raised by the lettings team and timed like any other. It is
    recorded against the last household's record (a repair needs one) and nobody is told:
    nobody lives there."""
    return repair_create(
        customer=former_customer,
        item_code=item_code,
        location=Location.HOME,
        description=description,
        received_by=ReceivedBy.STAFF,
        actor=actor,
        tell_customer=False,
    )


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


def communal_repair_item_choices() -> list:
    """The catalogue's problems in shared areas (entrances, stairs, bin stores, grounds),
    grouped by area: what an estate inspection can raise as a communal repair."""
    groups = []
    for area in catalogue.AREAS:
        if not area.communal:
            continue
        items = [(i.code, i.label) for i in catalogue.items_in(area.code) if i.becomes_a_job]
        if items:
            groups.append((area.label, items))
    return [("", "Choose the problem"), *groups]
