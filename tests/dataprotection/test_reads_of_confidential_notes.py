"""A customer's vulnerability and safe-contact notes are confidential: every staff page that
shows them (the customer's admin page, the household's whole picture) logs the read against
that person, says so with the banner, and the read is in that person's "who has looked" answer,
never in another member of the household's or another household's; the subject access pack
names who was shown them."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from casework.models import SensitiveCaseRead
from tenancy.models import Channel, Customer
from tests.dataprotection.factories import released

pytestmark = pytest.mark.django_db

ANSWER = "dataprotection:who_has_looked"
BANNER = "Confidential record."
NOTES = "Your contact and vulnerability notes"


def _open(client, staff, url: str) -> str:
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _answer(client, customer) -> str:
    client.force_login(customer.user)
    response = client.get(reverse(ANSWER))
    assert response.status_code == 200
    return response.content.decode()


def _reads_of(customer) -> list[int]:
    return list(
        SensitiveCaseRead.objects.filter(
            content_type=ContentType.objects.get_for_model(Customer), object_id=customer.pk
        ).values_list("user_id", flat=True)
    )


@pytest.fixture
def noted(tenant_a):
    tenant_a.vulnerability_notes = "Hearing impaired; partner may answer the phone."
    tenant_a.safe_contact_channel = Channel.EMAIL
    tenant_a.safe_contact_detail = "amina.safe@example.org"
    tenant_a.save()
    return tenant_a


def test_the_customers_admin_page_logs_the_read_of_their_notes(
    client, noted, joint_tenant_a, tenant_b, customer_services_officer
):
    page = _open(
        client, customer_services_officer, reverse("admin:tenancy_customer_change", args=[noted.pk])
    )
    assert BANNER in page
    assert "amina.safe@example.org" in page
    assert _reads_of(noted) == [customer_services_officer.pk]
    assert NOTES in _answer(client, noted)
    assert NOTES not in _answer(client, joint_tenant_a)
    assert NOTES not in _answer(client, tenant_b)


def test_a_customer_without_notes_is_opened_without_a_log_or_a_banner(
    client, tenant_a, customer_services_officer
):
    page = _open(
        client,
        customer_services_officer,
        reverse("admin:tenancy_customer_change", args=[tenant_a.pk]),
    )
    assert BANNER not in page
    assert not SensitiveCaseRead.objects.exists()
    assert NOTES not in _answer(client, tenant_a)


def test_the_household_picture_logs_a_read_for_each_person_whose_notes_it_shows(
    client, noted, joint_tenant_a, tenant_b, customer_services_officer
):
    page = _open(
        client, customer_services_officer, reverse("workspace:household", args=[noted.tenancy_id])
    )
    assert BANNER in page
    assert "Hearing impaired" in page
    assert _reads_of(noted) == [customer_services_officer.pk]
    # Sam's record holds no notes: nothing of his was read, and Amina's read is not his.
    assert _reads_of(joint_tenant_a) == []
    assert NOTES in _answer(client, noted)
    assert NOTES not in _answer(client, joint_tenant_a)


def test_a_household_without_notes_shows_no_banner(client, tenant_a, customer_services_officer):
    page = _open(
        client,
        customer_services_officer,
        reverse("workspace:household", args=[tenant_a.tenancy_id]),
    )
    assert BANNER not in page
    assert not SensitiveCaseRead.objects.exists()


def test_the_pack_names_who_was_shown_the_notes(
    client, noted, joint_tenant_a, customer_services_officer, officer
):
    _open(
        client, customer_services_officer, reverse("admin:tenancy_customer_change", args=[noted.pk])
    )
    data = _pack_data(released(noted, officer))
    assert "Who was shown your notes" in data
    assert customer_services_officer.get_full_name() in data
    assert "Who was shown your notes" not in _pack_data(released(joint_tenant_a, officer))


def _pack_data(request) -> str:
    with request.pack.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read())).read("data.json").decode()
