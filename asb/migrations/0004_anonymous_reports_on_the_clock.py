"""A report made without signing in runs its acknowledgement on an ``sla`` clock, like a case
(docs/decisions/0034), instead of keeping its due time on the row.

Each existing report gets the clock it would have had: started when it was received, due at
the time the row held, met when it was acknowledged (or closed). An unmet clock already past
its time is left for the sweep, which marks it breached and escalates it on its next run, as it
does with every clock after downtime. Each report also gets a stored reference, the one it was
shown by (``ASB-ANON-<id>``), so lists of clocks can name it.
"""

from django.db import migrations, models

CODES = {
    "asb": "asb.acknowledge",
    "hate_crime": "asb.hate_crime.acknowledge",
    "domestic_abuse": "asb.domestic_abuse.acknowledge",
}


def clocks_from_rows(apps, schema_editor):
    AnonymousReport = apps.get_model("asb", "AnonymousReport")
    reports = list(AnonymousReport.objects.order_by("pk"))
    if not reports:
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    Commitment = apps.get_model("sla", "Commitment")
    Deadline = apps.get_model("sla", "Deadline")
    content_type, _ = ContentType.objects.get_or_create(app_label="asb", model="anonymousreport")
    commitments = {c.code: c for c in Commitment.objects.filter(code__in=CODES.values())}
    for report in reports:
        commitment = commitments[CODES[report.kind]]
        due = report.acknowledge_by
        warn_at = None
        if commitment.warn_before is not None and due - commitment.warn_before > report.received_at:
            warn_at = due - commitment.warn_before
        met_at = report.acknowledged_at or report.closed_at
        Deadline.objects.create(
            content_type=content_type,
            object_id=report.pk,
            commitment=commitment,
            clock=commitment.clock,
            amount=commitment.amount,
            started_at=report.received_at,
            original_due_at=due,
            due_at=due,
            warn_at=warn_at,
            met_at=met_at,
        )
        report.reference = f"ASB-ANON-{report.pk}"
        report.next_due_at = None if met_at else due
        report.save(update_fields=["reference", "next_due_at"])


def rows_from_clocks(apps, schema_editor):
    AnonymousReport = apps.get_model("asb", "AnonymousReport")
    reports = list(AnonymousReport.objects.order_by("pk"))
    if not reports:
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    Deadline = apps.get_model("sla", "Deadline")
    content_type = ContentType.objects.get(app_label="asb", model="anonymousreport")
    clocks = Deadline.objects.filter(content_type=content_type)
    due = dict(clocks.values_list("object_id", "due_at"))
    for report in reports:
        report.acknowledge_by = due.get(report.pk, report.received_at)
        report.save(update_fields=["acknowledge_by"])
    clocks.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("asb", "0003_asb_queue_index"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("sla", "0006_deadline_indexes_without_repeats"),
    ]

    operations = [
        migrations.AddField(
            model_name="anonymousreport",
            name="next_due_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="anonymousreport",
            name="reference",
            field=models.CharField(default="", editable=False, max_length=30),
            preserve_default=False,
        ),
        # Nullable first, so that the step back can add it again before refilling it.
        migrations.AlterField(
            model_name="anonymousreport",
            name="acknowledge_by",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(clocks_from_rows, rows_from_clocks),
        migrations.RemoveField(model_name="anonymousreport", name="acknowledge_by"),
        migrations.AlterField(
            model_name="anonymousreport",
            name="reference",
            field=models.CharField(editable=False, max_length=30, unique=True),
        ),
        migrations.AlterModelOptions(
            name="anonymousreport",
            options={"ordering": ["received_at"]},
        ),
    ]
