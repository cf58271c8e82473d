"""The complaints team's queue and the staff steps in the admin: every step calls its service and
shows the service's reasons when it refuses."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from casework.models import ReceivedBy
from complaints.models import (
    Complaint,
    ComplaintExtension,
    ComplaintLetter,
    ComplaintStatus,
    LetterKind,
)
from kernel.formatting import LONDON
from kernel.roles import Role
from tests.complaints.factories import (
    ComplaintFactory,
    acknowledge,
    receive,
    respond,
    staff,
)

MONDAY = dt.datetime(2026, 6, 1, 9, 0, tzinfo=LONDON)
CHANGELIST = "admin:complaints_complaint_changelist"


@pytest.fixture(autouse=True)
def _monday(time_machine):
    time_machine.move_to(MONDAY, tick=False)


@pytest.fixture
def officer(complaints_officer):
    return complaints_officer


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def _step(name: str, complaint: Complaint) -> str:
    return reverse("admin:complaints_complaint_step", args=[complaint.pk, name])


def _results(response) -> list[str]:
    return [c.reference for c in response.context["cl"].result_list]


# --- the queue ---------------------------------------------------------------------------------


def test_the_queue_is_sorted_by_the_earliest_deadline(officer_client):
    later = ComplaintFactory(next_due_at=MONDAY + dt.timedelta(days=9))
    overdue = ComplaintFactory(next_due_at=MONDAY - dt.timedelta(hours=3))
    sooner = ComplaintFactory(next_due_at=MONDAY + dt.timedelta(days=1))

    response = officer_client.get(reverse(CHANGELIST))

    assert response.status_code == 200
    assert _results(response) == [overdue.reference, sooner.reference, later.reference]


def test_the_queue_filters_by_stage_and_quick_resolution(officer_client):
    stage1 = ComplaintFactory()
    stage2 = ComplaintFactory(stage=2, escalated_at=MONDAY, status=ComplaintStatus.STAGE2_RECEIVED)
    quick = ComplaintFactory(status=ComplaintStatus.QUICK_RESOLUTION, quick_resolution=True)

    assert _results(officer_client.get(reverse(CHANGELIST), {"stage": "2"})) == [stage2.reference]
    assert set(_results(officer_client.get(reverse(CHANGELIST), {"stage": "1"}))) == {
        stage1.reference,
        quick.reference,
    }
    assert _results(officer_client.get(reverse(CHANGELIST), {"qr": "open"})) == [quick.reference]


def test_the_queue_costs_the_same_queries_for_many_complaints(
    officer_client, django_assert_max_num_queries
):
    for n in range(30):
        ComplaintFactory(next_due_at=MONDAY + dt.timedelta(hours=n))

    with django_assert_max_num_queries(14):
        response = officer_client.get(reverse(CHANGELIST))

    assert len(_results(response)) == 30


def test_staff_without_the_complaints_role_cannot_open_the_queue_or_a_step(client, db):
    complaint = ComplaintFactory()
    client.force_login(staff(Role.REPAIRS))

    assert client.get(reverse(CHANGELIST)).status_code == 403
    assert client.get(_step("acknowledge", complaint)).status_code == 403


def test_a_manager_may_work_the_queue(client, db):
    ComplaintFactory()
    client.force_login(staff(Role.MANAGER))

    assert client.get(reverse(CHANGELIST)).status_code == 200


def test_the_complaint_page_offers_only_the_steps_its_status_allows(officer_client, tenant_a):
    complaint = receive(tenant_a)

    html = officer_client.get(
        reverse("admin:complaints_complaint_change", args=[complaint.pk])
    ).content.decode()

    assert _step("acknowledge", complaint) in html
    assert _step("respond", complaint) not in html
    assert reverse("complaints:evidence_pack", args=[complaint.reference]) in html
    response = officer_client.get(_step("respond", complaint))
    assert response.status_code == 302


# --- logging a complaint made another way ------------------------------------------------------


def test_staff_find_the_customer_and_log_a_phone_complaint(officer_client, officer, tenant_a):
    search = officer_client.get(
        reverse("admin:complaints_complaint_log"), {"q": tenant_a.tenancy.reference}
    )
    log_url = reverse("admin:complaints_complaint_log_for", args=[tenant_a.pk])
    assert log_url in search.content.decode()

    response = officer_client.post(
        log_url,
        {
            "received_by": ReceivedBy.PHONE,
            "received_on": "2026-05-29",
            "received_time": "16:45",
            "service_area": "repairs",
            "subject": "Fan",
            "details": "Called about the fan",
            "outcome_wanted": "",
            "issue_date": "",
            "about": "",
            "quick_resolution": "on",
        },
    )

    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert complaint.received_by == ReceivedBy.PHONE
    assert complaint.opened_at == dt.datetime(2026, 5, 29, 16, 45, tzinfo=LONDON)
    assert complaint.logged_by == officer
    assert complaint.status == ComplaintStatus.QUICK_RESOLUTION


def test_a_complaint_received_in_the_future_is_refused(officer_client, tenant_a):
    response = officer_client.post(
        reverse("admin:complaints_complaint_log_for", args=[tenant_a.pk]),
        {
            "received_by": ReceivedBy.EMAIL,
            "received_on": "2026-06-09",
            "received_time": "10:00",
            "service_area": "repairs",
            "subject": "Fan",
            "details": "x",
        },
    )

    assert response.status_code == 200
    assert not Complaint.objects.exists()


# --- the steps ---------------------------------------------------------------------------------


def test_acknowledging_in_the_admin_records_the_definition(officer_client, officer, tenant_a):
    complaint = receive(tenant_a)

    response = officer_client.post(
        _step("acknowledge", complaint),
        {
            "issues": "The fan was not fixed\n\nNobody called back\n",
            "outcomes_sought": "A fan",
            "handler": "",
        },
    )

    complaint.refresh_from_db()
    assert response.status_code == 302
    assert complaint.status == ComplaintStatus.STAGE1_INVESTIGATING
    assert complaint.stage1_handler == officer
    assert list(complaint.points.values_list("issue", flat=True)) == [
        "The fan was not fixed",
        "Nobody called back",
    ]


def test_sending_an_incomplete_response_lists_what_is_missing_and_sends_nothing(
    officer_client, officer, tenant_a
):
    complaint = receive(tenant_a)
    acknowledge(complaint, officer)
    point = complaint.points.get()

    response = officer_client.post(
        _step("respond", complaint),
        {
            "send": "1",
            f"decision_{point.pk}": "upheld",
            f"reasons_{point.pk}": "",
            "outcome": "upheld",
            "remedy": "",
            "escalation_text": "Ask for a Final Review",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "The letter cannot be sent yet. It is missing:" in html
    assert "The reasons for the decision on point 1" in html
    assert "The remedy or compensation, or why there is none" in html
    assert not ComplaintLetter.objects.filter(kind=LetterKind.RESPONSE).exists()
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.STAGE1_INVESTIGATING


def test_a_draft_is_saved_then_completed_and_sent(officer_client, officer, tenant_a):
    complaint = receive(tenant_a)
    acknowledge(complaint, officer)
    point = complaint.points.get()
    url = _step("respond", complaint)
    officer_client.post(url, {"save": "1", f"reasons_{point.pk}": "Half written"})
    draft = ComplaintLetter.objects.get(kind=LetterKind.RESPONSE)
    assert draft.sent_at is None

    page = officer_client.get(url).content.decode()
    assert "Half written" in page and "A draft is saved" in page
    officer_client.post(
        url,
        {
            "send": "1",
            f"decision_{point.pk}": "partly_upheld",
            f"reasons_{point.pk}": "The job was booked late",
            "outcome": "partly_upheld",
            "remedy": "An apology",
            "no_outstanding_actions": "on",
            "escalation_text": "Ask for a Final Review",
        },
    )

    draft.refresh_from_db()
    assert draft.sent_at is not None and draft.sent_by == officer
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.STAGE1_RESPONDED
    assert complaint.stage1_outcome == "partly_upheld"


def test_an_officer_is_refused_a_long_extension_with_the_reason(officer_client, officer, tenant_a):
    complaint = receive(tenant_a)
    acknowledge(complaint, officer)

    response = officer_client.post(
        _step("extend", complaint),
        {"new_due_date": "2026-07-31", "reason": "Complex", "good_reason": "Very complex"},
    )

    assert response.status_code == 200
    assert "needs a manager" in response.content.decode()
    assert not ComplaintExtension.objects.exists()


def test_a_manager_extends_beyond_the_limit_with_good_reason(client, tenant_a, officer):
    complaint = receive(tenant_a)
    acknowledge(complaint, officer)
    client.force_login(staff(Role.MANAGER))

    response = client.post(
        _step("extend", complaint),
        {"new_due_date": "2026-07-31", "reason": "Complex", "good_reason": "Very complex"},
    )

    assert response.status_code == 302
    assert ComplaintExtension.objects.get().good_reason == "Very complex"


def test_the_stage_1_handler_is_refused_the_final_review_in_the_admin(
    officer_client, officer, tenant_a
):
    complaint = receive(tenant_a)
    acknowledge(complaint, officer)
    respond(complaint, officer)
    officer_client.post(_step("escalate", complaint), {"received_by": "phone", "note": ""})
    complaint.refresh_from_db()
    assert complaint.stage == 2

    response = officer_client.post(
        _step("acknowledge", complaint),
        {"issues": "Still broken", "outcomes_sought": "", "handler": ""},
    )

    assert response.status_code == 200
    assert "someone other than the stage 1 handler" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.stage2_acknowledged_at is None


def test_refusing_in_the_admin_sends_the_refusal_letter(officer_client, tenant_a):
    complaint = receive(tenant_a)

    officer_client.post(
        _step("refuse", complaint),
        {"reason": "legal_proceedings", "explanation": "Your claim is before the court."},
    )

    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.REFUSED
    assert ComplaintLetter.objects.get(kind=LetterKind.REFUSAL).sent_at is not None


def test_closing_an_upheld_complaint_asks_for_learning_first(officer_client, officer, tenant_a):
    complaint = receive(tenant_a)
    acknowledge(complaint, officer)
    respond(complaint, officer)

    refused = officer_client.post(_step("close", complaint), {"note": ""})
    assert "Record what we learned" in refused.content.decode()
    officer_client.post(
        _step("learning", complaint),
        {"lesson": "Jobs closed without a visit", "improvement": "Photo on completion"},
    )
    officer_client.post(_step("close", complaint), {"note": ""})

    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CLOSED


def test_an_action_update_from_the_admin(officer_client, officer, tenant_a):
    complaint = receive(tenant_a)
    acknowledge(complaint, officer)
    respond(complaint, officer)
    action = complaint.actions.get()

    officer_client.post(
        _step("action_update", complaint),
        {"action": str(action.pk), "note": "Fan ordered", "completed": ""},
    )

    assert action.updates.get().note == "Fan ordered"


def test_overdue_promised_actions_are_listed_for_the_team(
    officer_client, officer, tenant_a, time_machine
):
    from complaints.services import PromisedAction

    complaint = receive(tenant_a)
    acknowledge(complaint, officer)
    due = dt.date(2026, 6, 3)
    respond(complaint, officer, actions=[PromisedAction(description="Fit a fan", due_date=due)])
    action = complaint.actions.get()
    url = reverse("admin:complaints_outstandingaction_changelist")

    assert officer_client.get(url, {"progress": "overdue"}).context["cl"].result_count == 0
    time_machine.move_to(dt.datetime(2026, 6, 4, 9, 0, tzinfo=LONDON), tick=False)
    response = officer_client.get(url, {"progress": "overdue"})
    assert [a.pk for a in response.context["cl"].result_list] == [action.pk]
