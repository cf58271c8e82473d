"""Demo records for repairs: the team, capacity and four weeks of slots, operatives, and a few
repairs in every state (booked, completed, a damp and mould hazard, an emergency, a builder's
defect, a shared-area repair), and a kitchens programme. Safe to run again: every repair is
reported through the service with a fixed idempotency key, and later steps run only if the
repair has not reached them yet.
"""

from __future__ import annotations

import datetime as dt
import uuid

from casework.models import ReceivedBy, Team
from kernel.roles import Role
from repairs import services
from repairs.catalogue import Location, Trade
from repairs.models import (
    CapacityPlan,
    Contractor,
    DampRoom,
    HazardExtent,
    Operative,
    PlannedWork,
    Programme,
    ProgrammeKind,
    RepairStatus,
    SlotWindow,
)
from repairs.selectors import available_slots
from repairs.services import HazardAnswers
from tenancy.models import Property

DEMO_NAMESPACE = uuid.UUID("0b7c8f52-55a8-4a8e-8d5f-3f3b4b6f7a21")
JOBS_PER_WINDOW = {SlotWindow.MORNING: 3, SlotWindow.SCHOOL_RUN: 2, SlotWindow.AFTERNOON: 3}


def _key(name: str) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, name)


def seed(demo) -> None:
    officer = demo.staff[Role.REPAIRS]
    Team.objects.update_or_create(
        name=services.TEAM_NAME, defaults={"role": Role.REPAIRS, "lead": officer}
    )
    patches = sorted(set(Property.objects.values_list("patch", flat=True)))
    for trade in Trade.values:
        for patch in patches:
            for window, jobs in JOBS_PER_WINDOW.items():
                CapacityPlan.objects.get_or_create(
                    trade=trade, patch=patch, window=window, defaults={"jobs": jobs}
                )
    services.slots_open()

    roofers, _ = Contractor.objects.get_or_create(
        name="Riverton Roofing Ltd",
        defaults={"email": "jobs@riverton-roofing.example", "phone": "01632 960001"},
    )
    lifts, _ = Contractor.objects.get_or_create(
        name="Lift Care Ltd",
        defaults={"email": "service@liftcare.example", "phone": "01632 960002"},
    )
    operatives = {
        Trade.PLUMBING: "Dan Price",
        Trade.HEATING: "Gita Shah",
        Trade.ELECTRICAL: "Owen Hughes",
        Trade.CARPENTRY: "Ruth Mensah",
        Trade.LOCKSMITH: "Sam Flynn",
        Trade.DAMP: "Li Wei",
        Trade.GLAZING: "Tom Baker",
        Trade.GENERAL: "Ana Costa",
    }
    for trade, name in operatives.items():
        Operative.objects.get_or_create(name=name, defaults={"trade": trade})
    Operative.objects.get_or_create(
        name="Kev Roberts", defaults={"trade": Trade.ROOFING, "contractor": roofers}
    )
    Operative.objects.get_or_create(
        name="Joy Adams", defaults={"trade": Trade.LIFTS, "contractor": lifts}
    )

    tenant = demo.tenant
    booked = services.repair_create(
        customer=tenant,
        item_code="kitchen.units",
        location=Location.HOME,
        description="The hinge on the cupboard under the sink has come away; the door hangs off.",
        idempotency_key=_key("kitchen-units"),
    )
    if booked.status == RepairStatus.REPORTED:
        slots = available_slots(trade=booked.trade, patch=booked.patch)
        if slots:
            services.appointment_book(repair=booked, slot=slots[0], actor=None)

    fixed = services.repair_create(
        customer=tenant,
        item_code="bathroom.leak",
        location=Location.HOME,
        description="Water drips from the pipe under the basin when the tap is on.",
        idempotency_key=_key("bathroom-leak"),
    )
    if fixed.status == RepairStatus.REPORTED:
        services.repair_record_completed(
            repair=fixed, actor=officer, first_time_fix=True, note="Replaced the compression joint."
        )

    damp = services.repair_create(
        customer=tenant,
        item_code="hazard.damp",
        location=Location.HOME,
        description="Black mould on the bathroom ceiling and round the window; it comes back "
        "a week after I clean it.",
        hazard=HazardAnswers(
            hazard_type="damp_mould", rooms=(DampRoom.BATHROOM,), extent=HazardExtent.MEDIUM
        ),
        idempotency_key=_key("damp"),
    )
    hazard = damp.hazard
    if hazard.investigated_at is None:
        services.hazard_record_investigation(
            hazard=hazard,
            actor=officer,
            finding="significant",
            findings="Condensation mould: the extractor fan has failed and the window trickle "
            "vent is painted shut.",
            further_works_needed=True,
        )

    services.repair_create(
        customer=demo.other_tenant,
        item_code="doors.wont_lock",
        location=Location.HOME,
        description="The back door lock turns but the bolt does not go in.",
        emergency_reason="insecure",
        received_by=ReceivedBy.PHONE,
        actor=officer,
        idempotency_key=_key("emergency-door"),
    )
    services.repair_create(
        customer=demo.new_build_tenant,
        item_code="inside.plaster",
        location=Location.HOME,
        description="A long crack has opened in the hall ceiling since we moved in.",
        idempotency_key=_key("new-build-crack"),
    )
    services.repair_create(
        customer=demo.leaseholder,
        item_code="communal.lighting",
        location=Location.COMMUNAL,
        description="The lights on the second floor landing have been out for three days.",
        idempotency_key=_key("communal-lights"),
    )

    kitchens, _ = Programme.objects.get_or_create(
        name="New kitchens 2026 to 2027",
        defaults={
            "kind": ProgrammeKind.KITCHENS,
            "description": "New kitchen units, worktops, sink and taps, with rewiring of the "
            "kitchen where needed.",
            "works_start": dt.date(2026, 9, 1),
            "works_end": dt.date(2027, 3, 31),
            "estimated_cost_per_home": 4200,
        },
    )
    homes = Property.objects.filter(address_line_1__endswith="Mill Lane") | Property.objects.filter(
        block__name="Alder Court"
    )
    services.programme_add_homes(programme=kitchens, homes=homes)
    if PlannedWork.objects.filter(
        programme=kitchens, consulted_at__isnull=True, status="consulting"
    ).exists():
        services.programme_consult_leaseholders(programme=kitchens, actor=officer)
