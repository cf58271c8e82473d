"""Time TP01-TP12 for a year and the portal home page with news and the estate's latest
inspection, at volume. Prints one line per figure.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/homes_bench DEBUG=true \\
        .venv/bin/python bench/engagement_bench.py --responses 200000

Needs the homes of ``seed_bulk`` (100,000 for the issue's figures). The first run adds the
responses (two survey waves in one reporting year, each answered once by up to one person per
home: the database allows one set of answers per person per survey), an estate of 200 blocks
with 2,000 published inspections, and 20 news items; later runs reuse them.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from _setup import count_queries, database_label, ms, setup_django, timed

ANSWERS = (
    "very_satisfied",
    "fairly_satisfied",
    "neither",
    "fairly_dissatisfied",
    "very_dissatisfied",
)
AGREEMENT = ("strongly_agree", "tend_to_agree", "neither", "tend_to_disagree", "strongly_disagree")
BENCH_TITLE = "Benchmark wave"


def seed(responses: int, rng: random.Random) -> None:
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from engagement.models import NewsItem, Survey, SurveyResponse
    from kernel.reporting import reporting_year_containing
    from neighbourhoods.models import ChecklistItem, Estate, Inspection, InspectionScore
    from tenancy.models import Block, Customer

    if Survey.objects.filter(title__startswith=BENCH_TITLE).exists():
        return
    now = timezone.now()
    year = reporting_year_containing(timezone.localdate())
    staff, _ = User.objects.get_or_create(
        email="bench-officer@example.org", defaults={"is_staff": True}
    )
    customers = list(
        Customer.objects.order_by("pk").values_list("pk", "tenancy__property__stock_class")
    )
    waves = (responses + len(customers) - 1) // len(customers)
    started = time.perf_counter()
    with transaction.atomic():
        left = responses
        for wave in range(waves):
            survey = Survey.objects.create(
                title=f"{BENCH_TITLE} {wave + 1}",
                first_year=year.first_year,
                opens_on=year.starts,
                closes_on=year.ends,
                created_by=staff,
                created_at=now,
            )
            batch = []
            for customer_id, stock_class in customers[:left]:
                if stock_class not in ("lcra", "lcho"):
                    stock_class = "lcra"
                had_repair = rng.random() < 0.6
                complained = rng.random() < 0.15
                communal = rng.random() < 0.4
                batch.append(
                    SurveyResponse(
                        survey=survey,
                        customer_id=customer_id,
                        stock_class=stock_class,
                        method=rng.choice(("portal", "telephone", "paper")),
                        responded_at=now,
                        tp01=rng.choice(ANSWERS),
                        had_repair="yes" if had_repair else "no",
                        tp02=rng.choice(ANSWERS) if had_repair else "",
                        tp03=rng.choice(ANSWERS) if had_repair else "",
                        tp04=rng.choice(ANSWERS),
                        tp05=rng.choice(ANSWERS),
                        tp06=rng.choice(ANSWERS),
                        tp07=rng.choice(ANSWERS),
                        tp08=rng.choice(AGREEMENT),
                        made_complaint="yes" if complained else "no",
                        tp09=rng.choice(ANSWERS) if complained else "",
                        has_communal_areas="yes" if communal else "no",
                        tp10=rng.choice(ANSWERS) if communal else "",
                        tp11=rng.choice((*ANSWERS, "not_applicable")),
                        tp12=rng.choice((*ANSWERS, "not_applicable")),
                    )
                )
                if len(batch) == 10_000:
                    SurveyResponse.objects.bulk_create(batch)
                    batch = []
            SurveyResponse.objects.bulk_create(batch)
            left -= min(left, len(customers))
        estate = Estate.objects.create(name="Benchmark Estate")
        blocks = Block.objects.bulk_create(
            Block(name=f"Bench Block {n}", address="Bench Road", postcode="RV9 9ZZ", storeys=4)
            for n in range(200)
        )
        estate.blocks.set(blocks)
        for n in range(2_000):
            inspection = Inspection.objects.create(
                block=blocks[n % len(blocks)],
                inspected_on=year.starts,
                officer=staff,
                published_at=now,
            )
            InspectionScore.objects.bulk_create(
                InspectionScore(inspection=inspection, item=item, score=rng.randint(1, 5))
                for item in ChecklistItem
            )
        NewsItem.objects.bulk_create(
            NewsItem(
                title=f"News {n}",
                summary="Summary",
                body="Body",
                created_by=staff,
                created_at=now,
                published_at=now,
            )
            for n in range(20)
        )
        # The benchmark's resident lives in the first block.
        first = Customer.objects.select_related("tenancy__property").order_by("pk").first()
        first.tenancy.property.block = blocks[0]
        first.tenancy.property.save(update_fields=["block"])
    from engagement.services import perception_tallies_rebuild

    # Rows loaded in bulk are counted as a contractor's bulk load is: by a recount.
    for survey in Survey.objects.filter(title__startswith=BENCH_TITLE):
        recount_started = time.perf_counter()
        perception_tallies_rebuild(survey=survey)
        print(f"engagement: recount of {survey.title}: {ms(time.perf_counter() - recount_started)}")
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("engagement_surveyresponse", "neighbourhoods_inspection"):
                cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"engagement: seeded {responses} responses in {time.perf_counter() - started:.1f} s")


def profile_home_page(client) -> None:
    """The signed-in home page's queries, each with its time, and where 50 requests spend it."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get("/")
    for query in captured.captured_queries:
        print(f"engagement: query {query['time']} s: {query['sql'][:300]}")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(50):
        client.get("/")
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also print the signed-in home page's queries and a profile of 50 requests",
    )
    args = parser.parse_args()
    setup_django()

    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from engagement.models import SurveyResponse
    from engagement.selectors import perception_measures
    from kernel.reporting import reporting_year_containing
    from tenancy.models import Customer, Property

    seed(args.responses, random.Random(2026))
    year = reporting_year_containing(timezone.localdate())
    homes = Property.objects.count()
    answers = SurveyResponse.objects.filter(survey__first_year=year.first_year).count()
    print(f"engagement: database {database_label()}, {homes} homes, {answers} responses this year")

    median, worst, figures = timed(lambda: perception_measures(year), repeat=args.repeat)
    queries = count_queries(lambda: perception_measures(year))
    print(
        f"engagement: perception_measures (TP01-TP12, LCRA and LCHO) at {answers} responses: "
        f"median {ms(median)} (worst {ms(worst)}), {queries} query"
    )
    tp01 = next(f for f in figures if f.code == "TP01" and f.stock_class == "lcra")
    print(f"engagement: TP01 LCRA {tp01.numerator}/{tp01.denominator} = {tp01.figure}%")

    setup_test_environment()
    client = Client()
    # The resident whose home the seed put in the estate's first block.
    resident = Customer.objects.order_by("pk").first()
    if resident.user_id is None:
        from accounts.models import User

        user, _ = User.objects.get_or_create(email="bench-resident@example.org")
        resident.user = user
        resident.save(update_fields=["user"])
    client.force_login(resident.user)
    for _ in range(10):
        client.get("/")
    times = []
    for _ in range(args.requests):
        start = time.perf_counter()
        response = client.get("/")
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    body = response.content.decode()
    assert "was last inspected" in body, "the resident's estate inspection is not on the page"
    queries = count_queries(lambda: client.get("/"))
    print(
        f"engagement: home page with news and the estate's latest inspection (signed in): "
        f"p50 {ms(statistics.median(times))}, p95 "
        f"{ms(sorted(times)[int(len(times) * 0.95) - 1])}, {queries} queries"
    )
    if args.profile:
        profile_home_page(client)
    anonymous = Client()
    times = []
    for _ in range(args.requests):
        start = time.perf_counter()
        anonymous.get("/")
        times.append(time.perf_counter() - start)
    print(f"engagement: home page for a visitor: p50 {ms(statistics.median(times))}")


if __name__ == "__main__":
    main()
