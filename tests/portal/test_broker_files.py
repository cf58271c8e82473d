"""The file-system broker (used when no REDIS_URL is set) keeps its files under var/, wherever
a command is started."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from kombu import Connection, Exchange, Queue


def test_a_worker_binding_a_broadcast_queue_writes_nothing_where_it_was_started(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    options = settings.FILESYSTEM_BROKER_OPTIONS
    for folder in ("data_folder_in", "processed_folder", "control_folder"):
        Path(options[folder]).parent.mkdir(parents=True, exist_ok=True)
        Path(options[folder]).mkdir(exist_ok=True)

    # What a worker does at start for the remote-control and event exchanges.
    with Connection("filesystem://", transport_options=options) as connection:
        channel = connection.channel()
        broadcast = Exchange("portal-test.pidbox", type="fanout")
        Queue("portal-test.pidbox.queue", exchange=broadcast)(channel).declare()

    assert list(tmp_path.iterdir()) == []
    written = Path(options["control_folder"]) / "portal-test.pidbox.exchange"
    assert written.parent.is_relative_to(settings.VAR_DIR)
    assert written.exists()
    written.unlink()
