"""Planned improvement programmes: homes, leaseholder consultation, inspection and works."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kernel.formatting import LONDON, london_date
from notifications.services import notify_customer
from repairs.models import PlannedWork, PlannedWorkStatus, Programme, slot_label
from repairs.services._common import RepairRefused, _local_today
from tenancy.models import Customer, Property, Tenure

if TYPE_CHECKING:
    from accounts.models import User


# Section 20 of the Landlord and Tenant Act 1985: leaseholders have 30 days to comment on a
# notice of intention before qualifying works go ahead.
LEASEHOLDER_OBSERVATION_DAYS = 30


def _is_owner_occupier(prop: Property) -> bool:
    return prop.tenure in (Tenure.LEASEHOLD, Tenure.SHARED_OWNERSHIP)


def _household_contact(prop: Property) -> Customer | None:
    """The lead person of the home's current tenancy or lease, to write to about works."""
    return (
        Customer.objects.select_related("tenancy__property")
        .filter(tenancy__property=prop, tenancy__end_date__isnull=True)
        .exclude(household_role="member")
        .order_by("id")
        .first()
    )


def _tell_planned(work: PlannedWork, *, key: str, subject: str, body: str) -> None:
    customer = _household_contact(work.property)
    if customer is None:
        return
    notify_customer(
        customer=customer,
        subject=subject[:200],
        body=f"{body}\n\nSee your planned works: {settings.SITE_URL}{reverse('repairs:list')}",
        key=f"planned:{work.pk}:{key}",
        about=None,
    )


@transaction.atomic
def programme_add_homes(*, programme: Programme, homes: Iterable[Property]) -> int:
    """Put homes in a programme. Tenants' homes wait for a survey; leaseholders' and shared
    owners' homes start with consultation, since they pay a share and must be asked first."""
    now = timezone.now()
    rows = [
        PlannedWork(
            programme=programme,
            property=home,
            updated_at=now,
            status=PlannedWorkStatus.CONSULTING
            if _is_owner_occupier(home)
            else PlannedWorkStatus.TO_INSPECT,
        )
        for home in homes
    ]
    existing = set(
        PlannedWork.objects.filter(programme=programme).values_list("property_id", flat=True)
    )
    new = [r for r in rows if r.property_id not in existing]
    PlannedWork.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def programme_consult_leaseholders(*, programme: Programme, actor: User) -> int:
    """Send each leaseholder and shared owner in the programme the notice of the proposed
    works with clear timescales: what, when, their estimated share, and the date by which
    to send us their observations (30 days)."""
    now = timezone.now()
    observations_by = timezone.localtime(now, LONDON).date() + dt.timedelta(
        days=LEASEHOLDER_OBSERVATION_DAYS
    )
    works = list(
        PlannedWork.objects.select_related("property").filter(
            programme=programme, status=PlannedWorkStatus.CONSULTING, consulted_at__isnull=True
        )
    )
    for work in works:
        work.consulted_at, work.observations_by, work.updated_at = now, observations_by, now
        cost = (
            f"\nYour estimated share of the cost: £{programme.estimated_cost_per_home:,.2f}."
            if programme.estimated_cost_per_home is not None
            else ""
        )
        _tell_planned(
            work,
            key="consultation",
            subject=f"Planned works to your building: {programme.name}",
            body=f"We are planning this work: {programme.description}\n\nWhen: between "
            f"{london_date(programme.works_start)} and "
            f"{london_date(programme.works_end)}.{cost}\n\nPlease send us any comments "
            f"by {london_date(observations_by)}. We will consider every comment "
            "before we go ahead, and tell you what we decided.",
        )
    PlannedWork.objects.bulk_update(works, ["consulted_at", "observations_by", "updated_at"])
    return len(works)


_PLANNED_ALLOWED: dict[str, set[str]] = {
    PlannedWorkStatus.CONSULTING: {PlannedWorkStatus.TO_INSPECT, PlannedWorkStatus.WITHDRAWN},
    PlannedWorkStatus.TO_INSPECT: {
        PlannedWorkStatus.INSPECTION_BOOKED,
        PlannedWorkStatus.WITHDRAWN,
    },
    PlannedWorkStatus.INSPECTION_BOOKED: {
        PlannedWorkStatus.INSPECTION_BOOKED,
        PlannedWorkStatus.INSPECTED,
        PlannedWorkStatus.WITHDRAWN,
    },
    PlannedWorkStatus.INSPECTED: {PlannedWorkStatus.CONFIRMED, PlannedWorkStatus.WITHDRAWN},
    PlannedWorkStatus.CONFIRMED: {PlannedWorkStatus.BOOKED, PlannedWorkStatus.WITHDRAWN},
    PlannedWorkStatus.BOOKED: {
        PlannedWorkStatus.BOOKED,
        PlannedWorkStatus.COMPLETED,
        PlannedWorkStatus.WITHDRAWN,
    },
}


def _planned_move(work: PlannedWork, to_status: str) -> PlannedWork:
    locked = (
        PlannedWork.objects.select_for_update()
        .select_related("property", "programme")
        .get(pk=work.pk)
    )
    if to_status not in _PLANNED_ALLOWED.get(locked.status, set()):
        raise RepairRefused(
            f"These works are at '{PlannedWorkStatus(locked.status).label}'; that step does not "
            "follow."
        )
    if (
        locked.status == PlannedWorkStatus.CONSULTING
        and to_status == PlannedWorkStatus.TO_INSPECT
        and (locked.observations_by is None or _local_today() <= locked.observations_by)
    ):
        raise RepairRefused("The leaseholder consultation has not ended yet.")
    locked.status = to_status
    locked.updated_at = timezone.now()
    return locked


@transaction.atomic
def planned_work_end_consultation(*, work: PlannedWork, observations: str = "") -> PlannedWork:
    work = _planned_move(work, PlannedWorkStatus.TO_INSPECT)
    work.observations = observations.strip()
    work.save(update_fields=["status", "updated_at", "observations"])
    _tell_planned(
        work,
        key="consultation_ended",
        subject=f"Planned works going ahead: {work.programme.name}",
        body="Thank you for your comments. The works are going ahead: we will contact "
        "you to arrange a survey.",
    )
    return work


@transaction.atomic
def planned_work_book_inspection(*, work: PlannedWork, date: dt.date, window: str) -> PlannedWork:
    work = _planned_move(work, PlannedWorkStatus.INSPECTION_BOOKED)
    work.inspection_date, work.inspection_window = date, window
    work.save(update_fields=["status", "updated_at", "inspection_date", "inspection_window"])
    _tell_planned(
        work,
        key=f"inspection:{date.isoformat()}:{window}",
        subject=f"Survey booked: {work.programme.name}",
        body=f"We will survey your home for {work.programme.get_kind_display().lower()}"
        f" on {slot_label(date, window)}.",
    )
    return work


@transaction.atomic
def planned_work_record_inspection(*, work: PlannedWork, confirmed_works: str) -> PlannedWork:
    """The survey is done and says what will be done: the customer is told in writing."""
    if not confirmed_works.strip():
        raise RepairRefused("Describe the works the survey confirmed.")
    work = _planned_move(work, PlannedWorkStatus.INSPECTED)
    work.inspected_at = timezone.now()
    work.save(update_fields=["status", "updated_at", "inspected_at"])
    work = _planned_move(work, PlannedWorkStatus.CONFIRMED)
    work.confirmed_works = confirmed_works.strip()
    work.save(update_fields=["status", "updated_at", "confirmed_works"])
    _tell_planned(
        work,
        key="confirmed",
        subject=f"Your planned works: {work.programme.name}",
        body=f"After the survey, this is what we will do:\n\n{work.confirmed_works}\n\n"
        "We will agree a date with you that suits you.",
    )
    return work


@transaction.atomic
def planned_work_book(*, work: PlannedWork, date: dt.date, window: str) -> PlannedWork:
    work = _planned_move(work, PlannedWorkStatus.BOOKED)
    work.works_date, work.works_window = date, window
    work.save(update_fields=["status", "updated_at", "works_date", "works_window"])
    _tell_planned(
        work,
        key=f"booked:{date.isoformat()}:{window}",
        subject=f"Works booked: {work.programme.name}",
        body=f"Your works start on {slot_label(date, window)}, the time we agreed with you.",
    )
    return work


@transaction.atomic
def planned_work_complete(*, work: PlannedWork) -> PlannedWork:
    work = _planned_move(work, PlannedWorkStatus.COMPLETED)
    work.completed_at = timezone.now()
    work.save(update_fields=["status", "updated_at", "completed_at"])
    _tell_planned(
        work,
        key="completed",
        subject=f"Works completed: {work.programme.name}",
        body="Your planned works are complete. If anything is wrong, report a repair.",
    )
    return work
