"""Getting in (invitations, reminders, the no-access letters in order), the import with its dry
run, and BS01-BS05 as the regulator counts them."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db.models import Q
from django.utils import timezone

from kernel.formatting import LONDON
from kernel.reporting import ReportingYear
from notifications.models import Message
from safety.models import (
    BUILDING_SAFETY_MEASURES,
    AccessAttempt,
    AccessStage,
    CheckRecord,
    ComplianceCheck,
    clocks_in_date_at,
)
from safety.selectors import building_safety_measures, no_access_pipeline
from safety.services import (
    SafetyRefused,
    access_attempt_record,
    block_checks_register,
    check_register,
    invitations_send,
    records_import,
)
from sla.models import Deadline
from sla.services import sweep_deadlines
from tenancy.selectors import homes_counted_for_tsms
from tests.factories import BlockFactory, CustomerFactory, PropertyFactory
from tests.safety.factories import ContractorFactory, record

pytestmark = pytest.mark.usefixtures("frozen")


def test_households_are_invited_once_and_reminded_once_before_the_check_is_due(
    boiler_check, tenant_a, frozen
):
    record(boiler_check, dt.date(2025, 7, 20))
    Message.objects.all().delete()

    assert invitations_send() == 1
    assert invitations_send() == 0
    frozen.move_to(dt.datetime(2026, 7, 1, 10, tzinfo=LONDON))
    assert invitations_send() == 1

    stages = list(AccessAttempt.objects.values_list("stage", flat=True))
    assert stages == [AccessStage.INVITED, AccessStage.REMINDED]
    assert Message.objects.filter(customer=tenant_a).count() == 2


def test_a_check_not_yet_near_its_date_is_not_invited(boiler_check):
    record(boiler_check, dt.date(2026, 6, 1))

    assert invitations_send() == 0


def test_the_no_access_letters_go_in_order_then_a_manager_is_told(
    boiler_check, tenant_a, compliance_team
):
    for stage in ("first_letter", "second_letter", "final_letter"):
        access_attempt_record(check=boiler_check, stage=stage, note="Nobody in", actor=None)
    access_attempt_record(check=boiler_check, stage="legal", note="", actor=None)

    boiler_check.refresh_from_db()
    assert boiler_check.access_stage == AccessStage.LEGAL
    assert Message.objects.filter(customer=tenant_a).count() == 3
    assert Message.objects.filter(
        staff_user=compliance_team.lead, subject__contains="legal"
    ).exists()
    assert ("Referred for legal or forced entry", 1) in no_access_pipeline()


def test_a_letter_out_of_order_is_refused_and_nothing_is_written(boiler_check):
    with pytest.raises(SafetyRefused):
        access_attempt_record(check=boiler_check, stage="final_letter", note="", actor=None)

    assert not AccessAttempt.objects.exists()
    assert not Message.objects.exists()


def test_a_new_record_ends_the_no_access_procedure(boiler_check):
    access_attempt_record(check=boiler_check, stage="first_letter", note="", actor=None)

    record(boiler_check, dt.date(2026, 6, 9))

    boiler_check.refresh_from_db()
    assert boiler_check.access_stage == AccessStage.NONE


HEADER = "uprn,block,check_type,appliance,done_on,outcome,contractor,engineer_registration,next_due_months\n"


def test_the_import_registers_checks_and_sets_their_dates(db):
    home = PropertyFactory(uprn="100200300")
    block = BlockFactory(name="Birch House")
    gas_firm = ContractorFactory(name="Warm Homes", gas_safe_number="555111")
    ContractorFactory(name="Bright Sparks", electrical_number="NIC-1")
    text = (
        HEADER
        + "100200300,,gas,boiler,2025-09-01,pass,Warm Homes,555111,\n"
        + ",Birch House,fire_risk,,2025-10-01,satisfactory,,,\n"
        + "100200300,,electrical,,2024-01-10,c3,Bright Sparks,NIC-1,36\n"
    )

    dry = records_import(text=text, actor=None, dry_run=True)
    assert dry.ok and dry.accepted == 3 and not CheckRecord.objects.exists()
    result = records_import(text=text, actor=None, dry_run=False)

    assert result.ok and result.accepted == 3
    gas = ComplianceCheck.objects.get(property=home, check_type="gas")
    assert gas.next_due_at.astimezone(LONDON).date() == dt.date(2026, 9, 1)
    assert CheckRecord.objects.get(compliance_check=gas).contractor == gas_firm
    eicr = ComplianceCheck.objects.get(property=home, check_type="electrical")
    assert eicr.next_due_at.astimezone(LONDON).date() == dt.date(2027, 1, 10)
    assert ComplianceCheck.objects.get(block=block, check_type="fire_risk").last_done_on == dt.date(
        2025, 10, 1
    )
    # Historical records are not sent to households again.
    assert not Message.objects.exists()


def test_an_import_with_bad_rows_lists_them_by_line_and_imports_nothing(db):
    PropertyFactory(uprn="100200300")
    text = (
        HEADER
        + "100200300,,water,,2025-09-01,satisfactory,,,\n"
        + "999999999,,water,,2025-09-01,satisfactory,,,\n"
        + "100200300,,water,,2030-01-01,satisfactory,,,\n"
        + "100200300,,electrical,,2025-01-01,exploded,,,\n"
        + "100200300,,water,,31/01/2025,satisfactory,,,\n"
    )

    result = records_import(text=text, actor=None, dry_run=False)

    lines = dict(result.problems)
    assert set(lines) == {3, 4, 5, 6}
    assert "UPRN" in lines[3] and "future" in lines[4] and "outcome" in lines[5]
    assert result.accepted == 0
    assert not CheckRecord.objects.exists() and not ComplianceCheck.objects.exists()
    assert not Deadline.objects.exists()


def test_an_import_without_the_needed_columns_is_refused(db):
    result = records_import(text="uprn,date\n1,2\n", actor=None, dry_run=True)

    assert result.problems and result.problems[0][0] == 1


def test_a_gas_row_whose_registration_does_not_match_rolls_the_whole_import_back(db):
    PropertyFactory(uprn="100200300")
    PropertyFactory(uprn="100200301")
    ContractorFactory(name="Warm Homes", gas_safe_number="555111")
    text = (
        HEADER
        + "100200300,,gas,boiler,2025-09-01,pass,Warm Homes,555111,\n"
        + "100200301,,gas,boiler,2025-09-01,pass,Warm Homes,000000,\n"
    )

    result = records_import(text=text, actor=None, dry_run=False)

    assert [line for line, _ in result.problems] == [3]
    assert "does not match" in result.problems[0][1]
    assert not CheckRecord.objects.exists() and not ComplianceCheck.objects.exists()


YEAR = ReportingYear(2026)


def _measure(code: str):
    now = timezone.now()
    return next(m for m in building_safety_measures(year=YEAR, at=now) if m.code == code)


def test_bs01_counts_a_home_with_a_check_never_recorded_as_not_compliant(db):
    in_date, never, overdue = (CustomerFactory().tenancy.property for _ in range(3))
    for home in (in_date, never, overdue):
        check_register(check_type="gas", home=home, appliance="boiler")
    record(ComplianceCheck.objects.get(property=in_date), dt.date(2026, 5, 1))
    record(ComplianceCheck.objects.get(property=overdue), dt.date(2025, 5, 1))
    PropertyFactory()  # all electric: not in the measure at all

    bs01 = _measure("BS01")

    assert (bs01.homes_requiring, bs01.homes_compliant) == (3, 1)
    assert str(bs01.percent) == "33.3"


def test_a_home_needs_every_appliance_in_date(db):
    home = CustomerFactory().tenancy.property
    boiler = check_register(check_type="gas", home=home, appliance="boiler")
    fire = check_register(check_type="gas", home=home, appliance="gas_fire")
    record(boiler, dt.date(2026, 5, 1))
    record(fire, dt.date(2025, 5, 1))

    assert _measure("BS01").homes_compliant == 0


def test_bs02_and_bs05_count_the_homes_of_a_block_through_its_shared_parts(db):
    block = BlockFactory(has_lift=True, height_metres=30, storeys=10)
    homes = [PropertyFactory(block=block) for _ in range(4)]
    other_block = BlockFactory(has_lift=False)
    PropertyFactory(block=other_block)
    block_checks_register(block=other_block)  # its assessment never recorded
    checks = {c.check_type: c for c in block_checks_register(block=block)}
    record(checks["fire_risk"], dt.date(2026, 1, 5), outcome="satisfactory")

    bs02, bs05 = _measure("BS02"), _measure("BS05")

    assert (bs02.homes_requiring, bs02.homes_compliant) == (5, 4)
    assert (bs05.homes_requiring, bs05.homes_compliant) == (len(homes), 0)


def test_the_measure_for_an_ended_year_is_taken_at_31_march(db, frozen):
    home = CustomerFactory().tenancy.property
    check = check_register(check_type="gas", home=home, appliance="boiler")
    record(check, dt.date(2025, 3, 1))  # due 1 March 2026: out of date at 31 March 2026
    last_year = ReportingYear(2025)

    at_year_end = building_safety_measures(
        year=last_year, at=last_year.end_at - dt.timedelta(seconds=1)
    )
    record(check, dt.date(2026, 6, 1))
    later = building_safety_measures(year=last_year, at=last_year.end_at - dt.timedelta(seconds=1))

    assert at_year_end[0].homes_compliant == 0
    # A check done after the year ended does not change the year's snapshot.
    assert later[0].homes_compliant == 0


def test_the_measures_take_two_queries_whatever_the_stock(db, django_assert_num_queries):
    block = BlockFactory(has_lift=True, height_metres=30, storeys=10)
    PropertyFactory(block=block)
    block_checks_register(block=block)
    check_register(check_type="gas", home=CustomerFactory().tenancy.property, appliance="boiler")

    with django_assert_num_queries(2):
        measures = building_safety_measures(year=YEAR, at=timezone.now())

    assert [m.homes_compliant for m in measures] == [0, 0, 0, 0, 0]


def _measures_check_by_check(year: ReportingYear, at: dt.datetime) -> dict[str, tuple[int, int]]:
    """BS01-BS05 as the regulator words them, one home and one check at a time: of the homes
    counted, those a kind of check applies to (in the home or its block's shared parts), and
    of those the homes where each such check had a clock in date at ``at``."""
    figures = {}
    for code, check_type, _ in BUILDING_SAFETY_MEASURES:
        requiring = compliant = 0
        for home in homes_counted_for_tsms(year):
            checks = ComplianceCheck.objects.filter(
                Q(property=home) | Q(block_id=home.block_id, block__isnull=False),
                check_type=check_type,
                applies=True,
            )
            if not checks:
                continue
            requiring += 1
            compliant += all(
                clocks_in_date_at(at).filter(object_id=check.pk).exists() for check in checks
            )
        figures[code] = (requiring, compliant)
    return figures


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_measures_count_as_checking_every_home_one_by_one_would(db, seed):
    rng = random.Random(seed)
    blocks = [BlockFactory(has_lift=True, height_metres=30, storeys=10) for _ in range(3)]
    homes = [PropertyFactory(block=rng.choice([*blocks, None])) for _ in range(14)]
    homes[0].ownership = "managed"  # another owner's: not counted by the measures at all
    homes[0].save()
    checks = []
    for block in blocks:
        checks += [
            check_register(check_type=kind, block=block)
            for kind in ("fire_risk", "water", "asbestos", "passenger_lift")
            if rng.random() < 0.7
        ]
    for home in homes:
        checks += [
            check_register(check_type="gas", home=home, appliance=appliance)
            for appliance in ("boiler", "gas_fire")
            if rng.random() < 0.5
        ]
        checks += [
            check_register(check_type=kind, home=home)
            for kind in ("water", "asbestos")
            if rng.random() < 0.2
        ]
    for check in checks:
        # Never done, long overdue, in date, done today, or in gas reg 36A's window.
        for _ in range(rng.choice([0, 1, 1, 2])):
            done_on = dt.date(2026, 6, 10) - dt.timedelta(days=rng.randint(0, 800))
            record(check, done_on, outcome="pass" if check.check_type == "gas" else "satisfactory")
    year_ended = ReportingYear(2025)

    for year, at in (
        (YEAR, timezone.now()),
        (year_ended, year_ended.end_at - dt.timedelta(seconds=1)),
    ):
        measures = building_safety_measures(year=year, at=at)

        assert {m.code: (m.homes_requiring, m.homes_compliant) for m in measures} == (
            _measures_check_by_check(year, at)
        )


def test_a_gas_check_done_early_in_its_window_stays_in_date_until_its_new_cycle(db, frozen):
    check = check_register(
        check_type="gas", home=CustomerFactory().tenancy.property, appliance="boiler"
    )
    record(check, dt.date(2025, 7, 1))
    # Reg 36A: done in the two months before 1 July 2026, so the next cycle runs from 1 July;
    # until then the clock the record met still covers the home.
    record(check, dt.date(2026, 6, 5))
    check.refresh_from_db()

    assert check.next_due_at.astimezone(LONDON).date() == dt.date(2027, 7, 1)
    assert _measure("BS01").homes_compliant == 1


def test_a_check_done_today_after_being_overdue_is_judged_by_its_clocks(db, frozen):
    check = check_register(
        check_type="gas", home=CustomerFactory().tenancy.property, appliance="boiler"
    )
    record(check, dt.date(2025, 1, 5))
    record(check, dt.date(2026, 6, 10))  # today: its clock runs from midday
    after_midday = timezone.now() + dt.timedelta(hours=3)

    before = building_safety_measures(year=YEAR, at=timezone.now())[0]
    after = building_safety_measures(year=YEAR, at=after_midday)[0]

    assert (before.homes_compliant, after.homes_compliant) == (0, 1)


def _clocks(check):
    return [
        (d.started_at, d.original_due_at, d.met_at)
        for d in Deadline.objects.filter(
            content_type__model="compliancecheck", object_id=check.pk
        ).order_by("started_at", "pk")
    ]


def test_an_import_leaves_a_gas_check_as_recording_its_rows_one_by_one_would(db, frozen):
    firm = ContractorFactory(name="Warm Homes", gas_safe_number="555111")
    by_hand = check_register(check_type="gas", home=PropertyFactory(), appliance="boiler")
    imported = check_register(
        check_type="gas", home=PropertyFactory(uprn="100200300"), appliance="boiler"
    )
    for check in (by_hand, imported):
        record(check, dt.date(2024, 1, 10), contractor=firm)
    # Within reg 36A's window (keeps 10 January), then early (starts again from its own day),
    # and an old certificate found in a drawer (kept, moves nothing); out of order in the file.
    days = [dt.date(2025, 6, 1), dt.date(2023, 5, 1), dt.date(2024, 12, 1)]
    text = HEADER + "".join(
        f"100200300,,gas,boiler,{day.isoformat()},pass,Warm Homes,555111,\n" for day in days
    )
    for day in sorted(days):
        record(by_hand, day, contractor=firm, certificate=False)

    result = records_import(text=text, actor=None, dry_run=False)

    assert result.ok and result.accepted == 3
    by_hand.refresh_from_db()
    imported.refresh_from_db()
    assert imported.next_due_at.astimezone(LONDON).date() == dt.date(2026, 6, 1)
    assert _clocks(imported) == _clocks(by_hand)
    assert (imported.next_due_at, imported.last_done_on) == (
        by_hand.next_due_at,
        by_hand.last_done_on,
    )
    assert imported.records.count() == 4
    assert set(imported.records.values_list("source", flat=True)) == {"staff", "import"}


def test_an_import_brings_a_retired_check_back_and_meets_its_missed_clock(db, frozen):
    home = PropertyFactory(uprn="100200300")
    water = check_register(check_type="water", home=home)
    record(water, dt.date(2023, 1, 5), outcome="satisfactory")
    sweep_deadlines(hand_over=False)
    ComplianceCheck.objects.filter(pk=water.pk).update(applies=False, access_stage="final_letter")

    result = records_import(
        text=HEADER + "100200300,,water,,2026-05-01,satisfactory,,,\n", actor=None, dry_run=False
    )

    assert result.ok
    water.refresh_from_db()
    assert water.applies and water.access_stage == AccessStage.NONE
    assert water.last_done_on == dt.date(2026, 5, 1)
    missed = Deadline.objects.get(object_id=water.pk, started_at__date=dt.date(2023, 1, 5))
    assert missed.met_at is not None and missed.breached_at == missed.due_at
    assert ComplianceCheck.objects.filter(property=home, check_type="water").count() == 1


@pytest.mark.parametrize("homes", [3, 40])
def test_an_import_takes_the_same_few_queries_for_any_number_of_rows(
    db, homes, django_assert_max_num_queries
):
    for n in range(homes):
        home = PropertyFactory(uprn=f"7000{n:05d}")
        if n % 2:
            record(
                check_register(check_type="water", home=home),
                dt.date(2025, 1, 5),
                outcome="satisfactory",
            )
    text = HEADER + "".join(
        f"7000{n:05d},,water,,2026-05-01,satisfactory,,,\n" for n in range(homes)
    )

    with django_assert_max_num_queries(22):
        result = records_import(text=text, actor=None, dry_run=False)

    assert result.accepted == homes
    assert ComplianceCheck.objects.filter(last_done_on=dt.date(2026, 5, 1)).count() == homes
    assert CheckRecord.objects.filter(source="import").count() == homes
