from django.core.management.base import BaseCommand, CommandError

from companies import summaries as registration_tallies
from enterprises import summaries as plot_tallies
from investments import summaries
from investments.services import pledge_totals_verify


class Command(BaseCommand):
    help = (
        "Recompute every pledge's running realised totals from its disbursements, and every "
        "pledge summary row (per zone, per company, per zone/status/origin/quarter, per "
        "status/origin/quarter) and tally (companies per funnel stage; registrations by "
        "status, zone, origin and sector; plots by zone and status) from the base rows, and "
        "list any difference; --repair resets them. Exits 1 while a difference remains, so "
        "it can run from cron or a monitor."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair",
            action="store_true",
            help="Set each differing pledge's totals to its disbursements' sums, then rewrite "
            "the summary rows from the pledges.",
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
        if not differences:
            self.stdout.write(self.style.SUCCESS("Every pledge's totals match its disbursements."))

        # After the pledges' own totals: a repair there changes what the summaries must say.
        self.stdout.write(
            "Checking the summary rows against the pledges, registrations and plots …"
        )
        summary_differences = [
            *summaries.verify(repair=repair),
            *registration_tallies.verify(repair=repair),
            *plot_tallies.verify(repair=repair),
        ]
        for difference in summary_differences:
            state = "repaired" if repair else "differs"
            self.stdout.write(f"{difference.describe()} — {state}")
        if summary_differences and repair:
            self.stdout.write(
                self.style.SUCCESS(f"{len(summary_differences)} summary row(s) repaired.")
            )
        if not summary_differences:
            self.stdout.write(
                self.style.SUCCESS(
                    "Every summary row matches the pledges, registrations and plots."
                )
            )

        problems = []
        if remaining:
            problems.append(f"{len(remaining)} pledge(s) with wrong totals.")
        if summary_differences and not repair:
            problems.append(f"{len(summary_differences)} summary row(s) differ from the base rows.")
        if problems:
            hint = "" if repair else " Run again with --repair to reset them."
            raise CommandError(" ".join(problems) + hint)
