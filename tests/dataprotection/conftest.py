from __future__ import annotations

import pytest

from tests.dataprotection.factories import data_protection_officer


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture
def officer(db):
    """The data-protection officer."""
    return data_protection_officer()


@pytest.fixture
def staff_client(client, officer):
    client.force_login(officer)
    return client
