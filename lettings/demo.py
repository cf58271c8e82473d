"""Demo lettings: the team, two schemes, an empty home being brought to the standard, an advert
with the demo tenant's interest, and a mutual exchange waiting for its checks.

Run by ``seed_demo`` again and again: each record is made only if it is not there yet.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from casework.models import Team
from kernel.roles import Role
from lettings.models import Advert, LettableStandardItem, LettingScheme, MutualExchange, Void
from lettings.services import (
    LETTINGS_TEAM_NAME,
    advert_publish,
    application_express_interest,
    exchange_apply,
    void_open_from_tenancy_end,
    void_record_check,
    void_sign_off,
)


def _key(name: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"https://demo.riverside-homes.example/{name}")


SCHEMES = [
    (
        "Riverton Home Choice",
        "Riverton Borough Council",
        "Join the council's housing register online. The council gives you a band; each week you "
        "can bid for up to three homes advertised by the council and by us.",
        "https://homechoice.riverton.example",
    ),
    (
        "Eastvale Homefinder",
        "Eastvale District Council",
        "Apply to the council's register by phone or online. Homes are offered in band order, "
        "then by the date you joined the register.",
        "https://homefinder.eastvale.example",
    ),
]


def seed(demo) -> None:
    officer = demo.staff[Role.LETTINGS]
    Team.objects.update_or_create(
        name=LETTINGS_TEAM_NAME, defaults={"role": Role.LETTINGS, "lead": officer}
    )
    for position, (name, authority, how, website) in enumerate(SCHEMES):
        LettingScheme.objects.update_or_create(
            name=name,
            defaults={
                "local_authority": authority,
                "how_to_apply": how,
                "website": website,
                "position": position,
            },
        )
    today = timezone.localdate()
    leaving = demo.customers[20]
    void = Void.objects.filter(former_tenancy=leaving.tenancy).first()
    if void is None:
        void = void_open_from_tenancy_end(
            tenancy=leaving.tenancy,
            end_date=today - dt.timedelta(days=12),
            reason="Moved to a larger home",
            actor=officer,
        )
        Void.objects.filter(pk=void.pk).update(
            heating_and_appliances="Gas combination boiler in the kitchen cupboard; the "
            "thermostat is in the hall.",
            utilities="Gas and electricity meters are in the cupboard under the stairs.",
        )
        for item in LettableStandardItem.objects.filter(is_active=True):
            void_record_check(
                void=void,
                item=item,
                done_on=today - dt.timedelta(days=2),
                actor=officer,
                certificate_reference="" if item.kind == "check" else f"DEMO-{item.pk:04d}",
            )
        void_sign_off(void=void, actor=officer)
    advert = Advert.objects.filter(void=void).first()
    if advert is None:
        advert = advert_publish(
            void=void,
            title=f"{void.property.bedrooms} bedroom {void.property.get_property_type_display().lower()}",
            rent_weekly_pence=11_850,
            service_charge_weekly_pence=650,
            description="Close to the park and the primary school, with a garden.",
            eligibility="Applicants on the Riverton housing register.",
            closes_at=timezone.now() + dt.timedelta(days=10),
            scheme=LettingScheme.objects.order_by("position").first(),
        )
    if advert.is_open_for_interest:
        application_express_interest(
            customer=demo.tenant, advert=advert, idempotency_key=_key("lettings-interest")
        )
    if not MutualExchange.objects.filter(tenancy_id=demo.other_tenant.tenancy_id).exists():
        exchange_apply(
            customer=demo.other_tenant,
            partner_name="Priya Shah",
            partner_address="12 Heron Way, Eastvale EV2 3CD",
            partner_landlord="Eastvale Housing Trust",
            partner_landlord_contact="lettings@eastvale-housing.example",
            reason="To live nearer my mother.",
            idempotency_key=_key("lettings-exchange"),
        )
