"""A persistent database connection that died between requests (the database restarted) is
replaced before the next request uses it, instead of answering that request with a 500."""

from __future__ import annotations

import pytest
from django.db import connections


def _probe_the_server(wrapper):
    """What PostgreSQL's ``is_usable`` does (SQLite's always says yes): ask the server."""

    def is_usable() -> bool:
        try:
            wrapper.connection.execute("SELECT 1")
        except Exception:  # sqlite3's or psycopg's error for a closed connection
            return False
        return True

    return is_usable


@pytest.fixture
def kept_connection(tmp_path):
    """A second connection configured as the portal's, to a database it may close: SQLite
    refuses to close an in-memory test database, so on SQLite it opens a file instead."""
    default = connections["default"]
    settings_dict = dict(default.settings_dict)
    if default.vendor == "sqlite" and default.is_in_memory_db():
        settings_dict["NAME"] = str(tmp_path / "kept.sqlite3")
    wrapper = type(default)(settings_dict, alias="kept")
    yield wrapper
    wrapper.close()


@pytest.mark.django_db
def test_a_connection_that_died_between_requests_is_replaced(kept_connection, monkeypatch):
    kept_connection.ensure_connection()
    monkeypatch.setattr(kept_connection, "is_usable", _probe_the_server(kept_connection))
    # The server went away while the worker was idle: the connection it kept is dead.
    kept_connection.connection.close()
    # What Django does at the start of every request (close_old_connections).
    kept_connection.close_if_unusable_or_obsolete()

    with kept_connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
