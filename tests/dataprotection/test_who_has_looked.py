"""Confidentiality you can check: every staff read of a person's sensitive case is logged, the
person can see when and by which team, the pack names the reader, and staff see a banner
saying so on the record itself."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casework import access
from casework.models import SensitiveCaseRead
from enquiries.models import Enquiry, EnquiryStatus
from kernel.roles import Role
from tests.dataprotection.factories import released
from tests.enquiries.factories import submit_enquiry

pytestmark = pytest.mark.django_db


@pytest.fixture
def enquiries_are_sensitive(monkeypatch):
    """Enquiry registered as a sensitive case model (as domestic-abuse reports will be): the
    ASB team only, every read logged. Restored after the test."""
    monkeypatch.setattr(access, "_registry", dict(access._registry))
    access.register_case_model(
        Enquiry, staff_roles={Role.ASB}, statuses=EnquiryStatus, sensitive=True
    )


def test_a_staff_read_of_a_sensitive_case_shows_on_the_persons_page(
    client, tenant_a, asb_officer, enquiries_are_sensitive
):
    report = submit_enquiry(tenant_a, subject="My partner threatened me")
    client.force_login(asb_officer)
    page = client.get(reverse("admin:enquiries_enquiry_change", args=[report.pk]))
    assert page.status_code == 200
    assert "Confidential record." in page.content.decode()
    assert SensitiveCaseRead.objects.filter(user=asb_officer, object_id=report.pk).count() == 1
    client.force_login(tenant_a.user)
    content = client.get(reverse("dataprotection:who_has_looked")).content.decode()
    assert report.reference in content
    assert "A member of our ASB team" in content
    # The officer's name is for the subject access pack, where the officer decides.
    assert asb_officer.get_full_name() not in content


def test_another_household_sees_nothing_of_those_reads(
    client, tenant_a, tenant_b, asb_officer, enquiries_are_sensitive
):
    report = submit_enquiry(tenant_a, subject="Hate crime on the stairs")
    access.log_sensitive_read(user=asb_officer, case=report, path="/admin/")
    client.force_login(tenant_b.user)
    content = client.get(reverse("dataprotection:who_has_looked")).content.decode()
    assert report.reference not in content
    assert "You have no confidential records with us." in content


def test_the_pack_names_who_read_the_sensitive_case(
    tenant_a, asb_officer, officer, enquiries_are_sensitive
):
    report = submit_enquiry(tenant_a, subject="Hate crime on the stairs")
    access.log_sensitive_read(user=asb_officer, case=report, path="/admin/")
    pack = released(tenant_a, officer)
    with pack.pack.open("rb") as handle:
        import io
        import zipfile

        data = zipfile.ZipFile(io.BytesIO(handle.read())).read("data.json").decode()
    assert "Who opened your case" in data
    assert asb_officer.get_full_name() in data


def test_no_banner_on_an_ordinary_case(client, tenant_a, customer_services_officer):
    enquiry = submit_enquiry(tenant_a)
    client.force_login(customer_services_officer)
    page = client.get(reverse("admin:enquiries_enquiry_change", args=[enquiry.pk]))
    assert page.status_code == 200
    assert "Confidential record." not in page.content.decode()
