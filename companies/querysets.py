from django.apps import apps
from django.db import models
from django.db.models import Count

from core.query import subquery_count, subquery_sum


class CompanyQuerySet(models.QuerySet):
    def with_pledge_totals(self):
        """Annotate pledged_usd, realized_usd, pledge_count and registration_count."""
        pledges = apps.get_model("investments", "Pledge").objects.active()
        registrations = apps.get_model("companies", "InterestRegistration").objects.all()
        return self.annotate(
            pledged_usd=subquery_sum(pledges, "amount_usd", outer_field="company"),
            realized_usd=subquery_sum(pledges, "realized_usd", outer_field="company"),
            pledge_count=subquery_count(pledges, outer_field="company"),
            registration_count=subquery_count(registrations, outer_field="company"),
        )

    def count_by_origin(self):
        counts = {"domestic": 0, "global": 0}
        counts.update(
            self.order_by().values("origin").annotate(n=Count("pk")).values_list("origin", "n")
        )
        return counts


class InterestRegistrationQuerySet(models.QuerySet):
    def recent_web_repeats(self, *, company_name, contact_email, since):
        """Web registrations since `since` from the same company and contact email."""
        from .normalize import normalize_company_name

        return self.filter(
            channel="web",
            created__gte=since,
            company__normalized_name=normalize_company_name(company_name),
            contact__email__iexact=contact_email,
        )

    def awaiting_review(self):
        return self.filter(status__in=("received", "under_review"))

    def count_by_status(self):
        from .models import RegistrationStatus

        counts = dict.fromkeys(RegistrationStatus.values, 0)
        counts.update(
            self.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
        )
        return counts
