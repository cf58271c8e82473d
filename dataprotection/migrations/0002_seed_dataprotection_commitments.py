"""Seed the data-protection commitments (sla/catalogue.py, "Your data").

A frozen copy of those rows as they stood when this migration was written: a migration must not
import code that may change later. ``tests/sla/test_catalogue.py`` checks that the union of
every such list equals the catalogue. Existing rows are left alone (a manager may have edited
them).
"""

from datetime import timedelta
from decimal import Decimal

from django.db import migrations

COMMITMENTS = [
    {
        'code': 'dp.correction',
        'title': 'Answer a request to correct personal data',
        'promise': 'If you ask us to correct data we hold about you, we will correct it or tell you why not within one calendar month.',
        'clock': 'calendar_months',
        'amount': 1,
        'starts_on': 'Request received',
        'source': 'statute',
        'law_reference': 'UK GDPR Art 12(3), 16',
        'target_percent': Decimal("100"),
        'warn_before': timedelta(seconds=604800),
        'is_constraint': False,
    },
    {
        'code': 'dp.erasure',
        'title': 'Answer a request to erase personal data',
        'promise': 'If you ask us to erase data we hold about you, we will erase it or explain what we must keep and why within one calendar month.',
        'clock': 'calendar_months',
        'amount': 1,
        'starts_on': 'Request received',
        'source': 'statute',
        'law_reference': 'UK GDPR Art 12(3), 17',
        'target_percent': Decimal("100"),
        'warn_before': timedelta(seconds=604800),
        'is_constraint': False,
    },
    {
        'code': 'dp.complaint.acknowledge',
        'title': 'Acknowledge a data-protection complaint',
        'promise': 'We will acknowledge a complaint about how we handle your data within 30 days.',
        'clock': 'calendar_days',
        'amount': 30,
        'starts_on': 'Complaint received',
        'source': 'statute',
        'law_reference': 'DPA 2018 s164A (Data (Use and Access) Act 2025)',
        'target_percent': Decimal("100"),
        'warn_before': timedelta(seconds=604800),
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
        ("dataprotection", "0001_initial"),
        ("sla", "0006_deadline_indexes_without_repeats"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
