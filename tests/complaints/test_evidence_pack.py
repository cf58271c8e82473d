"""The evidence pack for one complaint: the full chronology, every clock and extension, every
letter, for a caseworker to send to the Ombudsman; and its spreadsheet, safe to open."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from casework.models import ReceivedBy
from complaints.services import complaint_escalate, complaint_extend
from kernel.formatting import LONDON
from kernel.roles import Role
from tests.complaints.factories import acknowledge, receive, respond
from tests.factories import StaffFactory

EVIL = '=HYPERLINK("http://evil.example","Click")'


@pytest.fixture
def worked(tenant_a, complaints_officer, review_officer, time_machine):
    from enquiries.models import Enquiry

    time_machine.move_to(dt.datetime(2026, 6, 1, 9, 0, tzinfo=LONDON), tick=False)
    enquiry = Enquiry.objects.create(
        reference="ENQ-2026-000001",
        customer=tenant_a,
        tenancy=tenant_a.tenancy,
        property=tenant_a.tenancy.property,
        received_by=ReceivedBy.PORTAL,
        status="received",
        opened_at=dt.datetime(2026, 5, 20, 9, 0, tzinfo=LONDON),
        subject="Fan",
        details="Fan broken",
    )
    complaint = receive(tenant_a, details=EVIL + " <b>bold</b>", about=enquiry)
    time_machine.move_to(dt.datetime(2026, 6, 3, 9, 0, tzinfo=LONDON), tick=False)
    acknowledge(complaint, complaints_officer)
    time_machine.move_to(dt.datetime(2026, 6, 10, 9, 0, tzinfo=LONDON), tick=False)
    complaint_extend(
        complaint=complaint,
        actor=complaints_officer,
        new_due_date=dt.date(2026, 6, 26),
        reason="Waiting for the contractor",
    )
    time_machine.move_to(dt.datetime(2026, 6, 24, 9, 0, tzinfo=LONDON), tick=False)
    respond(complaint, complaints_officer)
    complaint_escalate(complaint=complaint)
    complaint.refresh_from_db()
    return complaint


def test_the_pack_holds_every_clock_letter_and_event(client, worked, complaints_officer):
    client.force_login(complaints_officer)

    response = client.get(reverse("complaints:evidence_pack", args=[worked.reference]))

    assert response.status_code == 200
    pack = response.context["pack"]
    codes = [d.commitment.code for d in pack.deadlines]
    assert codes == [
        "complaint.stage1.acknowledge",
        "complaint.stage1.acknowledge.code",
        "complaint.stage1.respond",
        "complaint.stage1.respond.code",
        "complaint.stage2.acknowledge",
        "complaint.stage2.acknowledge.code",
        "complaint.stage2.respond",
    ]
    assert [letter.kind for letter in pack.letters] == ["acknowledgement", "extension", "response"]
    assert len(pack.extensions) == 1
    assert [linked.case.reference for linked in pack.linked] == ["ENQ-2026-000001"]
    html = response.content.decode()
    assert "Waiting for the contractor" in html
    assert "complaints/print.css" in html and "<script" not in html
    # What the customer typed is shown as text.
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<b>bold</b>" not in html
    assert "Respond to a formal complaint (Code)" in html


def test_the_pack_is_for_the_complaints_team_and_managers_only(client, worked, tenant_a):
    url = reverse("complaints:evidence_pack", args=[worked.reference])
    csv_url = reverse("complaints:evidence_pack_csv", args=[worked.reference])

    assert client.get(url).status_code == 302
    client.force_login(tenant_a.user)
    assert client.get(url).status_code == 403
    client.force_login(StaffFactory(roles=[Role.REPAIRS]))
    assert client.get(url).status_code == 403
    assert client.get(csv_url).status_code == 403
    client.force_login(StaffFactory(roles=[Role.MANAGER]))
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 405


def test_an_unknown_reference_is_404(client, complaints_officer):
    client.force_login(complaints_officer)

    assert (
        client.get(reverse("complaints:evidence_pack", args=["CMP-2026-999999"])).status_code == 404
    )
    assert (
        client.get(reverse("complaints:evidence_pack", args=["ENQ-2026-000001"])).status_code == 404
    )


def test_the_chronology_spreadsheet_neutralises_formulas(client, worked, complaints_officer):
    from casework.services import case_add_note

    case_add_note(
        case=worked,
        actor=complaints_officer,
        visible_to_customer=False,
        note="+44 7700 900123 called back",
    )
    client.force_login(complaints_officer)

    response = client.get(reverse("complaints:evidence_pack_csv", args=[worked.reference]))

    assert response["Content-Type"].startswith("text/csv")
    assert f"{worked.reference}-chronology.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "When (UK time)"
    notes = [row[6] for row in rows[1:]]
    assert "'+44 7700 900123 called back" in notes
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert any(row[1] == "ENQ-2026-000001" for row in rows[1:])
