from __future__ import annotations

import pytest

from casework import access
from enquiries.models import Enquiry, EnquiryStatus
from kernel.roles import Role


@pytest.fixture(autouse=True)
def _case_registry(monkeypatch):
    """Enquiry registered as the customer services team's case model, as the enquiries app
    registers it, and nothing else: other apps' case models are not this suite's concern."""
    monkeypatch.setattr(access, "_registry", {})
    access.register_case_model(
        Enquiry, staff_roles={Role.CUSTOMER_SERVICES}, statuses=EnquiryStatus
    )


@pytest.fixture
def enquiry_is_sensitive():
    """Treat Enquiry as a sensitive case model (as domestic-abuse reports will be): the ASB
    team only, and only the reporter in the household."""
    access.register_case_model(
        Enquiry, staff_roles={Role.ASB}, statuses=EnquiryStatus, sensitive=True
    )


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
