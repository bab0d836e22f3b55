"""Tombstones belong to the sync feed, which spans every app: the model moves to `programme`.

The table is renamed, not recreated, so that existing tombstones (and partners' deletions
feed) survive; `programme.0002_tombstone` takes the model over in the migration state.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="tombstone", table="programme_tombstone"),
            ],
            state_operations=[migrations.DeleteModel(name="Tombstone")],
        )
    ]
