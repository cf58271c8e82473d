"""Seed the commitment to check a home's smoke and carbon monoxide alarms on the day a tenancy
starts.

A frozen copy of that row of ``sla.catalogue.CATALOGUE``, as in ``0002``.
"""

from decimal import Decimal

from django.db import migrations

COMMITMENTS = [
    {
        'code': 'alarms.check.tenancy_start',
        'title': 'Smoke and carbon monoxide alarms checked when a tenancy starts',
        'promise': 'We will check your smoke and carbon monoxide alarms are working on the day your tenancy starts.',
        'clock': 'calendar_days',
        'amount': 1,
        'starts_on': 'The day before the tenancy starts',
        'source': 'statute',
        'law_reference': 'Smoke and Carbon Monoxide Alarm (Amendment) Regs 2022 reg 4(1)(b)',
        'target_percent': Decimal("100"),
        'warn_before': None,
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
        ("safety", "0006_indexes_for_the_measures"),
        ("sla", "0006_deadline_indexes_without_repeats"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
