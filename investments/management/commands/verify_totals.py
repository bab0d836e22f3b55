from django.core.management.base import BaseCommand, CommandError

from investments.services import pledge_totals_verify


class Command(BaseCommand):
    help = (
        "Recompute every pledge's running realised totals (amount and USD) from its "
        "disbursements and list any pledge where they differ; --repair resets them. Exits 1 "
        "while a difference remains, so it can run from cron or a monitor."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair",
            action="store_true",
            help="Set each differing pledge's totals to its disbursements' sums.",
        )

    def handle(self, *args, repair=False, **options):
        self.stdout.write("Checking pledges' realised totals against their disbursements …")
        differences = pledge_totals_verify(repair=repair)
        for difference in differences:
            state = (
                "repaired"
                if difference.repaired
                else f"NOT repaired: {difference.problem}"
                if difference.problem
                else "differs"
            )
            self.stdout.write(
                f"pledge {difference.pledge_id}: realised {difference.stored_amount:,} "
                f"(USD {difference.stored_usd:,}), disbursements {difference.disbursed_amount:,} "
                f"(USD {difference.disbursed_usd:,}) — {state}"
            )
        remaining = [difference for difference in differences if not difference.repaired]
        repaired = len(differences) - len(remaining)
        if repaired:
            self.stdout.write(self.style.SUCCESS(f"{repaired} pledge(s) repaired."))
        if remaining:
            hint = "" if repair else " Run again with --repair to reset them."
            raise CommandError(f"{len(remaining)} pledge(s) with wrong totals.{hint}")
        if not differences:
            self.stdout.write(self.style.SUCCESS("Every pledge's totals match its disbursements."))
