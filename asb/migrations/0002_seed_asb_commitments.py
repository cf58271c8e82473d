"""Seed the ASB commitment the action plan's clocks run on (``asb.action`` in
``sla.catalogue``).

A frozen copy of the rows as they stood when this migration was written: a migration must not
import code that may change later. ``tests/sla/test_catalogue.py`` checks that the union of
these lists equals the catalogue. Existing rows are left alone (a manager may have edited them).
"""

from datetime import timedelta
from decimal import Decimal

from django.db import migrations

COMMITMENTS = [
    {
        'code': 'asb.action',
        'title': 'Carry out an action in an ASB action plan',
        'promise': 'We will produce an action plan to deal with on-going problems, and carry out each action by the date we agree with you.',
        'clock': 'calendar_days',
        'amount': 14,
        'starts_on': 'Action agreed',
        'source': 'landlord',
        'law_reference': '',
        'target_percent': Decimal("95"),
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
        ("asb", "0001_initial"),
        ("sla", "0006_deadline_indexes_without_repeats"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
