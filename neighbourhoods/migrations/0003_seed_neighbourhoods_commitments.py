"""Seed the neighbourhood commitments: a frozen copy of the ``neighbourhood.*`` rows of
``sla.catalogue.CATALOGUE`` as they stood when this migration was written (a migration must not
import code that may change later); ``tests/sla/test_catalogue.py`` checks that they agree.
Existing rows are left alone (a manager may already have edited them).
"""

from datetime import timedelta
from decimal import Decimal

from django.db import migrations

COMMITMENTS = [
    {
        'code': 'neighbourhood.missed_service.put_right',
        'title': 'Put right a cleaning or grounds visit that was not done',
        'promise': 'If communal cleaning or grounds work was not done, we will have it put right within 3 working days of your report.',
        'clock': 'working_days',
        'amount': 3,
        'starts_on': 'Resident reports the work was not done',
        'source': 'landlord',
        'law_reference': '',
        'target_percent': Decimal("95"),
        'warn_before': timedelta(seconds=86400),
        'is_constraint': False,
    },
    {
        'code': 'neighbourhood.bulk_rubbish.remove',
        'title': 'Remove bulk rubbish from a shared area',
        'promise': 'We will remove bulk rubbish from areas we look after within 5 working days.',
        'clock': 'working_days',
        'amount': 5,
        'starts_on': 'Bulk rubbish reported',
        'source': 'landlord',
        'law_reference': '',
        'target_percent': Decimal("95"),
        'warn_before': timedelta(seconds=86400),
        'is_constraint': False,
    },
    {
        'code': 'neighbourhood.graffiti.remove',
        'title': 'Remove graffiti',
        'promise': 'We will remove graffiti from areas we look after within 10 working days.',
        'clock': 'working_days',
        'amount': 10,
        'starts_on': 'Graffiti reported',
        'source': 'landlord',
        'law_reference': '',
        'target_percent': Decimal("95"),
        'warn_before': timedelta(seconds=86400),
        'is_constraint': False,
    },
    {
        'code': 'neighbourhood.graffiti.offensive.remove',
        'title': 'Remove offensive graffiti',
        'promise': 'We will remove racist, sexual, threatening or abusive graffiti within 24 hours.',
        'clock': 'hours',
        'amount': 24,
        'starts_on': 'Offensive graffiti reported',
        'source': 'landlord',
        'law_reference': '',
        'target_percent': Decimal("95"),
        'warn_before': timedelta(seconds=14400),
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
        ("neighbourhoods", "0002_neighbourhoodreport"),
        ("sla", "0006_deadline_indexes_without_repeats"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
