"""What a subject access pack holds of lettings: the person's own applications, settling-in
and exchanges, and the return of their former home; never another applicant's."""

from __future__ import annotations

from django.utils import timezone

from lettings import selectors, services
from lettings.models import Void
from tests.factories import CustomerFactory
from tests.lettings import factories as f


def _keys(customer) -> set[str]:
    return {record.key for record in selectors.personal_data_for(customer).records}


def test_an_applicant_has_their_own_application_and_settling_in_and_not_anothers(
    frozen, officer, tenant_a
):
    advert = f.advert_for(f.sign_off(f.empty_home(), officer))
    mine = f.interest(tenant_a, advert)
    theirs = f.interest(CustomerFactory(), advert)
    f.close_now(advert)
    offered = f.rent_requested(
        f.accepted(
            f.viewing_booked(f.assessed(f.form_sent(f.offered(mine, officer)), officer), officer),
            officer,
        ),
        officer,
    )
    settling_in = services.application_sign_up(
        application=offered, actor=officer, tenancy_start_date=timezone.localdate()
    )
    part = selectors.personal_data_for(tenant_a)
    keys = {record.key for record in part.records}
    assert f"lettings.Application:{mine.pk}" in keys
    assert f"lettings.Application:{theirs.pk}" not in keys
    # Signed up, they are the lead tenant of a new household: the same person, a new row.
    assert _keys(settling_in.customer) == {
        f"lettings.Application:{mine.pk}",
        f"lettings.SettlingIn:{settling_in.pk}",
    }
    application = next(r for r in part.records if r.key == f"lettings.Application:{mine.pk}")
    assert ("Weekly income pence", "50000") in application.fields
    assert "Lettings Officer" in application.third_parties


def test_the_other_tenant_of_an_exchange_is_offered_for_redaction(frozen, team, tenant_a):
    exchange = services.exchange_apply(
        customer=tenant_a,
        partner_name="Jo Bloggs",
        partner_address="4 Elm Road",
        partner_landlord="Riverton Homes Trust",
    )
    record = next(
        r
        for r in selectors.personal_data_for(tenant_a).records
        if r.key == f"lettings.MutualExchange:{exchange.pk}"
    )
    assert {"Jo Bloggs", "4 Elm Road"} <= set(record.third_parties)


def test_a_former_household_has_the_return_of_their_home_without_the_next_tenancys_details(
    frozen, team
):
    void = f.empty_home()
    former = void.former_tenancy.customers.get()
    Void.objects.filter(pk=void.pk).update(
        utilities="Meter under the stairs", heating_and_appliances="Combi boiler"
    )
    part = selectors.personal_data_for(former)
    assert [r.key for r in part.records] == [f"lettings.Void:{void.pk}"]
    labels = dict(part.records[0].fields)
    assert labels["End reason"] == "Moved to a care home"
    text = repr(part)
    assert "Meter under the stairs" not in text and "Combi boiler" not in text
    assert _keys(CustomerFactory()) == set()
