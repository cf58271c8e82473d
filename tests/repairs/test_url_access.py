"""Every URL of the repairs app: the owner gets in, another household gets 404 (the same as a
repair that does not exist), an anonymous visitor is sent to sign in, staff get 403 (they work
in the admin), and a wrong method gets 405."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from repairs import services
from repairs.models import DraftPhoto
from repairs.urls import urlpatterns
from tests.repairs.conftest import report
from tests.repairs.photos import jpeg_bytes

pytestmark = pytest.mark.usefixtures("frozen", "repairs_team")


@pytest.fixture
def world(tenant_a, repairs_officer, carpentry_slot):
    booked = report(tenant_a, slot=carpentry_slot)
    completed = report(tenant_a, "bathroom.leak")
    services.repair_record_completed(repair=completed, actor=repairs_officer, first_time_fix=True)
    photo = services.draft_photo_add(
        customer=tenant_a,
        draft=uuid.uuid4(),
        uploaded_file=SimpleUploadedFile("a.jpg", jpeg_bytes()),
    )
    return {"booked": booked, "completed": completed, "photo": photo}


def _url(name: str, world) -> str:
    by_repair = {
        "detail": "booked",
        "book": "booked",
        "appointment_cancel": "booked",
        "add_photo": "booked",
        "report_sent": "booked",
        "not_fixed": "completed",
        "feedback": "completed",
    }
    if name in by_repair:
        return reverse(f"repairs:{name}", args=[world[by_repair[name]].reference])
    if name == "report_photo_remove":
        return reverse("repairs:report_photo_remove", args=[world["photo"].pk])
    return reverse(f"repairs:{name}")


CUSTOMER_PAGES = sorted(p.name for p in urlpatterns if p.name != "measures")
HOUSEHOLD_SCOPED = [
    "detail",
    "book",
    "appointment_cancel",
    "add_photo",
    "report_sent",
    "not_fixed",
    "feedback",
    "report_photo_remove",
]
POST_ONLY = {"report_photo_remove"}
GET_ONLY = {"list", "planned_works", "detail", "report_gas", "report_advice", "report_sent"}


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_repairs_url_is_in_this_test():
    assert {p.name for p in urlpatterns} == set(CUSTOMER_PAGES) | {"measures"}


@pytest.mark.parametrize("name", CUSTOMER_PAGES)
def test_anonymous_visitor_is_sent_to_sign_in(client, world, name):
    method = client.post if name in POST_ONLY else client.get

    response = method(_url(name, world))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", CUSTOMER_PAGES)
def test_staff_are_refused(world, repairs_officer, name):
    client = _signed_in(repairs_officer)
    method = client.post if name in POST_ONLY else client.get

    assert method(_url(name, world)).status_code == 403


@pytest.mark.parametrize("name", HOUSEHOLD_SCOPED)
def test_another_household_gets_404(world, tenant_b, name):
    client = _signed_in(tenant_b.user)
    method = client.post if name in POST_ONLY else client.get

    assert method(_url(name, world)).status_code == 404
    assert DraftPhoto.objects.filter(pk=world["photo"].pk).exists()


@pytest.mark.parametrize("name", [n for n in HOUSEHOLD_SCOPED if n != "report_photo_remove"])
def test_the_owner_sees_the_page(client_a, world, name):
    assert client_a.get(_url(name, world)).status_code == 200


def test_a_joint_tenant_sees_the_households_repairs(world, joint_tenant_a):
    client = _signed_in(joint_tenant_a.user)

    assert client.get(_url("detail", world)).status_code == 200


def test_an_unknown_reference_is_404_like_another_households(client_a, world):
    assert client_a.get(reverse("repairs:detail", args=["REP-2026-999999"])).status_code == 404


@pytest.mark.parametrize("name", CUSTOMER_PAGES)
def test_wrong_method_is_rejected(client_a, world, name):
    url = _url(name, world)
    if name in POST_ONLY:
        response = client_a.get(url)
    elif name in GET_ONLY:
        response = client_a.post(url)
    else:
        response = client_a.delete(url)

    assert response.status_code == 405


def test_measures_are_for_managers_only(client, world, manager, repairs_officer, tenant_a):
    url = reverse("repairs:measures")

    assert client.get(url).status_code == 302
    assert _signed_in(tenant_a.user).get(url).status_code == 403
    assert _signed_in(repairs_officer).get(url).status_code == 403
    assert _signed_in(manager).post(url).status_code == 405
    assert _signed_in(manager).get(url).status_code == 200


def test_another_households_photo_download_is_404(world, tenant_b, tenant_a):
    from casework.models import Attachment

    repair = report(tenant_a, draft=None)
    services_photo = SimpleUploadedFile("b.jpg", jpeg_bytes())
    from casework.services import attachment_add

    attachment: Attachment = attachment_add(
        case=repair, uploaded_file=services_photo, uploaded_by=tenant_a.user
    )
    url = reverse("casework:attachment_download", args=[repair.reference, attachment.pk])

    assert _signed_in(tenant_b.user).get(url).status_code == 404
    assert _signed_in(tenant_a.user).get(url).status_code == 200
