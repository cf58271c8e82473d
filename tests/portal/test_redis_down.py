"""With Redis stopped, customers still sign in, browse, register and submit forms: the cache and
the session cache go on without it (the outbox already does: a message waits for the sweep).

Redis is "stopped" at the client: the portal's own settings, built with a REDIS_URL whose port
nothing listens on, so every cache call is refused as it would be by a stopped server."""

from __future__ import annotations

import datetime as dt
import runpy
import socket
import threading
import uuid
from pathlib import Path

import pytest
from django.core.cache import caches
from django.urls import reverse

from enquiries.models import Enquiry
from tests.factories import PASSWORD, CustomerFactory

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_stopped(settings, monkeypatch):
    """The cache and session settings the portal builds for production, pointed at a Redis that
    is not there."""
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{_closed_port()}/0")
    built = runpy.run_path(str(Path(settings.BASE_DIR) / "portal" / "settings.py"))
    settings.CACHES = built["CACHES"]
    settings.SESSION_ENGINE = built["SESSION_ENGINE"]
    settings.SESSION_CACHE_ALIAS = built.get("SESSION_CACHE_ALIAS", "default")
    assert "redis" in settings.CACHES["default"]["BACKEND"].lower()
    yield
    for alias in settings.CACHES:
        caches[alias].close()


def test_a_customer_signs_in_browses_and_sends_an_enquiry(client, tenant_a, redis_stopped):
    signed_in = client.post(
        reverse("account_login"), {"login": tenant_a.user.email, "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    assert signed_in["Location"] == reverse("portal:your_home")

    for page in ("portal:your_home", "enquiries:enquiry_list", "enquiries:enquiry_new"):
        assert client.get(reverse(page)).status_code == 200

    sent = client.post(
        reverse("enquiries:enquiry_new"),
        {
            "topic": "rent",
            "subject": "Rent statement",
            "details": "Please send my statement.",
            "idempotency_key": str(uuid.uuid4()),
        },
    )
    enquiry = Enquiry.objects.get()
    assert sent["Location"] == reverse("enquiries:enquiry_detail", args=[enquiry.reference])
    assert enquiry.customer == tenant_a
    assert client.get(sent["Location"]).status_code == 200

    signed_out = client.post(reverse("account_logout"))
    assert signed_out.status_code == 302
    assert client.get(reverse("portal:your_home")).status_code == 302


def test_a_wrong_password_is_refused_and_still_counted(client, tenant_a, redis_stopped):
    wrong = {"login": tenant_a.user.email, "password": "not the password"}
    answers = [client.post(reverse("account_login"), wrong).status_code for _ in range(6)]

    assert set(answers) == {200}
    # The limit still holds while Redis is away (counted in this process).
    right = client.post(
        reverse("account_login"), {"login": tenant_a.user.email, "password": PASSWORD}
    )
    assert right.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_customer_can_register(client, redis_stopped):
    customer = CustomerFactory(
        tenancy__reference="RH-424242",
        tenancy__property__postcode="RV1 1AA",
        date_of_birth=dt.date(1984, 3, 27),
        email="",
    )
    found = client.post(
        reverse("accounts:register"),
        {
            "tenancy_reference": "RH-424242",
            "postcode": "RV1 1AA",
            "date_of_birth_0": "27",
            "date_of_birth_1": "3",
            "date_of_birth_2": "1984",
        },
    )
    assert found["Location"] == reverse("accounts:register_login")

    created = client.post(
        reverse("accounts:register_login"),
        {"email": "priya@example.org", "password": "kettle lantern orchard 42"},
    )
    assert created["Location"] == reverse("accounts:register_done")
    customer.refresh_from_db()
    assert customer.user is not None


def test_every_thread_of_a_process_counts_in_one_place_while_redis_is_away(redis_stopped):
    counts = []

    def count_one_attempt() -> None:
        cache = caches["default"]  # Django gives each thread a cache object of its own
        cache.add("attempts", 0)
        counts.append(cache.incr("attempts"))

    for _ in range(3):
        thread = threading.Thread(target=count_one_attempt)
        thread.start()
        thread.join()

    assert counts == [1, 2, 3]
