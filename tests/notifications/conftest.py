from __future__ import annotations

import pytest

from notifications.sms import MemorySmsBackend


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    MemorySmsBackend.outbox.clear()
    yield
    MemorySmsBackend.outbox.clear()


@pytest.fixture(autouse=True)
def _letters_in_tmp(settings, tmp_path):
    # Printed letters are files; each test gets its own print room.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
