"""Keep the pledge summary rows (investments/summaries.py) current on every save and delete.

Receivers rather than calls in each service: the admin, the importer, the API and the portal
all write pledges and disbursements, and a signal catches every one of them. Raw saves
(loaddata) are skipped: a restore brings the summary tables with it.
"""

from typing import Any

from django.db.models import Model, QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from companies.models import Company

from . import summaries
from .models import Disbursement, Pledge

_BEFORE = "_summary_figures_before"


def _pledges_of(instance: Model) -> "QuerySet[Pledge]":
    if isinstance(instance, Pledge):
        return Pledge.objects.filter(pk=instance.pk)
    if isinstance(instance, Disbursement):
        # The tranche may be moving to another pledge: both pledges' figures change.
        previous = Disbursement.objects.filter(pk=instance.pk).values("pledge_id")
        return Pledge.objects.filter(pk=instance.pledge_id) | Pledge.objects.filter(pk__in=previous)
    return Pledge.objects.filter(company_id=instance.pk)


def _remember(instance: Model) -> None:
    # The pledges' ids are kept for post_*: a tranche moved to another pledge must settle both.
    ids = list(_pledges_of(instance).values_list("pk", flat=True))
    instance._summary_pledge_ids = ids  # type: ignore[attr-defined]
    setattr(instance, _BEFORE, summaries.contributions(Pledge.objects.filter(pk__in=ids)))


def _settle(instance: Model) -> None:
    before = getattr(instance, _BEFORE, None) or summaries.no_figures()
    ids = set(getattr(instance, "_summary_pledge_ids", ()))
    if isinstance(instance, Disbursement):
        ids.add(instance.pledge_id)
    elif isinstance(instance, Pledge):
        ids.add(instance.pk)
    after = summaries.contributions(Pledge.objects.filter(pk__in=ids))
    summaries.add(summaries.difference(after, before))
    setattr(instance, _BEFORE, None)


@receiver(pre_save, sender=Pledge)
@receiver(pre_save, sender=Disbursement)
def remember_figures(
    sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any
) -> None:
    if not raw:
        _remember(instance)


@receiver(post_save, sender=Pledge)
@receiver(post_save, sender=Disbursement)
def settle_figures(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        _settle(instance)


@receiver(pre_delete, sender=Pledge)
@receiver(pre_delete, sender=Disbursement)
def remember_own_figures(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    """A deleted row takes away only its own figures.

    Deleting a pledge deletes its tranches first, each through these receivers, and Django
    sends every pre_delete before the first row goes: the pledge's figures read here must not
    include the tranches, or they would be taken away twice.
    """
    if isinstance(instance, Pledge):
        figures = summaries.pledge_figures(Pledge.objects.filter(pk=instance.pk))
    else:
        figures = summaries.tranche_figures(Disbursement.objects.filter(pk=instance.pk))
    setattr(instance, _BEFORE, figures)


@receiver(post_delete, sender=Pledge)
@receiver(post_delete, sender=Disbursement)
def take_own_figures_away(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    before = getattr(instance, _BEFORE, None)
    if before is not None:
        summaries.add(summaries.difference(summaries.no_figures(), before))
        setattr(instance, _BEFORE, None)


@receiver(pre_save, sender=Company)
def remember_origin(
    sender: type[Model], instance: Company, raw: bool = False, **kwargs: Any
) -> None:
    """A company changing origin moves its pledges to the other origin's report rows."""
    update_fields = kwargs.get("update_fields")
    if raw or instance.pk is None or (update_fields is not None and "origin" not in update_fields):
        return
    stored = Company.objects.filter(pk=instance.pk).values_list("origin", flat=True).first()
    if stored is not None and stored != instance.origin:
        _remember(instance)


@receiver(post_save, sender=Company)
def settle_origin(sender: type[Model], instance: Company, raw: bool = False, **kwargs: Any) -> None:
    if not raw and getattr(instance, _BEFORE, None) is not None:
        _settle(instance)
