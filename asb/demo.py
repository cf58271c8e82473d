"""Demo records for anti-social behaviour, hate crime and domestic abuse: a noise report being
worked with an action plan, a hate crime report waiting for acknowledgement, and a report made
without signing in. Safe to run again: each is made through its service with a fixed
idempotency key, so a second run finds the first run's rows.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from asb.models import AsbAction, AsbKind, AsbStatus, IncidentPlace, Risk
from asb.services import (
    Incident,
    SafeContactAnswers,
    action_add,
    anonymous_report,
    asb_acknowledge,
    asb_report,
    asb_team,
    review_set,
)
from kernel.formatting import LONDON
from kernel.roles import Role

DEMO_NAMESPACE = uuid.UUID("0d6b8f8e-5a51-4f7e-a1c4-7f6f1e2b9a13")


def _key(name: str) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, name)


def seed(demo) -> None:
    officer = demo.staff[Role.ASB]
    team = asb_team()
    if team.lead_id is None:
        team.lead = officer
        team.save(update_fields=["lead"])
    today = timezone.now().astimezone(LONDON).date()

    noise = asb_report(
        customer=demo.tenant,
        incident=Incident(
            kind=AsbKind.ASB,
            category="noise",
            place=IncidentPlace.BLOCK,
            details="Music and shouting from the flat above most nights after midnight.",
            other_party_address="The flat above mine",
        ),
        safe_contact=SafeContactAnswers(may_email=True, may_use_portal=True),
        idempotency_key=_key("asb-noise"),
    )
    if noise.status == AsbStatus.RECEIVED:
        asb_acknowledge(case=noise, actor=officer, contacted_by="email", risk=Risk.STANDARD)
    if not AsbAction.objects.filter(case=noise).exists():
        action_add(
            case=noise,
            actor=officer,
            description="Write to the household about the noise",
            owner=officer,
            due_on=today + dt.timedelta(days=7),
        )
        review_set(case=noise, actor=officer, review_on=today + dt.timedelta(days=21))

    asb_report(
        customer=demo.other_tenant,
        incident=Incident(
            kind=AsbKind.HATE_CRIME,
            hate_characteristic="religion",
            place=IncidentPlace.STREET,
            details="Abuse shouted at me outside the shop because of my headscarf.",
        ),
        safe_contact=SafeContactAnswers(safe_phone="07700 900 777", may_text=True),
        idempotency_key=_key("asb-hate"),
    )

    anonymous_report(
        incident=Incident(
            kind=AsbKind.ASB,
            category="drugs",
            place=IncidentPlace.STREET,
            details="People dealing by the garages most evenings.",
        ),
        safe_contact=SafeContactAnswers(),
        contact_way="none",
        idempotency_key=_key("asb-anonymous"),
    )
