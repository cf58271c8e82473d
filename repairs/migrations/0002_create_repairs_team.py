"""The Repairs team: the queue that repairs, hazards and defects are opened on."""

from django.db import migrations

TEAM_NAME = "Repairs"
ROLE = "repairs"


def create_team(apps, schema_editor):
    Team = apps.get_model("casework", "Team")
    Team.objects.get_or_create(name=TEAM_NAME, defaults={"role": ROLE})


def remove_team(apps, schema_editor):
    # Kept if cases are already on it: PROTECT would refuse, and the queue's history matters.
    Team = apps.get_model("casework", "Team")
    Repair = apps.get_model("repairs", "Repair")
    if not Repair.objects.filter(team__name=TEAM_NAME).exists():
        Team.objects.filter(name=TEAM_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("repairs", "0001_initial"), ("casework", "0001_initial")]
    operations = [migrations.RunPython(create_team, remove_team)]
