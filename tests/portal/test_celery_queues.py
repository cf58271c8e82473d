"""The deadline sweep runs on a queue and a worker of its own, so that deliveries stuck on a
hung mail server (each send may wait EMAIL_TIMEOUT, and every delivery worker can be waiting)
never hold up the marking of breaches."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from django.conf import settings

from portal.celery import app

ROOT = Path(settings.BASE_DIR)
SWEEP = "sla.tasks.sweep_deadlines"
# Writes the breaches' events and queues their emails: escalation, so it must not wait either.
HAND_OVER = "sla.tasks.hand_over_claimed"
DELIVERY = ["notifications.tasks.deliver_message", "notifications.tasks.deliver_pending"]


def _queue_of(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def _queues_consumed(command: list[str]) -> set[str]:
    for position, word in enumerate(command):
        if word.startswith("--queues="):
            return set(word.removeprefix("--queues=").split(","))
        if word in ("-Q", "--queues"):
            return set(command[position + 1].split(","))
    return {app.conf.task_default_queue}  # a worker given no queue consumes the default one


def _procfile_workers() -> dict[str, set[str]]:
    workers = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        words = shlex.split(command)
        if "worker" in words and any(word.endswith("celery") for word in words):
            workers[name.strip()] = _queues_consumed(words)
    return workers


def _compose_workers() -> dict[str, set[str]]:
    text = (ROOT / "docker-compose.yml").read_text()
    workers = {}
    for service, command in re.findall(
        r"^  ([a-z-]+):\n(?:    .*\n)*?    command: (\[[^\]]*\])", text, flags=re.MULTILINE
    ):
        words = [word.strip().strip('"') for word in command.strip("[]").split(",")]
        if words[:4] == ["celery", "-A", "portal", "worker"]:
            workers[service] = _queues_consumed(words)
    return workers


def test_the_sweep_goes_to_the_clocks_queue_and_delivery_does_not():
    assert _queue_of(SWEEP) == "clocks"
    assert _queue_of(HAND_OVER) == "clocks"
    for task in DELIVERY:
        assert _queue_of(task) != "clocks"


def test_the_beat_schedule_sends_the_sweep_without_overriding_its_queue():
    entry = next(e for e in app.conf.beat_schedule.values() if e["task"] == SWEEP)
    assert entry.get("options", {}).get("queue", "clocks") == "clocks"


@pytest.mark.parametrize("where", ["Procfile", "docker-compose.yml"])
def test_one_worker_runs_the_clocks_and_nothing_that_can_hang_on_the_mail_server(where):
    workers = _procfile_workers() if where == "Procfile" else _compose_workers()
    delivery_queues = {_queue_of(task) for task in DELIVERY}

    clock_workers = [name for name, queues in workers.items() if "clocks" in queues]
    assert len(clock_workers) == 1
    assert not workers[clock_workers[0]] & delivery_queues
    # ...and every queue a task can be routed to has a worker.
    consumed = set().union(*workers.values())
    assert delivery_queues | {"clocks"} <= consumed
