"""PostgreSQL: a plot's holder must be an enterprise of the plot's own zone.

A composite foreign key (enterprise_id, zone_id) → enterprise (id, zone_id) lets the database
refuse a plot held by an enterprise licensed in another zone, and an enterprise moved to another
zone while it holds plots. SQLite cannot add a foreign key to an existing table, so there the
services' check (enterprises.services._check_holder) is the guard.
"""

from django.db import migrations

CONSTRAINT = "plot_holder_in_plot_zone"


def add_composite_fk(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE enterprises_plot ADD CONSTRAINT {CONSTRAINT} "
        "FOREIGN KEY (enterprise_id, zone_id) "
        "REFERENCES enterprises_enterprise (id, zone_id)"
    )


def drop_composite_fk(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE enterprises_plot DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]

    operations = [migrations.RunPython(add_composite_fk, drop_composite_fk)]
