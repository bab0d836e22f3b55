import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def run() -> str:
    out = StringIO()
    call_command("ensure_demo_staff", stdout=out)
    return out.getvalue()


def test_a_maker_and_a_checker_are_created_and_each_password_printed_once():
    first = run()

    passwords = dict(re.findall(r"username '([\w-]+)', password '([^']+)'", first))
    assert set(passwords) == {"demo-staff", "demo-checker"}
    User = get_user_model()
    for username, password in passwords.items():
        user = User.objects.get(username=username)
        assert user.is_staff and user.check_password(password)

    second = run()
    assert "password '" not in second
    assert second.count("exists") == 2
    assert User.objects.filter(username__startswith="demo-").count() == 2


def test_an_existing_account_keeps_its_password():
    User = get_user_model()
    User.objects.create_superuser("demo-staff", "demo-staff@zones.example", "kept-secret-1")

    out = run()

    assert "username 'demo-checker'" in out and "username 'demo-staff'" not in out
    assert User.objects.get(username="demo-staff").check_password("kept-secret-1")
