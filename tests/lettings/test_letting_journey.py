"""From an empty home to a signed tenancy: the lettable standard, adverts, interest, the
7-day offer clock, the viewing's notice, one accepted offer per home and the sign-up."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import customer_register
from casework.models import CaseEvent
from lettings import services
from lettings.models import (
    AdvertStatus,
    Application,
    ApplicationStatus,
    Band,
    LettableStandardItem,
    SettlingIn,
    StandardItemKind,
    Void,
    VoidCheck,
)
from lettings.selectors import shortlist_for_advert
from notifications.models import Message
from rent.models import RentAccount
from repairs.models import Repair
from sla.models import Deadline
from tenancy.models import Customer, Tenancy
from tenancy.selectors import customer_find_for_registration
from tests.factories import CustomerFactory, CustomerWithLoginFactory
from tests.lettings import factories as f

S = ApplicationStatus


# --- empty homes ----------------------------------------------------------------------------


def test_ending_a_tenancy_records_its_last_day_and_makes_the_home_empty(frozen, officer):
    former = CustomerFactory()
    end = dt.date(2026, 2, 20)
    void = services.void_open_from_tenancy_end(
        tenancy=former.tenancy, end_date=end, reason="Moved away", actor=officer
    )
    former.tenancy.refresh_from_db()
    assert former.tenancy.end_date == end
    assert void.property_id == former.tenancy.property_id
    assert void.end_reason == "Moved away"
    assert void.days_empty() == 10


def test_a_home_cannot_be_empty_twice(void, officer):
    again = CustomerFactory(tenancy__property=void.property)
    with pytest.raises(services.LettingRefused, match="already empty"):
        services.void_open_from_tenancy_end(
            tenancy=again.tenancy, end_date=timezone.localdate(), reason="Left"
        )
    assert Void.objects.filter(property=void.property).count() == 1


def test_a_gas_check_without_its_certificate_is_refused(void, officer):
    gas = LettableStandardItem.objects.get(kind=StandardItemKind.GAS)
    with pytest.raises(services.LettingRefused, match="certificate reference"):
        services.void_record_check(void=void, item=gas, done_on=timezone.localdate(), actor=officer)
    assert not VoidCheck.objects.exists()


def test_sign_off_is_refused_until_every_item_of_the_standard_is_done(void, officer):
    clean = LettableStandardItem.objects.order_by("position").first()
    services.void_record_check(void=void, item=clean, done_on=timezone.localdate(), actor=officer)
    with pytest.raises(services.LettingRefused, match="Gas safety check done"):
        services.void_sign_off(void=void, actor=officer)
    void.refresh_from_db()
    assert void.signed_off_at is None
    f.sign_off(void, officer)
    void.refresh_from_db()
    assert void.signed_off_by == officer


def test_a_retired_item_is_not_needed_for_sign_off(void, officer):
    LettableStandardItem.objects.filter(kind=StandardItemKind.ELECTRICAL).update(is_active=False)
    f.sign_off(void, officer)
    assert void.__class__.objects.get(pk=void.pk).is_signed_off


def test_a_void_repair_goes_through_repairs_and_tells_nobody(void, officer):
    repair_row = services.void_raise_repair(
        void=void, item_code="kitchen.units", description="Back door sticks", actor=officer
    )
    repair = Repair.objects.get(reference=repair_row.repair_reference)
    assert repair.property_id == void.property_id
    assert repair.deadlines.exists()
    assert not Message.objects.filter(customer=repair.customer).exists()


# --- adverts, interest, shortlist -------------------------------------------------------------


def test_an_adapted_home_is_flagged_from_its_record(frozen, officer):
    void = f.sign_off(f.empty_home(adaptations="Level-access shower"), officer)
    advert = f.advert_for(void)
    assert advert.is_adapted
    assert advert.adaptations == "Level-access shower"


def test_interest_is_refused_after_the_advert_closes(advert, tenant_a, frozen):
    f.close(advert, frozen)
    with pytest.raises(services.LettingRefused, match="closed"):
        f.interest(tenant_a, advert)
    assert not Application.objects.exists()


def test_interest_twice_in_one_home_is_refused(application, tenant_a, advert):
    with pytest.raises(services.LettingRefused, match="already told us"):
        f.interest(tenant_a, advert)
    assert Application.objects.count() == 1


def test_the_same_form_sent_twice_makes_one_application(advert, tenant_a):
    import uuid

    key = uuid.uuid4()
    first = f.interest(tenant_a, advert, idempotency_key=key)
    second = f.interest(tenant_a, advert, idempotency_key=key)
    assert first.pk == second.pk


def test_shortlist_puts_those_needing_an_adapted_home_first_then_band_then_date(frozen, officer):
    void = f.sign_off(f.empty_home(adaptations="Stair lift"), officer)
    advert = f.advert_for(void)
    band_a_old = f.interest(CustomerWithLoginFactory(), advert)
    band_a_new = f.interest(CustomerWithLoginFactory(), advert)
    band_b = f.interest(CustomerWithLoginFactory(), advert)
    needs_adapted = f.interest(CustomerWithLoginFactory(), advert, needs_adapted_home=True)
    for application, band, day in [
        (band_a_old, Band.A, dt.date(2024, 1, 1)),
        (band_a_new, Band.A, dt.date(2025, 1, 1)),
        (band_b, Band.B, dt.date(2020, 1, 1)),
        (needs_adapted, Band.C, dt.date(2025, 6, 1)),
    ]:
        services.application_record_priority(
            application=application, band=band, band_date=day, actor=officer
        )
    f.close(advert, frozen)
    order = [a.pk for a in shortlist_for_advert(advert)]
    assert order == [needs_adapted.pk, band_a_old.pk, band_a_new.pk, band_b.pk]
    chosen = services.advert_shortlist(advert=advert, actor=officer, size=2)
    assert [a.pk for a in chosen] == [needs_adapted.pk, band_a_old.pk]
    assert Application.objects.get(pk=band_b.pk).status == S.INTERESTED


# --- the offer and its clock ------------------------------------------------------------------


def test_the_offer_clock_runs_from_the_advert_closing_and_is_met_when_the_applicant_is_told(
    application, advert, officer, frozen
):
    f.close(advert, frozen)
    frozen.shift(dt.timedelta(days=3))
    f.offered(application, officer)
    clock = Deadline.objects.get(object_id=application.pk, commitment__code="lettings.offer.notify")
    advert.refresh_from_db()
    assert clock.started_at == advert.closed_at
    assert clock.met_at == timezone.now()
    assert clock.met_at <= clock.due_at
    assert Message.objects.filter(
        customer=application.customer, subject__startswith="You have been selected"
    ).exists()


def test_an_offer_told_after_7_days_counts_as_late(application, advert, officer, frozen):
    f.close(advert, frozen)
    frozen.shift(dt.timedelta(days=8))
    f.offered(application, officer)
    clock = Deadline.objects.get(object_id=application.pk, commitment__code="lettings.offer.notify")
    assert clock.met_at > clock.due_at


def test_an_offer_before_the_advert_closes_is_refused(application, officer):
    with pytest.raises(services.LettingRefused, match="closed"):
        f.offered(application, officer)
    application.refresh_from_db()
    assert application.status == S.INTERESTED
    assert not Deadline.objects.filter(object_id=application.pk).exists()


def test_a_second_offer_while_one_is_in_progress_is_refused(offer, advert, officer):
    rival = _rival_application(advert, CustomerWithLoginFactory())
    with pytest.raises(services.LettingRefused, match="already in progress"):
        f.offered(rival, officer)
    rival.refresh_from_db()
    assert rival.status == S.INTERESTED


def _rival_application(advert, customer) -> Application:
    """Another applicant's interest, sent before the advert closed."""
    from casework.services import case_open

    return case_open(
        model=Application,
        customer=customer,
        received_by="portal",
        status=S.INTERESTED,
        advert=advert,
        band_date=timezone.localdate(),
    )


# --- assessment and viewing -------------------------------------------------------------------


def test_affordability_comes_from_income_and_the_homes_rent(offer, officer):
    low_income = f.form_sent(offer, weekly_income_pence=20_000)
    assessed = f.assessed(low_income, officer)
    # £135 a week is more than 40% of £200.
    assert assessed.affordable is False
    with pytest.raises(services.LettingRefused, match="unaffordable"):
        f.viewing_booked(assessed, officer)


def test_a_viewing_with_under_24_hours_notice_is_refused_and_nothing_is_written(offer, officer):
    ready = f.assessed(f.form_sent(offer), officer)
    messages_before = Message.objects.count()
    events_before = CaseEvent.objects.count()
    with pytest.raises(services.LettingRefused, match="at least 24 hours' notice"):
        f.viewing_booked(ready, officer, in_hours=23)
    ready.refresh_from_db()
    assert ready.status == S.ASSESSED
    assert ready.viewing_at is None
    assert Message.objects.count() == messages_before
    assert CaseEvent.objects.count() == events_before


def test_a_viewing_with_24_hours_notice_is_booked_and_the_notice_sent(offer, officer):
    booked = f.viewing_booked(f.assessed(f.form_sent(offer), officer), officer, in_hours=24)
    assert booked.status == S.VIEWING_BOOKED
    assert booked.viewing_notice_at == timezone.now()
    assert booked.viewing_with == officer
    assert Message.objects.filter(subject__startswith="Your viewing").exists()


# --- accepting, refusing ----------------------------------------------------------------------


def test_a_refusal_needs_a_reason_and_frees_the_home_for_the_next_applicant(offer, advert, officer):
    with pytest.raises(services.LettingRefused, match="reason"):
        services.application_refuse(application=offer, actor=officer, reason=" ")
    services.application_refuse(application=offer, actor=officer, reason="Too far from school")
    offer.refresh_from_db()
    assert offer.status == S.REFUSED
    assert offer.refusal_reason == "Too far from school"
    rival = _rival_application(advert, CustomerWithLoginFactory())
    assert f.offered(rival, officer).status == S.OFFERED


def test_two_accepted_offers_on_one_home_are_refused(viewing, advert, officer):
    f.accepted(viewing, officer)
    rival = _rival_application(advert, CustomerWithLoginFactory())
    Application.objects.filter(pk=rival.pk).update(status=S.VIEWING_BOOKED)
    with pytest.raises(services.LettingRefused, match="already been accepted"):
        services.application_accept(application=rival, actor=officer)
    rival.refresh_from_db()
    assert rival.status == S.VIEWING_BOOKED


# --- sign-up ----------------------------------------------------------------------------------


def test_a_tenancy_cannot_start_before_the_home_is_signed_off(frozen, officer, tenant_a):
    void = f.empty_home()
    advert = f.advert_for(void)
    application = f.interest(tenant_a, advert)
    f.close(advert, frozen)
    booked = f.viewing_booked(
        f.assessed(f.form_sent(f.offered(application, officer)), officer), officer
    )
    ready = f.rent_requested(f.accepted(booked, officer), officer)
    tenancies_before = Tenancy.objects.count()
    with pytest.raises(services.LettingRefused, match="lettable standard"):
        services.application_sign_up(
            application=ready, actor=officer, tenancy_start_date=timezone.localdate()
        )
    assert Tenancy.objects.count() == tenancies_before
    assert not SettlingIn.objects.exists()


def test_sign_up_before_asking_for_rent_in_advance_is_refused(viewing, officer):
    ready = f.accepted(viewing, officer)
    with pytest.raises(services.LettingRefused, match="rent in advance"):
        services.application_sign_up(
            application=ready, actor=officer, tenancy_start_date=timezone.localdate()
        )


def test_sign_up_makes_the_tenancy_and_moves_the_applicants_login(
    accepted, advert, officer, tenant_a
):
    start = timezone.localdate() + dt.timedelta(days=3)
    settling_in = services.application_sign_up(
        application=accepted, actor=officer, tenancy_start_date=start
    )
    tenancy = settling_in.tenancy
    assert tenancy.property_id == advert.property_id
    assert tenancy.start_date == start
    new_record = Customer.objects.get(tenancy=tenancy)
    assert new_record.user_id == tenant_a.user_id
    assert new_record.date_of_birth == tenant_a.date_of_birth
    tenant_a.refresh_from_db()
    assert tenant_a.user_id is None
    advert.refresh_from_db()
    assert advert.status == AdvertStatus.LET
    assert Void.objects.get(pk=advert.void_id).let_on == start
    clock = Deadline.objects.get(
        object_id=settling_in.pk, commitment__code="lettings.settling_in_visit"
    )
    assert clock.due_at.date() == start + dt.timedelta(weeks=6)


def test_sign_up_opens_the_new_tenancys_rent_account_at_the_advertised_rent(
    client, accepted, advert, officer, tenant_a
):
    start = timezone.localdate() + dt.timedelta(days=3)
    settling_in = services.application_sign_up(
        application=accepted, actor=officer, tenancy_start_date=start
    )
    account = RentAccount.objects.get(tenancy=settling_in.tenancy)
    assert (account.frequency, account.rent_pence, account.service_charge_pence) == (
        "weekly",
        12_500,
        1_000,
    )
    assert account.balance_pence == 0  # charged from the first day, by the charges run
    client.force_login(tenant_a.user)
    page = client.get(reverse("rent:account")).content.decode()
    assert "Rent £125.00, service charge £10.00" in page
    pack = client.get(reverse("lettings:move_in")).content.decode()
    assert reverse("rent:direct_debit") in pack


def test_a_new_tenant_without_a_login_can_register_at_once(frozen, ready_void, officer):
    applicant = CustomerFactory()  # no portal login yet: staff logged the interest
    advert = f.advert_for(ready_void)
    application = f.interest(applicant, advert)
    f.close(advert, frozen)
    booked = f.viewing_booked(
        f.assessed(f.form_sent(f.offered(application, officer)), officer), officer
    )
    ready = f.rent_requested(f.accepted(booked, officer), officer)
    settling_in = services.application_sign_up(
        application=ready, actor=officer, tenancy_start_date=timezone.localdate()
    )
    found = customer_find_for_registration(
        tenancy_reference=settling_in.tenancy.reference,
        postcode=ready_void.property.postcode,
        date_of_birth=applicant.date_of_birth,
    )
    assert found is not None and found.tenancy_id == settling_in.tenancy_id
    user = customer_register(
        customer=found, email="new.tenant@example.org", password="x-Y-z-123456"
    )
    assert user.customer.tenancy_id == settling_in.tenancy_id


def test_the_others_who_wanted_the_home_are_told_it_is_let(accepted, advert, officer):
    rival = _rival_application(advert, CustomerWithLoginFactory())
    services.application_sign_up(
        application=accepted, actor=officer, tenancy_start_date=timezone.localdate()
    )
    rival.refresh_from_db()
    assert rival.status == S.NOT_SELECTED
    assert Message.objects.filter(
        customer=rival.customer, subject__endswith="has been let"
    ).exists()
