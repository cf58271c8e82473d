"""The compliance register: which checks apply, a record moving the check's clock (GSIUR reg
36A on held-back dates), what goes to the tenant, remedial work and what is refused."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from kernel.formatting import LONDON
from notifications.models import Message
from repairs.models import Repair
from safety.models import (
    Appliance,
    CheckRecord,
    CheckType,
    ComplianceCheck,
    RemedialWork,
    Risk,
)
from safety.selectors import overdue_checks
from safety.services import (
    SafetyRefused,
    block_checks_register,
    check_register,
    home_checks_register,
    next_cycle_start,
    remedial_complete,
    tenancy_start_alarms_due,
)
from sla.calendar import add_months
from sla.models import Deadline
from sla.services import sweep_deadlines
from tests.factories import BlockFactory, CustomerFactory, PropertyFactory, TenancyFactory
from tests.safety.factories import (
    ContractorFactory,
    pdf,
    pdf_with_hidden_launch,
    pdf_with_script,
    record,
)

pytestmark = pytest.mark.usefixtures("frozen")


def _due_day(check: ComplianceCheck) -> dt.date:
    check.refresh_from_db()
    assert check.next_due_at is not None
    return check.next_due_at.astimezone(LONDON).date()


def test_an_all_electric_home_has_no_gas_check_but_an_eicr_and_alarms(db):
    home = PropertyFactory()

    checks = home_checks_register(home=home, appliances=[])

    assert {c.check_type for c in checks} == {CheckType.ELECTRICAL, CheckType.ALARMS}


def test_each_gas_appliance_is_a_check_and_registering_twice_registers_once(db):
    home = PropertyFactory()

    home_checks_register(home=home, appliances=[Appliance.BOILER, Appliance.GAS_FIRE])
    home_checks_register(home=home, appliances=[Appliance.BOILER, Appliance.GAS_FIRE])

    assert ComplianceCheck.objects.filter(property=home, check_type=CheckType.GAS).count() == 2


def test_a_tall_block_with_lifts_gets_door_and_lift_checks_and_its_fra_interval_by_risk(db):
    tall = BlockFactory(storeys=8, height_metres=24, has_lift=True)
    low = BlockFactory(storeys=3, height_metres=9, has_lift=False)

    tall_checks = {c.check_type: c for c in block_checks_register(block=tall, risk=Risk.HIGH)}
    low_checks = {c.check_type: c for c in block_checks_register(block=low, risk=Risk.LOW)}

    assert set(tall_checks) >= {
        CheckType.COMMUNAL_FIRE_DOORS,
        CheckType.PASSENGER_LIFT,
        CheckType.FIREFIGHTING_LIFT,
    }
    assert CheckType.COMMUNAL_FIRE_DOORS not in low_checks
    # Each flat's entrance door is the flat's own yearly check, over 11 m only.
    assert CheckType.FLAT_ENTRANCE_DOORS not in tall_checks
    tall_flat = home_checks_register(home=PropertyFactory(block=tall), appliances=[])
    low_flat = home_checks_register(home=PropertyFactory(block=low), appliances=[])
    assert CheckType.FLAT_ENTRANCE_DOORS in {c.check_type for c in tall_flat}
    assert CheckType.FLAT_ENTRANCE_DOORS not in {c.check_type for c in low_flat}
    assert tall_checks[CheckType.FIRE_RISK].interval_months == 12
    assert low_checks[CheckType.FIRE_RISK].interval_months == 24


def test_a_new_check_has_no_due_date_until_its_first_record(boiler_check):
    assert boiler_check.next_due_at is None


@pytest.mark.parametrize(
    ("done_on", "expected_start"),
    [
        # 10 to 12 months after the last: the deadline date is kept.
        (dt.date(2026, 11, 1), dt.date(2026, 12, 31)),
        (dt.date(2026, 12, 31), dt.date(2026, 12, 31)),
        # Earlier than that: the cycle starts again from the check.
        (dt.date(2026, 10, 31), dt.date(2026, 10, 31)),
        (dt.date(2026, 6, 1), dt.date(2026, 6, 1)),
        # Late: from the check.
        (dt.date(2027, 1, 5), dt.date(2027, 1, 5)),
    ],
)
def test_reg_36a_window_keeps_the_deadline_date(done_on, expected_start):
    assert (
        next_cycle_start(check_type="gas", done_on=done_on, due_on=dt.date(2026, 12, 31))
        == expected_start
    )


def test_the_window_does_not_apply_to_other_checks():
    assert next_cycle_start(
        check_type="electrical", done_on=dt.date(2026, 11, 1), due_on=dt.date(2026, 12, 31)
    ) == dt.date(2026, 11, 1)


def test_a_gas_check_in_the_last_two_months_keeps_the_original_date(boiler_check, frozen):
    record(boiler_check, dt.date(2026, 6, 1))
    assert _due_day(boiler_check) == dt.date(2027, 6, 1)

    frozen.move_to(dt.datetime(2027, 5, 20, 10, tzinfo=LONDON))
    record(boiler_check, dt.date(2027, 5, 15))

    assert _due_day(boiler_check) == dt.date(2028, 6, 1)
    clocks = Deadline.objects.for_case(boiler_check).order_by("pk")
    assert [c.met_at is not None for c in clocks] == [True, False]


def test_a_gas_check_done_early_starts_the_cycle_again(boiler_check, frozen):
    record(boiler_check, dt.date(2026, 6, 1))

    frozen.move_to(dt.datetime(2027, 3, 20, 10, tzinfo=LONDON))
    record(boiler_check, dt.date(2027, 3, 15))

    assert _due_day(boiler_check) == dt.date(2028, 3, 15)


def test_a_missed_gas_check_is_breached_and_a_late_one_restarts_from_its_date(boiler_check, frozen):
    record(boiler_check, dt.date(2026, 6, 1))
    frozen.move_to(dt.datetime(2027, 6, 3, 10, tzinfo=LONDON))
    sweep_deadlines()
    first = Deadline.objects.for_case(boiler_check).get()
    assert first.breached_at is not None

    record(boiler_check, dt.date(2027, 6, 3))

    first.refresh_from_db()
    assert first.met_at is not None and first.breached_at is not None
    assert _due_day(boiler_check) == dt.date(2028, 6, 3)


def test_an_eicr_asking_for_a_sooner_inspection_is_due_then(tenant_a):
    check = check_register(check_type="electrical", home=tenant_a.tenancy.property)

    record(check, dt.date(2026, 6, 1), outcome="c3", next_due_months=36)

    assert _due_day(check) == dt.date(2029, 6, 1)


def test_the_record_goes_to_the_household_by_its_channel_and_meets_the_28_day_clock(
    boiler_check, tenant_a
):
    kept = record(boiler_check, dt.date(2026, 6, 9))

    message = Message.objects.get(customer=tenant_a)
    assert "gas safety check" in message.subject.lower()
    to_tenant = Deadline.objects.for_case(kept).get(commitment__code="gas.record_to_tenant")
    assert to_tenant.met_at is not None and to_tenant.met_at <= to_tenant.due_at
    kept.refresh_from_db()
    assert kept.sent_to_tenant_at is not None


def test_a_record_without_a_certificate_leaves_the_tenant_clock_running(boiler_check):
    kept = record(boiler_check, dt.date(2026, 6, 9), certificate=False)

    to_tenant = Deadline.objects.for_case(kept).get(commitment__code="gas.record_to_tenant")
    assert to_tenant.met_at is None
    assert to_tenant.due_at.astimezone(LONDON).date() == dt.date(2026, 7, 7)


def test_a_gas_visit_that_checked_the_alarms_meets_the_alarms_check(tenant_a):
    home = tenant_a.tenancy.property
    checks = {c.check_type: c for c in home_checks_register(home=home, appliances=["boiler"])}

    record(checks[CheckType.GAS], dt.date(2026, 6, 1), alarms_checked=True)

    assert _due_day(checks[CheckType.ALARMS]) == dt.date(2027, 6, 1)


def test_an_immediately_dangerous_gas_check_opens_an_emergency_repair_on_a_24_hour_clock(
    boiler_check, tenant_a
):
    kept = record(boiler_check, dt.date(2026, 6, 10), outcome="immediately_dangerous")

    remedial = RemedialWork.objects.get(record=kept)
    clock = Deadline.objects.for_case(remedial).get()
    assert clock.commitment.code == "safety.make_safe"
    assert clock.due_at - clock.started_at == dt.timedelta(hours=24)
    repair = Repair.objects.get(reference=remedial.repair_reference)
    assert repair.priority == "emergency" and repair.customer == tenant_a


def test_a_c2_opens_remedial_work_due_in_28_days(tenant_a):
    check = check_register(check_type="electrical", home=tenant_a.tenancy.property)

    kept = record(check, dt.date(2026, 6, 10), outcome="c2")

    remedial = RemedialWork.objects.get(record=kept)
    clock = Deadline.objects.for_case(remedial).get()
    assert clock.commitment.code == "electrical.remedial"
    assert clock.due_at.astimezone(LONDON).date() == dt.date(2026, 7, 8)
    assert Repair.objects.get(reference=remedial.repair_reference).priority == "urgent"


def test_remedial_work_done_is_confirmed_to_the_tenant_in_writing(tenant_a):
    check = check_register(check_type="electrical", home=tenant_a.tenancy.property)
    remedial = RemedialWork.objects.get(record=record(check, dt.date(2026, 6, 10), outcome="c2"))

    remedial_complete(remedial=remedial, actor=None)

    remedial.refresh_from_db()
    assert remedial.completed_at is not None and remedial.tenant_told_at is not None
    assert Message.objects.filter(
        customer=tenant_a, subject__icontains="work in your home is done"
    ).exists()
    clocks = Deadline.objects.for_case(remedial)
    assert all(c.met_at is not None for c in clocks)
    with pytest.raises(SafetyRefused):
        remedial_complete(remedial=remedial, actor=None)


def test_a_void_home_keeps_the_remedial_clock_without_a_repair(db):
    home = PropertyFactory()
    check = check_register(check_type="gas", home=home, appliance="boiler")

    kept = record(check, dt.date(2026, 6, 10), outcome="at_risk")

    remedial = RemedialWork.objects.get(record=kept)
    assert remedial.repair_reference == ""
    assert Deadline.objects.for_case(remedial).get().commitment.code == "gas.remedial"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"done_on": dt.date(2026, 6, 11)}, "today or in the past"),
        ({"outcome": "c1"}, "not a possible outcome"),
        ({"engineer_registration": "999999"}, "does not match"),
    ],
)
def test_a_refused_record_writes_nothing(boiler_check, change, message):
    done_on = change.pop("done_on", dt.date(2026, 6, 1))

    with pytest.raises(SafetyRefused) as refused:
        record(boiler_check, done_on, **change)

    assert message in " ".join(refused.value.problems)
    assert not CheckRecord.objects.exists()
    assert not Deadline.objects.for_case(boiler_check).exists()


def test_a_gas_record_needs_the_contractor(boiler_check):
    from safety.services import RecordDetails, record_add

    with pytest.raises(SafetyRefused):
        record_add(
            check=boiler_check,
            details=RecordDetails(done_on=dt.date(2026, 6, 1), outcome="pass"),
            certificate=pdf(),
            actor=None,
        )
    assert not CheckRecord.objects.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"GIF89a not a pdf",
        b"%PDF-1.4 cut short",
        pdf_with_script(),
        pdf_with_hidden_launch(),
    ],
)
def test_a_certificate_must_be_a_whole_pdf_without_active_content(boiler_check, content):
    contractor = ContractorFactory()
    from safety.services import RecordDetails, record_add

    with pytest.raises(ValidationError):
        record_add(
            check=boiler_check,
            details=RecordDetails(
                done_on=dt.date(2026, 6, 1),
                outcome="pass",
                contractor=contractor,
                engineer_registration=contractor.gas_safe_number,
            ),
            certificate=pdf(content),
            actor=None,
        )
    assert not CheckRecord.objects.exists()
    assert not Deadline.objects.for_case(boiler_check).exists()


def test_deleting_the_last_record_keeps_the_missed_check_overdue(boiler_check, frozen):
    kept = record(boiler_check, dt.date(2026, 6, 1), certificate=False)
    frozen.move_to(dt.datetime(2027, 6, 5, 10, tzinfo=LONDON))
    sweep_deadlines()
    Deadline.objects.filter(object_id=kept.pk, commitment__code="gas.record_to_tenant").delete()

    kept.delete()

    boiler_check.refresh_from_db()
    assert boiler_check.next_due_at is not None
    assert boiler_check.next_due_at < dt.datetime(2027, 6, 5, tzinfo=LONDON)
    from django.utils import timezone

    from safety.selectors import overdue_checks

    assert boiler_check in overdue_checks(now=timezone.now())


def test_a_missed_check_is_told_to_the_compliance_lead(boiler_check, compliance_team, frozen):
    record(boiler_check, dt.date(2026, 6, 1))
    frozen.move_to(dt.datetime(2027, 6, 3, 10, tzinfo=LONDON))

    with time_machine.travel(dt.datetime(2027, 6, 3, 10, tzinfo=LONDON), tick=False):
        sweep_deadlines()

    message = Message.objects.get(staff_user=compliance_team.lead)
    assert "Overdue" in message.subject and "Gas safety check" in message.body


def test_a_check_belongs_to_a_home_or_a_block(db):
    with pytest.raises(ValueError):
        check_register(check_type="water")
    with pytest.raises(ValueError):
        check_register(check_type="water", home=PropertyFactory(), block=BlockFactory())


def test_a_gas_check_needs_its_appliance(db):
    with pytest.raises(SafetyRefused):
        check_register(check_type="gas", home=CustomerFactory().tenancy.property)


@pytest.mark.parametrize(
    ("check_type", "months"),
    [
        (CheckType.GAS, 12),
        (CheckType.ELECTRICAL, 60),
        (CheckType.COMMUNAL_FIRE_DOORS, 3),
        (CheckType.FLAT_ENTRANCE_DOORS, 12),
        (CheckType.WATER, 24),
        (CheckType.ASBESTOS, 12),
        (CheckType.PASSENGER_LIFT, 6),
        (CheckType.FIREFIGHTING_LIFT, 1),
        (CheckType.ALARMS, 12),
    ],
)
def test_each_kind_of_check_runs_on_its_legal_interval(db, check_type, months):
    block = BlockFactory(storeys=10, height_metres=30, has_lift=True)
    home = PropertyFactory(block=block)
    checks = {c.check_type: c for c in block_checks_register(block=block)}
    checks.update(
        {
            c.check_type: c
            for c in home_checks_register(
                home=home, appliances=[Appliance.BOILER], asbestos=True, water=True
            )
        }
    )
    if check_type in (CheckType.WATER, CheckType.ASBESTOS):
        checks[check_type] = ComplianceCheck.objects.get(property=home, check_type=check_type)
    outcome = {"gas": "pass", "electrical": "satisfactory"}.get(check_type, "satisfactory")

    record(checks[check_type], dt.date(2026, 1, 15), outcome=outcome)

    assert _due_day(checks[check_type]) == add_months(dt.date(2026, 1, 15), months)


def test_a_new_tenancy_puts_the_alarms_check_on_its_first_day_once(db, frozen):
    home, later_home = PropertyFactory(), PropertyFactory()
    alarms = check_register(check_type=CheckType.ALARMS, home=home)
    later_alarms = check_register(check_type=CheckType.ALARMS, home=later_home)
    for check in (alarms, later_alarms):
        record(check, dt.date(2026, 1, 20), outcome="satisfactory")  # due January 2027
    TenancyFactory(property=home, start_date=dt.date(2026, 6, 15))
    TenancyFactory(property=later_home, start_date=dt.date(2026, 7, 20))  # weeks away yet

    assert tenancy_start_alarms_due() == 1
    assert tenancy_start_alarms_due() == 0

    assert _due_day(alarms) == dt.date(2026, 6, 15)
    assert _due_day(later_alarms) == dt.date(2027, 1, 20)
    # Checked on the day: the start-of-tenancy clock is met with the yearly one.
    frozen.move_to(dt.datetime(2026, 6, 15, 14, tzinfo=LONDON))
    record(alarms, dt.date(2026, 6, 15), outcome="satisfactory")
    assert _due_day(alarms) == dt.date(2027, 6, 15)
    start_clock = Deadline.objects.get(
        object_id=alarms.pk, commitment__code="alarms.check.tenancy_start"
    )
    assert start_clock.met_at is not None and start_clock.met_at <= start_clock.due_at


def test_a_missed_tenancy_start_alarms_check_shows_as_overdue(db, frozen):
    home = PropertyFactory()
    alarms = check_register(check_type=CheckType.ALARMS, home=home)
    record(alarms, dt.date(2026, 1, 20), outcome="satisfactory")
    TenancyFactory(property=home, start_date=dt.date(2026, 6, 11))
    tenancy_start_alarms_due()

    frozen.move_to(dt.datetime(2026, 6, 12, 9, tzinfo=LONDON))

    assert alarms in overdue_checks(now=timezone.now())
