"""Which checks apply to a home and to a block's shared parts, and the compliance team told
when their clocks are missed."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kernel.formatting import london_date
from notifications.services import notify_staff
from safety.models import (
    FRA_MONTHS_BY_RISK,
    Appliance,
    CheckType,
    ComplianceCheck,
    Risk,
)
from safety.services._common import SafetyRefused, _compliance_lead, _midday
from sla.models import Deadline
from sla.services import deadline_start
from tenancy.models import Block, Property, Tenancy, Tenure

# Heights that bring in the Fire Safety (England) Regulations 2022 door checks (over 11 m) and
# the high-rise duties (18 m or 7 storeys): regulation.md section G.
DOOR_CHECK_HEIGHT_METRES = 11
HIGH_RISE_METRES = 18
HIGH_RISE_STOREYS = 7


# --- which checks apply ----------------------------------------------------------------------


@transaction.atomic
def check_register(
    *,
    check_type: str,
    home: Property | None = None,
    block: Block | None = None,
    appliance: str = "",
    risk: str = "",
    interval_months: int | None = None,
) -> ComplianceCheck:
    """The check ``check_type`` on ``home`` or ``block`` (one of them), made to apply. A check
    already registered is returned (and applies again if it had been retired), so running this
    twice registers once. A new check has no clock until its first record: until then it is
    overdue (never done), never "not due"."""
    if (home is None) == (block is None):
        raise ValueError("A check belongs to a home or to a block.")
    if check_type == CheckType.GAS and appliance not in Appliance.values:
        raise SafetyRefused("Say which appliance the gas safety check covers.")
    if check_type != CheckType.GAS:
        appliance = ""
    if check_type == CheckType.FIRE_RISK and risk:
        interval_months = interval_months or FRA_MONTHS_BY_RISK[Risk(risk)]
    lookup: dict[str, object] = {"check_type": check_type, "appliance": appliance}
    lookup.update({"property": home} if home is not None else {"block": block})
    check, created = ComplianceCheck.objects.get_or_create(
        **lookup,
        defaults={
            "risk": risk,
            "interval_months": interval_months,
            "registered_at": timezone.now(),
        },
    )
    if not created and not check.applies:
        check.applies = True
        check.save(update_fields=["applies"])
    return check


@transaction.atomic
def home_checks_register(
    *,
    home: Property,
    appliances: list[str],
    asbestos: bool = False,
    water: bool = False,
) -> list[ComplianceCheck]:
    """Register what applies to a home: a gas check per landlord's appliance (none for an
    all-electric home), the EICR and the alarms for a rented home (leaseholders and shared
    owners look after their own installation), the flat's entrance door in a block over 11 m,
    and asbestos or water checks where the home has them of its own."""
    checks = [
        check_register(check_type=CheckType.GAS, home=home, appliance=appliance)
        for appliance in appliances
    ]
    if home.tenure == Tenure.GENERAL_NEEDS:
        checks.append(check_register(check_type=CheckType.ELECTRICAL, home=home))
        checks.append(check_register(check_type=CheckType.ALARMS, home=home))
    block = home.block
    if block is not None and _doors_checked(block):
        # Fire Safety (England) Regs 2022 reg 10: each flat's entrance door, yearly, which
        # needs the household to let us in, so it is the flat's check, not the block's.
        checks.append(check_register(check_type=CheckType.FLAT_ENTRANCE_DOORS, home=home))
    if asbestos:
        checks.append(check_register(check_type=CheckType.ASBESTOS, home=home))
    if water:
        checks.append(check_register(check_type=CheckType.WATER, home=home))
    return checks


def _doors_checked(block: Block) -> bool:
    return block.height_metres is not None and block.height_metres > DOOR_CHECK_HEIGHT_METRES


def is_high_rise(block: Block) -> bool:
    height = block.height_metres
    return (height is not None and height >= HIGH_RISE_METRES) or block.storeys >= HIGH_RISE_STOREYS


@transaction.atomic
def block_checks_register(*, block: Block, risk: str = Risk.NORMAL) -> list[ComplianceCheck]:
    """Register what applies to a block's shared parts: the fire risk assessment (its review
    interval by the block's risk), the communal fire doors over 11 m, the passenger lifts and
    (high-rise) the firefighting lifts, and the water and asbestos of the shared parts. Each
    flat's entrance door is the flat's check (``home_checks_register``)."""
    checks = [
        check_register(check_type=CheckType.FIRE_RISK, block=block, risk=risk),
        check_register(check_type=CheckType.WATER, block=block),
        check_register(check_type=CheckType.ASBESTOS, block=block),
    ]
    if _doors_checked(block):
        checks.append(check_register(check_type=CheckType.COMMUNAL_FIRE_DOORS, block=block))
    if block.has_lift:
        checks.append(check_register(check_type=CheckType.PASSENGER_LIFT, block=block))
        if is_high_rise(block):
            checks.append(check_register(check_type=CheckType.FIREFIGHTING_LIFT, block=block))
    return checks


# --- missed clocks ---------------------------------------------------------------------------

SAFETY_MODELS = ("compliancecheck", "checkrecord", "remedialwork", "peep")
BREACHES_LISTED = 50


@transaction.atomic
def safety_deadlines_breached(deadlines: list) -> None:
    """Breach handler for the sla sweep: one email per batch to the compliance team's lead
    listing the safety clocks just missed (the overdue list shows them all, with why)."""
    ours = [
        d
        for d in deadlines
        if d.content_type.app_label == "safety" and d.content_type.model in SAFETY_MODELS
    ]
    if not ours:
        return
    lead = _compliance_lead()
    if lead is None:
        return
    lines = [
        f"- {d.commitment.title} ({d.content_type.model} {d.object_id}), due {london_date(d.due_at)}"
        for d in ours[:BREACHES_LISTED]
    ]
    more = len(ours) - BREACHES_LISTED
    if more > 0:
        lines.append(f"... and {more} more.")
    notify_staff(
        user=lead,
        subject=f"Overdue: {len(ours)} safety check clock{'s' if len(ours) != 1 else ''} missed",
        body="\n".join(lines) + f"\n\nThe overdue list: {reverse('safety:overdue')}",
        key=f"safety:breaches:{min(d.pk for d in ours)}",
    )


# --- the alarms on the day a tenancy starts ----------------------------------------------------

# The clock to check a home's smoke and carbon monoxide alarms on the first day of a tenancy:
# one of the alarms check's own family, so any alarms record (or a gas visit that checked the
# alarms) meets it.
TENANCY_START_CLOCK = "alarms.check.tenancy_start"
# How far ahead a tenancy's start puts its alarms check on the home's clocks.
TENANCY_START_LEAD = dt.timedelta(days=14)


def tenancy_start_alarms_due(*, today: dt.date | None = None) -> int:
    """For each tenancy starting today or in the next two weeks in a home whose alarms check
    applies, start the clock to check the alarms by the end of its first day (Smoke and Carbon
    Monoxide Alarm (Amendment) Regulations 2022 reg 4(1)(b)); the home's check is then due that
    day and shows on the overdue list if it is missed. Once per tenancy start: a second run
    starts nothing. Returns how many clocks were started. Each check is its own transaction."""
    today = today or timezone.localdate()
    starts = Tenancy.objects.filter(
        start_date__gte=today, start_date__lte=today + TENANCY_START_LEAD
    ).values_list("property_id", "start_date")
    start_by_home = dict(starts)
    started = 0
    for check_id, home_id in ComplianceCheck.objects.filter(
        applies=True, check_type=CheckType.ALARMS, property_id__in=list(start_by_home)
    ).values_list("pk", "property_id"):
        started += _tenancy_start_clock(check_id, start_by_home[home_id])
    return started


@transaction.atomic
def _tenancy_start_clock(check_id: int, start_date: dt.date) -> int:
    check = ComplianceCheck.objects.select_for_update().get(pk=check_id)
    # Midday the day before: a one-day clock then runs out at the end of the first day.
    started_at = _midday(start_date - dt.timedelta(days=1))
    if (
        Deadline.objects.for_case(check)
        .filter(commitment__code=TENANCY_START_CLOCK, started_at=started_at)
        .exists()
    ):
        return 0
    deadline_start(case=check, code=TENANCY_START_CLOCK, started_at=started_at)
    return 1
