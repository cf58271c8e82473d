"""Benchmarking: peer landlords' figures imported from a CSV (bad rows refused with their line
numbers, nothing imported), and each measure beside the peers' median and quartiles."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kernel.reporting import ReportingYear
from performance.benchmarking import benchmark
from performance.models import PeerFigure, PublishedTsmFigure
from performance.services import peer_figures_import

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 25, 14, 0, tzinfo=dt.UTC)
GOOD = """landlord,year,measure,figure
Alpha Homes,2026,CH02(1),80.0
Beta Housing,2026,CH02(1),90
Gamma Living,2026,CH02(1),70.5
Delta Homes,2026,CH02(1),60
Alpha Homes,2026,TP01,72.3
"""


def test_a_good_file_is_imported():
    outcome = peer_figures_import(text=GOOD, now=NOW)

    assert outcome.errors == []
    assert outcome.imported == 5
    assert PeerFigure.objects.get(landlord="Beta Housing").figure == Decimal("90.0")


def test_importing_the_same_file_again_updates_rather_than_duplicates():
    peer_figures_import(text=GOOD, now=NOW)
    peer_figures_import(text=GOOD.replace("90", "91"), now=NOW)

    assert PeerFigure.objects.count() == 5
    assert PeerFigure.objects.get(landlord="Beta Housing").figure == Decimal("91.0")


def test_bad_rows_are_refused_with_their_line_numbers_and_nothing_is_imported():
    text = (
        "landlord,year,measure,figure\n"
        "Alpha Homes,2026,CH02(1),80\n"
        ",2026,CH02(1),80\n"  # line 3: no landlord
        "Beta Housing,26,CH02(1),80\n"  # line 4: not a year
        "Gamma Living,2026,XX01,80\n"  # line 5: not a measure
        "Delta Homes,2026,TP01,lots\n"  # line 6: not a number
        "Epsilon,2026,TP01,1001\n"  # line 7: out of range
    )

    outcome = peer_figures_import(text=text, now=NOW)

    assert [line for line, _ in outcome.errors] == [3, 4, 5, 6, 7]
    assert "landlord" in outcome.errors[0][1]
    assert "XX01 is not a TSM" in outcome.errors[2][1]
    assert outcome.imported == 0
    assert not PeerFigure.objects.exists()


def test_our_figure_stands_beside_the_peers_median_and_quartiles():
    peer_figures_import(text=GOOD, now=NOW)
    PublishedTsmFigure.objects.create(
        first_year=2026,
        part="CH02(1)",
        recorded=True,
        numerator=41,
        denominator=50,
        figure=Decimal("82.0"),
        computed_at=NOW,
    )

    lines = {line.definition.part: line for line in benchmark(ReportingYear(2026))}

    ch02 = lines["CH02(1)"]
    # 60, 70.5, 80, 90: quartiles by the inclusive method (a spreadsheet's QUARTILE.INC).
    assert (ch02.lower_quartile, ch02.median, ch02.upper_quartile) == (
        Decimal("67.9"),
        Decimal("75.3"),
        Decimal("82.5"),
    )
    assert ch02.peers == 4
    assert ch02.ours.figure == Decimal("82.0")
    assert lines["TP01"].median == Decimal("72.3")
    assert lines["RP01"].peers == 0 and lines["RP01"].median is None


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def test_a_manager_imports_through_the_page(manager_client):
    upload = SimpleUploadedFile("peers.csv", GOOD.encode(), content_type="text/csv")

    response = manager_client.post(reverse("performance:benchmarking_import"), {"file": upload})

    assert response.status_code == 302
    assert PeerFigure.objects.count() == 5
    page = manager_client.get(reverse("performance:benchmarking"), {"year": "2026"})
    assert 'data-measure="CH02(1)"' in page.content.decode()


def test_a_bad_file_shows_the_lines_to_correct(manager_client):
    upload = SimpleUploadedFile(
        "peers.csv", b"landlord,year,measure,figure\nAlpha,2026,CH02(1),eighty\n"
    )

    page = manager_client.post(reverse("performance:benchmarking_import"), {"file": upload})

    text = page.content.decode()
    assert page.status_code == 200
    assert "There is a problem" in text
    assert 'data-line="2"' in text
    assert not PeerFigure.objects.exists()


def test_a_file_that_is_not_text_is_refused(manager_client):
    upload = SimpleUploadedFile("peers.csv", b"\xff\xfe\x00\x00binary")

    page = manager_client.post(reverse("performance:benchmarking_import"), {"file": upload})

    assert "saved as UTF-8" in page.content.decode()
    assert not PeerFigure.objects.exists()


def test_benchmarking_is_for_managers(client, complaints_officer, client_a):
    upload = SimpleUploadedFile("peers.csv", GOOD.encode())
    assert client_a.get(reverse("performance:benchmarking")).status_code == 403
    client.force_login(complaints_officer)
    assert (
        client.post(reverse("performance:benchmarking_import"), {"file": upload}).status_code == 403
    )
    assert not PeerFigure.objects.exists()
    client.logout()
    assert client.get(reverse("performance:benchmarking")).status_code == 302


@time_machine.travel(NOW, tick=False)
def test_the_benchmark_page_takes_no_post(manager_client):
    assert manager_client.post(reverse("performance:benchmarking")).status_code == 405


@time_machine.travel(dt.datetime(2027, 6, 1, 9, tzinfo=dt.UTC), tick=False)
def test_the_page_opens_on_the_last_year_the_peers_published(client, manager):
    # In June 2027 the peers' latest figures are for 2026 to 2027, the year just ended.
    peer_figures_import(text=GOOD)
    client.force_login(manager)
    manager_client = client

    text = manager_client.get(reverse("performance:benchmarking")).content.decode()

    assert "2026 to 2027" in text
    row = text.split('data-measure="CH02(1)"', 1)[1].split("</tr>", 1)[0]
    assert ">4<" in row  # four peers published it
    # Asked for this year, the page shows it, with no peers yet.
    this_year = manager_client.get(reverse("performance:benchmarking"), {"year": "2027"})
    row = this_year.content.decode().split('data-measure="CH02(1)"', 1)[1].split("</tr>", 1)[0]
    assert ">0<" in row
