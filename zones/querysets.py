from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Count

from .choices import CLOSED_TO_REGISTRATION, ZoneStatus


class ZoneQuerySet(models.QuerySet):
    def in_programme(self) -> Self:
        """The programme's own zones: those in settings.PROGRAMME_COUNTRY.

        Zones of other countries (an imported foreign list, a comparison) stay in the registry
        but never count towards the programme's targets or headline figures.
        """
        return self.filter(country=settings.PROGRAMME_COUNTRY)

    def operational(self) -> Self:
        return self.filter(status=ZoneStatus.OPERATIONAL)

    def open_for_registration(self) -> Self:
        return self.exclude(status__in=CLOSED_TO_REGISTRATION)

    def count_by_status(self) -> dict[str, int]:
        """{status: number of zones}, with every status present (zero when none)."""
        counts = dict.fromkeys(ZoneStatus.values, 0)
        rows = self.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
        counts.update(rows)
        return counts
