"""Seed the commitments of what households report and ask (a fire, items in a shared area, an
alteration) and of personal emergency evacuation plans.

A frozen copy of those rows of ``sla.catalogue.CATALOGUE``, as in ``0002``.
"""

from datetime import timedelta
from decimal import Decimal

from django.db import migrations

COMMITMENTS = [
    {
        'code': 'safety.fire_report.respond',
        'title': 'Look into a fire reported by a resident',
        'promise': 'If you report a fire, however small, we will look into it within 24 hours.',
        'clock': 'hours',
        'amount': 24,
        'starts_on': 'Fire reported',
        'source': 'landlord',
        'law_reference': "RRO 2005 (the FRA's review after a fire)",
        'target_percent': Decimal("95"),
        'warn_before': timedelta(seconds=14400),
        'is_constraint': False,
    },
    {
        'code': 'safety.communal_items.remove',
        'title': 'Deal with items left in a shared area',
        'promise': 'If you report items left in a shared area, we will deal with them within 5 working days.',
        'clock': 'working_days',
        'amount': 5,
        'starts_on': 'Items in a shared area reported',
        'source': 'landlord',
        'law_reference': 'RRO 2005 (escape routes kept clear)',
        'target_percent': Decimal("95"),
        'warn_before': timedelta(seconds=86400),
        'is_constraint': False,
    },
    {
        'code': 'safety.alteration.decision',
        'title': 'Decide a request to alter a home',
        'promise': 'If you ask permission to alter a wall, floor or door, we will give you our decision within 20 working days.',
        'clock': 'working_days',
        'amount': 20,
        'starts_on': 'Request for permission received',
        'source': 'landlord',
        'law_reference': '',
        'target_percent': Decimal("95"),
        'warn_before': timedelta(seconds=86400),
        'is_constraint': False,
    },
    {
        'code': 'peep.review',
        'title': 'Review a personal emergency evacuation plan',
        'promise': 'We will review your personal emergency evacuation plan with you every year.',
        'clock': 'interval_months',
        'amount': 12,
        'starts_on': 'Evacuation statement agreed or last reviewed',
        'source': 'statute',
        'law_reference': 'Fire Safety (Residential Evacuation Plans) (England) Regs 2025',
        'target_percent': Decimal("100"),
        'warn_before': timedelta(seconds=2592000),
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
        ("safety", "0003_reports_and_peeps"),
        ("sla", "0006_deadline_indexes_without_repeats"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
