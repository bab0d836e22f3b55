import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

DEMO_USERNAME = "demo-staff"


class Command(BaseCommand):
    help = "Make sure the demo staff account exists; prints its password once, when created."

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        if User.objects.filter(username=DEMO_USERNAME).exists():
            self.stdout.write(
                f"Demo staff account '{DEMO_USERNAME}' exists (its password was printed when it "
                f"was created; reset it with `manage.py changepassword {DEMO_USERNAME}`)."
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(
            username=DEMO_USERNAME, email="demo-staff@zones.example", password=password
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Created demo staff account: username '{DEMO_USERNAME}', password '{password}' "
                f"(shown this once). Log in at http://127.0.0.1:8000/admin/"
            )
        )
