"""A subject access request from asking to downloading: the clock, the identity pause, the
gathering with its progress, the review and redaction, the release and the pack itself."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from casework.models import CaseEvent, CaseLink, EventKind
from casework.services import attachment_add, case_add_note, case_link
from dataprotection import services
from dataprotection.models import DataRequest, Redaction, RedactionKind, RequestStatus
from kernel.formatting import london_date
from notifications.models import Message
from sla.models import Deadline
from tests.complaints.factories import receive
from tests.dataprotection.factories import ask, confirmed, fresh, gathered, released
from tests.enquiries.factories import submit_enquiry
from tests.repairs.conftest import report as report_repair

pytestmark = pytest.mark.django_db

LONDON_NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


def _clock(request) -> Deadline:
    return Deadline.objects.get(object_id=request.pk, commitment__code="dp.subject_access")


def _pack(request) -> zipfile.ZipFile:
    with request.pack.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def _data(request) -> str:
    return _pack(request).read("data.json").decode()


def _pdf_text(request) -> str:
    """The words of the pack's PDF, each run of spaces and line breaks as one space."""
    reader = PdfReader(io.BytesIO(_pack(request).read("summary.pdf")))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_a_customer_asks_in_the_portal_and_the_calendar_month_starts(
    client_a, tenant_a, officer, time_machine
):
    time_machine.move_to(LONDON_NOON, tick=False)
    response = client_a.post(
        reverse("dataprotection:request_new"),
        {"kind": "subject_access", "details": "Everything you hold about me, please."},
    )
    request = DataRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("dataprotection:request_detail", args=[request.reference])
    assert request.customer == tenant_a
    assert request.status == RequestStatus.RECEIVED
    assert request.team.name == "Data protection"
    clock = _clock(request)
    # 2 March to 2 April 2026, end of the day in London (UK GDPR: the corresponding date).
    assert clock.due_at == dt.datetime(2026, 4, 2, 22, 59, 59, tzinfo=dt.UTC)
    assert Message.objects.filter(customer=tenant_a, subject__contains=request.reference).exists()
    assert Message.objects.filter(staff_user=officer, subject__contains=request.reference).exists()


def test_the_same_form_sent_twice_makes_one_request(client_a):
    form = {
        "kind": "correction",
        "details": "My name is spelt wrong.",
        "idempotency_key": "2b5f1f3c-6c1c-4a39-9bd6-5f6a1f0e8d11",
    }
    client_a.post(reverse("dataprotection:request_new"), form)
    client_a.post(reverse("dataprotection:request_new"), form)
    assert DataRequest.objects.count() == 1


def test_a_bad_form_shows_the_errors_with_what_was_typed_and_writes_nothing(client_a):
    response = client_a.post(
        reverse("dataprotection:request_new"), {"kind": "", "details": "Hello\x00"}
    )
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"Select what you would like us to do" in response.content
    assert DataRequest.objects.count() == 0


def test_waiting_for_proof_of_identity_stops_the_clock(tenant_a, officer, time_machine):
    time_machine.move_to(LONDON_NOON, tick=False)
    request = ask(tenant_a)
    due = _clock(request).due_at
    services.identity_ask(request=request, actor=officer, note="Send a photo of your passport.")
    assert fresh(request).status == RequestStatus.AWAITING_IDENTITY
    assert _clock(request).paused_at is not None
    time_machine.move_to(LONDON_NOON + dt.timedelta(days=5), tick=False)
    services.identity_confirm(request=fresh(request), actor=officer, how="Passport seen.")
    clock = _clock(request)
    assert clock.paused_at is None
    assert clock.due_at == due + dt.timedelta(days=5)
    assert Message.objects.filter(
        customer=tenant_a, subject__startswith="We need to check"
    ).exists()


def test_gathering_runs_as_a_task_and_counts_every_area(
    tenant_a, officer, django_capture_on_commit_callbacks
):
    request = confirmed(tenant_a, officer)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.gathering_start(request=request, actor=officer)
    assert callbacks, "the task is queued when the step commits"
    request = fresh(request)
    assert request.status == RequestStatus.IN_REVIEW
    assert request.gathering_total >= 8
    assert request.gathering_done == request.gathering_total
    assert request.gathered_at is not None


def test_releasing_builds_the_pack_as_a_task_and_nothing_more_can_be_removed(
    tenant_a, officer, django_capture_on_commit_callbacks
):
    request = gathered(tenant_a, officer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.pack_release_start(request=request, actor=officer)
    waiting = fresh(request)
    assert callbacks, "the pack is built by a task queued when the step commits"
    assert waiting.status == RequestStatus.IN_REVIEW
    assert waiting.release_started_at is not None and not waiting.pack
    with pytest.raises(services.RequestRefused):
        services.redaction_add(
            request=waiting, actor=officer, kind=RedactionKind.TEXT, target="Khan", reason="x"
        )
    with pytest.raises(services.RequestRefused):
        services.pack_release_start(request=waiting, actor=officer)
    assert not Redaction.objects.exists()

    for callback in callbacks:
        callback()

    released_request = fresh(request)
    assert released_request.status == RequestStatus.RELEASED
    assert "summary.pdf" in _pack(released_request).namelist()
    assert released_request.links.count() == 1
    # A second delivery of the task finds it released and does nothing.
    assert services.pack_release_built(request_id=request.pk, actor_id=officer.pk) is False
    assert released_request.links.count() == 1


def test_gathering_again_after_a_release_started_lets_the_officer_review_it_again(
    tenant_a, officer
):
    request = gathered(tenant_a, officer)
    services.pack_release_start(request=request, actor=officer)
    services.gathering_start(request=fresh(request), actor=officer)
    services.pack_gather(request_id=request.pk)

    # The task queued by the first release finds nothing to release.
    assert services.pack_release_built(request_id=request.pk, actor_id=officer.pk) is False
    again = fresh(request)
    assert again.status == RequestStatus.IN_REVIEW and again.release_started_at is None
    services.redaction_add(
        request=again, actor=officer, kind=RedactionKind.TEXT, target="Khan", reason="Joint."
    )


def test_gathering_twice_does_nothing_the_second_time(tenant_a, officer):
    request = gathered(tenant_a, officer)
    assert services.pack_gather(request_id=request.pk) is False


def test_nothing_is_gathered_before_the_identity_is_confirmed(tenant_a, officer):
    request = ask(tenant_a)
    with pytest.raises(services.RequestRefused):
        services.gathering_start(request=request, actor=officer)
    assert fresh(request).status == RequestStatus.RECEIVED


def test_the_pack_holds_the_whole_record_internal_notes_messages_and_original_files(
    tenant_a, officer
):
    complaint = receive(tenant_a, subject="Mould in the bedroom")
    case_add_note(
        case=complaint,
        actor=officer,
        note="Internal: customer called twice.",
        visible_to_customer=False,
    )
    attachment_add(
        case=complaint,
        uploaded_file=SimpleUploadedFile(
            "letter.pdf", b"%PDF-1.4\n%original bytes\n", content_type="application/pdf"
        ),
        uploaded_by=tenant_a.user,
    )
    enquiry = submit_enquiry(tenant_a)
    request = released(tenant_a, officer)
    pack = _pack(request)
    names = pack.namelist()
    assert {"index.html", "data.json"} <= set(names)
    data = json.loads(pack.read("data.json"))
    text = json.dumps(data)
    for expected in (
        tenant_a.full_name,
        tenant_a.tenancy.reference,
        complaint.reference,
        "Mould in the bedroom",
        "Internal: customer called twice.",
        enquiry.reference,
        tenant_a.user.email,
        "We have your request",  # a message we sent
    ):
        assert expected in text, expected
    stored = [n for n in names if n.startswith("files/")]
    assert len(stored) == 1 and stored[0].endswith("letter.pdf")
    assert pack.read(stored[0]) == b"%PDF-1.4\n%original bytes\n"
    # The summary says where in the folder each file is; the overview counts it.
    html = pack.read("index.html").decode()
    assert stored[0] in html
    assert "Files in the files folder 1" in _pdf_text(request)
    assert "Mould in the bedroom" in html
    assert "|date" not in html


def test_the_pack_holds_an_overview_to_print_with_a_line_per_case(tenant_a, officer):
    complaint = receive(tenant_a, subject="Mould in the bedroom")
    case_add_note(
        case=complaint,
        actor=officer,
        note="Internal: customer called twice.",
        visible_to_customer=False,
    )
    enquiry = submit_enquiry(tenant_a, subject="Parking permit")
    request = released(tenant_a, officer)

    pdf = _pdf_text(request)

    assert pdf.startswith(f"The data we hold about {tenant_a.full_name}")
    assert f"Your subject access request {request.reference}, received on " in pdf
    assert "Every record we hold about you, in full, is in index.html" in pdf
    # Her own details, in full.
    for expected in (tenant_a.full_name, tenant_a.tenancy.reference, tenant_a.user.email):
        assert expected in pdf, expected
    # A contents line for each case: reference, kind, what about, opened, status.
    for case, kind, about, status in (
        (complaint, "Complaint", "Mould in the bedroom", "Received"),
        (enquiry, "Enquiry", "Parking permit", "received"),
    ):
        line = f"{case.reference} {kind} {about} {london_date(case.opened_at)} {status}"
        assert line in pdf, line
    # The history is counted, not copied: every record in full is in index.html.
    assert "Case event " in pdf and "Message " in pdf
    assert "Internal: customer called twice." not in pdf
    assert "We have your request" not in pdf  # a message we sent
    html = _pack(request).read("index.html").decode()
    assert "Internal: customer called twice." in html
    assert "We have your request" in html
    assert "Page 1 of" in pdf


def test_redaction_removes_a_name_everywhere_and_is_recorded(tenant_a, officer):
    submit_enquiry(
        tenant_a,
        subject="Noise from Ben Okafor next door",
        details="ben okafor plays music at 3am.",
    )
    request = gathered(tenant_a, officer)
    services.redaction_add(
        request=request,
        actor=officer,
        kind=RedactionKind.TEXT,
        target="Ben Okafor",
        reason="A neighbour: third party.",
    )
    services.pack_release(request=fresh(request), actor=officer)
    text = _data(fresh(request)) + _pack(fresh(request)).read("index.html").decode()
    assert "Okafor" not in text
    assert "[removed: another person's information]" in text
    # The overview's contents line holds the removal too.
    pdf = _pdf_text(fresh(request))
    assert "Okafor" not in pdf
    assert "Noise from [removed: another person's information] next door" in pdf
    assert "We removed 1 item because it would tell you about another person." in pdf
    redaction = Redaction.objects.get()
    assert (redaction.by, redaction.reason) == (officer, "A neighbour: third party.")
    assert CaseEvent.objects.filter(object_id=request.pk, note__startswith="Redaction:").exists()


def test_a_withheld_record_and_its_file_stay_out_of_the_pack(tenant_a, officer):
    complaint = receive(tenant_a, subject="About my neighbour")
    attachment = attachment_add(
        case=complaint,
        uploaded_file=SimpleUploadedFile(
            "police.pdf", b"%PDF-1.4\n%police letter\n", content_type="application/pdf"
        ),
        uploaded_by=officer,
    )
    request = gathered(tenant_a, officer)
    services.redaction_add(
        request=request,
        actor=officer,
        kind=RedactionKind.RECORD,
        target=f"casework.Attachment:{attachment.pk}",
        reason="A police letter naming a witness.",
    )
    services.pack_release(request=fresh(request), actor=officer)
    pack = _pack(fresh(request))
    assert not [n for n in pack.namelist() if n.startswith("files/")]
    # The record is gone; the event saying a file was added is a record of its own.
    assert f"casework.Attachment:{attachment.pk}" not in pack.read("data.json").decode()
    assert "files/" not in pack.read("index.html").decode()
    # The overview lists the case and counts no file.
    pdf = _pdf_text(fresh(request))
    assert f"{complaint.reference} Complaint About my neighbour" in pdf
    assert "Files in the files folder" not in pdf


def test_a_record_key_not_in_the_pack_is_refused_and_nothing_is_recorded(tenant_a, officer):
    request = gathered(tenant_a, officer)
    with pytest.raises(services.RequestRefused):
        services.redaction_add(
            request=request,
            actor=officer,
            kind=RedactionKind.RECORD,
            target="repairs.Repair:999",
            reason="x",
        )
    assert not Redaction.objects.exists()


def test_releasing_meets_the_clock_closes_the_request_and_tells_the_person(tenant_a, officer):
    request = released(tenant_a, officer)
    assert request.status == RequestStatus.RELEASED
    assert request.closed_at is not None
    assert _clock(request).met_at == request.released_at
    assert Message.objects.filter(
        customer=tenant_a, subject__startswith="Your data is ready"
    ).exists()
    assert request.links.count() == 1


def test_a_pack_never_holds_another_households_data(tenant_a, tenant_b, officer):
    """Two households share a case: A reports noise from B's home (an enquiry passed to the ASB
    team) and it is linked to B's own repair. Each pack holds its own household's data only."""
    noise = submit_enquiry(
        tenant_a,
        subject="Noise from the flat below",
        details=f"{tenant_b.full_name} shouts at night.",
    )
    b_repair = report_repair(tenant_b, description="Leak under the sink in B's kitchen")
    case_link(from_case=noise, to_case=b_repair, actor=officer)
    b_note = "B said the noise is their television."
    case_add_note(case=b_repair, actor=officer, note=b_note, visible_to_customer=False)
    pack_a = _data(released(tenant_a, officer))
    pack_b = _data(released(tenant_b, officer))
    assert noise.reference in pack_a
    assert b_repair.reference not in pack_a
    assert "Leak under the sink" not in pack_a
    assert b_note not in pack_a
    assert tenant_b.tenancy.reference not in pack_a
    assert tenant_b.user.email not in pack_a
    assert noise.reference not in pack_b
    assert "shouts at night" not in pack_b
    assert tenant_a.full_name not in pack_b
    assert tenant_a.tenancy.reference not in pack_b
    assert "Another case" in pack_a and "Another case" in pack_b
    assert CaseLink.objects.count() == 1


def test_the_officer_is_offered_the_names_of_other_people_to_remove(
    tenant_a, joint_tenant_a, officer, staff_client
):
    request = gathered(tenant_a, officer)
    response = staff_client.get(reverse("dataprotection:staff_review", args=[request.reference]))
    assert response.status_code == 200
    assert joint_tenant_a.full_name in response.context["suggestions"]
    assert tenant_a.full_name not in response.context["suggestions"]


def test_no_event_is_written_by_gathering_except_its_status(tenant_a, officer):
    request = confirmed(tenant_a, officer)
    before = CaseEvent.objects.filter(object_id=request.pk).count()
    services.gathering_start(request=request, actor=officer)
    services.pack_gather(request_id=request.pk)
    kinds = list(
        CaseEvent.objects.filter(object_id=request.pk).order_by("pk").values_list("kind", flat=True)
    )[before:]
    assert kinds == [EventKind.STATUS, EventKind.STATUS]
