"""Keep the registration tallies (companies/summaries.py) current on every write.

Receivers rather than calls in each service: the public form, the API, partner sync, the
portal, the admin and the importer all write registrations, and a signal catches every one.
Each write reads, in its own transaction, what the registrations it touches contribute before
and after, and adds the difference. Raw saves (loaddata) are skipped: a restore brings the
tally tables with it.
"""

from typing import Any

from django.db import transaction
from django.db.models import Model
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_save,
    pre_delete,
    pre_save,
)
from django.dispatch import receiver

from core import tallies
from zones.models import Sector, Zone

from . import summaries
from .models import Company, InterestRegistration

_BEFORE = "_tallies_before"
_IDS = "_tallies_registration_ids"
Zones = InterestRegistration.zones.through


def _remember(instance: Model, registration_ids: list[int], company_ids=()) -> None:
    _lock_rows(registration_ids, company_ids)
    setattr(instance, _IDS, registration_ids)
    setattr(instance, _BEFORE, summaries.contributions(registration_ids))


def _lock_rows(registration_ids: list[int], company_ids) -> None:
    """Lock the registrations, then their companies, in id order, before anything else.

    The tallies' member rows are per company, and partner sync locks the registrations and
    companies a write touches when it logs the change (programme/sync.py); the review
    services lock the registration first. Taking registration, then company, before the
    write's own statements (and before an INSERT's foreign-key share lock on the company)
    gives every writer one order: registration, company, tally rows. A bare save outside a
    transaction holds no lock past its statement, so it needs none.
    """
    if not transaction.get_connection().in_atomic_block:
        return
    companies = set(company_ids)
    if registration_ids:
        companies |= set(
            InterestRegistration.objects.select_for_update()
            .filter(pk__in=registration_ids)
            .order_by("pk")
            .values_list("company_id", flat=True)
        )
    companies.discard(None)
    if companies:
        list(
            Company.objects.select_for_update()
            .filter(pk__in=companies)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def _settle(instance: Model, registration_ids: list[int] | None = None) -> None:
    before = getattr(instance, _BEFORE, None)
    if before is None:
        return
    ids = getattr(instance, _IDS) if registration_ids is None else registration_ids
    tallies.add(tallies.difference(summaries.contributions(ids), before))
    setattr(instance, _BEFORE, None)


def _registration_ids(**lookups: Any) -> list[int]:
    return list(InterestRegistration.objects.filter(**lookups).values_list("pk", flat=True))


def _zone_registration_ids(zone: Model) -> list[int]:
    return list(
        Zones.objects.filter(zone_id=zone.pk).values_list("interestregistration_id", flat=True)
    )


@receiver(pre_save, sender=InterestRegistration)
def remember_registration(
    sender: type[Model], instance: InterestRegistration, raw: bool = False, **kwargs: Any
) -> None:
    if not raw:
        _remember(instance, [instance.pk] if instance.pk else [], [instance.company_id])


@receiver(post_save, sender=InterestRegistration)
def settle_registration(
    sender: type[Model], instance: InterestRegistration, raw: bool = False, **kwargs: Any
) -> None:
    if not raw:
        _settle(instance, [instance.pk])


@receiver(pre_delete, sender=InterestRegistration)
def remember_deleted_registration(
    sender: type[Model], instance: InterestRegistration, **kwargs: Any
) -> None:
    # Read while its zone links still exist: the delete removes them without a signal.
    _remember(instance, [instance.pk])


@receiver(post_delete, sender=InterestRegistration)
def take_registration_away(
    sender: type[Model], instance: InterestRegistration, **kwargs: Any
) -> None:
    _settle(instance, [])


@receiver(m2m_changed, sender=Zones)
def zones_changed(
    sender: type[Model],
    instance: Model,
    action: str,
    reverse: bool,
    pk_set: set[int] | None,
    **kwargs: Any,
) -> None:
    """Zones added to or taken from registrations, from either side of the relation."""
    if action.startswith("pre_"):
        if not reverse:
            ids = [instance.pk]
        elif pk_set is not None:
            ids = sorted(pk_set)
        else:  # zone.registrations.clear(): every registration of the zone
            ids = _zone_registration_ids(instance)
        _remember(instance, ids)
    elif action.startswith("post_"):
        _settle(instance)


@receiver(pre_delete, sender=Zone)
def remember_zone_registrations(sender: type[Model], instance: Zone, **kwargs: Any) -> None:
    """A deleted zone takes its registration links with it, without an m2m signal."""
    _remember(instance, _zone_registration_ids(instance))


@receiver(post_delete, sender=Zone)
def settle_zone_registrations(sender: type[Model], instance: Zone, **kwargs: Any) -> None:
    _settle(instance)


@receiver(pre_delete, sender=Sector)
def remember_sector_registrations(sender: type[Model], instance: Sector, **kwargs: Any) -> None:
    """Deleting a sector clears its companies' sector with an UPDATE, without a save signal."""
    _remember(instance, _registration_ids(company__sector=instance))


@receiver(post_delete, sender=Sector)
def settle_sector_registrations(sender: type[Model], instance: Sector, **kwargs: Any) -> None:
    _settle(instance)


@receiver(pre_save, sender=Company)
def remember_company_grouping(
    sender: type[Model], instance: Company, raw: bool = False, **kwargs: Any
) -> None:
    """A company changing origin or sector moves its registrations to the other tallies."""
    update_fields = kwargs.get("update_fields")
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"origin", "sector", "sector_id"} & set(update_fields):
        return
    stored = Company.objects.filter(pk=instance.pk).values_list("origin", "sector_id").first()
    if stored is not None and stored != (instance.origin, instance.sector_id):
        _remember(instance, _registration_ids(company_id=instance.pk))


@receiver(post_save, sender=Company)
def settle_company_grouping(
    sender: type[Model], instance: Company, raw: bool = False, **kwargs: Any
) -> None:
    if not raw:
        _settle(instance)
