"""Consultations for the residents they affect, "You said, we did", and getting involved."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from engagement.models import (
    ConsultationResponse,
    EqualityAnswers,
    InvolvementInterest,
    YouSaidWeDid,
)
from engagement.selectors import involvement_representation
from engagement.services import (
    EngagementRuleBroken,
    consultation_outcome_publish,
    consultation_respond,
    involvement_register,
)
from tests.engagement.factories import ConsultationFactory
from tests.factories import (
    BlockFactory,
    CustomerFactory,
    CustomerWithLoginFactory,
    PropertyFactory,
    TenancyFactory,
)

pytestmark = pytest.mark.django_db

DURING = dt.datetime(2026, 11, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def block_resident(db):
    home = PropertyFactory(block=BlockFactory(name="Alder Court"))
    return CustomerWithLoginFactory(tenancy=TenancyFactory(property=home))


def _url(consultation):
    return reverse("engagement:consultation", kwargs={"consultation_id": consultation.pk})


@time_machine.travel(DURING)
def test_residents_see_only_consultations_for_their_home(client, block_resident, tenant_b):
    block = block_resident.tenancy.property.block
    for_block = ConsultationFactory(title="Alder Court bins", blocks=[block])
    everyone = ConsultationFactory(title="Rent payment options")
    shared_owners = ConsultationFactory(title="Shared owners", tenure="shared_ownership")
    ConsultationFactory(title="Draft", published_at=None)

    client.force_login(block_resident.user)
    body = client.get(reverse("engagement:consultations")).content.decode()
    assert "Alder Court bins" in body and "Rent payment options" in body
    assert "Shared owners" not in body and "Draft" not in body

    client.force_login(tenant_b.user)
    assert client.get(_url(for_block)).status_code == 404
    assert client.get(_url(shared_owners)).status_code == 404
    assert client.get(_url(everyone)).status_code == 200


@time_machine.travel(DURING)
def test_a_resident_gives_their_view_once(client, block_resident):
    consultation = ConsultationFactory(blocks=[block_resident.tenancy.property.block])
    client.force_login(block_resident.user)
    response = client.post(_url(consultation), {"view": "Behind the block, please."})
    assert response.status_code == 302
    assert ConsultationResponse.objects.get().view == "Behind the block, please."
    page = client.post(_url(consultation), {"view": "Changed my mind"})
    assert "You have already given your view" in page.content.decode()
    assert ConsultationResponse.objects.count() == 1


@time_machine.travel(DURING)
def test_an_empty_view_is_shown_as_an_error(client, block_resident):
    consultation = ConsultationFactory()
    client.force_login(block_resident.user)
    page = client.post(_url(consultation), {"view": ""})
    assert "Tell us your view" in page.content.decode()
    assert ConsultationResponse.objects.count() == 0


@time_machine.travel(DURING)
def test_a_resident_outside_the_consultation_is_refused_by_the_service(tenant_b):
    consultation = ConsultationFactory(blocks=[BlockFactory()])
    with pytest.raises(EngagementRuleBroken):
        consultation_respond(consultation=consultation, customer=tenant_b, view="Hello")
    assert ConsultationResponse.objects.count() == 0


@time_machine.travel(dt.datetime(2026, 12, 10, 12, 0, tzinfo=dt.UTC))
def test_a_closed_consultation_takes_no_views_and_shows_its_outcome(tenant_a, manager, client):
    consultation = ConsultationFactory(outcome="The bin store goes behind the block.")
    with pytest.raises(EngagementRuleBroken):
        consultation_respond(consultation=consultation, customer=tenant_a, view="Late")
    consultation_outcome_publish(consultation=consultation, actor=manager)
    client.force_login(tenant_a.user)
    body = client.get(_url(consultation)).content.decode()
    assert "What we decided" in body and "behind the block" in body
    assert "not taking views" in body


def test_an_outcome_must_be_written_before_it_is_published(manager):
    consultation = ConsultationFactory(outcome="")
    with pytest.raises(EngagementRuleBroken):
        consultation_outcome_publish(consultation=consultation, actor=manager)
    consultation.refresh_from_db()
    assert consultation.outcome_published_at is None


def test_consultation_pages_need_a_signed_in_customer(client, manager):
    consultation = ConsultationFactory()
    response = client.get(_url(consultation))
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    client.force_login(manager)
    assert client.get(reverse("engagement:consultations")).status_code == 403


def test_wrong_methods_are_rejected(client_a):
    assert client_a.post(reverse("engagement:consultations")).status_code == 405
    assert client_a.put(reverse("engagement:get_involved")).status_code == 405


def test_you_said_we_did_shows_published_entries_to_everyone(client, manager):
    consultation = ConsultationFactory(title="Bin store")
    YouSaidWeDid.objects.create(
        you_said="The bins overflow",
        we_did="We added a second collection",
        source="consultation",
        consultation=consultation,
        published_at=timezone.now(),
        created_by=manager,
        created_at=timezone.now(),
    )
    YouSaidWeDid.objects.create(
        you_said="Draft entry",
        we_did="Not yet",
        source="feedback",
        created_by=manager,
        created_at=timezone.now(),
    )
    body = client.get(reverse("engagement:you_said_we_did")).content.decode()
    assert "We added a second collection" in body and "Bin store" in body
    assert "Draft entry" not in body


def test_a_resident_registers_interest_with_optional_equality_answers(client_a, tenant_a):
    response = client_a.post(
        reverse("engagement:get_involved"),
        {"activities": ["scrutiny_panel", "mystery_shopper"], "ethnic_group": "asian"},
    )
    assert response.status_code == 302
    assert set(InvolvementInterest.objects.values_list("activity", flat=True)) == {
        "scrutiny_panel",
        "mystery_shopper",
    }
    assert EqualityAnswers.objects.get(customer=tenant_a).ethnic_group == "asian"
    page = client_a.get(reverse("engagement:get_involved")).content.decode()
    assert "Scrutiny panel, Mystery shopper" in page


def test_registering_without_an_activity_is_an_error_and_nothing_is_kept(client_a):
    page = client_a.post(reverse("engagement:get_involved"), {"ethnic_group": "asian"})
    assert "Choose at least one way to get involved" in page.content.decode()
    assert InvolvementInterest.objects.count() == 0 and EqualityAnswers.objects.count() == 0


def test_registering_twice_keeps_each_activity_once(tenant_a):
    assert involvement_register(customer=tenant_a, activities=["digital_panel"]) == 1
    assert involvement_register(customer=tenant_a, activities=["digital_panel"]) == 0
    assert InvolvementInterest.objects.count() == 1


def test_representation_compares_involved_with_all_residents_by_hand_count(db):
    today = dt.date(2026, 11, 10)
    young = [CustomerFactory(date_of_birth=dt.date(2000, 1, 1)) for _ in range(3)]  # 26
    older = [CustomerFactory(date_of_birth=dt.date(1950, 1, 1)) for _ in range(1)]  # 76
    involvement_register(customer=older[0], activities=["scrutiny_panel"])
    involvement_register(customer=young[0], activities=["scrutiny_panel"])
    rows = {r.group: r for r in involvement_representation(today)["age"]}
    # By hand: 4 residents, 3 aged 25-34 (75.0%), 1 aged 65+ (25.0%); involved 1 of each (50.0%).
    assert (rows["25 to 34"].all_residents, rows["25 to 34"].involved) == (3, 1)
    assert (
        str(rows["25 to 34"].all_share) == "75.0" and str(rows["25 to 34"].involved_share) == "50.0"
    )
    assert (rows["65 and over"].all_residents, rows["65 and over"].involved) == (1, 1)


def test_the_involvement_dashboard_is_for_staff_with_the_role(client, manager, repairs_officer):
    url = reverse("engagement:involvement_dashboard")
    client.force_login(repairs_officer)
    assert client.get(url).status_code == 403
    client.force_login(manager)
    assert "How representative is involvement?" in client.get(url).content.decode()
