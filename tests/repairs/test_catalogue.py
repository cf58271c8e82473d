"""The repairs catalogue and how a hazard report is categorised."""

from __future__ import annotations

import pytest

from repairs import catalogue
from repairs.catalogue import EmergencyKind, Location, Responsibility
from repairs.models import HazardCategory
from repairs.services import HazardAnswers, hazard_classify


def test_there_are_about_forty_common_repairs_grouped_by_area():
    assert 40 <= len(catalogue.ITEMS) <= 60
    assert {item.area for item in catalogue.ITEMS} == {area.code for area in catalogue.AREAS}
    assert len({item.code for item in catalogue.ITEMS}) == len(catalogue.ITEMS)


@pytest.mark.parametrize("item", catalogue.ITEMS, ids=lambda i: i.code)
def test_every_entry_explains_who_is_responsible(item):
    assert item.explanation.strip()
    assert item.responsibility in Responsibility.values
    if not item.becomes_a_job:
        assert item.advice.strip(), "an entry we do not repair must end with advice"
    if item.rechargeable:
        assert item.responsibility == Responsibility.TENANT


def test_communal_areas_hold_only_landlord_repairs():
    communal = [
        i for a in catalogue.areas_for(Location.COMMUNAL) for i in catalogue.items_in(a.code)
    ]
    assert communal
    assert all(i.becomes_a_job for i in communal)


@pytest.mark.parametrize("kind", [k for k in EmergencyKind if k != EmergencyKind.GAS])
def test_every_emergency_has_a_home_repair(kind):
    chosen = catalogue.emergency_item(kind, Location.HOME)
    assert chosen is not None and chosen.becomes_a_job


def test_gas_is_never_a_repair():
    assert catalogue.emergency_item(EmergencyKind.GAS, Location.HOME) is None


@pytest.mark.parametrize(
    ("answers", "category"),
    [
        (HazardAnswers("damp_mould", ("kitchen",), "small", ()), HazardCategory.SIGNIFICANT),
        (HazardAnswers("damp_mould", ("kitchen",), "large", ()), HazardCategory.SIGNIFICANT),
        (HazardAnswers("damp_mould", ("kitchen",), "large", ("older",)), HazardCategory.EMERGENCY),
        (HazardAnswers("damp_mould", ("bedroom",), "medium", ("child",)), HazardCategory.EMERGENCY),
        (
            HazardAnswers("damp_mould", ("bedroom",), "small", ("child",)),
            HazardCategory.SIGNIFICANT,
        ),
        (
            HazardAnswers("damp_mould", ("hall",), "medium", ("pregnant",)),
            HazardCategory.SIGNIFICANT,
        ),
        (HazardAnswers("structural"), HazardCategory.EMERGENCY),
        (HazardAnswers("electrical"), HazardCategory.EMERGENCY),
    ],
)
def test_hazard_category(answers, category):
    assert hazard_classify(answers)[0] == category


def test_the_reasoning_names_who_is_at_risk():
    _, reason = hazard_classify(
        HazardAnswers("damp_mould", ("bedroom",), "large", ("breathing", "child"))
    )

    assert "asthma" in reason and "child under 5" in reason and "bedroom" in reason
