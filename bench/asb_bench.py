"""Time the ASB pages at volume and print one line per figure.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/homes_bench_asb \\
        .venv/bin/python bench/asb_bench.py --cases 50000

on a database loaded with ``seed_bulk --homes N``. It adds ``--cases`` ASB cases (once: a
second run finds them) on the bulk households, a third of them hate crime or domestic abuse,
each with its acknowledgement clock, most acknowledged and some with an action plan, then
measures, through Django's test client in process (median of 7 after 2 warm-up calls, with the
query count):

- the ASB queue (the admin changelist, first page, high risk and soonest due first) as an ASB
  officer, and its query count on a second page;
- a case's admin page as an ASB officer (its read is logged, as in production);
- the reporter's case page as the reporter;
- the manager dashboard's ASB measures (the selector alone).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import time

os.environ.setdefault("DEBUG", "true")

from _setup import database_label, ms, setup_django, timed  # noqa: E402

BENCH_PREFIX = "ASB-BULK-"


def seed_cases(count: int, rng: random.Random) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from asb.models import ACKNOWLEDGE_CODE, ACTION_CODE, AsbAction, AsbCase, AsbKind
    from asb.services import asb_team
    from sla.calendar import due_at
    from sla.models import Commitment, Deadline
    from tenancy.models import Customer

    existing = AsbCase.objects.filter(reference__startswith=BENCH_PREFIX).count()
    if existing >= count:
        return
    team = asb_team()
    customers = list(
        Customer.objects.filter(user__isnull=True)
        .order_by("pk")
        .values_list("pk", "tenancy_id", "tenancy__property_id")[: count * 2]
    )
    commitments = {c.code: c for c in Commitment.objects.all()}
    content_type = ContentType.objects.get_for_model(AsbCase)
    now = timezone.now()
    kinds = [AsbKind.ASB] * 4 + [AsbKind.HATE_CRIME, AsbKind.DOMESTIC_ABUSE]
    officer = team.lead or _officer()
    batch = 5000
    for start in range(existing, count, batch):
        cases = []
        for n in range(start, min(count, start + batch)):
            customer_id, tenancy_id, property_id = customers[n % len(customers)]
            opened = now - dt.timedelta(minutes=rng.randint(1, 60 * 24 * 540))
            kind = rng.choice(kinds)
            acknowledged = opened + dt.timedelta(hours=rng.randint(1, 30))
            is_open = rng.random() < 0.3 or opened > now - dt.timedelta(days=20)
            cases.append(
                AsbCase(
                    reference=f"{BENCH_PREFIX}{n + 1:07d}",
                    customer_id=customer_id,
                    tenancy_id=tenancy_id,
                    property_id=property_id,
                    received_by="portal",
                    status="investigating" if is_open else "closed",
                    team=team,
                    opened_at=opened,
                    closed_at=None if is_open else opened + dt.timedelta(days=40),
                    kind=kind,
                    category="noise" if kind == AsbKind.ASB else "",
                    place="block",
                    details="Bulk report for the benchmark.",
                    may_use_portal=True,
                    risk=rng.choice(["standard", "standard", "medium", "high"]),
                    acknowledged_at=acknowledged if acknowledged < now else None,
                )
            )
        with transaction.atomic():
            AsbCase.objects.bulk_create(cases)
            deadlines, actions = [], []
            for case in cases:
                code = ACKNOWLEDGE_CODE[case.kind]
                commitment = commitments[code]
                due = due_at(commitment.clock, commitment.amount, case.opened_at)
                deadlines.append(
                    Deadline(
                        content_type=content_type,
                        object_id=case.pk,
                        commitment=commitment,
                        clock=commitment.clock,
                        amount=commitment.amount,
                        started_at=case.opened_at,
                        original_due_at=due,
                        due_at=due,
                        met_at=case.acknowledged_at,
                        breached_at=due if case.acknowledged_at is None and due < now else None,
                    )
                )
                if case.closed_at is None and rng.random() < 0.5:
                    action_due = case.opened_at + dt.timedelta(days=14)
                    deadline = Deadline(
                        content_type=content_type,
                        object_id=case.pk,
                        commitment=commitments[ACTION_CODE],
                        clock="calendar_days",
                        amount=14,
                        started_at=case.opened_at,
                        original_due_at=action_due,
                        due_at=action_due,
                    )
                    deadlines.append(deadline)
                    actions.append((case, deadline))
            Deadline.objects.bulk_create(deadlines)
            AsbAction.objects.bulk_create(
                AsbAction(
                    case=case,
                    description="Visit the other party",
                    owner=officer,
                    due_on=deadline.due_at.date(),
                    deadline=deadline,
                    agreed_at=case.opened_at,
                )
                for case, deadline in actions
            )
            # The queue sorts on the case's earliest open clock, kept on the row.
            open_due = {d.object_id: d.due_at for d in deadlines if d.met_at is None}
            for case in cases:
                case.next_due_at = open_due.get(case.pk)
            AsbCase.objects.bulk_update(cases, ["next_due_at"], batch_size=1000)
        print(f"asb: seeded {min(count, start + batch)} of {count} cases")


def _officer():
    from allauth.mfa.models import Authenticator
    from django.contrib.auth.models import Group

    from accounts.models import User
    from kernel.roles import Role

    officer, created = User.objects.get_or_create(
        email="bench-asb@bench.example", defaults={"is_staff": True}
    )
    if created:
        officer.set_unusable_password()
        officer.save()
    officer.groups.add(Group.objects.get(name=Role.ASB.label))
    Authenticator.objects.get_or_create(
        user=officer,
        type=Authenticator.Type.TOTP,
        defaults={"data": {"secret": "JBSWY3DPEHPK3PXP"}},
    )
    return officer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=50000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    setup_django()

    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from accounts.models import User
    from asb.models import AsbCase
    from asb.selectors import asb_measures
    from kernel.reporting import reporting_year_containing
    from tenancy.models import Property

    seed_cases(args.cases, random.Random(2026))
    homes = Property.objects.count()
    cases = AsbCase.objects.count()
    print(f"asb: database {database_label()} holds {homes} homes, {cases} ASB cases")

    setup_test_environment()
    officer = _officer()
    staff = Client()
    staff.force_login(officer)
    case = AsbCase.objects.filter(
        reference__startswith=BENCH_PREFIX, closed_at__isnull=True
    ).first()
    reporter = case.customer
    if reporter.user_id is None:
        user = User.objects.create(
            email=f"asb-bench-{reporter.pk}@bench.example", password=make_password(None)
        )
        reporter.user = user
        reporter.save(update_fields=["user"])
    customer = Client()
    customer.force_login(reporter.user)

    def page(client, url):
        def get():
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            return response

        return get

    def cpu_median(get) -> float:
        # This process's own CPU time per page (Python and the driver, not the database
        # server's): on a machine shared with other runs the wall time is mostly waiting for a
        # core, and this is what a quiet machine would spend here.
        times = []
        for _ in range(args.repeat):
            start = time.process_time()
            get()
            times.append(time.process_time() - start)
        return statistics.median(times)

    for label, client, url in (
        ("ASB queue, first page", staff, reverse("admin:asb_asbcase_changelist")),
        ("ASB queue, page 3", staff, reverse("admin:asb_asbcase_changelist") + "?p=3"),
        ("a case's admin page", staff, reverse("admin:asb_asbcase_change", args=[case.pk])),
        ("the reporter's case page", customer, reverse("asb:detail", args=[case.reference])),
    ):
        get = page(client, url)
        median, worst, _ = timed(get, repeat=args.repeat)
        cpu = cpu_median(get)
        with CaptureQueriesContext(connection) as captured:
            get()
        print(
            f"asb: {label} at {cases} cases: median {ms(median)} (worst {ms(worst)}), "
            f"{len(captured.captured_queries)} queries, this process's CPU median {ms(cpu)}"
        )

    from django.utils import timezone

    year = reporting_year_containing(timezone.now().date())
    median, worst, _ = timed(lambda: asb_measures(year), repeat=args.repeat)
    print(
        f"asb: measures (NM01 and the rest) for {year.label}: median {ms(median)} (worst {ms(worst)})"
    )


if __name__ == "__main__":
    main()
