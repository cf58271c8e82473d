"""The teams an enquiry can be referred to. Customer services owns every new contact; the others
are the specialist teams of the commitment "referred to the most appropriate team"."""

from django.db import migrations

TEAMS = [
    ("Customer services", "customer_services"),
    ("Repairs", "repairs"),
    ("Complaints", "complaints"),
    ("ASB", "asb"),
    ("Lettings", "lettings"),
    ("Income", "income"),
    ("Compliance", "compliance"),
]


def create_teams(apps, schema_editor):
    Team = apps.get_model("casework", "Team")
    for name, role in TEAMS:
        Team.objects.get_or_create(name=name, defaults={"role": role})


class Migration(migrations.Migration):
    dependencies = [
        ("enquiries", "0002_keeping_in_touch_chat_callbacks_visits_calls"),
        ("casework", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_teams, migrations.RunPython.noop)]
