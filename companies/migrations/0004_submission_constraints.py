"""Record what a submission said, and put the registration limits in the database.

Existing rows that break a new limit are not cleaned: shortening a message or capping an amount
would silently change what a company told the authority. The migration stops before adding the
constraints and lists each such registration by reference, so staff can correct them (in the
admin or the shell) and run `migrate` again. The limits are the values of companies.rules at
the time of writing, copied here so that the migration never changes with later code.
"""

from decimal import Decimal

import django.db.models.functions.text
import django.db.models.lookups
from django.conf import settings
from django.db import migrations, models

MAX_PLANNED_INVESTMENT_USD = Decimal("100000000000.00")
MAX_PLANNED_JOBS = 10_000_000
MAX_MESSAGE_LENGTH = 5000
LISTED = 50


def refuse_rows_over_the_limits(apps, schema_editor):
    from django.db.models import Q
    from django.db.models.functions import Length

    registration = apps.get_model("companies", "InterestRegistration")
    over = (
        registration.objects.using(schema_editor.connection.alias)
        .annotate(message_length=Length("message"))
        .filter(
            Q(planned_investment_usd__gt=MAX_PLANNED_INVESTMENT_USD)
            | Q(planned_jobs__gt=MAX_PLANNED_JOBS)
            | Q(message_length__gt=MAX_MESSAGE_LENGTH)
        )
        .order_by("reference")
    )
    lines = [
        f"  {row.reference}: planned_investment_usd={row.planned_investment_usd}, "
        f"planned_jobs={row.planned_jobs}, message length={row.message_length}"
        for row in over[:LISTED]
    ]
    if not lines:
        return
    total = over.count()
    more = f"\n  … and {total - LISTED} more" if total > LISTED else ""
    raise RuntimeError(
        f"{total} interest registration(s) break the new limits (planned investment at most "
        f"USD {MAX_PLANNED_INVESTMENT_USD:,.0f}, planned jobs at most {MAX_PLANNED_JOBS:,}, "
        f"message at most {MAX_MESSAGE_LENGTH:,} characters). Correct them, then run migrate "
        f"again:\n" + "\n".join(lines) + more
    )


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0003_scale_indexes"),
        ("zones", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalinterestregistration",
            name="submitted_company_name",
            field=models.CharField(blank=True, db_default="", max_length=200),
        ),
        migrations.AddField(
            model_name="historicalinterestregistration",
            name="submitted_contact_name",
            field=models.CharField(blank=True, db_default="", max_length=200),
        ),
        migrations.AddField(
            model_name="historicalinterestregistration",
            name="submitted_contact_phone",
            field=models.CharField(blank=True, db_default="", max_length=40),
        ),
        migrations.AddField(
            model_name="interestregistration",
            name="submitted_company_name",
            field=models.CharField(blank=True, db_default="", max_length=200),
        ),
        migrations.AddField(
            model_name="interestregistration",
            name="submitted_contact_name",
            field=models.CharField(blank=True, db_default="", max_length=200),
        ),
        migrations.AddField(
            model_name="interestregistration",
            name="submitted_contact_phone",
            field=models.CharField(blank=True, db_default="", max_length=40),
        ),
        migrations.RunPython(refuse_rows_over_the_limits, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="interestregistration",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("planned_investment_usd__isnull", True),
                    ("planned_investment_usd__lte", Decimal("100000000000.00")),
                    _connector="OR",
                ),
                name="registration_planned_investment_within_limit",
                violation_error_message="Planned investment can be at most USD 100,000,000,000.",
            ),
        ),
        migrations.AddConstraint(
            model_name="interestregistration",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("planned_jobs__isnull", True), ("planned_jobs__lte", 10000000), _connector="OR"
                ),
                name="registration_planned_jobs_within_limit",
                violation_error_message="The number of jobs can be at most 10,000,000.",
            ),
        ),
        migrations.AddConstraint(
            model_name="interestregistration",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("message"), 5000
                ),
                name="registration_message_within_limit",
                violation_error_message="Keep the message to 5,000 characters.",
            ),
        ),
    ]
