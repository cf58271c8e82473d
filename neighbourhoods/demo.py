"""Demo neighbourhood: the two blocks as one estate, a published inspection of Alder Court,
cleaning and grounds rounds, and local partners. Safe to run again and again."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kernel.roles import Role
from neighbourhoods.models import (
    ChecklistItem,
    CommunalService,
    Estate,
    Inspection,
    InspectionSchedule,
    Partner,
)
from neighbourhoods.services import inspection_publish, inspection_record, inspection_score
from tenancy.models import Block

DEMO_SCORES = {
    ChecklistItem.CLEANLINESS: (4, "Stairs clean; entrance glass smeared."),
    ChecklistItem.GROUNDS: (3, "Grass due a cut by the bin store."),
    ChecklistItem.LIGHTING: (2, "Two lights out on the second-floor landing."),
    ChecklistItem.FLY_TIPPING: (4, ""),
    ChecklistItem.GRAFFITI: (5, ""),
    ChecklistItem.FIRE_SAFETY: (5, "Fire doors closing; no obstructions."),
}


def seed(demo) -> None:
    officer = demo.staff[Role.CUSTOMER_SERVICES]
    today = timezone.localdate()
    blocks = list(Block.objects.filter(name__in=["Alder Court", "Birch House"]))
    estate, _ = Estate.objects.get_or_create(
        name="Riverside Estate", defaults={"description": "Alder Court and Birch House."}
    )
    estate.blocks.set(blocks)
    alder = next((b for b in blocks if b.name == "Alder Court"), None)
    if alder is None:
        return
    schedule, _ = InspectionSchedule.objects.get_or_create(
        block=alder, defaults={"frequency": "monthly", "next_due_on": today, "officer": officer}
    )
    if not Inspection.objects.filter(block=alder).exists():
        inspection = inspection_record(
            actor=officer,
            inspected_on=today - dt.timedelta(days=6),
            schedule=schedule,
            summary="A tidy block; lighting on the second floor needs a repair.",
        )
        for item, (score, comment) in DEMO_SCORES.items():
            inspection_score(inspection=inspection, item=item, score=score, comment=comment)
        inspection_publish(inspection=inspection, actor=officer)
    for kind, what, frequency, contractor in (
        (
            "cleaning",
            "Sweep and mop stairs and landings; clean the entrance glass.",
            "weekly",
            "Sparkle Cleaning Ltd",
        ),
        (
            "grounds",
            "Cut the grass, weed the beds and clear litter.",
            "fortnightly",
            "Greenway Grounds",
        ),
    ):
        CommunalService.objects.get_or_create(
            estate=estate,
            kind=kind,
            defaults={
                "what": what,
                "frequency": frequency,
                "next_visit_on": today + dt.timedelta(days=3),
                "contractor": contractor,
                "contractor_email": f"jobs@{contractor.split()[0].lower()}.example",
            },
        )
    for name, kind, what, phone in (
        (
            "Riverton Neighbourhood Policing Team",
            "police",
            "Local policing and crime prevention.",
            "101",
        ),
        (
            "Riverton Council Environmental Services",
            "council",
            "Street cleaning, fly-tipping and graffiti in public places.",
            "0300 000 0456",
        ),
        ("Riverton Money Advice", "support", "Free help with debt and budgeting.", ""),
    ):
        Partner.objects.get_or_create(
            name=name, defaults={"kind": kind, "what_they_do": what, "phone": phone}
        )
