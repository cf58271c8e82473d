"""Seed the commitments of published performance and the regulator's returns.

A frozen copy of this area's rows of ``sla.catalogue.CATALOGUE`` as they stood when this
migration was written; ``tests/sla/test_catalogue.py`` checks that every such list, together,
equals the catalogue. Existing rows are left alone (a manager may already have edited them).
"""

from datetime import timedelta
from decimal import Decimal

from django.db import migrations

COMMITMENTS = [
    {
        'code': 'chc.annual_submission',
        'title': 'Submit the Complaint Handling Code self-assessment to the Housing Ombudsman',
        'promise': 'We will submit our complaint handling self-assessment and annual complaints report to the Housing Ombudsman within 6 months of the end of each reporting year (by 30 September).',
        'clock': 'interval_months',
        'amount': 6,
        'starts_on': 'End of the reporting year (31 March)',
        'source': 'complaint_code',
        'law_reference': 'CHC 8.1-8.3; Ombudsman annual submission (30 September, over 1,000 homes)',
        'target_percent': Decimal("100"),
        'warn_before': timedelta(days=30),
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
        ("performance", "0002_published_figures_and_returns"),
        ("sla", "0006_deadline_indexes_without_repeats"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
