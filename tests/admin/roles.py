"""The role groups for tests, as programme/migrations/0001_roles.py defines them.

Tests that use `transactional_db` (the browser tests) flush the database afterwards, which
removes the groups the data migration made; this puts a role back from the same definition.
"""

import importlib

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from tests.factories import StaffUserFactory

roles_migration = importlib.import_module("programme.migrations.0001_roles")


def ensure_role(name):
    group = Group.objects.filter(name=name).first()
    if group is not None:
        return group
    content_type = ContentType.objects.get_by_natural_key("companies", "interestregistration")
    Permission.objects.get_or_create(
        content_type=content_type,
        codename=roles_migration.REVIEW_CODENAME,
        defaults={"name": "Can review interest registration"},
    )
    group = Group.objects.create(name=name)
    group.permissions.set(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in roles_migration.role_permissions()[name]
    )
    return group


def user_in_role(role, username, **fields):
    """A staff user whose only permissions come from the named role group."""
    user = StaffUserFactory(username=username, **fields)
    user.groups.add(ensure_role(role))
    return user
