"""BS01-BS05 in the TSM return come from the safety register, by its own rule for "in date":
the return, its drill-down and the public page agree with figures worked out by hand."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from kernel.formatting import LONDON
from kernel.reporting import ReportingYear
from performance.services import published_figures_refresh
from performance.tsm.returns import tsm_return
from safety.models import Appliance
from safety.services import block_checks_register, check_register
from tests.factories import BlockFactory, PropertyFactory
from tests.safety.factories import record

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 10, 10, 0, tzinfo=LONDON)
YEAR = ReportingYear(2026)


@pytest.fixture
def register():
    """Six homes with a boiler, five checked on 1 May 2026 and one never; a block of four homes
    with a lift, its fire risk assessment done in January 2026 and nothing else recorded; and a
    home with no check at all. By hand, at 10 June 2026:

    BS01 gas: 5 of 6 (83.3%). BS02 fire risk: 4 of 4 (100.0%). BS03 asbestos, BS04 water and
    BS05 lifts: 0 of 4 (0.0%), the block's checks never recorded.
    """
    with time_machine.travel(NOW, tick=False):
        boilers = []
        for n in range(6):
            home = PropertyFactory(uprn=f"1000000000{n}")
            boilers.append(check_register(check_type="gas", home=home, appliance=Appliance.BOILER))
        for check in boilers[:5]:
            record(check, dt.date(2026, 5, 1))
        block = BlockFactory(has_lift=True, height_metres=10, storeys=3)
        flats = [PropertyFactory(block=block, uprn=f"2000000000{n}") for n in range(4)]
        checks = {c.check_type: c for c in block_checks_register(block=block)}
        record(checks["fire_risk"], dt.date(2026, 1, 5), outcome="satisfactory")
        PropertyFactory(uprn="300000000000")
    return {"never_checked": boilers[5].property, "flats": flats}


@time_machine.travel(NOW, tick=False)
def test_the_return_counts_the_homes_whose_required_checks_are_in_date(register):
    tsm = tsm_return(YEAR)

    figures = {
        code: (line.figures.numerator, line.figures.denominator, line.figures.figure)
        for code in ("BS01", "BS02", "BS03", "BS04", "BS05")
        for line in [tsm.line(code)]
    }
    assert figures == {
        "BS01": (5, 6, Decimal("83.3")),
        "BS02": (4, 4, Decimal("100.0")),
        "BS03": (0, 4, Decimal("0.0")),
        "BS04": (0, 4, Decimal("0.0")),
        "BS05": (0, 4, Decimal("0.0")),
    }


@time_machine.travel(NOW, tick=False)
def test_with_no_checks_registered_the_measures_have_nothing_to_count(db):
    line = tsm_return(YEAR).line("BS01")

    assert (line.figures.numerator, line.figures.denominator) == (0, 0)
    assert line.figure_text == "none to count"


@time_machine.travel(NOW, tick=False)
def test_the_drill_down_lists_the_homes_counted_and_whether_each_is_in_date(register):
    tsm = tsm_return(YEAR)

    bs01 = {c.reference: c for c in tsm.line("BS01").figures.counted_cases(100)}
    assert set(bs01) == {f"1000000000{n}" for n in range(6)}
    assert [r for r, c in bs01.items() if not c.in_numerator] == [register["never_checked"].uprn]
    assert "never done" in bs01[register["never_checked"].uprn].detail
    bs05 = tsm.line("BS05").figures.counted_cases(100)
    assert {c.reference for c in bs05} == {flat.uprn for flat in register["flats"]}
    assert not any(c.in_numerator for c in bs05)
    assert len(tsm.line("BS01").figures.counted_cases(2)) == 2


@time_machine.travel(NOW, tick=False)
def test_the_return_asks_the_safety_measures_once_for_the_five(
    register, django_assert_max_num_queries
):
    # Complaints, repairs, ASB and the perception tallies: 13; the safety measures: one read of
    # the clocks and two counts for each of the five.
    with django_assert_max_num_queries(13 + 11):
        tsm_return(YEAR)


@time_machine.travel(NOW, tick=False)
def test_a_manager_sees_the_figures_downloads_them_and_drills_down(client, manager, register):
    client.force_login(manager)

    page = client.get(reverse("performance:tsm_return"), {"year": "2026"}).content.decode()
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("performance:tsm_return_csv"), {"year": "2026"}).content.decode()
            )
        )
    )
    drill_down = client.get(
        reverse("performance:tsm_drill_down", kwargs={"key": "BS01"}), {"year": "2026"}
    ).content.decode()

    assert "83.3%" in page
    assert next(row for row in rows if row[1] == "BS01")[5:8] == ["5", "6", "83.3"]
    assert "(5 of 6)" in drill_down
    never = register["never_checked"].uprn
    assert re.search(
        rf'data-reference="{never}">.*?<td class="govuk-table__cell">No</td>', drill_down, re.S
    )


def test_the_public_page_shows_the_figures_but_never_a_count_under_5(client, register):
    with time_machine.travel(NOW, tick=False):
        published_figures_refresh()
        text = client.get(reverse("performance:published")).content.decode()

    def row(part: str) -> str:
        return re.search(rf'data-measure="{part}">(.*?)</tr>', text, re.S).group(1)

    assert "83.3%" in row("BS01")
    for part in ("BS02", "BS03", "BS04", "BS05"):
        assert "withheld: fewer than 5 cases" in row(part)
        assert "%" not in row(part)
