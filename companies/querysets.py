import datetime
from typing import Self, cast

from django.db import models
from django.db.models import Case, Count, Exists, OuterRef, Q, Value, When

from core.query import subquery_count

from .choices import (
    AWAITING_REVIEW,
    Origin,
    PipelineStage,
    RegistrationChannel,
    RegistrationStatus,
)
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

    def with_pipeline_stage(self) -> Self:
        """Annotate pipeline_stage: the furthest any of the company's registrations has got."""
        related = cast(
            type[models.Model], self.model._meta.get_field("registrations").related_model
        )
        registrations = related._default_manager

        def has(*statuses: str) -> Exists:
            return Exists(registrations.filter(company=OuterRef("pk"), status__in=statuses))

        return self.annotate(
            pipeline_stage=Case(
                When(has(RegistrationStatus.ACCEPTED), then=Value(PipelineStage.ACCEPTED)),
                When(
                    has(RegistrationStatus.UNDER_REVIEW, RegistrationStatus.INFORMATION_REQUESTED),
                    then=Value(PipelineStage.IN_REVIEW),
                ),
                When(has(RegistrationStatus.RECEIVED), then=Value(PipelineStage.REGISTERED)),
                default=Value(PipelineStage.PROSPECT),
            )
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


class InteractionQuerySet(models.QuerySet):
    def follow_ups_due(self, on: datetime.date) -> Self:
        """Each company's latest interaction whose follow-up date has come by `on`.

        A later interaction with the company is the follow-up: it takes the earlier one off
        the list, whatever its own follow-up date.
        """
        later = self.model._default_manager.filter(company=OuterRef("company")).filter(
            Q(happened_on__gt=OuterRef("happened_on"))
            | Q(happened_on=OuterRef("happened_on"), pk__gt=OuterRef("pk"))
        )
        return self.filter(next_follow_up_on__lte=on).exclude(Exists(later))
