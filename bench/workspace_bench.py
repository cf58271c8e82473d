"""Time the staff workspace at volume: My work for one caseworker and for a whole team, a
household's whole picture, and a case queue's first page. Prints one line per figure.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/homes_bench DEBUG=true \\
        .venv/bin/python bench/workspace_bench.py

Run it after ``manage.py seed_bulk`` (and, for cases of more than one type,
``manage.py seed_bulk_repairs``). The bulk team's officers are given the customer services role
and an authenticator app; one household is given ``--household-cases`` enquiries of its own
(half of them open, each open one with a running clock) the first time, so the whole picture
is timed for a busy household. Each page is fetched through Django's test client signed in as
the officer, as gunicorn would serve it minus the network.
"""

from __future__ import annotations

import argparse
import datetime as dt

from _setup import count_queries, database_label, ms, setup_django, timed

HOUSEHOLD_PREFIX = "BLK-H"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--household-cases", type=int, default=300)
    args = parser.parse_args()
    setup_django()

    from allauth.mfa.models import Authenticator
    from django.contrib.auth.models import Group
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from accounts.models import User
    from casework.access import registered_case_models
    from casework.models import Team
    from enquiries.models import Enquiry
    from kernel.roles import Role
    from sla.models import Deadline
    from workspace.selectors import Scope, household_picture, my_work

    team = Team.objects.filter(name="Customer services (bulk)").first()
    if team is None:
        raise SystemExit("Run manage.py seed_bulk first: there is no bulk team.")
    cases = sum(e.model._default_manager.count() for e in registered_case_models())
    deadlines = Deadline.objects.count()
    print(f"workspace: database {database_label()} holds {cases} cases, {deadlines} deadlines")

    # The busiest officer: the most open cases assigned.
    busiest = (
        Enquiry.objects.filter(closed_at__isnull=True, assignee__isnull=False)
        .values("assignee")
        .annotate(open=Count("pk"))
        .order_by("-open")
        .first()
    )
    if busiest is None:
        raise SystemExit("No open assigned cases: run manage.py seed_bulk first.")
    officer = User.objects.get(pk=busiest["assignee"])
    team_open = Enquiry.objects.filter(team=team, closed_at__isnull=True).count()
    customer_services = Group.objects.get(name=Role.CUSTOMER_SERVICES.label)
    officer.groups.add(customer_services)
    Authenticator.objects.get_or_create(
        user=officer,
        type=Authenticator.Type.TOTP,
        defaults={"data": {"secret": "JBSWY3DPEHPK3PXP"}},
    )

    tenancy = _busy_household(args.household_cases, team=team)

    setup_test_environment()  # lets the test client's host in; mail goes nowhere
    client = Client()
    client.force_login(officer)
    print(
        f"workspace: the officer holds {busiest['open']} open cases; "
        f"their team {team_open} open cases"
    )

    for name, call in (
        ("my_work, the officer's own", lambda: my_work(officer)),
        ("my_work, the team's first page", lambda: my_work(officer, scope=Scope.TEAM)),
        (
            "my_work, unassigned in the team",
            lambda: my_work(officer, scope=Scope.UNASSIGNED),
        ),
        ("household_picture", lambda: household_picture(officer, tenancy)),
    ):
        median, worst, _ = timed(call, repeat=args.repeat)
        print(
            f"workspace: selector {name}: median {ms(median)} (worst {ms(worst)}), "
            f"{count_queries(call)} queries"
        )

    any_enquiry = Enquiry.objects.filter(tenancy=tenancy).order_by("pk").first()
    assert any_enquiry is not None
    for name, url in (
        ("My work, 50 rows", reverse("workspace:my_work")),
        ("My work, 25 rows", reverse("workspace:my_work") + "?size=25"),
        ("My work, the team's first page", reverse("workspace:my_work") + "?scope=team"),
        ("My work, overdue in the team", reverse("workspace:my_work") + "?scope=team&due=overdue"),
        (
            f"the whole picture of a household with {args.household_cases} cases",
            reverse("workspace:household", args=[tenancy.pk]),
        ),
        ("the enquiry queue's first page", reverse("admin:enquiries_enquiry_changelist")),
        (
            "an enquiry's admin page",
            reverse("admin:enquiries_enquiry_change", args=[any_enquiry.pk]),
        ),
    ):

        def get(url=url):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            return response

        median, worst, response = timed(get, repeat=args.repeat)
        print(
            f"workspace: page {name}: median {ms(median)} (worst {ms(worst)}), "
            f"{count_queries(get)} queries, {len(response.content) // 1024} KiB"
        )


def _busy_household(count: int, *, team):
    """The first bulk household, given ``count`` enquiries of its own once: every other one open
    with a running ``enquiry.respond`` clock, the rest closed."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from enquiries.models import Enquiry, EnquiryStatus
    from sla import calendar
    from sla.models import Commitment, Deadline
    from tenancy.models import Tenancy

    tenancy = Tenancy.objects.order_by("pk").first()
    mine = Enquiry.objects.filter(tenancy=tenancy, reference__startswith=HOUSEHOLD_PREFIX)
    if mine.count() >= count:
        return tenancy
    customer = tenancy.customers.order_by("pk").first()
    respond = Commitment.objects.get(code="enquiry.respond")
    now = timezone.now()
    with transaction.atomic():
        made = Enquiry.objects.bulk_create(
            Enquiry(
                reference=f"{HOUSEHOLD_PREFIX}{tenancy.pk}-{n}"[:20],
                customer=customer,
                tenancy=tenancy,
                property_id=tenancy.property_id,
                status=EnquiryStatus.RECEIVED if n % 2 else EnquiryStatus.CLOSED,
                team=team,
                opened_at=now - dt.timedelta(days=n),
                closed_at=None if n % 2 else now - dt.timedelta(days=n) + dt.timedelta(hours=5),
                next_due_at=(
                    calendar.due_at("working_days", 10, now - dt.timedelta(days=n % 14))
                    if n % 2
                    else None
                ),
                subject=f"Question {n} from a busy household",
                details="Bench data.",
            )
            for n in range(count)
        )
        content_type = ContentType.objects.get_for_model(Enquiry)
        Deadline.objects.bulk_create(
            Deadline(
                content_type=content_type,
                object_id=case.pk,
                commitment=respond,
                clock="working_days",
                amount=10,
                started_at=case.opened_at,
                original_due_at=case.next_due_at,
                due_at=case.next_due_at,
            )
            for case in made
            if case.closed_at is None
        )
    return tenancy


if __name__ == "__main__":
    main()
