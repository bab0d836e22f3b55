from django.core.management.base import BaseCommand, CommandError

from partners.models import PartnerKey


class Command(BaseCommand):
    help = (
        "Create a partner API key and print it once; only its hash is stored, so it cannot "
        "be shown again (revoke it in the admin under Partner access › Partner API keys)."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="Who the key is for, e.g. 'Statistics office' (≤ 50).")
        parser.add_argument("--organisation", default="", help="The holder's organisation.")

    def handle(self, *args, name, organisation, **options):
        name = name.strip()
        max_length = PartnerKey._meta.get_field("name").max_length
        if not name or len(name) > max_length:
            raise CommandError(f"Give the key a name of 1 to {max_length} characters.")
        partner_key, raw_key = PartnerKey.objects.create_key(name=name, organisation=organisation)
        self.stderr.write(
            f"Created partner key {partner_key.prefix} for “{name}”. Store it now: it will not "
            f"be shown again. Partners send it as `Authorization: Api-Key <key>`."
        )
        self.stdout.write(raw_key)
