"""The deadline sweep runs while every delivery worker is stuck on a hung mail server: the
workers the Procfile starts, each consuming the queues its line names, on an in-memory broker."""

from __future__ import annotations

import shlex
import threading
from contextlib import ExitStack
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from notifications import services as notification_services
from notifications.tasks import deliver_pending
from portal.celery import app
from sla import services as sla_services
from sla.tasks import sweep_deadlines

# Generous: the sweep starts at once when it has a worker of its own, never when it has not.
WAIT_SECONDS = 20


def _procfile_worker_queues() -> list[list[str]]:
    workers = []
    for line in (Path(settings.BASE_DIR) / "Procfile").read_text().splitlines():
        words = shlex.split(line.partition(":")[2])
        if "worker" not in words:
            continue
        queues = [w.removeprefix("--queues=") for w in words if w.startswith("--queues=")]
        workers.append(queues[0].split(",") if queues else [app.conf.task_default_queue])
    return workers


@pytest.fixture
def real_workers(monkeypatch):
    """Celery as it runs for `make run`, but in memory: tasks go through the broker and the
    routes to the Procfile's workers instead of running at once in the test."""
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setitem(app.conf, "broker_url", "memory://")
    monkeypatch.setitem(app.conf, "broker_transport_options", {})
    # Connections and producers made earlier belong to the configured broker: set them aside
    # for the test (monkeypatch puts them back) and close the in-memory ones at its end.
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
    with ExitStack() as stack:
        stack.callback(lambda: app.pool.force_close_all())
        for queues in _procfile_worker_queues():
            stack.enter_context(
                start_worker(
                    app,
                    pool="threads",
                    concurrency=2,
                    queues=queues,
                    perform_ping_check=False,
                    shutdown_timeout=5,
                )
            )
        yield


def test_the_sweep_runs_while_every_delivery_is_stuck_on_the_mail_server(real_workers, monkeypatch):
    mail_server_answers = threading.Event()
    sweep_ran = threading.Event()

    def hung_delivery(now=None):
        mail_server_answers.wait(WAIT_SECONDS * 2)
        return 0

    def sweep(**_options):
        sweep_ran.set()
        return sla_services.SweepResult(breached=0, warned=0)

    monkeypatch.setattr(notification_services, "deliver_pending", hung_delivery)
    monkeypatch.setattr(sla_services, "sweep_deadlines", sweep)
    # The sweep queues its hand-over on the same queue; with no breaches it has nothing to do.
    monkeypatch.setattr(sla_services, "hand_over_claimed", lambda: 0)
    try:
        # More stuck deliveries than any worker has threads, then the minute's sweep.
        for _ in range(6):
            deliver_pending.delay()
        sweep_deadlines.delay()

        assert sweep_ran.wait(WAIT_SECONDS)
    finally:
        mail_server_answers.set()
