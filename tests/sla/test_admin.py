"""The clock engine in the admin: managers edit the catalogue and closure days; deadlines are
read-only and their list never counts the whole table."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from kernel.roles import Role
from sla import services
from sla.calendar import add_working_days
from sla.models import ClosureDay, Commitment, Deadline
from tests.factories import StaffFactory
from tests.sla.factories import EnquiryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client):
    client.force_login(StaffFactory(roles=[Role.MANAGER]))
    return client


@pytest.fixture
def repairs_client(client):
    client.force_login(StaffFactory(roles=[Role.REPAIRS]))
    return client


def _commitment_form(commitment: Commitment, **changes) -> dict:
    data = {
        "code": commitment.code,
        "title": commitment.title,
        "promise": commitment.promise,
        "clock": commitment.clock,
        "amount": commitment.amount,
        "starts_on": commitment.starts_on,
        "source": commitment.source,
        "law_reference": commitment.law_reference,
        "target_percent": commitment.target_percent,
        "warn_before": "1 00:00:00" if commitment.warn_before else "",
        "is_active": "on",
    }
    data.update(changes)
    return data


# --- closure days --------------------------------------------------------------------------


def test_a_closure_day_added_in_the_admin_is_honoured_at_once(manager_client):
    assert add_working_days(dt.date(2026, 4, 2), 3) == dt.date(2026, 4, 9)  # cache warm

    response = manager_client.post(
        reverse("admin:sla_closureday_add"), {"date": "2026-04-08", "reason": "Training day"}
    )

    assert response.status_code == 302
    assert ClosureDay.objects.get().reason == "Training day"
    assert add_working_days(dt.date(2026, 4, 2), 3) == dt.date(2026, 4, 10)


def test_a_closure_day_deleted_in_the_admin_is_forgotten_at_once(manager_client):
    closure = services.closure_day_add(day=dt.date(2026, 4, 8), reason="Training day")
    assert add_working_days(dt.date(2026, 4, 2), 3) == dt.date(2026, 4, 10)

    response = manager_client.post(
        reverse("admin:sla_closureday_delete", args=[closure.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not ClosureDay.objects.exists()
    assert add_working_days(dt.date(2026, 4, 2), 3) == dt.date(2026, 4, 9)


def test_closure_days_deleted_in_bulk_are_forgotten_at_once(manager_client):
    closure = services.closure_day_add(day=dt.date(2026, 4, 8), reason="Training day")
    assert add_working_days(dt.date(2026, 4, 2), 3) == dt.date(2026, 4, 10)

    manager_client.post(
        reverse("admin:sla_closureday_changelist"),
        {"action": "delete_selected", "_selected_action": [closure.pk], "post": "yes"},
    )

    assert not ClosureDay.objects.exists()
    assert add_working_days(dt.date(2026, 4, 2), 3) == dt.date(2026, 4, 9)


def test_staff_who_are_not_managers_cannot_add_closure_days(repairs_client):
    response = repairs_client.post(
        reverse("admin:sla_closureday_add"), {"date": "2026-04-08", "reason": "Training day"}
    )
    assert response.status_code == 403
    assert not ClosureDay.objects.exists()


# --- the catalogue -------------------------------------------------------------------------


def test_a_manager_changes_an_amount_but_not_the_code(manager_client):
    commitment = Commitment.objects.get(code="enquiry.respond")

    response = manager_client.post(
        reverse("admin:sla_commitment_change", args=[commitment.pk]),
        _commitment_form(commitment, code="enquiry.renamed", amount=8),
    )

    assert response.status_code == 302
    commitment.refresh_from_db()
    assert (commitment.code, commitment.amount) == ("enquiry.respond", 8)


def test_a_legal_time_limit_cannot_be_lengthened(manager_client):
    commitment = Commitment.objects.get(code="complaint.stage1.respond.code")

    response = manager_client.post(
        reverse("admin:sla_commitment_change", args=[commitment.pk]),
        _commitment_form(commitment, amount=15),
    )

    assert response.status_code == 200
    assert "The law allows at most 10" in response.content.decode()
    commitment.refresh_from_db()
    assert commitment.amount == 10


def test_a_legal_time_limit_can_be_shortened(manager_client):
    commitment = Commitment.objects.get(code="complaint.stage1.respond.code")
    manager_client.post(
        reverse("admin:sla_commitment_change", args=[commitment.pk]),
        _commitment_form(commitment, amount=8),
    )
    commitment.refresh_from_db()
    assert commitment.amount == 8


def test_other_staff_may_read_the_catalogue_but_not_change_it(repairs_client):
    commitment = Commitment.objects.get(code="enquiry.respond")
    assert repairs_client.get(reverse("admin:sla_commitment_changelist")).status_code == 200

    response = repairs_client.post(
        reverse("admin:sla_commitment_change", args=[commitment.pk]),
        _commitment_form(commitment, amount=1),
    )

    assert response.status_code == 403
    commitment.refresh_from_db()
    assert commitment.amount == 10


def test_a_commitment_cannot_be_deleted(manager_client):
    commitment = Commitment.objects.get(code="enquiry.respond")
    response = manager_client.post(
        reverse("admin:sla_commitment_delete", args=[commitment.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Commitment.objects.filter(code="enquiry.respond").exists()


# --- deadlines -----------------------------------------------------------------------------


def _deadlines(count: int) -> None:
    for _ in range(count):
        services.deadline_start(case=EnquiryFactory(), code="enquiry.acknowledge")


def test_the_deadline_list_runs_a_fixed_number_of_queries(
    manager_client, django_assert_max_num_queries
):
    _deadlines(3)
    manager_client.get(reverse("admin:sla_deadline_changelist"))
    _deadlines(12)
    with django_assert_max_num_queries(12) as captured:
        response = manager_client.get(reverse("admin:sla_deadline_changelist"))
    assert response.status_code == 200
    assert response.content.decode().count("enquiry.acknowledge") >= 15
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1  # the page's own count; never a second, unfiltered one


def test_the_deadline_list_filters_by_state(manager_client):
    _deadlines(2)
    services.sweep_deadlines(now=Deadline.objects.order_by("pk").first().due_at)
    url = reverse("admin:sla_deadline_changelist")
    breached = manager_client.get(url, {"state": "breached"})
    still_open = manager_client.get(url, {"state": "open"})
    assert len(breached.context["cl"].result_list) == 2
    assert len(still_open.context["cl"].result_list) == 0


def test_deadlines_are_read_only_even_for_managers(manager_client):
    _deadlines(1)
    deadline = Deadline.objects.get()
    response = manager_client.post(
        reverse("admin:sla_deadline_change", args=[deadline.pk]), {"amount": 99}
    )
    assert response.status_code == 403
    deadline.refresh_from_db()
    assert deadline.amount == 3
    assert manager_client.get(reverse("admin:sla_deadline_add")).status_code == 403


def test_only_managers_see_the_deadline_list(repairs_client):
    assert repairs_client.get(reverse("admin:sla_deadline_changelist")).status_code == 403
