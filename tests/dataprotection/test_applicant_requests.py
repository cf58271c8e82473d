"""A person who has never been a tenant (an applicant, no household: docs/decisions/0030) has the
right of access as any tenant does: they ask online, staff work the request and release the
pack, and they download it; it holds their applications and nothing of anyone else's."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.urls import reverse

from casework.models import CaseEvent
from dataprotection import services
from dataprotection.models import DataRequest, PackLink, RequestStatus
from tests.dataprotection.factories import fresh
from tests.lettings import factories as lettings
from tests.lettings.test_applicant_without_household import make_applicant

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant():
    return make_applicant("Robin", "robin@example.org")


@pytest.fixture
def other_applicant():
    return make_applicant("Sasha", "sasha@example.org")


@pytest.fixture
def advert(time_machine):
    officer = lettings.lettings_officer()
    return lettings.advert_for(lettings.sign_off(lettings.empty_home(), officer))


def _ask_online(client, applicant, kind="subject_access") -> DataRequest:
    client.force_login(applicant.user)
    response = client.post(
        reverse("dataprotection:request_new"),
        {"kind": kind, "details": "Everything you hold about me, please."},
    )
    assert response.status_code == 302
    return DataRequest.objects.get(customer=applicant, kind=kind)


def _gather_and_release(request: DataRequest, officer) -> DataRequest:
    services.identity_confirm(request=request, actor=officer, how="Signed in, email confirmed.")
    services.gathering_start(request=fresh(request), actor=officer)
    # The worker's call, made here: the test's transaction never commits to queue it.
    services.pack_gather(request_id=request.pk)
    services.pack_release(request=fresh(request), actor=officer)
    return fresh(request)


def _download(client, request):
    return client.post(
        reverse("dataprotection:pack_download", args=[request.reference]),
        {"token": request.links.get().token},
    )


def test_an_applicant_asks_for_their_data_and_downloads_a_pack_of_their_own_records(
    client, applicant, other_applicant, tenant_a, advert, officer
):
    mine = lettings.interest(applicant, advert)
    theirs = lettings.interest(other_applicant, advert)
    tenants = lettings.interest(tenant_a, advert)

    client.force_login(applicant.user)
    assert (
        reverse("dataprotection:your_data")
        in client.get(reverse("tenancy:your_details")).content.decode()
    )
    page = client.get(reverse("dataprotection:your_data"))
    assert page.status_code == 200
    # The reads of a household's confidential records are a household's page: not offered.
    assert reverse("dataprotection:who_has_looked") not in page.content.decode()
    assert client.get(reverse("dataprotection:request_new")).status_code == 200

    request = _ask_online(client, applicant)
    assert (request.tenancy_id, request.property_id) == (None, None)
    assert request.status == RequestStatus.RECEIVED
    assert request.deadlines.get().commitment.code == "dp.subject_access"
    detail = client.get(reverse("dataprotection:request_detail", args=[request.reference]))
    assert detail.status_code == 200

    # Staff work it: the admin page, a step, the review page and the queue all open.
    client.force_login(officer)
    change = reverse("admin:dataprotection_datarequest_change", args=[request.pk])
    assert client.get(change).status_code == 200
    assert client.get(reverse("admin:dataprotection_datarequest_changelist")).status_code == 200
    step = reverse("admin:dataprotection_datarequest_step", args=[request.pk, "identity_confirm"])
    assert client.post(step, {"how": "Signed in with a confirmed email."}).status_code == 302
    services.gathering_start(request=fresh(request), actor=officer)
    services.pack_gather(request_id=request.pk)
    review = client.get(reverse("dataprotection:staff_review", args=[request.reference]))
    assert review.status_code == 200
    assert mine.reference in review.content.decode()
    assert client.get(change).status_code == 200
    services.pack_release(request=fresh(request), actor=officer)
    request = fresh(request)
    assert request.status == RequestStatus.RELEASED

    client.force_login(applicant.user)
    assert (
        client.get(reverse("dataprotection:released_detail", args=[request.reference])).status_code
        == 200
    )
    response = _download(client, request)
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = archive.read("data.json").decode()
    assert mine.reference in data
    assert applicant.full_name in data
    for someone_else in (theirs.reference, tenants.reference, other_applicant.first_name):
        assert someone_else not in data
    assert tenant_a.full_name not in data
    keys = [record["key"] for part in json.loads(data)["parts"] for record in part["records"]]
    assert not any(key.startswith(("tenancy.Tenancy:", "tenancy.Property:")) for key in keys)


@pytest.mark.parametrize("kind", ["correction", "erasure", "complaint"])
def test_an_applicant_makes_the_other_requests_online(client, applicant, kind):
    request = _ask_online(client, applicant, kind)
    assert request.tenancy_id is None
    page = client.get(reverse("dataprotection:request_detail", args=[request.reference]))
    assert page.status_code == 200


def test_another_applicant_cannot_see_or_download_the_pack(
    client, applicant, other_applicant, officer
):
    request = _gather_and_release(_ask_online(client, applicant), officer)
    client.force_login(other_applicant.user)
    for name in ("request_detail", "released_detail"):
        url = reverse(f"dataprotection:{name}", args=[request.reference])
        assert client.get(url).status_code == 404
    assert _download(client, request).status_code == 404
    assert PackLink.objects.get().used_at is None
    assert not CaseEvent.objects.filter(object_id=request.pk, note__contains="downloaded").exists()
    assert request.reference not in client.get(reverse("dataprotection:your_data")).content.decode()


def test_a_refused_request_from_an_applicant_writes_nothing(client, applicant):
    client.force_login(applicant.user)
    response = client.post(
        reverse("dataprotection:request_new"), {"kind": "everything", "details": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not DataRequest.objects.exists()
    assert not CaseEvent.objects.exists()


def test_a_spent_link_downloads_nothing_more_for_an_applicant(client, applicant, officer):
    request = _gather_and_release(_ask_online(client, applicant), officer)
    assert _download(client, request).status_code == 200
    assert _download(client, request).status_code == 410
    assert (
        CaseEvent.objects.filter(object_id=request.pk, note="The pack was downloaded.").count() == 1
    )
