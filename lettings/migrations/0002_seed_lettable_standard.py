"""The lettable standard as the commitments describe it; the association edits it in the admin
(items added, reordered or retired there are never overwritten: this runs once)."""

from django.db import migrations

LETTABLE_STANDARD = [
    ("Clean throughout, rubbish and belongings cleared", "check", 10),
    ("Gas safety check done", "gas", 20),
    ("Electrical installation check done", "electrical", 30),
    ("Smoke and carbon monoxide alarms fitted and tested", "check", 40),
    ("No outstanding repairs", "check", 50),
]


def seed(apps, schema_editor):
    Item = apps.get_model("lettings", "LettableStandardItem")
    for name, kind, position in LETTABLE_STANDARD:
        Item.objects.get_or_create(name=name, defaults={"kind": kind, "position": position})


def unseed(apps, schema_editor):
    Item = apps.get_model("lettings", "LettableStandardItem")
    Item.objects.filter(name__in=[name for name, _, _ in LETTABLE_STANDARD]).delete()


class Migration(migrations.Migration):
    dependencies = [("lettings", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
