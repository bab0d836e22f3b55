"""Factories shared by every test; build only what a test needs."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from companies.models import Company, Contact, InterestRegistration
from enterprises.models import AnnualReturn, Enterprise, Plot
from investments.models import Disbursement, ExchangeRate, Pledge, Target
from zones.models import Incentive, Sector, Zone, ZoneDeveloper, ZoneStatusChange


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@authority.example")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffUserFactory(UserFactory):
    is_staff = True


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Sector {n}")
    slug = factory.Sequence(lambda n: f"sector-{n}")


class ZoneDeveloperFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ZoneDeveloper

    name = factory.Sequence(lambda n: f"Developer {n}")
    slug = factory.Sequence(lambda n: f"developer-{n}")
    legal_name = factory.LazyAttribute(lambda o: f"{o.name} (Private) Limited")
    country = "PK"


class IncentiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incentive

    name = factory.Sequence(lambda n: f"Incentive {n}")
    slug = factory.Sequence(lambda n: f"incentive-{n}")
    kind = "tax_waiver"
    duration_years = 10


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone

    name = factory.Sequence(lambda n: f"Technology Zone {n}")
    slug = factory.Sequence(lambda n: f"technology-zone-{n}")
    developer = factory.SubFactory(ZoneDeveloperFactory)
    city = "Karachi"
    province = "Sindh"
    latitude = Decimal("24.860700")
    longitude = Decimal("67.001100")
    area_hectares = Decimal("50.00")
    status = "approved"
    target_opening_date = datetime.date(2027, 6, 30)


class ZoneStatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ZoneStatusChange

    zone = factory.SubFactory(ZoneFactory)
    status = "approved"
    changed_on = datetime.date(2026, 1, 15)


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Company {n} Ltd")
    origin = "domestic"
    country = "PK"
    sector = factory.SubFactory(SectorFactory)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Contact Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@company.example")
    phone = "+92 21 1234567"


class InterestRegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterestRegistration
        skip_postgeneration_save = True

    company = factory.SubFactory(CompanyFactory)
    contact = factory.SubFactory(ContactFactory, company=factory.SelfAttribute("..company"))
    channel = "web"
    status = "received"
    planned_investment_usd = Decimal("1000000.00")
    planned_jobs = 50

    @factory.post_generation
    def zones(obj, create, extracted, **kwargs):
        if not create:
            return
        obj.zones.set(extracted if extracted is not None else [ZoneFactory()])


class ExchangeRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExchangeRate
        django_get_or_create = ("currency", "date")

    currency = "PKR"
    date = datetime.date(2026, 1, 1)
    rate_to_usd = Decimal("0.0035714286")  # 280 PKR to the dollar


class PledgeFactory(factory.django.DjangoModelFactory):
    """A USD pledge; for other currencies use investments.services.pledge_record."""

    class Meta:
        model = Pledge

    company = factory.SubFactory(CompanyFactory)
    zone = factory.SubFactory(ZoneFactory)
    amount = Decimal("1000000.00")
    currency = "USD"
    amount_usd = factory.LazyAttribute(lambda o: o.amount)
    pledged_on = datetime.date(2026, 3, 1)
    status = "announced"


class DisbursementFactory(factory.django.DjangoModelFactory):
    """A raw row; to keep the pledge's totals right use investments.services.disbursement_record."""

    class Meta:
        model = Disbursement

    pledge = factory.SubFactory(PledgeFactory)
    disbursed_on = datetime.date(2026, 6, 1)
    amount = Decimal("100000.00")
    amount_usd = factory.LazyAttribute(lambda o: o.amount)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    name = factory.Sequence(lambda n: f"Target {n}")
    slug = factory.Sequence(lambda n: f"target-{n}")
    metric = "pledged_usd"
    target_value = Decimal("1500000000.00")
    start_date = datetime.date(2026, 1, 1)
    due_date = datetime.date(2027, 12, 31)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    """A licence in force (2025-09-01 to 2035-08-31); for the workflow use enterprises.services."""

    class Meta:
        model = Enterprise

    company = factory.SubFactory(CompanyFactory)
    zone = factory.SubFactory(ZoneFactory, status="operational")
    activities = "Software development and IT-enabled services"
    planned_investment_usd = Decimal("2000000.00")
    planned_jobs = 120
    status = "licensed"
    licence_number = factory.Sequence(lambda n: f"TZE-2025-F{n:05d}")
    issued_on = datetime.date(2025, 9, 1)
    expires_on = datetime.date(2035, 8, 31)


class PlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plot

    zone = factory.SubFactory(ZoneFactory, status="operational")
    number = factory.Sequence(lambda n: f"P-{n:04d}")
    kind = "land"
    area_m2 = Decimal("2000.00")
    status = "vacant"


class AnnualReturnFactory(factory.django.DjangoModelFactory):
    """An open (due) return; file it with enterprises.services.return_submit."""

    class Meta:
        model = AnnualReturn

    enterprise = factory.SubFactory(EnterpriseFactory)
    fiscal_year = "2025-26"
    due_on = datetime.date(2026, 10, 28)


def accepted_return(enterprise, year="2025-26", **figures):
    """An accepted return with every figure filed (the checks require them once filed)."""
    values = {
        "status": "accepted",
        "employees_total": 100,
        "employees_women": 30,
        "employees_foreign": 4,
        "exports_usd": Decimal("1000000"),
        "domestic_sales": Decimal("50000"),
        "domestic_sales_usd": Decimal("50000"),
        "investment": Decimal("20000"),
        "investment_usd": Decimal("20000"),
        "submitted_on": datetime.date(2026, 9, 1),
        **figures,
    }
    return AnnualReturnFactory(enterprise=enterprise, fiscal_year=year, **values)


def accept_registration(registration, *, recommender=None, accepter=None):
    """Take a registration through review to accepted as two people must (recommend, accept)."""
    from companies.choices import RegistrationStatus
    from companies.services import registration_recommend, registration_transition

    accepter = accepter or StaffUserFactory()
    recommender = recommender or StaffUserFactory()
    if registration.status == RegistrationStatus.RECEIVED:
        registration_transition(
            registration=registration, status=RegistrationStatus.UNDER_REVIEW, user=accepter
        )
    registration_recommend(registration=registration, user=recommender)
    return registration_transition(
        registration=registration, status=RegistrationStatus.ACCEPTED, user=accepter
    )


def date_writes_since(since, day):
    """Date every write made after `since` at noon on `day`, as if the registry was used then.

    Moves the change history and creation stamps that reports as of a past day read.
    """
    from programme.as_of import HISTORY_BACKED

    noon = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    for model in HISTORY_BACKED:
        model.history.filter(history_date__gte=since).update(history_date=noon)
        model.objects.filter(created__gte=since).update(created=noon)
