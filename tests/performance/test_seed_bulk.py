"""seed_bulk, the benchmark loader, at a small scale: what it writes, and that the sweep and the
dashboard can work on it. (Its speed is measured by bench/, never here.)"""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import F

from casework.models import ReferenceCounter
from enquiries.models import Enquiry
from performance.selectors import commitment_performance
from sla.models import Deadline
from sla.services import sweep_deadlines
from tenancy.models import Customer, Property, Tenancy
from tests.performance.factories import CommitmentFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 25, 14, 0, tzinfo=dt.UTC)


@pytest.fixture
def enquiry_commitments():
    # The sla data migration seeds these; get_or_create keeps the test independent of it.
    for code, amount in (
        ("enquiry.acknowledge", 3),
        ("enquiry.respond", 10),
        ("enquiry.contact_back", 3),
    ):
        CommitmentFactory(code=code, amount=amount)


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_bulk", stdout=out, **options)
    return out.getvalue()


@time_machine.travel(NOW, tick=False)
def test_seed_bulk_creates_homes_cases_and_deadlines(enquiry_commitments):
    ReferenceCounter.objects.create(prefix="ENQ", year=2026, last_number=41)
    output = seed(homes=30, cases=400)
    assert Property.objects.count() == Tenancy.objects.count() == Customer.objects.count() == 30
    assert Enquiry.objects.count() == 400
    assert Deadline.objects.count() == 800
    references = list(Enquiry.objects.values_list("reference", flat=True))
    assert len(set(references)) == 400
    assert all(ref.startswith("BLK-") for ref in references)
    # The real reference counters are left alone.
    assert list(ReferenceCounter.objects.values_list("prefix", "last_number")) == [("ENQ", 41)]
    assert "seed_bulk: 30 homes, 400 cases, 800 deadlines" in output


@time_machine.travel(NOW, tick=False)
def test_seed_bulk_spreads_outcomes_like_a_real_year_and_a_half(enquiry_commitments):
    seed(homes=30, cases=2000)
    deadlines = Deadline.objects.all()
    opened = Enquiry.objects.values_list("opened_at", flat=True)
    assert min(opened) >= NOW - dt.timedelta(days=549)
    assert max(opened) <= NOW
    on_time = deadlines.filter(met_at__lte=F("due_at")).count()
    late = deadlines.filter(met_at__gt=F("due_at"), breached_at__isnull=False).count()
    breached_open = deadlines.filter(met_at__isnull=True, breached_at__isnull=False).count()
    running = deadlines.filter(met_at__isnull=True, breached_at__isnull=True)
    past_due = running.filter(due_at__lte=NOW).count()
    assert on_time > 0.8 * 4000
    assert late > 0 and breached_open > 0 and running.count() > past_due > 0
    # Every due time is the working-day calendar's, and a met deadline was met by now.
    assert not deadlines.filter(met_at__gt=NOW).exists()
    assert not deadlines.filter(due_at__lte=F("started_at")).exists()
    assert set(deadlines.values_list("commitment__code", flat=True)) == {
        "enquiry.acknowledge",
        "enquiry.respond",
    }


@time_machine.travel(NOW, tick=False)
def test_the_sweep_finds_exactly_the_seeded_past_due_deadlines(enquiry_commitments):
    seed(homes=10, cases=1500)
    past_due = Deadline.objects.open().filter(paused_at__isnull=True, due_at__lte=NOW).count()
    assert past_due >= 1
    assert sweep_deadlines(now=NOW).breached == past_due
    assert sweep_deadlines(now=NOW).breached == 0


@time_machine.travel(NOW, tick=False)
def test_seed_bulk_can_run_twice_and_add_a_third_deadline(enquiry_commitments):
    seed(homes=5, cases=20)
    seed(homes=5, cases=20, deadlines_per_case=3, seed=7)
    assert Enquiry.objects.count() == 40
    assert Deadline.objects.count() == 20 * 2 + 20 * 3
    assert Deadline.objects.filter(commitment__code="enquiry.contact_back").count() == 20
    rows = {row.code: row for row in commitment_performance()}
    assert rows["enquiry.respond"].figures("year").started > 0
