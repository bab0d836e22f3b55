"""Keep the plot tallies (enterprises/summaries.py) current on every save and delete.

Raw saves (loaddata) are skipped: a restore brings the tally tables with it.
"""

from typing import Any

from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from core import tallies
from zones.models import Zone

from . import summaries
from .models import Plot

_BEFORE = "_tallies_before"


def _remember(plot: Plot) -> None:
    # The zone rows first, in id order (the plot may be moving zone): every writer of a
    # zone's tally rows then queues on the zone, never on each other's tally rows.
    zone_ids = {plot.zone_id}
    if plot.pk:
        zone_ids |= set(Plot.objects.filter(pk=plot.pk).values_list("zone_id", flat=True))
    if transaction.get_connection().in_atomic_block:
        list(
            Zone.objects.select_for_update()
            .filter(pk__in=zone_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    setattr(plot, _BEFORE, summaries.contributions([plot.pk] if plot.pk else []))


def _settle(plot: Plot, ids: list[int]) -> None:
    before = getattr(plot, _BEFORE, None)
    if before is not None:
        tallies.add(tallies.difference(summaries.contributions(ids), before))
        setattr(plot, _BEFORE, None)


@receiver(pre_save, sender=Plot)
def remember_plot(sender: type[Model], instance: Plot, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        _remember(instance)


@receiver(post_save, sender=Plot)
def settle_plot(sender: type[Model], instance: Plot, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        _settle(instance, [instance.pk])


@receiver(pre_delete, sender=Plot)
def remember_deleted_plot(sender: type[Model], instance: Plot, **kwargs: Any) -> None:
    _remember(instance)


@receiver(post_delete, sender=Plot)
def take_plot_away(sender: type[Model], instance: Plot, **kwargs: Any) -> None:
    _settle(instance, [])
