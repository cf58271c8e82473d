"""Lettings records built through the lettings services, stage by stage, as the team works:
an empty home, its lettable standard signed off, an advert, interest, an offer and so on."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from casework.models import Team
from kernel.roles import Role
from lettings import services
from lettings.models import (
    Advert,
    AdvertStatus,
    Application,
    LettableStandardItem,
    LettingScheme,
    MutualExchange,
    SettlingIn,
    StandardItemKind,
    Void,
)
from tests.factories import CustomerFactory, PropertyFactory, StaffFactory


class LettingSchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LettingScheme

    name = factory.Sequence(lambda n: f"Riverton Home Choice {n}")
    local_authority = "Riverton Borough Council"
    how_to_apply = "Register online and bid each week."
    website = "https://homechoice.example.org"


def lettings_team() -> Team:
    return Team.objects.get_or_create(name="Lettings", defaults={"role": Role.LETTINGS})[0]


def lettings_officer():
    return StaffFactory(roles=[Role.LETTINGS], first_name="Lettings", last_name="Officer")


def empty_home(*, adaptations: str = "", days_ago: int = 10) -> Void:
    """A home whose tenancy ended ``days_ago`` days ago."""
    home = PropertyFactory(adaptations=adaptations)
    former = CustomerFactory(tenancy__property=home)
    return services.void_open_from_tenancy_end(
        tenancy=former.tenancy,
        end_date=timezone.localdate() - dt.timedelta(days=days_ago),
        reason="Moved to a care home",
    )


def sign_off(void: Void, officer) -> Void:
    for item in LettableStandardItem.objects.filter(is_active=True):
        services.void_record_check(
            void=void,
            item=item,
            done_on=timezone.localdate(),
            actor=officer,
            certificate_reference="" if item.kind == StandardItemKind.CHECK else f"CERT-{item.pk}",
        )
    return services.void_sign_off(void=void, actor=officer)


def advert_for(void: Void, *, closes_in: dt.timedelta = dt.timedelta(days=7), **kwargs) -> Advert:
    fields = {
        "title": f"{void.property.bedrooms} bedroom house",
        "rent_weekly_pence": 12_500,
        "service_charge_weekly_pence": 1_000,
        "closes_at": timezone.now() + closes_in,
    }
    fields.update(kwargs)
    return services.advert_publish(void=void, **fields)


def close(advert: Advert, time_machine) -> Advert:
    """Move past the closing time and let the beat job close it."""
    time_machine.move_to(advert.closes_at + dt.timedelta(minutes=5), tick=False)
    services.adverts_close_due()
    advert.refresh_from_db()
    assert advert.status == AdvertStatus.CLOSED
    return advert


def interest(customer, advert: Advert, **kwargs) -> Application:
    return services.application_express_interest(customer=customer, advert=advert, **kwargs)


def offered(application: Application, officer) -> Application:
    return services.application_offer(application=application, actor=officer)


def form_sent(application: Application, *, weekly_income_pence: int = 50_000) -> Application:
    return services.application_submit_form(
        application=application,
        customer=application.customer,
        household_summary="Me and my son, 9",
        weekly_income_pence=weekly_income_pence,
        support_needs="",
        previous_addresses="1 Mill Lane, 2019 to now",
        consent_given=True,
        accepts_tenancy_terms=True,
    )


def assessed(application: Application, officer) -> Application:
    return services.application_assess(application=application, actor=officer, suitable=True)


def viewing_booked(application: Application, officer, *, in_hours: int = 48) -> Application:
    return services.application_book_viewing(
        application=application,
        actor=officer,
        viewing_at=timezone.now() + dt.timedelta(hours=in_hours),
        with_staff=officer,
    )


def accepted(application: Application, officer) -> Application:
    return services.application_accept(application=application, actor=officer)


def rent_requested(application: Application, officer) -> Application:
    return services.application_request_rent(
        application=application, actor=officer, rent_in_advance_pence=50_000
    )


def close_now(advert: Advert) -> Advert:
    """Close an advert as the beat job would at its closing time, without moving the clock."""
    services.adverts_close_due(now=advert.closes_at + dt.timedelta(minutes=1))
    advert.refresh_from_db()
    return advert


def offer_in_a_new_home(officer) -> Application:
    """A fresh signed-off home, advertised and closed, with one applicant offered it."""
    advert = advert_for(sign_off(empty_home(), officer))
    application = interest(CustomerFactory(), advert)
    close_now(advert)
    return offered(application, officer)


def records_for_every_step(officer) -> dict:
    """At least one record of every lettings model with steps for each step it lists (the
    step walk in tests/portal/test_case_steps.py)."""
    lettings_team()
    fresh_void = empty_home()
    unadvertised = sign_off(empty_home(), officer)
    # Closes after every other advert here: closing one closes all those due by then.
    open_advert = advert_for(sign_off(empty_home(), officer), closes_in=dt.timedelta(days=60))
    closed_advert = close_now(advert_for(sign_off(empty_home(), officer)))
    interested = interest(CustomerFactory(), open_advert)
    form_in = form_sent(offer_in_a_new_home(officer))
    assessed_one = assessed(form_sent(offer_in_a_new_home(officer)), officer)
    viewing = viewing_booked(assessed(form_sent(offer_in_a_new_home(officer)), officer), officer)
    accepted_one = rent_requested(
        accepted(
            viewing_booked(assessed(form_sent(offer_in_a_new_home(officer)), officer), officer),
            officer,
        ),
        officer,
    )
    settled = services.application_sign_up(
        application=rent_requested(
            accepted(
                viewing_booked(assessed(form_sent(offer_in_a_new_home(officer)), officer), officer),
                officer,
            ),
            officer,
        ),
        actor=officer,
        tenancy_start_date=timezone.localdate(),
    )
    exchange = services.exchange_apply(
        customer=CustomerFactory(),
        partner_name="Jo Bloggs",
        partner_address="4 Elm Road",
        partner_landlord="Riverton Homes Trust",
    )
    checked = services.exchange_apply(
        customer=CustomerFactory(),
        partner_name="Sam Lee",
        partner_address="9 Ash Close",
        partner_landlord="Us",
    )
    services.exchange_record_checks(
        exchange=checked,
        actor=officer,
        rent_account_clear=True,
        no_tenancy_breach=True,
        property_suitable=True,
        safety_checks_arranged=True,
    )
    return {
        Void: [fresh_void, unadvertised],
        Advert: [open_advert, closed_advert],
        Application: [interested, form_in, assessed_one, viewing, accepted_one],
        SettlingIn: [settled],
        MutualExchange: [exchange, checked],
    }
