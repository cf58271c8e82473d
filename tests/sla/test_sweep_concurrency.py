"""Two sweeps at once, on two real database connections, split the work and never claim a
row twice. Needs PostgreSQL: SQLite has one writer at a time, so there is no race to test
(the single-connection half is in test_sweep.py)."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from sla import hooks, services
from sla.models import ClaimedBatch, ClockType, Commitment, Deadline
from tests.sla.factories import EnquiryFactory

ROWS = 300
NOW = dt.datetime(2026, 1, 14, 9, 0, tzinfo=dt.UTC)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_claim_each_breach_exactly_once(require_postgres, monkeypatch):
    assert connection.vendor == "postgresql"
    case = EnquiryFactory()
    commitment = Commitment.objects.get(code="asb.hate_crime.acknowledge")
    due = NOW - dt.timedelta(hours=1)
    Deadline.objects.bulk_create(
        Deadline(
            content_type=ContentType.objects.get_for_model(case),
            object_id=case.pk,
            commitment=commitment,
            clock=ClockType.HOURS,
            amount=24,
            started_at=due - dt.timedelta(hours=24),
            original_due_at=due - dt.timedelta(seconds=n),
            due_at=due - dt.timedelta(seconds=n),
        )
        for n in range(ROWS)
    )

    claimed: dict[str, list[int]] = {"a": [], "b": []}
    handed: list[int] = []
    batch_sizes: list[int] = []
    lock = threading.Lock()
    claim = services._claim_breaches

    def slow_claim(now, batch_size):
        rows = claim(now, batch_size)
        # Hold the batch's row locks a moment, so the other sweep meets them and skips them.
        with lock:
            claimed.setdefault(threading.current_thread().name, []).extend(row[0] for row in rows)
            batch_sizes.append(len(rows))
        time.sleep(0.02)
        return rows

    def handler(deadlines):
        with lock:
            handed.extend(d.pk for d in deadlines)
        time.sleep(0.01)

    monkeypatch.setattr(services, "_claim_breaches", slow_claim)
    monkeypatch.setattr(hooks, "_breach_handlers", [handler])
    monkeypatch.setattr(hooks, "_warning_handlers", [])
    start = threading.Barrier(2)
    results: dict[str, services.SweepResult] = {}
    errors: list[BaseException] = []

    def sweep():
        try:
            start.wait()
            results[threading.current_thread().name] = services.sweep_deadlines(
                now=NOW, batch_size=20
            )
        except BaseException as error:  # noqa: BLE001 - re-raised in the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep, name=name) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    all_claimed = claimed["a"] + claimed["b"]
    assert len(all_claimed) == len(set(all_claimed)) == ROWS  # each row once, none missed
    assert claimed["a"] and claimed["b"]  # the two really ran side by side and shared
    assert max(batch_sizes) <= 20  # and neither claimed more than a batch at a time
    assert results["a"].breached + results["b"].breached == ROWS
    assert results["a"].breached == len(claimed["a"])
    # Both sweeps then handed batches over side by side: each batch once, none left.
    assert sorted(handed) == sorted(all_claimed)
    assert not ClaimedBatch.objects.exists()
    assert Deadline.objects.filter(breached_at=NOW).count() == ROWS
    assert services.sweep_deadlines(now=NOW + dt.timedelta(minutes=1)).breached == 0
