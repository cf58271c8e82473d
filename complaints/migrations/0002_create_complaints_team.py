"""The Complaints team must exist for complaints to land in a queue: create it (once)."""

from django.db import migrations


def create_team(apps, schema_editor):
    Team = apps.get_model("casework", "Team")
    Team.objects.get_or_create(name="Complaints", defaults={"role": "complaints"})


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_team, migrations.RunPython.noop),
    ]
