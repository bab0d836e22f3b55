"""The Tombstone model, moved here from `partners` (its table was renamed there)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0001_roles"),
        ("partners", "0002_tombstone_moves_to_programme"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Tombstone",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("resource", models.CharField(max_length=30)),
                        ("object_id", models.CharField(max_length=64)),
                        ("lookup", models.CharField(blank=True, max_length=200)),
                        ("deleted_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                    ],
                    options={
                        "ordering": ("deleted_at", "id"),
                        "indexes": [
                            models.Index(
                                fields=["resource", "deleted_at"], name="tombstone_resource_time"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        )
    ]
