import datetime
from typing import Self, cast

from django.db import models
from django.db.models import Count

from core.query import subquery_count

from .choices import AWAITING_REVIEW, Origin, RegistrationChannel, RegistrationStatus
from .normalize import normalize_company_name


class CompanyQuerySet(models.QuerySet):
    def with_registration_count(self) -> Self:
        """Annotate registration_count: every registration the company has made."""
        # Reached through the reverse relation, so that this module needs no models import.
        # A reverse relation always has a related model; the stubs type it for any field.
        related = cast(
            type[models.Model], self.model._meta.get_field("registrations").related_model
        )
        registrations = related._default_manager.all()
        return self.annotate(
            registration_count=subquery_count(registrations, outer_field="company")
        )

    def count_by_origin(self) -> dict[str, int]:
        counts = dict.fromkeys(Origin.values, 0)
        counts.update(
            self.order_by().values("origin").annotate(n=Count("pk")).values_list("origin", "n")
        )
        return counts


class InterestRegistrationQuerySet(models.QuerySet):
    def recent_web_repeats(
        self, *, company_name: str, contact_email: str, since: datetime.datetime
    ) -> Self:
        """Web registrations since `since` from the same company and contact email."""
        return self.filter(
            channel=RegistrationChannel.WEB,
            created__gte=since,
            company__normalized_name=normalize_company_name(company_name),
            contact__email__iexact=contact_email,
        )

    def awaiting_review(self) -> Self:
        return self.filter(status__in=AWAITING_REVIEW)

    def count_by_status(self) -> dict[str, int]:
        counts = dict.fromkeys(RegistrationStatus.values, 0)
        counts.update(
            self.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
        )
        return counts
