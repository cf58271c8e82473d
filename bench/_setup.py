"""Shared start-up for the benchmark scripts: Django on the database in DATABASE_URL.

Benchmarks run against a database of their own (see README.md), never the test database, and
print one line per figure. They are reports, not pass/fail tests.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.db import connection

    name = connection.settings_dict["NAME"] or ""
    if str(name).startswith("test_"):
        sys.exit(f"Refusing to benchmark on a test database ({name}).")


def database_label() -> str:
    from django.db import connection

    return f"{connection.vendor} {connection.settings_dict['NAME']}"


def timed(
    function: Callable[[], object],
    *,
    repeat: int = 7,
    warmup: int = 2,
) -> tuple[float, float, object]:
    """Median and worst wall time in seconds of ``repeat`` calls after ``warmup`` calls, and the
    last result."""
    result = None
    for _ in range(warmup):
        result = function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times), result


def count_queries(function: Callable[[], object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"
