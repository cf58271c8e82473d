"""Who may read an enquiry's files is who may read the enquiry: customer services and managers
every one, a specialist team only those referred to it. The enquiry's admin page, the queue and the
file download give the same answer."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework.models import Attachment, Team
from casework.services import attachment_add
from enquiries import services
from kernel.roles import Role
from tests.enquiries.factories import submit_enquiry
from tests.factories import StaffFactory

PDF = b"%PDF-1.4\n%%EOF\n"
SPECIALISTS = [Role.REPAIRS, Role.COMPLAINTS, Role.ASB, Role.LETTINGS, Role.INCOME]


@pytest.fixture
def enquiry_with_a_file(tenant_a, monday) -> tuple:
    enquiry = submit_enquiry(tenant_a)
    attachment = attachment_add(
        case=enquiry,
        uploaded_file=SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf"),
        uploaded_by=tenant_a.user,
    )
    return enquiry, attachment


def _answers(client, role, enquiry, attachment: Attachment) -> dict[str, int]:
    client.force_login(StaffFactory(roles=[role]))
    page = client.get(reverse("admin:enquiries_enquiry_change", args=[enquiry.pk]))
    download = client.get(
        reverse("casework:attachment_download", args=[enquiry.reference, attachment.pk])
    )
    admin_list = client.get(reverse("admin:enquiries_enquiry_changelist"))
    listed = admin_list.status_code == 200 and any(
        row.pk == enquiry.pk for row in admin_list.context["cl"].result_list
    )
    return {"page": page.status_code == 200, "file": download.status_code, "admin": listed}


@pytest.mark.parametrize("role", SPECIALISTS)
def test_a_specialist_gets_404_for_the_files_of_an_enquiry_not_referred_to_them(
    client, enquiry_with_a_file, role
):
    enquiry, attachment = enquiry_with_a_file

    assert _answers(client, role, enquiry, attachment) == {
        "page": False,
        "file": 404,
        "admin": False,
    }


def test_the_team_an_enquiry_is_referred_to_reads_it_and_its_files(
    client, enquiry_with_a_file, adviser
):
    enquiry, attachment = enquiry_with_a_file
    services.enquiry_refer(enquiry=enquiry, team=Team.objects.get(name="Income"), actor=adviser)

    assert _answers(client, Role.INCOME, enquiry, attachment) == {
        "page": True,
        "file": 200,
        "admin": True,
    }
    assert _answers(client, Role.LETTINGS, enquiry, attachment)["file"] == 404


@pytest.mark.parametrize("role", [Role.CUSTOMER_SERVICES, Role.MANAGER])
def test_customer_services_and_managers_read_every_enquiry_and_its_files(
    client, enquiry_with_a_file, role
):
    enquiry, attachment = enquiry_with_a_file

    assert _answers(client, role, enquiry, attachment) == {
        "page": True,
        "file": 200,
        "admin": True,
    }


def test_a_specialist_team_still_finds_its_referred_queue_in_the_admin(client, db, monday):
    client.force_login(StaffFactory(roles=[Role.REPAIRS]))

    index = client.get(reverse("admin:index"))

    assert reverse("admin:enquiries_enquiry_changelist") in index.content.decode()
