"""Two presses of "Send" arriving at once, on two real database connections, make one
complaint; two officers escalating at once make one Final Review. Needs PostgreSQL: SQLite has
one writer at a time, so there is no race (the one-connection half is in test_stage1.py)."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection, connections

from complaints.models import Complaint
from sla.models import Deadline
from tests.complaints.factories import receive
from tests.factories import CustomerWithLoginFactory


def _race(target, runs: int = 2) -> list[BaseException]:
    start = threading.Barrier(runs)
    errors: list[BaseException] = []

    def run():
        try:
            start.wait()
            target()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_make_one_complaint(require_postgres):
    assert connection.vendor == "postgresql"
    customer = CustomerWithLoginFactory()
    key = uuid.uuid4()

    errors = _race(lambda: receive(customer, idempotency_key=key))

    assert errors == []
    assert Complaint.objects.count() == 1
    assert Deadline.objects.count() == 3


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_escalations_make_one_final_review(require_postgres):
    from complaints.services import complaint_escalate
    from kernel.roles import Role
    from tests.complaints.factories import acknowledge, respond
    from tests.factories import StaffFactory

    assert connection.vendor == "postgresql"
    officer = StaffFactory(roles=[Role.COMPLAINTS])
    complaint = receive(CustomerWithLoginFactory())
    acknowledge(complaint, officer)
    respond(complaint, officer)

    errors = _race(lambda: complaint_escalate(complaint=Complaint.objects.get(pk=complaint.pk)))

    assert errors == []
    assert (
        Deadline.objects.for_case(complaint)
        .filter(commitment__code__startswith="complaint.stage2.")
        .count()
        == 3
    )
