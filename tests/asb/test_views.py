"""The reporter's pages: who may see each, and what each does. Only the reporter sees a case,
never the rest of their household; a report made without signing in opens nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from asb.models import AnonymousReport, AsbCase, AsbKind, AsbStatus, CloseReason, DiaryEntry, Risk
from asb.services import asb_acknowledge, asb_close, close_answer, close_ask
from casework.models import Attachment, SensitiveCaseRead
from tests.asb.factories import report

pytestmark = pytest.mark.usefixtures("frozen", "team")


@pytest.fixture
def cases(tenant_a, asb_officer):
    received = report(tenant_a, AsbKind.DOMESTIC_ABUSE)
    closing = report(tenant_a)
    asb_acknowledge(case=closing, actor=asb_officer, contacted_by="phone", risk=Risk.STANDARD)
    close_ask(case=closing, actor=asb_officer)
    closed = report(tenant_a)
    asb_acknowledge(case=closed, actor=asb_officer, contacted_by="phone", risk=Risk.STANDARD)
    close_ask(case=closed, actor=asb_officer)
    close_answer(case=closed, agrees=True)
    asb_close(case=closed, actor=asb_officer, reason=CloseReason.RESOLVED)
    return {"received": received, "closing": closing, "closed": closed}


def _urls(cases) -> list[tuple[str, str, set[str]]]:
    received, closing, closed = cases["received"], cases["closing"], cases["closed"]
    return [
        (reverse("asb:list"), "get", {"get"}),
        (reverse("asb:new"), "get", {"get", "post"}),
        (reverse("asb:detail", args=[received.reference]), "get", {"get"}),
        (reverse("asb:diary", args=[received.reference]), "get", {"get", "post"}),
        (reverse("asb:close", args=[closing.reference]), "get", {"get", "post"}),
        (reverse("asb:satisfaction", args=[closed.reference]), "get", {"get", "post"}),
    ]


def test_the_reporter_sees_every_page(client, tenant_a, cases):
    client.force_login(tenant_a.user)
    for url, method, _ in _urls(cases):
        assert getattr(client, method)(url).status_code == 200, url


def test_another_household_gets_404_for_every_case_page(client, tenant_b, cases):
    client.force_login(tenant_b.user)
    for url, method, _ in _urls(cases)[2:]:
        assert getattr(client, method)(url).status_code == 404, url


def test_the_reporters_own_household_gets_404_too(client, joint_tenant_a, cases):
    client.force_login(joint_tenant_a.user)
    for url, method, _ in _urls(cases)[2:]:
        assert getattr(client, method)(url).status_code == 404, url
    listing = client.get(reverse("asb:list"))
    assert cases["received"].reference not in listing.content.decode()
    your_cases = client.get(reverse("casework:case_list")).content.decode()
    assert cases["received"].reference not in your_cases


def test_anonymous_visitors_are_sent_to_sign_in(client, cases):
    for url, method, _ in _urls(cases):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url


def test_staff_are_refused_the_customer_pages(client, asb_officer, cases):
    client.force_login(asb_officer)
    for url, method, _ in _urls(cases):
        assert getattr(client, method)(url).status_code == 403, url


def test_a_wrong_method_is_rejected(client, tenant_a, cases):
    client.force_login(tenant_a.user)
    for url, _, methods in _urls(cases):
        wrong = "post" if "post" not in methods else "put"
        assert getattr(client, wrong)(url).status_code == 405, url


def test_every_page_of_the_journey_has_the_quick_exit_and_is_not_cached(client, tenant_a, cases):
    public_pages = [reverse("asb:start"), reverse("asb:anonymous"), reverse("asb:anonymous_sent")]
    for url in public_pages:
        response = client.get(url)
        assert b"Leave this site" in response.content, url
        assert b"asb/quick-exit" in response.content, url
        assert "no-store" in response["Cache-Control"], url
    client.force_login(tenant_a.user)
    for url, method, _ in _urls(cases):
        response = getattr(client, method)(url)
        assert b"Leave this site" in response.content, url
        assert "no-store" in response["Cache-Control"], url


def test_danger_and_helplines_come_before_the_form(client):
    page = client.get(reverse("asb:start")).content.decode()
    assert page.index("call 999") < page.index("Report without signing in")
    assert "0808 2000 247" in page


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="PNG")
    return buffer.getvalue()


def _report_data(**overrides):
    data = {
        "kind": "asb",
        "category": "noise",
        "place": "block",
        "details": "Drilling at 3am every night",
        "safe_ways": ["portal"],
        "safe_phone": "",
        "may_leave_message": "no",
        "started_on_0": "",
        "started_on_1": "",
        "started_on_2": "",
    }
    data.update(overrides)
    return data


def test_a_customer_reports_and_lands_on_their_case(client_a, tenant_a):
    photo = SimpleUploadedFile("p.png", _png(), content_type="image/png")
    response = client_a.post(reverse("asb:new"), _report_data(evidence=photo))
    case = AsbCase.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("asb:detail", args=[case.reference])
    assert (case.customer, case.kind, case.may_use_portal, case.may_text) == (
        tenant_a,
        AsbKind.ASB,
        True,
        False,
    )
    assert Attachment.objects.filter(object_id=case.pk).count() == 1
    page = client_a.get(response.url).content.decode()
    assert "Next step due" in page


def test_pressing_send_twice_makes_one_report(client_a):
    form = client_a.get(reverse("asb:new")).context["form"]
    key = str(form.initial["idempotency_key"])
    client_a.post(reverse("asb:new"), _report_data(idempotency_key=key))
    client_a.post(reverse("asb:new"), _report_data(idempotency_key=key))
    assert AsbCase.objects.count() == 1


def test_a_report_with_mistakes_is_shown_again_with_the_error_summary(client_a):
    response = client_a.post(
        reverse("asb:new"), _report_data(category="", details="", safe_ways=["text"])
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Select what kind of anti-social behaviour it is" in page
    assert "Enter what happened" in page
    assert "Enter the safe number we may text" in page
    assert not AsbCase.objects.exists()


def test_a_file_that_is_not_a_photo_or_pdf_is_refused_and_nothing_is_written(client_a):
    bad = SimpleUploadedFile("x.exe", b"MZ\x90\x00 not a photo", content_type="image/png")
    response = client_a.post(reverse("asb:new"), _report_data(evidence=bad))
    assert response.status_code == 200
    assert "must be a JPG, PNG, PDF or a sound or video recording" in response.content.decode()
    assert not AsbCase.objects.exists()
    assert not Attachment.objects.exists()


def test_the_other_partys_address_is_never_shown_back(client_a, tenant_a, cases):
    page = client_a.get(reverse("asb:detail", args=[cases["received"].reference]))
    assert "Flat 9" not in page.content.decode()


def test_the_reporter_adds_a_diary_entry(client_a, cases):
    case = cases["received"]
    response = client_a.post(
        reverse("asb:diary", args=[case.reference]),
        {
            "happened_on_0": "30",
            "happened_on_1": "5",
            "happened_on_2": "2026",
            "what_happened": "Banging on my door",
        },
    )
    assert response.status_code == 302
    entry = DiaryEntry.objects.get()
    assert (entry.case, entry.happened_on) == (case, dt.date(2026, 5, 30))


def test_a_diary_entry_in_the_future_is_refused(client_a, cases):
    response = client_a.post(
        reverse("asb:diary", args=[cases["received"].reference]),
        {"happened_on_0": "1", "happened_on_1": "1", "happened_on_2": "2030", "what_happened": "x"},
    )
    assert response.status_code == 200
    assert not DiaryEntry.objects.exists()


def test_the_reporter_answers_whether_we_may_close(client_a, cases):
    case = cases["closing"]
    client_a.post(reverse("asb:close", args=[case.reference]), {"agrees": "no", "reason": "Again"})
    case.refresh_from_db()
    assert case.status == AsbStatus.INVESTIGATING
    assert case.close_consent is False


def test_the_reporter_says_how_satisfied_they_were(client_a, cases):
    case = cases["closed"]
    client_a.post(reverse("asb:satisfaction", args=[case.reference]), {"answer": "very_satisfied"})
    case.refresh_from_db()
    assert case.satisfaction == "very_satisfied"
    assert client_a.get(reverse("asb:satisfaction", args=[case.reference])).status_code == 404


def test_an_anonymous_report_is_kept_and_opens_nothing(client):
    response = client.post(
        reverse("asb:anonymous"),
        _report_data(
            kind="domestic_abuse",
            category="",
            contact_way="phone",
            safe_phone="07700 900 555",
            safe_ways=[],
            safe_times="After 7pm",
        ),
    )
    assert response.status_code == 302
    assert response.url == reverse("asb:anonymous_sent")
    report_row = AnonymousReport.objects.get()
    assert report_row.next_due_at == report_row.received_at + dt.timedelta(hours=24)
    assert (report_row.safe_phone, report_row.may_use_portal) == ("07700 900 555", False)
    sent = client.get(response.url).content.decode()
    assert "07700 900 555" not in sent and "ASB-" not in sent


def test_an_anonymous_report_says_when_it_started_and_who_else_saw_it(client):
    response = client.post(
        reverse("asb:anonymous"),
        _report_data(
            contact_way="none",
            safe_ways=[],
            started_on_0="20",
            started_on_1="5",
            started_on_2="2026",
            witnesses="The woman at number 6 heard it too.",
        ),
    )
    assert response.status_code == 302
    report_row = AnonymousReport.objects.get()
    assert report_row.started_on == dt.date(2026, 5, 20)
    assert report_row.witnesses == "The woman at number 6 heard it too."


def test_an_anonymous_report_cannot_have_started_in_the_future(client):
    response = client.post(
        reverse("asb:anonymous"),
        _report_data(
            contact_way="none",
            safe_ways=[],
            started_on_0="2",
            started_on_1="6",
            started_on_2="2026",
        ),
    )
    assert response.status_code == 200
    assert "The date it started must be today or in the past" in response.content.decode()
    assert not AnonymousReport.objects.exists()


def test_an_anonymous_report_by_phone_needs_a_number(client):
    response = client.post(
        reverse("asb:anonymous"),
        _report_data(contact_way="phone", safe_ways=[]),
    )
    assert response.status_code == 200
    assert "Enter the safe number we may call" in response.content.decode()
    assert not AnonymousReport.objects.exists()


def test_a_reference_alone_opens_nothing(client, tenant_b, cases):
    reference = cases["received"].reference
    assert client.get(reverse("asb:detail", args=[reference])).status_code == 302
    client.force_login(tenant_b.user)
    assert client.get(reverse("asb:detail", args=[reference])).status_code == 404
    assert client.get(reverse("casework:case_detail", args=[reference])).status_code == 404


def test_staff_without_the_asb_role_cannot_open_a_case_and_reads_are_logged(
    client, manager, asb_officer, cases
):
    case = cases["received"]
    url = reverse("admin:asb_asbcase_change", args=[case.pk])
    client.force_login(manager)
    assert client.get(url).status_code in (302, 403, 404)
    assert not SensitiveCaseRead.objects.exists()
    client.force_login(asb_officer)
    assert client.get(url).status_code == 200
    assert SensitiveCaseRead.objects.filter(user=asb_officer, object_id=case.pk).exists()


def test_a_sound_recording_is_kept_as_evidence_and_only_the_reporter_downloads_it(
    client_a, tenant_b, cases, client
):
    recording = SimpleUploadedFile(
        "noise.mp3", b"ID3\x04\x00" + b"\x00" * 200, content_type="audio/mpeg"
    )
    case = cases["received"]
    client_a.post(
        reverse("asb:diary", args=[case.reference]),
        {
            "happened_on_0": "30",
            "happened_on_1": "5",
            "happened_on_2": "2026",
            "what_happened": "Recorded the noise",
            "evidence": recording,
        },
    )
    attachment = Attachment.objects.get(object_id=case.pk)
    assert (attachment.mime_type, attachment.original_name) == ("audio/mpeg", "noise.mp3")
    url = reverse("casework:attachment_download", args=[case.reference, attachment.pk])
    page = client_a.get(reverse("asb:detail", args=[case.reference])).content.decode()
    assert url in page
    assert client_a.get(url).status_code == 200
    client.force_login(tenant_b.user)
    assert client.get(url).status_code == 404


def test_the_person_reported_learns_nothing_of_the_report(client, tenant_a, tenant_b, asb_officer):
    from asb.services import other_party_link

    case = report(tenant_a, other_party_address=tenant_b.tenancy.property.full_address)
    asb_acknowledge(case=case, actor=asb_officer, contacted_by="phone", risk=Risk.STANDARD)
    other_party_link(case=case, actor=asb_officer, tenancy=tenant_b.tenancy)
    client.force_login(tenant_b.user)
    for url in (
        reverse("portal:your_home"),
        reverse("casework:case_list"),
        reverse("notifications:inbox"),
        reverse("asb:list"),
    ):
        page = client.get(url).content.decode()
        assert case.reference not in page, url
        assert tenant_a.last_name not in page, url
    assert client.get(reverse("asb:detail", args=[case.reference])).status_code == 404
