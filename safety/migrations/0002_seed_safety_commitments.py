"""Seed the commitments of the compliance register: the checks besides gas, electrical and fire
risk assessments, the remedial work a record asks for, and the written confirmation that it is
done.

A frozen copy of the rows ``sla.catalogue.CATALOGUE`` holds under "Keeping you safe" as they
stood when this migration was written: a migration must not import code that may change later.
``tests/sla/test_catalogue.py`` checks that the union of every such list equals the catalogue.
Existing rows are left alone (a manager may already have edited them).
"""

from datetime import timedelta
from decimal import Decimal

from django.db import migrations

COMMITMENTS = [
    {
        'code': 'fire.communal_doors',
        'title': 'Communal fire doors check',
        'promise': 'We will check the fire doors in the shared parts of your building every 3 months.',
        'clock': 'interval_months',
        'amount': 3,
        'starts_on': 'Last communal fire doors check',
        'source': 'statute',
        'law_reference': 'Fire Safety (England) Regs 2022 reg 10 (over 11 m)',
        'target_percent': Decimal("100"),
        'warn_before': timedelta(seconds=1209600),
        'is_constraint': False,
    },
    {
        'code': 'fire.flat_doors',
        'title': 'Flat entrance doors check',
        'promise': 'We will check the entrance door of every flat in your building every year.',
        'clock': 'interval_months',
        'amount': 12,
        'starts_on': 'Last flat entrance doors check',
        'source': 'statute',
        'law_reference': 'Fire Safety (England) Regs 2022 reg 10 (over 11 m)',
        'target_percent': Decimal("100"),
        'warn_before': timedelta(seconds=2592000),
        'is_constraint': False,
    },
    {
        'code': 'water.risk_assessment',
        'title': 'Water hygiene (legionella) risk assessment',
        'promise': 'We will review the legionella risk assessment of your water system on time.',
        'clock': 'interval_months',
        'amount': 24,
        'starts_on': 'Last legionella risk assessment',
        'source': 'statute',
        'law_reference': 'HSWA 1974; COSHH; HSE ACOP L8',
        'target_percent': Decimal("100"),
        'warn_before': timedelta(seconds=5184000),
        'is_constraint': False,
    },
    {
        'code': 'asbestos.reinspection',
        'title': 'Asbestos survey or re-inspection',
        'promise': 'We will re-inspect any asbestos in your home or building every year.',
        'clock': 'interval_months',
        'amount': 12,
        'starts_on': 'Last asbestos survey or re-inspection',
        'source': 'statute',
        'law_reference': 'Control of Asbestos Regs 2012 reg 4',
        'target_percent': Decimal("100"),
        'warn_before': timedelta(seconds=2592000),
        'is_constraint': False,
    },
    {
        'code': 'lift.passenger',
        'title': 'Passenger lift thorough examination',
        'promise': 'We will have the lifts in your building thoroughly examined every 6 months.',
        'clock': 'interval_months',
        'amount': 6,
        'starts_on': 'Last thorough examination',
        'source': 'statute',
        'law_reference': 'LOLER 1998 reg 9',
        'target_percent': Decimal("100"),
        'warn_before': timedelta(seconds=2592000),
        'is_constraint': False,
    },
    {
        'code': 'lift.firefighting',
        'title': 'Firefighting lift check',
        'promise': 'We will check the firefighting lifts in your building every month.',
        'clock': 'interval_months',
        'amount': 1,
        'starts_on': 'Last firefighting lift check',
        'source': 'statute',
        'law_reference': 'Fire Safety (England) Regs 2022 reg 7 (high-rise)',
        'target_percent': Decimal("100"),
        'warn_before': timedelta(seconds=604800),
        'is_constraint': False,
    },
    {
        'code': 'alarms.check',
        'title': 'Smoke and carbon monoxide alarms check',
        'promise': 'We will check your smoke and carbon monoxide alarms at every gas safety check and at least every year.',
        'clock': 'interval_months',
        'amount': 12,
        'starts_on': 'Last alarms check',
        'source': 'statute',
        'law_reference': 'Smoke and Carbon Monoxide Alarm (Amendment) Regs 2022',
        'target_percent': Decimal("100"),
        'warn_before': timedelta(seconds=2592000),
        'is_constraint': False,
    },
    {
        'code': 'safety.make_safe',
        'title': 'Make safe a danger found by a safety check',
        'promise': 'If a safety check finds something immediately dangerous, we will make it safe within 24 hours.',
        'clock': 'hours',
        'amount': 24,
        'starts_on': 'Check recorded as immediately dangerous (gas) or C1 (electrical)',
        'source': 'statute',
        'law_reference': 'GSIUR 1998 reg 34; Electrical Safety Standards Regs 2020 reg 3(4)',
        'target_percent': Decimal("100"),
        'warn_before': timedelta(seconds=14400),
        'is_constraint': False,
    },
    {
        'code': 'gas.remedial',
        'title': 'Gas remedial work',
        'promise': 'We will put right anything a gas safety check finds at risk within 28 days.',
        'clock': 'calendar_days',
        'amount': 28,
        'starts_on': 'Gas safety check recorded as at risk',
        'source': 'landlord',
        'law_reference': 'GSIUR 1998 reg 36(3)',
        'target_percent': Decimal("100"),
        'warn_before': timedelta(seconds=86400),
        'is_constraint': False,
    },
    {
        'code': 'safety.remedial_confirmation',
        'title': 'Confirm in writing that remedial work is done',
        'promise': 'We will tell you in writing within 28 days that the remedial work is done.',
        'clock': 'calendar_days',
        'amount': 28,
        'starts_on': 'Remedial work completed',
        'source': 'statute',
        'law_reference': 'Electrical Safety Standards Regs 2020 reg 3(6)',
        'target_percent': Decimal("100"),
        'warn_before': timedelta(seconds=86400),
        'is_constraint': False,
    },
]


def seed(apps, schema_editor):
    Commitment = apps.get_model("sla", "Commitment")
    existing = set(Commitment.objects.values_list("code", flat=True))
    Commitment.objects.bulk_create(
        Commitment(**row) for row in COMMITMENTS if row["code"] not in existing
    )


def unseed(apps, schema_editor):
    # Only rows no clock has used: a Deadline protects its commitment.
    Commitment = apps.get_model("sla", "Commitment")
    Commitment.objects.filter(
        code__in=[row["code"] for row in COMMITMENTS], deadlines__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("safety", "0001_compliance_register"),
        ("sla", "0006_deadline_indexes_without_repeats"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
