import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

# Two accounts, because acceptance and licensing are two-person steps: whoever recommends a
# registration or a licence cannot also accept or approve it, so one demo login could never
# follow a company from registration to licence.
DEMO_ACCOUNTS = (
    ("demo-staff", "demo-staff@zones.example", "recommends"),
    ("demo-checker", "demo-checker@zones.example", "accepts and approves"),
)


class Command(BaseCommand):
    help = (
        "Make sure the two demo staff accounts exist (a maker and a checker); prints each "
        "password once, when the account is created."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        for username, email, role in DEMO_ACCOUNTS:
            if User.objects.filter(username=username).exists():
                self.stdout.write(
                    f"Demo staff account '{username}' exists (its password was printed when it "
                    f"was created; reset it with `manage.py changepassword {username}`)."
                )
                continue
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser(username=username, email=email, password=password)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created demo staff account: username '{username}', password '{password}' "
                    f"(shown this once; {role}). Log in at http://127.0.0.1:8000/admin/"
                )
            )
