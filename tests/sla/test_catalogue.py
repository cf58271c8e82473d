"""The seeded commitment catalogue: every row of the design's table, as the law reads."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.db.migrations.loader import MigrationLoader

from sla.calendar import due_at
from sla.catalogue import CATALOGUE, DEFAULTS_BY_CODE
from sla.models import ClockType, Commitment, Source

pytestmark = pytest.mark.django_db

# The design's section 4, code by code: (code, clock, amount).
DESIGN_TABLE = [
    ("enquiry.acknowledge", ClockType.WORKING_DAYS, 3),
    ("enquiry.respond", ClockType.WORKING_DAYS, 10),
    ("enquiry.contact_back", ClockType.WORKING_DAYS, 3),
    ("webchat.acknowledge", ClockType.MINUTES, 2),
    ("complaint.quick_resolution", ClockType.WORKING_DAYS, 2),
    ("complaint.stage1.acknowledge", ClockType.WORKING_DAYS, 3),
    ("complaint.stage1.respond", ClockType.WORKING_DAYS, 15),
    ("complaint.stage2.acknowledge", ClockType.WORKING_DAYS, 3),
    ("complaint.stage2.respond", ClockType.WORKING_DAYS, 15),
    ("asb.hate_crime.acknowledge", ClockType.HOURS, 24),
    ("asb.domestic_abuse.acknowledge", ClockType.HOURS, 24),
    ("asb.acknowledge", ClockType.WORKING_DAYS, 3),
    ("repair.emergency.attend", ClockType.HOURS, 24),
    ("repair.urgent.complete", ClockType.WORKING_DAYS, 5),
    ("repair.routine.complete", ClockType.WORKING_DAYS, 20),
    ("hazard.emergency.make_safe", ClockType.HOURS, 24),
    ("hazard.significant.investigate", ClockType.WORKING_DAYS, 10),
    ("hazard.summary", ClockType.WORKING_DAYS, 3),
    ("hazard.significant.make_safe", ClockType.WORKING_DAYS, 5),
    ("hazard.further_works.start", ClockType.WORKING_DAYS, 5),
    ("gas.safety_check", ClockType.INTERVAL_MONTHS, 12),
    ("gas.record_to_tenant", ClockType.CALENDAR_DAYS, 28),
    ("electrical.eicr", ClockType.INTERVAL_MONTHS, 60),
    ("electrical.report_to_tenant", ClockType.CALENDAR_DAYS, 28),
    ("electrical.remedial", ClockType.CALENDAR_DAYS, 28),
    ("fire.fra_review", ClockType.INTERVAL_MONTHS, 12),
    ("fire.action", ClockType.CALENDAR_DAYS, 28),
    ("lettings.offer.notify", ClockType.CALENDAR_DAYS, 7),
    ("lettings.viewing.notice", ClockType.HOURS, 24),
    ("lettings.settling_in_visit", ClockType.WEEKS, 6),
    ("exchange.decision", ClockType.CALENDAR_DAYS, 42),
    ("rent.change.notice", ClockType.CALENDAR_MONTHS, 1),
    ("rent.arrears.contact", ClockType.WORKING_DAYS, 5),
    ("dp.subject_access", ClockType.CALENDAR_MONTHS, 1),
]

# Where the law times the same step as our promise: the legal twin of each.
LEGAL_TWINS = [
    ("complaint.stage1.acknowledge.code", 5, "CHC 6.2"),
    ("complaint.stage1.respond.code", 10, "CHC 6.3-6.5"),
    ("complaint.stage2.acknowledge.code", 5, "CHC 6.11"),
    ("complaint.stage2.respond.code", 20, "CHC stage 2"),
]


@pytest.mark.parametrize(("code", "clock", "amount"), DESIGN_TABLE)
def test_every_row_of_the_design_table_is_seeded(code, clock, amount):
    commitment = Commitment.objects.get(code=code)
    assert (commitment.clock, commitment.amount, commitment.is_active) == (clock, amount, True)


@pytest.mark.parametrize(("code", "amount", "law_reference"), LEGAL_TWINS)
def test_each_complaint_code_clock_is_its_own_row(code, amount, law_reference):
    commitment = Commitment.objects.get(code=code)
    assert commitment.clock == ClockType.WORKING_DAYS
    assert commitment.amount == amount
    assert commitment.source == Source.COMPLAINT_CODE
    assert commitment.law_reference == law_reference
    assert commitment.target_percent == Decimal("100")


def test_the_further_works_long_stop_is_met_separately_from_the_start():
    long_stop = Commitment.objects.get(code="hazard.further_works.long_stop")
    assert (long_stop.clock, long_stop.amount) == (ClockType.WEEKS, 12)
    assert not long_stop.code.startswith("hazard.further_works.start.")


def test_only_the_notice_periods_are_constraints():
    assert set(Commitment.objects.filter(is_constraint=True).values_list("code", flat=True)) == {
        "lettings.viewing.notice",
        "rent.change.notice",
    }


def test_the_law_has_a_100_percent_target_and_our_promises_95():
    for commitment in Commitment.objects.all():
        if commitment.source != Source.LANDLORD:
            assert commitment.target_percent == Decimal("100"), commitment.code
    assert Commitment.objects.get(code="enquiry.respond").target_percent == Decimal("95")
    assert Commitment.objects.get(code="gas.safety_check").target_percent == Decimal("100")


def test_warnings_suit_the_length_of_each_clock():
    by_code = {c.code: c.warn_before for c in Commitment.objects.all()}
    assert by_code["enquiry.acknowledge"] == dt.timedelta(hours=24)
    assert by_code["asb.hate_crime.acknowledge"] == dt.timedelta(hours=4)
    assert by_code["webchat.acknowledge"] is None
    assert by_code["gas.safety_check"] == dt.timedelta(days=61)
    for commitment in Commitment.objects.filter(is_constraint=False):
        if commitment.warn_before is not None:
            started = dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)
            due = due_at(commitment.clock, commitment.amount, started)
            assert due - commitment.warn_before > started, commitment.code


def test_the_seeded_rows_match_the_catalogue_module():
    seeded = {
        c.code: {field.name: getattr(c, field.name) for field in dataclasses.fields(row)}
        for c in Commitment.objects.all()
        if (row := DEFAULTS_BY_CODE.get(c.code))
    }
    expected = {row.code: dataclasses.asdict(row) for row in CATALOGUE}
    assert seeded == expected
    assert Commitment.objects.count() == len(CATALOGUE)


def _frozen_copies_in_migrations() -> list[dict]:
    """Every ``COMMITMENTS`` list a data migration holds: sla's first seed, then the rows each
    service area seeds from its own migrations when it adds commitments of its own."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    rows: list[dict] = []
    for migration in loader.disk_migrations.values():
        rows.extend(getattr(importlib.import_module(migration.__module__), "COMMITMENTS", []))
    return rows


def test_the_migrations_hold_a_frozen_copy_equal_to_the_catalogue():
    frozen = _frozen_copies_in_migrations()
    assert sorted((row["code"], row) for row in frozen) == sorted(
        (row.code, dataclasses.asdict(row)) for row in CATALOGUE
    )


def test_codes_are_unique_and_fit_the_column():
    codes = [row.code for row in CATALOGUE]
    assert len(codes) == len(set(codes))
    assert max(map(len, codes)) <= Commitment._meta.get_field("code").max_length
