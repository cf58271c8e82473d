"""Leave half of each page of the repairs table free (PostgreSQL's ``fillfactor``), so that an
update which changes no indexed column (the retention schedule anonymising a closed repair)
writes the row's new version on its own page with no new index entries (a "HOT" update),
instead of on a new page with an entry in each of the table's indexes. Storage tuning only:
no rule depends on it, and SQLite, which has no such setting, keeps every rule
(docs/decisions/0048). Pages already full keep their rows until the table is next rewritten
(``VACUUM FULL``); rows written from now on are laid out with the room."""

from django.db import migrations

FILL_FACTOR = 50


def _on_postgresql(schema_editor) -> bool:
    # No schema editor when the data migrations are replayed on their own: nothing to store.
    return schema_editor is not None and schema_editor.connection.vendor == "postgresql"


def leave_room(apps, schema_editor):
    if _on_postgresql(schema_editor):
        schema_editor.execute(f"ALTER TABLE repairs_repair SET (fillfactor = {FILL_FACTOR})")


def fill_pages(apps, schema_editor):
    if _on_postgresql(schema_editor):
        schema_editor.execute("ALTER TABLE repairs_repair RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [
        ("repairs", "0004_appointment_after_due_reason"),
    ]

    operations = [
        migrations.RunPython(leave_room, fill_pages, elidable=False),
    ]
