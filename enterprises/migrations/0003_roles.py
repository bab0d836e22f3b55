"""The staff roles' rights over the operating zone.

Data entry opens applications, recommends them, records plots and paper returns; Reviewer
approves licences (never one it recommended: the services enforce it) and accepts or returns
annual returns; everyone sees everything. Licence events are written by the services only.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ("enterprise", "licenceevent", "plot", "annualreturn")
DATA_ENTRY_WRITES = ("enterprise", "plot", "annualreturn")
REVIEWER_EXTRA = ("approve_enterprise", "review_annualreturn")
ROLES = ("Data entry", "Reviewer", "Analyst")


def role_codenames():
    """{group name: [codename]} of the enterprises permissions each role receives."""
    view = [f"view_{model}" for model in MODELS]
    writes = [f"{action}_{model}" for model in DATA_ENTRY_WRITES for action in ("add", "change")]
    return {"Data entry": view + writes, "Reviewer": view + list(REVIEWER_EXTRA), "Analyst": view}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("enterprises")
    # create_permissions() skips stand-in app configs without a models module.
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="enterprises")
    for name, codenames in role_codenames().items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*ours.filter(codename__in=codenames))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="enterprises"))


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0002_plot_holder_same_zone"),
        ("programme", "0001_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
