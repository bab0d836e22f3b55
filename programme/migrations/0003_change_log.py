"""The change log the changes feed serves (one row per change, written in its transaction)."""

from django.db import migrations, models

import programme.models


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0002_tombstone"),
    ]

    operations = [
        migrations.CreateModel(
            name="Change",
            fields=[
                ("seq", models.BigAutoField(primary_key=True, serialize=False)),
                (
                    "xact_id",
                    models.BigIntegerField(db_default=programme.models.CurrentTransactionId()),
                ),
                (
                    "resource",
                    models.CharField(
                        choices=[
                            ("zone", "Zone"),
                            ("developer", "Zone developer"),
                            ("incentive", "Incentive"),
                            ("company", "Company"),
                            ("interest", "Interest registration"),
                            ("pledge", "Pledge"),
                        ],
                        max_length=30,
                    ),
                ),
                ("object_id", models.BigIntegerField()),
                ("lookup", models.CharField(blank=True, max_length=200)),
                (
                    "kind",
                    models.CharField(
                        choices=[("upsert", "Created or changed"), ("delete", "Deleted")],
                        max_length=6,
                    ),
                ),
                ("recorded_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "ordering": ("xact_id", "seq"),
                "indexes": [models.Index(fields=["xact_id", "seq"], name="change_feed_order")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "resource__in",
                                ["zone", "developer", "incentive", "company", "interest", "pledge"],
                            )
                        ),
                        name="change_resource_valid",
                        violation_error_message="Unknown resource.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["upsert", "delete"])),
                        name="change_kind_valid",
                        violation_error_message="A change is an upsert or a delete.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("object_id__gte", 1)),
                        name="change_object_id_positive",
                        violation_error_message="Object ids start at 1.",
                    ),
                ],
            },
        ),
    ]
