"""Staff roles see the emails and webhook deliveries: the panel on a registration, the lists."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEWS = ("view_notification", "view_webhookdelivery", "view_webhookendpoint")
ROLES = ("Data entry", "Reviewer", "Analyst")


def grant(apps, schema_editor):
    app_config = apps.get_app_config("notifications")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    permissions = list(
        Permission.objects.filter(content_type__app_label="notifications", codename__in=VIEWS)
    )
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="notifications", codename__in=VIEWS
    )
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        # The roles are created there.
        ("programme", "0001_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
