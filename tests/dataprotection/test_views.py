"""Every page of Your data: the owner allowed, another household (and the rest of one's own)
404, anonymous sent to sign in, staff without the role refused, a wrong method rejected; the
pack's download works once, for a limited time, for the person it was released to."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import CaseEvent
from dataprotection import services
from dataprotection.models import DataRequest, PackLink
from kernel.formatting import london_date
from kernel.roles import Role
from tests.dataprotection.factories import ask, gathered, released
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _detail(request):
    return reverse("dataprotection:request_detail", args=[request.reference])


def _download(client, request, token=None):
    link = token or request.links.get().token
    return client.post(
        reverse("dataprotection:pack_download", args=[request.reference]), {"token": link}
    )


# --- customer pages ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["your_data", "request_new", "who_has_looked"])
def test_customer_pages_open_for_a_customer_and_not_for_anyone_else(client, tenant_a, name):
    url = reverse(f"dataprotection:{name}")
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/account/login/" in anonymous.url
    client.force_login(tenant_a.user)
    assert client.get(url).status_code == 200
    assert client.put(url).status_code == 405
    client.force_login(StaffFactory(roles=[Role.DATA_PROTECTION]))
    assert client.get(url).status_code == 403


def test_your_data_lists_only_my_own_requests(client_a, tenant_a, joint_tenant_a, tenant_b):
    mine = ask(tenant_a)
    partners = ask(joint_tenant_a)
    theirs = ask(tenant_b)
    content = client_a.get(reverse("dataprotection:your_data")).content.decode()
    assert mine.reference in content
    assert partners.reference not in content
    assert theirs.reference not in content


def test_a_request_is_seen_by_the_person_who_made_it_and_nobody_else(
    client, tenant_a, joint_tenant_a, tenant_b
):
    request = ask(tenant_a, details="My partner must not see this.")
    assert client.get(_detail(request)).status_code == 302
    client.force_login(tenant_a.user)
    response = client.get(_detail(request))
    assert response.status_code == 200
    assert request.reference in response.content.decode()
    assert client.post(_detail(request)).status_code == 405
    for other in (joint_tenant_a, tenant_b):
        client.force_login(other.user)
        assert client.get(_detail(request)).status_code == 404
    # Not on the household's case list either.
    client.force_login(joint_tenant_a.user)
    assert request.reference not in client.get(reverse("casework:case_list")).content.decode()


def test_the_request_page_shows_the_due_date_of_the_running_clock(client_a, tenant_a):
    request = ask(tenant_a)
    deadline = request.deadlines.get()
    content = client_a.get(_detail(request)).content.decode()
    assert london_date(deadline.due_at) in content


def test_hostile_references_are_404_not_500(client_a):
    for bad in ("DPR-2026-%00", "9" * 40, "DPR-2026-000001"):
        assert client_a.get(f"/your-data/requests/{bad}/").status_code == 404


# --- the download --------------------------------------------------------------------------


@pytest.fixture
def released_to_a(tenant_a, officer):
    return released(tenant_a, officer)


def test_the_pack_downloads_once_for_the_person(client_a, released_to_a):
    response = _download(client_a, released_to_a)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert PackLink.objects.get().used_at is not None
    again = _download(client_a, released_to_a)
    assert again.status_code == 410
    assert (
        CaseEvent.objects.filter(
            object_id=released_to_a.pk, note="The pack was downloaded."
        ).count()
        == 1
    )


def test_an_expired_link_does_not_work(client_a, tenant_a, released_to_a, time_machine):
    time_machine.move_to(timezone.now() + dt.timedelta(days=15), tick=False)
    client_a.force_login(tenant_a.user)  # the session from before has ended too
    assert _download(client_a, released_to_a).status_code == 410
    assert PackLink.objects.get().used_at is None


def test_a_wrong_token_does_not_work_and_spends_nothing(client_a, released_to_a):
    assert _download(client_a, released_to_a, token="guess").status_code == 410
    assert PackLink.objects.get().used_at is None


def test_nobody_else_can_download_the_pack(client, released_to_a, joint_tenant_a, tenant_b):
    anonymous = _download(client, released_to_a)
    assert anonymous.status_code == 302
    for other in (joint_tenant_a, tenant_b):
        client.force_login(other.user)
        assert _download(client, released_to_a).status_code == 404
    client.force_login(StaffFactory(roles=[Role.DATA_PROTECTION]))
    assert _download(client, released_to_a).status_code == 403
    assert PackLink.objects.get().used_at is None


def test_the_download_is_a_post_so_a_fetched_link_spends_nothing(client_a, released_to_a):
    url = reverse("dataprotection:pack_download", args=[released_to_a.reference])
    assert client_a.get(url).status_code == 405
    assert PackLink.objects.get().used_at is None


def test_a_recorded_representative_can_download_it(client, tenant_a, tenant_b, officer):
    request = gathered(tenant_a, officer)
    services.representative_record(
        request=request, actor=officer, representative=tenant_b, authority="Signed form seen."
    )
    services.pack_release(request=DataRequest.objects.get(pk=request.pk), actor=officer)
    request = DataRequest.objects.get(pk=request.pk)
    client.force_login(tenant_b.user)
    assert request.reference in client.get(reverse("dataprotection:your_data")).content.decode()
    page = client.get(reverse("dataprotection:released_detail", args=[request.reference]))
    assert page.status_code == 200
    assert _download(client, request).status_code == 200


def test_a_new_link_stops_the_old_one(client_a, released_to_a, officer):
    old = released_to_a.links.get()
    new = services.pack_link_issue(request=released_to_a, actor=officer)
    assert _download(client_a, released_to_a, token=old.token).status_code == 410
    assert _download(client_a, released_to_a, token=new.token).status_code == 200


# --- the officer's pages -------------------------------------------------------------------


def test_the_review_page_is_for_the_data_protection_team_only(client, tenant_a, officer):
    request = gathered(tenant_a, officer)
    url = reverse("dataprotection:staff_review", args=[request.reference])
    assert client.get(url).status_code == 302
    client.force_login(officer)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 405
    for role in (Role.COMPLAINTS, Role.CUSTOMER_SERVICES, Role.MANAGER):
        client.force_login(StaffFactory(roles=[role]))
        assert client.get(url).status_code == 403
    client.force_login(tenant_a.user)
    assert client.get(url).status_code == 403
    client.force_login(StaffFactory(roles=[Role.DATA_PROTECTION], authenticator=False))
    assert client.get(url).status_code == 302


def test_a_request_not_yet_gathered_has_no_review_page(client, tenant_a, officer):
    request = ask(tenant_a)
    client.force_login(officer)
    url = reverse("dataprotection:staff_review", args=[request.reference])
    assert client.get(url).status_code == 404


def test_steps_are_refused_to_staff_without_the_role_and_nothing_is_written(
    client, tenant_a, officer
):
    request = ask(tenant_a)
    url = reverse("admin:dataprotection_datarequest_step", args=[request.pk, "identity_confirm"])
    client.force_login(StaffFactory(roles=[Role.COMPLAINTS]))
    before = CaseEvent.objects.count()
    response = client.post(url, {"how": "Looked at it."})
    assert response.status_code in (403, 404)
    assert CaseEvent.objects.count() == before
    assert DataRequest.objects.get(pk=request.pk).identity_confirmed_at is None


def test_the_officer_takes_a_step_through_the_admin(client, tenant_a, officer):
    request = ask(tenant_a)
    client.force_login(officer)
    change = client.get(reverse("admin:dataprotection_datarequest_change", args=[request.pk]))
    assert change.status_code == 200
    url = reverse("admin:dataprotection_datarequest_step", args=[request.pk, "identity_confirm"])
    response = client.post(url, {"how": "Signed in with a confirmed email."})
    assert response.status_code == 302
    assert DataRequest.objects.get(pk=request.pk).identity_confirmed_at is not None


def test_the_team_logs_a_request_made_by_letter_and_its_clock_starts(client, tenant_a, officer):
    client.force_login(officer)
    search = client.get(reverse("admin:dataprotection_datarequest_log"), {"q": "Khan"})
    assert search.status_code == 200
    assert tenant_a.full_name in search.content.decode()
    url = reverse("admin:dataprotection_datarequest_log_for", args=[tenant_a.pk])
    response = client.post(
        url, {"kind": "subject_access", "received_by": "letter", "details": "Letter of 1 June."}
    )
    assert response.status_code == 302
    made = DataRequest.objects.get()
    assert (made.customer, made.received_by) == (tenant_a, "letter")
    assert made.deadlines.get().commitment.code == "dp.subject_access"
    assert CaseEvent.objects.filter(object_id=made.pk, actor=officer).exists()


def test_only_the_team_logs_requests(client, tenant_a):
    client.force_login(StaffFactory(roles=[Role.REPAIRS]))
    url = reverse("admin:dataprotection_datarequest_log_for", args=[tenant_a.pk])
    response = client.post(url, {"kind": "correction", "received_by": "phone", "details": "x"})
    assert response.status_code == 403
    assert not DataRequest.objects.exists()


def test_your_data_page_reads_a_fixed_number_of_queries(
    client_a, tenant_a, django_assert_max_num_queries
):
    for _ in range(5):
        ask(tenant_a)
    client_a.get(reverse("dataprotection:your_data"))  # warm the session and caches
    with django_assert_max_num_queries(9):
        response = client_a.get(reverse("dataprotection:your_data"))
    assert response.status_code == 200
