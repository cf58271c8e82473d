"""What a subject access pack holds of ASB reports: the reporter's own, with the other party
offered for redaction; the household reported learns nothing of the report or its maker."""

from __future__ import annotations

import datetime as dt
import json

from asb import selectors
from asb.models import Risk
from asb.services import action_add, asb_acknowledge, diary_add, other_party_link
from dataprotection.selectors import gathered_data, suggested_redactions
from tests.asb.factories import report
from tests.dataprotection.factories import data_protection_officer, gathered


def _a_reports_b(tenant_a, tenant_b, asb_officer):
    case = report(
        tenant_a,
        details="The people at 9 Elm Court play music all night.",
        other_party_address="9 Elm Court",
    )
    asb_acknowledge(case=case, actor=asb_officer, contacted_by="phone", risk=Risk.MEDIUM)
    other_party_link(case=case, actor=asb_officer, tenancy=tenant_b.tenancy)
    diary_add(
        case=case,
        happened_on=dt.date(2026, 5, 30),
        what_happened="Music again until 3am.",
        added_by=tenant_a.user,
    )
    action_add(
        case=case,
        actor=asb_officer,
        description="Write to the household at 9 Elm Court",
        owner=asb_officer,
        due_on=dt.date(2026, 6, 12),
    )
    return case


def test_the_household_reported_has_nothing_of_the_report_in_its_pack(
    frozen, team, tenant_a, tenant_b, asb_officer
):
    case = _a_reports_b(tenant_a, tenant_b, asb_officer)
    officer = data_protection_officer()
    pack = gathered_data(gathered(tenant_b, officer))
    text = json.dumps(pack, ensure_ascii=False)
    assert case.reference not in text
    assert "Elm Court" not in text
    assert "Music again" not in text
    assert tenant_a.full_name not in text
    assert not [
        record["key"]
        for part in pack["parts"]
        for record in part["records"]
        if record["key"].startswith("asb.")
    ]
    assert selectors.personal_data_for(tenant_b).records == ()


def test_the_reporters_pack_holds_their_report_and_offers_the_other_party_for_redaction(
    frozen, team, tenant_a, tenant_b, asb_officer
):
    case = _a_reports_b(tenant_a, tenant_b, asb_officer)
    officer = data_protection_officer()
    pack = gathered_data(gathered(tenant_a, officer))
    keys = {record["key"] for part in pack["parts"] for record in part["records"]}
    assert f"asb.AsbCase:{case.pk}" in keys
    assert {key.split(":")[0] for key in keys} >= {"asb.AsbCase", "asb.DiaryEntry", "asb.AsbAction"}
    offered = suggested_redactions(pack, already=set())
    assert "9 Elm Court" in offered
    assert tenant_b.full_name in offered
    assert tenant_b.tenancy.reference in offered
    assert str(tenant_b.tenancy.property) in offered
    assert tenant_a.full_name not in offered


def test_a_report_about_the_reporter_is_not_in_their_pack_either_way_round(
    frozen, team, tenant_a, tenant_b, asb_officer
):
    """Each of two neighbours reports the other: each pack holds only the report its person made."""
    a_about_b = _a_reports_b(tenant_a, tenant_b, asb_officer)
    b_about_a = report(tenant_b, details="Shouting from next door.", other_party_address="")
    other_party_link(case=b_about_a, actor=asb_officer, tenancy=tenant_a.tenancy)
    a_keys = {record.key for record in selectors.personal_data_for(tenant_a).records}
    b_keys = {record.key for record in selectors.personal_data_for(tenant_b).records}
    assert f"asb.AsbCase:{a_about_b.pk}" in a_keys
    assert f"asb.AsbCase:{b_about_a.pk}" not in a_keys
    assert b_keys == {f"asb.AsbCase:{b_about_a.pk}"}


def test_the_asb_part_reads_in_a_fixed_number_of_queries(
    frozen, team, tenant_a, tenant_b, asb_officer, django_assert_max_num_queries
):
    for _ in range(3):
        _a_reports_b(tenant_a, tenant_b, asb_officer)
    with django_assert_max_num_queries(5):
        part = selectors.personal_data_for(tenant_a)
    assert len(part.records) == 9
