"""What other service apps may ask of repairs: raise a repair (a chat or a call that turns out
to be a repair, an issue found on an estate inspection) from the customer-facing catalogue, a
void repair to an empty home, and the remedial work a safety check found, with the slots a
safety visit is booked into."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import F
from django.utils import timezone

from casework.models import ReceivedBy
from repairs import catalogue
from repairs.catalogue import Location, Priority, Trade
from repairs.models import Slot, slot_label
from repairs.services import FIRST_BOOKABLE_DAY, RepairRefused, repair_create

if TYPE_CHECKING:
    from accounts.models import User
    from repairs.models import Repair
    from tenancy.models import Customer

__all__ = [
    "RepairRefused",
    "VisitSlot",
    "communal_repair_item_choices",
    "remedial_repair_create",
    "repair_create",
    "repair_item_choices",
    "repair_location_choices",
    "visit_slot_claim",
    "visit_slot_release",
    "visit_slots_offered",
    "void_repair_create",
]

# The catalogue entry remedial work from each kind of safety check becomes: the trade that
# does it, and the title the household sees on the repair.
REMEDIAL_ITEMS = {"gas": "heating.none", "electrical": "electrics.wiring"}


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


# The trade whose engineers do each kind of safety visit in a home, so a safety check is booked
# into the same slots, with the same capacity, as the repairs of that trade.
VISIT_TRADES = {
    "gas": Trade.HEATING,
    "electrical": Trade.ELECTRICAL,
    "alarms": Trade.ELECTRICAL,
    "flat_entrance_doors": Trade.LOCKSMITH,
    "water": Trade.PLUMBING,
    "asbestos": Trade.GENERAL,
}


@dataclass(frozen=True)
class VisitSlot:
    """A place in a repairs slot, as another service offers it: its id, day and label."""

    pk: int
    date: dt.date
    label: str


def _first_bookable_day() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=FIRST_BOOKABLE_DAY)


def visit_slots_offered(*, check_type: str, patch: str, last_day: dt.date) -> list[VisitSlot]:
    """The open slots with a place left for a safety visit of ``check_type`` in ``patch``,
    from the first bookable day up to ``last_day``. None for a kind of visit with no trade."""
    trade = VISIT_TRADES.get(check_type)
    if trade is None:
        return []
    slots = Slot.objects.filter(
        trade=trade,
        patch=patch,
        date__gte=_first_bookable_day(),
        date__lte=last_day,
        booked__lt=F("capacity"),
    ).order_by("date", "window")
    return [VisitSlot(pk=s.pk, date=s.date, label=slot_label(s.date, s.window)) for s in slots]


def visit_slot_claim(*, slot_id: int, check_type: str, patch: str) -> VisitSlot | None:
    """Take one place in the slot for a safety visit, or None if it is full, past, or not one
    this visit may use. One conditional UPDATE, as for a repair: two households racing for the
    last place cannot both have it."""
    trade = VISIT_TRADES.get(check_type)
    if trade is None:
        return None
    claimed = Slot.objects.filter(
        pk=slot_id,
        trade=trade,
        patch=patch,
        booked__lt=F("capacity"),
        date__gte=_first_bookable_day(),
    ).update(booked=F("booked") + 1)
    if not claimed:
        return None
    slot = Slot.objects.get(pk=slot_id)
    return VisitSlot(pk=slot.pk, date=slot.date, label=slot_label(slot.date, slot.window))


def visit_slot_release(*, slot_id: int) -> None:
    """Give back a place taken with ``visit_slot_claim`` (a visit moved or cancelled)."""
    Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)
