"""Time the manager dashboard at volume: the rollup refresh, each selector, and the page itself
through Django's test client signed in as a manager. Prints one line per figure.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/homes_bench DEBUG=true \\
        .venv/bin/python bench/dashboard_bench.py

With ``--live-only`` it also times the selectors with the rollups ignored (everything counted
from the deadline table), the alternative docs/decisions/0001-dashboard-rollups.md rejects.
"""

from __future__ import annotations

import argparse
import time

from _setup import count_queries, database_label, ms, setup_django, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--live-only", action="store_true", help="also time the selectors without the rollups"
    )
    args = parser.parse_args()
    setup_django()

    from allauth.mfa.models import Authenticator
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from accounts.models import User
    from kernel.roles import Role
    from performance.models import RollupWatermark
    from performance.selectors import breaches_to_act_on, commitment_performance, weekly_trend
    from performance.services import rollups_refresh
    from sla.models import Deadline

    deadlines = Deadline.objects.count()
    unmet = Deadline.objects.filter(met_at__isnull=True).count()
    print(f"dashboard: database {database_label()} holds {deadlines} deadlines, {unmet} unmet")

    start = time.perf_counter()
    refresh = rollups_refresh(full=True)
    print(
        f"dashboard: rollup refresh, full ({refresh.first_day} to {refresh.last_day}, "
        f"{refresh.rows} rows): {time.perf_counter() - start:.2f} s"
    )
    start = time.perf_counter()
    refresh = rollups_refresh()
    print(
        f"dashboard: rollup refresh, last {(refresh.last_day - refresh.first_day).days + 1} "
        f"days ({refresh.rows} rows): {ms(time.perf_counter() - start)}"
    )

    selectors = {
        "commitment_performance": commitment_performance,
        "weekly_trend": weekly_trend,
        "breaches_to_act_on": breaches_to_act_on,
    }
    for name, selector in selectors.items():
        median, worst, _ = timed(selector, repeat=args.repeat)
        print(
            f"dashboard: {name} at {deadlines} deadlines: median {ms(median)} "
            f"(worst {ms(worst)}), {count_queries(selector)} queries"
        )

    if args.live_only:
        # Inside a transaction that is rolled back: the watermark is gone only for this run.
        with transaction.atomic():
            RollupWatermark.objects.all().delete()
            for name in ("commitment_performance", "weekly_trend"):
                median, worst, _ = timed(selectors[name], repeat=3, warmup=1)
                print(
                    f"dashboard: {name} without rollups (all live) at {deadlines} deadlines: "
                    f"median {ms(median)} (worst {ms(worst)})"
                )
            transaction.set_rollback(True)

    setup_test_environment()  # lets the test client's host in; mail goes nowhere
    manager, created = User.objects.get_or_create(
        email="bench-manager@bench.example", defaults={"is_staff": True}
    )
    if created:
        manager.set_unusable_password()
        manager.save()
    manager.groups.add(Group.objects.get(name=Role.MANAGER.label))
    # Staff pages open only to staff with an authenticator app.
    Authenticator.objects.get_or_create(
        user=manager,
        type=Authenticator.Type.TOTP,
        defaults={"data": {"secret": "JBSWY3DPEHPK3PXP"}},
    )
    client = Client()
    client.force_login(manager)
    for name, url in (
        ("page /performance/", reverse("performance:dashboard")),
        ("CSV export", reverse("performance:export_csv")),
    ):

        def get(url=url):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            return response

        median, worst, response = timed(get, repeat=args.repeat)
        print(
            f"dashboard: {name} through the test client as a manager: median {ms(median)} "
            f"(worst {ms(worst)}), {count_queries(get)} queries, "
            f"{len(response.content) // 1024} KiB"
        )


if __name__ == "__main__":
    main()
