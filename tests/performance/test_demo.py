"""The demo (``make run``'s ``seed_demo``) shows every published page populated: the public
page with figures, this year's TSM return, last month's Board report, last year's Complaint
Handling Code pack published and this year's begun, and peers to benchmark against."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from enquiries.models import Enquiry
from kernel.reporting import ReportingYear, reporting_year_containing
from performance.benchmarking import benchmark
from performance.chc_provisions import PROVISIONS
from performance.models import BoardReport, ComplaintHandlingPack, PeerFigure, PublishedTsmFigure
from performance.tsm.returns import tsm_return
from performance.windows import add_months, local_date, month_start

pytestmark = pytest.mark.django_db


def _row(page: str, code: str) -> list[str]:
    row = re.search(
        rf'<tr class="govuk-table__row" data-commitment="{re.escape(code)}">(.*?)</tr>', page, re.S
    ).group(1)
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]


def _counts() -> tuple[int, ...]:
    return (
        Enquiry.objects.filter(reference__startswith="ENQ-DEMO-").count(),
        PeerFigure.objects.count(),
        BoardReport.objects.count(),
        ComplaintHandlingPack.objects.count(),
        PublishedTsmFigure.objects.count(),
    )


def test_the_demo_populates_every_published_page_and_runs_again_without_doubling(client):
    call_command("seed_demo", verbosity=0)
    today = local_date(timezone.now())
    this_year = reporting_year_containing(today)
    last_year = ReportingYear(this_year.first_year - 1)

    # The public page: a year of enquiries, figures above the "fewer than 5" line.
    text = client.get(reverse("performance:published")).content.decode()
    last_month, last_month_on_time, year, year_on_time, _target = _row(text, "enquiry.respond")
    assert int(last_month) >= 5 and int(year.replace(",", "")) >= 5
    assert last_month_on_time.endswith("%") and year_on_time.endswith("%")
    assert "Self-assessment and complaints report" in text

    # This year's TSM return, and its lines as published.
    tsm = tsm_return(this_year)
    assert tsm.recorded_count > 0
    published = PublishedTsmFigure.objects.filter(first_year=this_year.first_year)
    assert published.count() == len(tsm.lines)

    # Last month's Board report, kept as a PDF.
    report = BoardReport.objects.get(month=add_months(month_start(today), -1))
    assert bytes(report.pdf).startswith(b"%PDF")

    # Last year's pack answered in full and published; this year's begun.
    last = ComplaintHandlingPack.objects.get(first_year=last_year.first_year)
    assert last.published_at is not None
    assert last.answers.count() == len(PROVISIONS)
    current = ComplaintHandlingPack.objects.get(first_year=this_year.first_year)
    assert current.published_at is None
    assert 0 < current.answers.count() < len(PROVISIONS)
    pack_page = client.get(
        reverse("performance:published_complaint_handling"), {"year": last.first_year}
    )
    assert pack_page.status_code == 200

    # Peers' figures for last year, with a median and quartiles.
    lines = {line.definition.part: line for line in benchmark(last_year)}
    assert lines["TP01"].peers == 4 and lines["TP01"].median is not None

    counts = _counts()
    assert counts[0] > 200
    call_command("seed_demo", verbosity=0)
    assert _counts() == counts
