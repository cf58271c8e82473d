"""Time the lettings pages at volume: the public advert list, the lettings queue and shortlisting
an advert with many expressions of interest. Prints one line per figure.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/homes_bench_lettings DEBUG=true \\
        .venv/bin/python manage.py seed_bulk --homes 100000
    DATABASE_URL=... DEBUG=true .venv/bin/python bench/lettings_bench.py \\
        --voids 2000 --applicants 20000 --interest 500

The first run adds the lettings volume to the homes ``seed_bulk`` made (once; a second run
finds it and only times): ``--voids`` empty homes, each advertised (half still open, a quarter
closed and waiting for an offer, a quarter let), ``--applicants`` households' interest spread
over the open adverts, and one closed advert with ``--interest`` expressions of interest.
Shortlisting changes that advert, so each timed call runs in a transaction rolled back after.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time

from _setup import count_queries, database_label, ms, setup_django, timed

BENCH_TITLE = "Bench advert with interest"


def _seed(*, voids: int, applicants: int, interest: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from lettings.models import (
        Advert,
        AdvertStatus,
        Application,
        ApplicationStatus,
        Band,
        Void,
    )
    from tenancy.models import Customer, Tenancy

    now = timezone.now()
    today = timezone.localdate()
    rng = random.Random(2026)  # noqa: S311 - repeatable volume, not security
    tenancies = list(
        Tenancy.objects.filter(end_date__isnull=True)
        .order_by("pk")
        .values_list("pk", "property_id")[: voids + applicants + interest]
    )
    if len(tenancies) < voids + applicants + interest:
        raise SystemExit("Not enough homes: run seed_bulk with more --homes first.")
    with transaction.atomic():
        void_rows = [
            Void(
                property_id=property_id,
                former_tenancy_id=tenancy_id,
                end_reason="Bench",
                keys_returned_on=today - dt.timedelta(days=rng.randint(1, 120)),
                signed_off_at=now,
            )
            for tenancy_id, property_id in tenancies[:voids]
        ]
        Void.objects.bulk_create(void_rows, batch_size=1000)
        adverts = []
        for index, void in enumerate(Void.objects.filter(end_reason="Bench").order_by("pk")):
            quarter = index % 4
            status = [AdvertStatus.OPEN, AdvertStatus.OPEN, AdvertStatus.CLOSED, AdvertStatus.LET][
                quarter
            ]
            closes_at = (
                now + dt.timedelta(days=rng.randint(1, 14))
                if status == AdvertStatus.OPEN
                else now - dt.timedelta(days=rng.randint(1, 30))
            )
            adverts.append(
                Advert(
                    void=void,
                    property_id=void.property_id,
                    title=BENCH_TITLE if index == 2 else f"{rng.randint(1, 4)} bedroom home",
                    area="Riverton",
                    bedrooms=rng.randint(1, 4),
                    property_type="House",
                    rent_weekly_pence=rng.randint(9_000, 16_000),
                    service_charge_weekly_pence=rng.randint(0, 2_000),
                    is_adapted=rng.random() < 0.1,
                    closes_at=closes_at,
                    closed_at=None if status == AdvertStatus.OPEN else closes_at,
                    status=status,
                )
            )
        Advert.objects.bulk_create(adverts, batch_size=1000)
        open_ids = list(
            Advert.objects.filter(status=AdvertStatus.OPEN).values_list("pk", flat=True)
        )
        bench_advert = Advert.objects.get(title=BENCH_TITLE)
        lead_by_tenancy = dict(
            Customer.objects.filter(tenancy_id__in=[t for t, _ in tenancies[voids:]]).values_list(
                "tenancy_id", "pk"
            )
        )
        rows = []
        people = tenancies[voids:]
        for number, (tenancy_id, property_id) in enumerate(people):
            is_bench = number >= applicants
            rows.append(
                Application(
                    reference=f"LBN-{number:08d}",
                    customer_id=lead_by_tenancy[tenancy_id],
                    tenancy_id=tenancy_id,
                    property_id=property_id,
                    status=ApplicationStatus.INTERESTED,
                    opened_at=now - dt.timedelta(minutes=rng.randint(1, 20_000)),
                    advert_id=bench_advert.pk if is_bench else rng.choice(open_ids),
                    band=rng.choice(Band.values),
                    band_date=today - dt.timedelta(days=rng.randint(1, 2_000)),
                    needs_adapted_home=rng.random() < 0.05,
                )
            )
        Application.objects.bulk_create(rows, batch_size=2000)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("lettings_void", "lettings_advert", "lettings_application"):
                cursor.execute(f"ANALYZE {table}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voids", type=int, default=2000)
    parser.add_argument("--applicants", type=int, default=20000)
    parser.add_argument("--interest", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=15)
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
    from lettings import selectors
    from lettings.models import Advert, Application
    from lettings.services import advert_shortlist
    from tenancy.models import Property

    if not Advert.objects.filter(title=BENCH_TITLE).exists():
        start = time.perf_counter()
        _seed(voids=args.voids, applicants=args.applicants, interest=args.interest)
        print(f"lettings: seeded in {time.perf_counter() - start:.1f} s")
    bench_advert = Advert.objects.get(title=BENCH_TITLE)
    print(
        f"lettings: database {database_label()} holds {Property.objects.count()} homes, "
        f"{Advert.objects.count()} adverts, {Application.objects.count()} applications, "
        f"{Application.objects.filter(advert=bench_advert).count()} on the shortlisted advert"
    )

    setup_test_environment()
    client = Client()
    url = reverse("lettings:advert_list")
    median, worst, response = timed(lambda: client.get(url), repeat=args.repeat)
    assert response.status_code == 200
    print(
        f"lettings: public advert list page: p50 {ms(median)} (worst {ms(worst)}), "
        f"{count_queries(lambda: client.get(url))} queries"
    )
    first_page = lambda: list(selectors.adverts_open()[: selectors.ADVERTS_PER_PAGE])  # noqa: E731
    median, worst, _ = timed(first_page, repeat=args.repeat)
    print(f"lettings: public advert list selector: p50 {ms(median)} (worst {ms(worst)})")

    officer, _ = User.objects.get_or_create(
        email="lettings-bench@example.org", defaults={"is_staff": True}
    )
    officer.groups.add(Group.objects.get(name=Role.LETTINGS.label))
    Authenticator.objects.get_or_create(
        user=officer,
        type=Authenticator.Type.TOTP,
        defaults={"data": {"secret": "JBSWY3DPEHPK3PXP"}},
    )
    staff = Client()
    staff.force_login(officer)
    queue_url = reverse("lettings:staff_queue")
    median, worst, response = timed(lambda: staff.get(queue_url), repeat=args.repeat)
    assert response.status_code == 200, response.status_code
    print(
        f"lettings: lettings queue page: p50 {ms(median)} (worst {ms(worst)}), "
        f"{count_queries(lambda: staff.get(queue_url))} queries"
    )

    def shortlist_rolled_back() -> None:
        with transaction.atomic():
            advert_shortlist(advert=bench_advert, actor=officer, size=5)
            transaction.set_rollback(True)

    median, worst, _ = timed(shortlist_rolled_back, repeat=args.repeat)
    print(
        f"lettings: shortlisting an advert with {args.interest} expressions of interest "
        f"(the first 5 by priority): p50 {ms(median)} (worst {ms(worst)})"
    )
    shortlist_url = reverse("lettings:staff_shortlist", args=[bench_advert.pk])
    median, worst, _ = timed(lambda: staff.get(shortlist_url), repeat=args.repeat)
    print(f"lettings: shortlist page (first 50 by priority): p50 {ms(median)} (worst {ms(worst)})")


if __name__ == "__main__":
    main()
