"""What a subject access pack holds of neighbourhoods: the person's own reports, their resident
inspector sign-ups and scores; never a neighbour's."""

from __future__ import annotations

import datetime as dt

import time_machine

from neighbourhoods import selectors
from neighbourhoods.services import (
    report_create,
    resident_inspector_sign_up,
    resident_scores_submit,
)
from tests.neighbourhoods.factories import EstateFactory, InspectionFactory

MONDAY = dt.datetime(2026, 11, 9, 10, 0, tzinfo=dt.UTC)


@time_machine.travel(MONDAY)
def test_a_residents_reports_and_inspector_scores_are_in_their_pack_and_not_a_neighbours(
    resident_a, resident_b, block_a
):
    mine = report_create(
        customer=resident_a,
        kind="graffiti",
        place="block",
        where="By the lifts",
        details="Tags on the lift doors.",
    )
    theirs = report_create(
        customer=resident_b,
        kind="graffiti",
        place="block",
        where="Bin store",
        details="Paint on the bin store.",
    )
    estate = EstateFactory(name="Riverside Estate", blocks=[block_a])
    inspection = InspectionFactory(block=None, estate=estate)
    resident_inspector_sign_up(customer=resident_a, estate=estate)
    resident_scores_submit(customer=resident_a, inspection=inspection, scores={"lighting": 2})

    part = selectors.personal_data_for(resident_a)
    keys = {record.key for record in part.records}
    assert f"neighbourhoods.NeighbourhoodReport:{mine.pk}" in keys
    assert f"neighbourhoods.NeighbourhoodReport:{theirs.pk}" not in keys
    assert {key.split(":")[0] for key in keys} == {
        "neighbourhoods.NeighbourhoodReport",
        "neighbourhoods.ResidentInspector",
        "neighbourhoods.ResidentScore",
    }
    score = next(r for r in part.records if r.key.startswith("neighbourhoods.ResidentScore:"))
    assert (
        score.title == "Your score at the inspection of Riverside Estate on Tuesday 3 November 2026"
    )
    assert [r.key for r in selectors.personal_data_for(resident_b).records] == [
        f"neighbourhoods.NeighbourhoodReport:{theirs.pk}"
    ]
