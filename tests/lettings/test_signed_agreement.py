"""The move-in pack's tenancy agreement is the signed PDF: staff upload it at or after the
sign-up (a PDF through the kernel's upload checks, kept privately); only the new household
downloads it; until then the pack says the signed copy is not there yet."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from casework.models import CaseEvent, EventKind
from kernel.roles import Role
from lettings import services
from lettings.models import SettlingIn
from tests.factories import CustomerWithLoginFactory, StaffFactory
from tests.safety.factories import CLEAN_PDF, pdf_with_script

SIGNED = CLEAN_PDF.replace(b"%%EOF", b"% signed by both sides\n%%EOF")


@pytest.fixture
def storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


@pytest.fixture
def settled(accepted, officer, storage):
    return services.application_sign_up(
        application=accepted, actor=officer, tenancy_start_date=timezone.localdate()
    )


def _upload(client, settling_in, content: bytes, name: str = "agreement.pdf"):
    return client.post(
        reverse("lettings:staff_signed_agreement", args=[settling_in.pk]),
        {"agreement": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


def _notes(settling_in) -> list[str]:
    return list(
        CaseEvent.objects.filter(object_id=settling_in.pk, kind=EventKind.NOTE).values_list(
            "note", flat=True
        )
    )


def test_until_it_is_uploaded_the_pack_says_the_signed_copy_is_not_there_yet(
    client, settled, tenant_a
):
    client.force_login(tenant_a.user)
    page = client.get(reverse("lettings:move_in")).content.decode()
    assert "Your signed tenancy agreement is not here yet" in page
    assert reverse("lettings:move_in_agreement") not in page
    assert client.get(reverse("lettings:move_in_agreement")).status_code == 404
    # The generated copy is offered only as a draft, and says so on the page and in the PDF.
    assert "Download a draft of your tenancy agreement (PDF, unsigned)" in page
    draft = client.get(reverse("lettings:move_in_agreement_draft"))
    assert "draft-unsigned" in draft["Content-Disposition"]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(draft.content)).pages)
    assert "DRAFT: NOT SIGNED" in text
    assert settled.tenancy.reference in text


def test_staff_upload_the_signed_pdf_and_only_the_new_household_downloads_it(
    client, settled, tenant_a, tenant_b, officer, storage
):
    client.force_login(officer)
    response = _upload(client, settled, SIGNED, name="Khan agreement.pdf")
    assert response.status_code == 302
    settled.refresh_from_db()
    assert settled.signed_agreement_name == "Khan agreement.pdf"
    assert settled.signed_agreement_by == officer
    # Kept under a random name, not the uploader's, and never under a public URL.
    assert "Khan" not in settled.signed_agreement.name
    assert _notes(settled) == ["Your signed tenancy agreement is in your move-in pack"]

    client.force_login(tenant_a.user)  # the login moved to the new household's record
    page = client.get(reverse("lettings:move_in")).content.decode()
    assert "Download your signed tenancy agreement" in page
    assert "not here yet" not in page
    download = client.get(reverse("lettings:move_in_agreement"))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == SIGNED

    # Another household, and a member of the new household, are answered by their own record.
    client.force_login(tenant_b.user)
    assert client.get(reverse("lettings:move_in_agreement")).status_code == 404
    joint = CustomerWithLoginFactory(tenancy=settled.tenancy, household_role="joint_tenant")
    client.force_login(joint.user)
    assert b"".join(client.get(reverse("lettings:move_in_agreement")).streaming_content) == SIGNED


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Not a PDF at all, just a note", "The selected file must be a PDF"),
        (b"\x89PNG\r\n\x1a\n" + b"0" * 64, "The selected file must be a PDF"),
        (pdf_with_script(), "print it to PDF"),
        (b"%PDF-1.4\n1 0 obj << >> endobj\n", "PDF"),
    ],
)
def test_a_file_that_is_not_a_whole_plain_pdf_is_refused_with_nothing_written(
    client, settled, officer, storage, content, message
):
    client.force_login(officer)
    response = _upload(client, settled, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    settled.refresh_from_db()
    assert not settled.has_signed_agreement
    assert settled.signed_agreement_at is None
    assert _notes(settled) == []
    assert [p for p in storage.rglob("*") if p.is_file()] == []


def test_a_second_upload_replaces_the_first_and_says_so(client, settled, officer, tenant_a):
    client.force_login(officer)
    _upload(client, settled, CLEAN_PDF)
    _upload(client, settled, SIGNED)
    client.force_login(tenant_a.user)
    assert b"".join(client.get(reverse("lettings:move_in_agreement")).streaming_content) == SIGNED
    assert _notes(SettlingIn.objects.get(pk=settled.pk))[-1].startswith("A clearer copy")


def test_only_the_lettings_team_uploads_or_downloads_it_from_the_staff_side(
    client, settled, tenant_a
):
    url = reverse("lettings:staff_signed_agreement", args=[settled.pk])
    client.force_login(StaffFactory(roles=[Role.REPAIRS]))
    assert client.get(url).status_code == 403
    assert _upload(client, settled, SIGNED).status_code == 403
    client.force_login(tenant_a.user)
    assert _upload(client, settled, SIGNED).status_code == 403
    settled.refresh_from_db()
    assert not settled.has_signed_agreement
    client.force_login(StaffFactory(roles=[Role.LETTINGS]))
    assert client.get(url).status_code == 200
    assert client.get(reverse("lettings:staff_signed_agreement", args=[999_999])).status_code == 404
    download = reverse("lettings:staff_signed_agreement_download", args=[settled.pk])
    assert client.get(download).status_code == 404
