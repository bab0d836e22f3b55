"""The staff roles' rights over the portal.

Data entry invites people, manages memberships and handles renewal requests; Reviewer decides
zone developers' description proposals (a permission of its own, as reviewers change nothing
directly) and reads the documents companies upload with their answers; Analyst sees who has access, but not the documents (they carry personal data).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ("Data entry", "Reviewer", "Analyst")
VIEW_ALL = [
    f"view_{model}"
    for model in ("portalmembership", "invitation", "renewalrequest", "descriptionproposal")
]


def role_codenames():
    """{group name: [codename]} of the portal permissions each role receives."""
    return {
        "Data entry": [
            *VIEW_ALL,
            "view_document",
            "add_invitation",
            "change_portalmembership",
            "change_renewalrequest",
        ],
        "Reviewer": [*VIEW_ALL, "view_document", "decide_descriptionproposal"],
        "Analyst": VIEW_ALL,
    }


def grant(apps, schema_editor):
    app_config = apps.get_app_config("portal")
    # create_permissions() skips stand-in app configs without a models module.
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="portal")
    for name, codenames in role_codenames().items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*ours.filter(codename__in=codenames))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="portal"))


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("programme", "0001_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
