"""The three staff roles as groups: Data entry, Reviewer and Analyst.

Django creates model permissions only after `migrate` finishes (post_migrate), so this migration
creates them first; it also adds `companies.review_interestregistration`, the permission the
admin's review actions ask for. It runs once: changes made to the groups by hand later are
kept. (It was `core.0001_roles` until the foundation stopped knowing the domain apps; a
database that ran it under that name already has the groups and is left alone.)
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW, ADD, CHANGE = "view", "add", "change"

# Every registry model; each role sees all of them.
REGISTRY_MODELS = {
    "zones": ("sector", "incentive", "zonedeveloper", "zone", "zonestatuschange"),
    "companies": ("company", "contact", "interestregistration"),
    "investments": ("exchangerate", "pledge", "disbursement", "target"),
}

# What Data entry may add and change (never delete): the records and the rows they carry.
DATA_ENTRY_WRITES = {
    "zones": ("zonedeveloper", "zone", "zonestatuschange"),
    "companies": ("company", "contact", "interestregistration"),
    "investments": ("pledge", "disbursement", "exchangerate"),
}

REVIEW_CODENAME = "review_interestregistration"

ROLES = ("Data entry", "Reviewer", "Analyst")


def role_permissions():
    """{group name: [(app_label, codename)]}."""
    view_all = [
        (app_label, f"{VIEW}_{model}")
        for app_label, models in REGISTRY_MODELS.items()
        for model in models
    ]
    writes = [
        (app_label, f"{action}_{model}")
        for app_label, models in DATA_ENTRY_WRITES.items()
        for model in models
        for action in (ADD, CHANGE)
    ]
    return {
        "Data entry": view_all + writes,
        "Reviewer": [*view_all, ("companies", REVIEW_CODENAME)],
        "Analyst": view_all,
    }


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    if Group.objects.filter(name__in=ROLES).exists():
        return  # created by this migration's earlier home, core.0001_roles

    for app_config in apps.get_app_configs():
        # create_permissions() skips app configs without a models module, which is what the
        # migration state's stand-in configs look like; point it at the real one.
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")

    registration_type, _ = ContentType.objects.get_or_create(
        app_label="companies", model="interestregistration"
    )
    Permission.objects.get_or_create(
        content_type=registration_type,
        codename=REVIEW_CODENAME,
        defaults={"name": "Can review interest registration"},
    )

    for name, wanted in role_permissions().items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = []
        for app_label, codename in wanted:
            permissions.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()
    apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="companies", codename=REVIEW_CODENAME
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("zones", "0001_initial"),
        ("companies", "0001_initial"),
        ("investments", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
