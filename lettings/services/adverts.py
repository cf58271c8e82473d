"""Adverts: publishing, closing at the closing time, withdrawing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lettings.models import (
    OFFER_IN_PROGRESS,
    Advert,
    AdvertStatus,
    Application,
    LettingScheme,
    Void,
)
from lettings.services._common import (
    LettingRefused,
    _lock,
)


@transaction.atomic
def advert_publish(
    *,
    void: Void,
    title: str,
    rent_weekly_pence: int,
    closes_at: dt.datetime,
    service_charge_weekly_pence: int = 0,
    description: str = "",
    eligibility: str = "",
    area: str = "",
    scheme: LettingScheme | None = None,
) -> Advert:
    """Advertise an empty home. Its adaptations come from the home's record, so an adapted
    home is flagged and offered first to applicants who need one."""
    if void.let_on is not None:
        raise LettingRefused("This home has already been let.")
    if closes_at <= timezone.now():
        raise LettingRefused("The closing date must be in the future.")
    if rent_weekly_pence <= 0:
        raise LettingRefused("Enter the weekly rent.")
    if Advert.objects.filter(
        void=void, status__in=[AdvertStatus.OPEN, AdvertStatus.CLOSED]
    ).exists():
        raise LettingRefused("This home is already advertised.")
    home = void.property
    return Advert.objects.create(
        void=void,
        property=home,
        scheme=scheme,
        title=title.strip()[:200],
        description=description.strip(),
        area=(area or home.town)[:100],
        bedrooms=home.bedrooms,
        property_type=home.get_property_type_display(),
        rent_weekly_pence=rent_weekly_pence,
        service_charge_weekly_pence=service_charge_weekly_pence,
        adaptations=home.adaptations,
        is_adapted=bool(home.adaptations.strip()),
        eligibility=eligibility.strip(),
        closes_at=closes_at,
    )


@transaction.atomic
def adverts_close_due(*, now: dt.datetime | None = None) -> int:
    """Close every open advert whose closing time has passed (a beat job, every few minutes:
    idempotent, and it catches up after any downtime). The offer clock runs from
    ``closes_at``, the moment interest stopped, however late this job runs."""
    now = now or timezone.now()
    return Advert.objects.filter(status=AdvertStatus.OPEN, closes_at__lte=now).update(
        status=AdvertStatus.CLOSED, closed_at=F("closes_at")
    )


@transaction.atomic
def advert_withdraw(*, advert: Advert) -> Advert:
    advert = _lock(Advert, advert.pk)
    if advert.status not in (AdvertStatus.OPEN, AdvertStatus.CLOSED):
        raise LettingRefused("Only an open or closed advert can be withdrawn.")
    if Application.objects.filter(advert=advert, status__in=OFFER_IN_PROGRESS).exists():
        raise LettingRefused("An offer of this home is in progress: end it first.")
    advert.status = AdvertStatus.WITHDRAWN
    advert.save(update_fields=["status"])
    return advert
