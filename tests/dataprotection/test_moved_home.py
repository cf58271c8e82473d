"""A tenant who moved home has a record in each home; their pack holds what they did in both,
and nothing of the other people they lived with."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.utils import timezone

from dataprotection import selectors, services
from lettings import services as lettings_services
from tests.dataprotection.factories import ask, fresh, gathered, released
from tests.enquiries.factories import submit_enquiry
from tests.lettings.factories import (
    accepted,
    advert_for,
    assessed,
    close_now,
    empty_home,
    form_sent,
    interest,
    lettings_officer,
    offered,
    rent_requested,
    sign_off,
    viewing_booked,
)

pytestmark = pytest.mark.django_db


def move_home(customer):
    """Let ``customer`` a new home: their new record on the new tenancy takes their sign-in."""
    officer = lettings_officer()
    advert = advert_for(sign_off(empty_home(), officer))
    application = interest(customer, advert)
    close_now(advert)
    application = assessed(form_sent(offered(application, officer)), officer)
    application = rent_requested(accepted(viewing_booked(application, officer), officer), officer)
    settling_in = lettings_services.application_sign_up(
        application=application, actor=officer, tenancy_start_date=timezone.localdate()
    )
    return settling_in.customer


@pytest.fixture
def moved(tenant_a, joint_tenant_a):
    """Amina made an enquiry in her old home, so did Sam who shares it; then she moved, and made
    another from the new one."""
    old_home = submit_enquiry(tenant_a, subject="Damp in the old hall")
    sams = submit_enquiry(joint_tenant_a, subject="Sam's parking permit")
    new_record = move_home(tenant_a)
    new_home = submit_enquiry(new_record, subject="Keys for the new shed")
    return {"new": new_record, "old_home": old_home, "sams": sams, "new_home": new_home}


def test_the_move_leaves_two_records_with_the_sign_in_on_the_new_one(tenant_a, moved):
    tenant_a.refresh_from_db()
    assert moved["new"].pk != tenant_a.pk
    assert moved["new"].user_id is not None and tenant_a.user_id is None
    assert moved["old_home"].customer_id == tenant_a.pk


def test_both_records_are_the_persons_from_either_end(tenant_a, joint_tenant_a, moved):
    new = moved["new"]

    assert [c.pk for c in selectors.records_of_the_same_person(new)] == [new.pk, tenant_a.pk]
    assert [c.pk for c in selectors.records_of_the_same_person(tenant_a)] == [tenant_a.pk, new.pk]
    assert [c.pk for c in selectors.records_of_the_same_person(joint_tenant_a)] == [
        joint_tenant_a.pk
    ]


def test_the_pack_holds_the_cases_made_from_the_old_home_not_the_old_households(
    tenant_a, joint_tenant_a, officer, moved
):
    request = released(moved["new"], officer)

    with request.pack.open("rb") as handle:
        data = zipfile.ZipFile(io.BytesIO(handle.read())).read("data.json").decode()
    assert moved["old_home"].reference in data
    assert "Damp in the old hall" in data
    assert moved["new_home"].reference in data
    assert tenant_a.tenancy.reference in data  # the tenancy she had
    assert moved["new"].tenancy.reference in data
    assert moved["sams"].reference not in data
    assert "Sam's parking permit" not in data
    assert joint_tenant_a.user.email not in data
    # Her application for the new home is there once, though both records reach it.
    keys = [r["key"] for part in json.loads(data)["parts"] for r in part["records"]]
    assert len(keys) == len(set(keys))


def test_the_old_households_other_member_gets_only_their_own(
    tenant_a, joint_tenant_a, officer, moved
):
    request = gathered(joint_tenant_a, officer)

    data = json.dumps(selectors.gathered_data(fresh(request)))

    assert moved["sams"].reference in data
    assert moved["old_home"].reference not in data
    assert moved["new_home"].reference not in data
    assert moved["new"].tenancy.reference not in data


def test_a_request_logged_against_the_old_record_finds_the_new_one_too(tenant_a, officer, moved):
    request = ask(tenant_a)
    services.identity_confirm(request=request, actor=officer, how="Seen her passport.")
    services.gathering_start(request=fresh(request), actor=officer)
    services.pack_gather(request_id=request.pk)

    data = json.dumps(selectors.gathered_data(fresh(request)))

    assert moved["old_home"].reference in data
    assert moved["new_home"].reference in data
