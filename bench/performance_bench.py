"""Time what the performance app publishes, at volume: the public page (from the rollups, not
live), the full TSM return for this reporting year, and the Board's monthly PDF. Prints one
line per figure.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/homes_bench DEBUG=true \\
        .venv/bin/python bench/performance_bench.py

Targets (issue: published performance): the public page under 50 ms (p50), the TSM return
under 2 s, the Board PDF under 10 s. The complaints and repairs the return counts come from
``seed_bulk_repairs`` (repairs) and whatever complaints the database holds; on a database
loaded by ``seed_bulk`` alone CH01/CH02 count the enquiries' homes only.
"""

from __future__ import annotations

import argparse
import time

from _setup import count_queries, database_label, ms, setup_django, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    setup_django()

    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from kernel.reporting import reporting_year_containing
    from performance.publication import compute_published_performance, published_performance
    from performance.services import (
        board_report_generate,
        published_figures_refresh,
        rollups_refresh,
    )
    from performance.tsm.returns import tsm_return
    from performance.windows import add_months, local_date, month_start
    from sla.models import Deadline

    deadlines = Deadline.objects.count()
    print(f"performance: database {database_label()} holds {deadlines} deadlines")
    start = time.perf_counter()
    refresh = rollups_refresh(full=True)
    print(
        f"performance: rollup refresh, full ({refresh.first_day} to {refresh.last_day}, "
        f"{refresh.rows} rows): {time.perf_counter() - start:.2f} s"
    )
    start = time.perf_counter()
    written = published_figures_refresh()
    print(
        f"performance: nightly TSM refresh ({written} lines, two years): "
        f"{time.perf_counter() - start:.2f} s"
    )

    today = local_date(timezone.now())
    year = reporting_year_containing(today)
    median, worst, tsm = timed(lambda: tsm_return(year), repeat=3, warmup=1)
    print(
        f"performance: TSM return {year.label} ({tsm.recorded_count} of {len(tsm.lines)} lines "
        f"recorded): median {ms(median)} (worst {ms(worst)}), "
        f"{count_queries(lambda: tsm_return(year))} queries"
    )

    median, worst, _ = timed(lambda: compute_published_performance(today=today), repeat=args.repeat)
    print(
        f"performance: published figures worked out from the rollups (not kept): median "
        f"{ms(median)} (worst {ms(worst)}), "
        f"{count_queries(lambda: compute_published_performance(today=today))} queries"
    )
    median, worst, _ = timed(lambda: published_performance(today=today), repeat=args.repeat)
    print(
        f"performance: published_performance selector, kept until the next refresh: median "
        f"{ms(median)} (worst {ms(worst)}), "
        f"{count_queries(lambda: published_performance(today=today))} queries"
    )

    setup_test_environment()
    client = Client()
    for name, url in (
        ("public page", reverse("performance:published")),
        ("public CSV", reverse("performance:published_csv")),
        ("public JSON", reverse("performance:published_json")),
    ):

        def get(url=url):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            return response

        median, worst, response = timed(get, repeat=args.repeat)
        print(
            f"performance: {name} through the test client, anonymous: median {ms(median)} "
            f"(worst {ms(worst)}), {count_queries(get)} queries, "
            f"{len(response.content) // 1024} KiB"
        )

    last_month = add_months(month_start(today), -1)
    median, worst, report = timed(
        lambda: board_report_generate(month=last_month), repeat=3, warmup=1
    )
    print(
        f"performance: Board report PDF for {last_month:%B %Y} (generated and kept): "
        f"median {median:.2f} s (worst {worst:.2f} s), {len(bytes(report.pdf)) // 1024} KiB"
    )


if __name__ == "__main__":
    main()
