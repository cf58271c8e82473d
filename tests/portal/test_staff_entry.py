"""Every staff door asks the one staff check, authenticator included: staff who signed in with
a password alone reach no page, file, export, socket or admin page that shows other people's
records. The walks below cover every URL and WebSocket route, so a new door that forgets the
check fails here."""

from __future__ import annotations

import asyncio
import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test import RequestFactory
from django.urls import get_resolver, reverse

from casework.services import attachment_add
from enquiries.consumers import CLOSE_NOT_ALLOWED
from enquiries.routing import websocket_urlpatterns
from kernel.access import view_access
from kernel.roles import Role
from sla import calendar
from tests.enquiries.factories import WithSignedInSession, start_chat, submit_enquiry
from tests.factories import StaffFactory
from tests.url_walk import concrete_path, walk

ACTIVATE = reverse("mfa_activate_totp")
PDF = b"%PDF-1.4\n%%EOF\n"


def _staff_doors():
    """Every route that serves staff: staff-only views, views that also serve staff (the case
    file download) and the whole admin (exports and imports included)."""
    for route, view, namespaces in walk(get_resolver().url_patterns):
        access = view_access(view, namespaces) or ""
        if (
            access.startswith("staff:")
            or access == "customer-or-staff"
            or route.startswith("admin/")
        ):
            yield route


@pytest.fixture
def password_only_staff(db):
    """Staff holding every role who have not set up an authenticator app."""
    return StaffFactory(roles=list(Role), authenticator=False)


@pytest.fixture
def enquiry_with_a_file(db, tenant_a):
    enquiry = submit_enquiry(tenant_a)
    attachment = attachment_add(
        case=enquiry,
        uploaded_file=SimpleUploadedFile("tenancy.pdf", PDF, content_type="application/pdf"),
        uploaded_by=tenant_a.user,
    )
    return enquiry, attachment


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def test_the_walk_finds_the_staff_doors():
    doors = set(_staff_doors())
    assert "cases/<reference:reference>/files/<id:attachment_id>/" in doors
    assert "performance/export.csv" in doors
    assert "admin/" in doors


@pytest.mark.parametrize("method", ["get", "post"])
def test_every_staff_url_sends_password_only_staff_to_set_up_an_authenticator(
    client, password_only_staff, enquiry_with_a_file, method
):
    enquiry, attachment = enquiry_with_a_file
    values = {"reference": enquiry.reference, "attachment_id": str(attachment.pk)}
    client.force_login(password_only_staff)

    opened = {}
    for route in _staff_doors():
        response = getattr(client, method)(concrete_path(route, values))
        if response.status_code != 302 or response["Location"] != ACTIVATE:
            opened[route] = response.status_code

    assert opened == {}


def test_password_only_staff_cannot_download_a_tenants_file(
    client, password_only_staff, enquiry_with_a_file
):
    enquiry, attachment = enquiry_with_a_file
    url = reverse("casework:attachment_download", args=[enquiry.reference, attachment.pk])
    client.force_login(password_only_staff)

    refused = client.get(url)

    assert refused.status_code == 302
    assert refused["Location"] == ACTIVATE
    assert not refused.has_header("Content-Disposition")


def test_staff_with_an_authenticator_download_the_file(client, enquiry_with_a_file):
    enquiry, attachment = enquiry_with_a_file
    client.force_login(StaffFactory(roles=[Role.CUSTOMER_SERVICES]))

    response = client.get(
        reverse("casework:attachment_download", args=[enquiry.reference, attachment.pk])
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_the_admin_site_refuses_password_only_staff_itself(password_only_staff):
    from django.contrib import admin

    request = RequestFactory().get("/admin/")
    request.user = password_only_staff

    assert admin.site.has_permission(request) is False


def _run(coroutine_function):
    async def scenario_then_close_connections():
        try:
            return await coroutine_function()
        finally:
            await database_sync_to_async(connections.close_all)()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, scenario_then_close_connections()).result()


@pytest.mark.django_db(transaction=True)
def test_every_websocket_route_refuses_password_only_advisers(tenant_a, settings, time_machine):
    # Monday 2 March 2026, 10:00 in London: the web chat is open.
    time_machine.move_to(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), tick=False)
    calendar.reset_cache()
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    adviser = StaffFactory(roles=[Role.CUSTOMER_SERVICES, Role.MANAGER], authenticator=False)
    chat = start_chat(tenant_a)
    router = WithSignedInSession(URLRouter(websocket_urlpatterns))
    paths = [
        concrete_path(str(p.pattern), {"reference": chat.reference}) for p in websocket_urlpatterns
    ]

    async def scenario():
        answers = {}
        for path in paths:
            socket = WebsocketCommunicator(router, path)
            socket.scope["user"] = adviser
            answers[path] = await socket.connect()
            await socket.disconnect()
        return answers

    answers = _run(scenario)

    assert set(answers) == {"/ws/chat/queue/", f"/ws/chat/{chat.reference}/"}
    assert all(answer == (False, CLOSE_NOT_ALLOWED) for answer in answers.values())
