"""Personas shared by every test: two tenants in different homes, a joint tenant, each staff
role, and the anonymous visitor (the plain ``client``)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from kernel.roles import Role
from tenancy.models import HouseholdRole
from tests.factories import CustomerWithLoginFactory, StaffFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits live in the cache; one test's attempts must not count against the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tenant_a(db):
    return CustomerWithLoginFactory(first_name="Amina", last_name="Khan")


@pytest.fixture
def tenant_b(db):
    """A tenant in another home: must never see tenant A's records."""
    return CustomerWithLoginFactory(first_name="Ben", last_name="Okafor")


@pytest.fixture
def joint_tenant_a(db, tenant_a):
    return CustomerWithLoginFactory(
        tenancy=tenant_a.tenancy,
        first_name="Sam",
        last_name="Khan",
        household_role=HouseholdRole.JOINT_TENANT,
    )


@pytest.fixture
def client_a(client, tenant_a):
    client.force_login(tenant_a.user)
    return client


def _staff(role: Role):
    return StaffFactory(roles=[role], first_name=role.label, last_name="Officer")


@pytest.fixture
def customer_services_officer(db):
    return _staff(Role.CUSTOMER_SERVICES)


@pytest.fixture
def repairs_officer(db):
    return _staff(Role.REPAIRS)


@pytest.fixture
def complaints_officer(db):
    return _staff(Role.COMPLAINTS)


@pytest.fixture
def asb_officer(db):
    return _staff(Role.ASB)


@pytest.fixture
def manager(db):
    return _staff(Role.MANAGER)


@pytest.fixture
def require_postgres(db):
    """For tests that need real concurrent connections. On SQLite (the embedded default) they
    cannot run; CI sets REQUIRE_POSTGRES_TESTS=1 and runs on PostgreSQL, where they must."""
    import os

    from django.db import connection

    if connection.vendor == "postgresql":
        return True
    if os.environ.get("REQUIRE_POSTGRES_TESTS") == "1":
        pytest.fail("REQUIRE_POSTGRES_TESTS=1 but the test database is not PostgreSQL.")
    return False


def pytest_collection_modifyitems(config, items):
    """Tests marked postgres_only need two real database connections. On the embedded SQLite
    default they are reported as not run, with the reason; CI runs them on PostgreSQL and sets
    REQUIRE_POSTGRES_TESTS=1 so that they can never be silently left out there."""
    import os

    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" in engine:
        return
    if os.environ.get("REQUIRE_POSTGRES_TESTS") == "1":
        raise pytest.UsageError("REQUIRE_POSTGRES_TESTS=1 but DATABASE_URL is not PostgreSQL.")
    for item in items:
        if item.get_closest_marker("postgres_only"):
            item.add_marker(
                pytest.mark.skipif(True, reason="needs PostgreSQL (set DATABASE_URL); CI runs it")
            )


@pytest.fixture(autouse=True)
def _clear_sms_outbox():
    from notifications.sms import MemorySmsBackend

    MemorySmsBackend.outbox.clear()
    yield
    MemorySmsBackend.outbox.clear()


def _reseed_reference_data() -> None:
    """Run again every data migration of ours (role groups, the commitment catalogue, teams).

    A transactional test ends by emptying every table, which also removes the rows our data
    migrations made; later tests on the same worker would then find no catalogue. Each of those
    migrations is idempotent, so running them again is safe.
    """
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython

    from portal.management.commands.seed_demo import OUR_APPS

    loader = MigrationLoader(None, ignore_no_migrations=True)
    for (app_label, _name), migration in sorted(loader.disk_migrations.items()):
        if app_label not in OUR_APPS:
            continue
        for operation in migration.operations:
            if isinstance(operation, RunPython):
                operation.code(apps, None)


def _is_transactional(item) -> bool:
    fixtures = getattr(item, "fixturenames", ())
    if "transactional_db" in fixtures or "live_server" in fixtures:
        return True
    marker = item.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # After every fixture's teardown, so after a transactional test's flush.
    yield
    # With no next test the session's teardown has already dropped the test database.
    if nextitem is not None and _is_transactional(item):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            _reseed_reference_data()


@pytest.fixture(autouse=True)
def _fresh_working_day_calendar(request):
    """Load the calendar (bank holidays and closure days) before the test body runs.

    Every page asks it whether web chat is open, and it reads closure days once per process and
    again every five minutes. Loading it here keeps that read out of every pinned query count
    and keeps one test's closure days from leaking into the next.
    """
    marker = request.node.get_closest_marker("django_db")
    in_transaction = "db" in request.fixturenames or (
        marker is not None and not _is_transactional(request.node)
    )
    if not in_transaction:
        yield
        return
    from django.utils import timezone

    from sla import calendar

    if "db" in request.fixturenames:
        request.getfixturevalue("db")  # the test asks for it anyway; open it before we read
    calendar.reset_cache()
    calendar.is_working_day(timezone.localdate())
    yield
    calendar.reset_cache()
