"""The demo programme, drawn from the press report the project grew from (docs/domain.md).

Facts from the article: TPL Corp. builds a technology zone in Karachi; a dozen
zones are to open; a 10-year corporate-tax waiver and duty-free imports of
equipment and building material; about 10 global and 50 domestic companies
interested; $1.5 billion of private investment expected over two years; IT
exports up from $1.440 billion to $2.123 billion against a $5 billion goal.
Everything else (the other zones, developers, companies, amounts and dates) is
invented for the demo and says "Illustrative" in its description.

Every object is looked up by a natural key before it is written, so a second
run writes nothing.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from companies.models import Company, Contact, InterestRegistration
from companies.normalize import normalize_company_name
from core.dates import years_after
from enterprises import services as enterprise_services
from enterprises.models import Enterprise, Plot
from investments.models import ExchangeRate, Pledge, Target
from investments.services import disbursement_record, pledge_record
from zones.models import Incentive, Sector, Zone, ZoneDeveloper
from zones.services import zone_change_status

ILLUSTRATIVE = "Illustrative: invented for the demo programme, not from the press report."
FROM_ARTICLE = "From the press report that the programme grew from."
# Translator's note: the incentives' official Urdu names are the Authority's to confirm.
ILLUSTRATIVE_UR = "مثال: ڈیمو پروگرام کے لیے گھڑی گئی، اخباری رپورٹ سے نہیں۔"
FROM_ARTICLE_UR = "اس اخباری رپورٹ سے جس سے یہ پروگرام شروع ہوا۔"

SECTORS = [
    ("Software and IT services", "software-it-services"),
    ("IT-enabled services and BPO", "it-enabled-services"),
    ("Fintech", "fintech"),
    ("Telecommunications", "telecommunications"),
    ("Data centres and cloud", "data-centres-cloud"),
    ("Artificial intelligence and data", "ai-data"),
    ("Hardware and electronics", "hardware-electronics"),
    ("E-commerce", "e-commerce"),
    ("Gaming and digital media", "gaming-digital-media"),
]

# Translator's note: the zone's official Urdu name is the Authority's to confirm.
TPL_ZONE_URDU = {
    "name_ur": "ٹی پی ایل ٹیکنالوجی زون کراچی",
    "description_ur": "کراچی میں ٹی پی ایل کارپوریشن کا ٹیکنالوجی زون۔ اخباری رپورٹ سے؛"
    " مقام، رقبہ اور تاریخیں مثال کے طور پر دی گئی ہیں۔",
}

# (slug, name, city, province, lat, lon, hectares, developer slug, history, target opening)
# history: list of (status, date) steps; the last is the zone's current status.
ZONES = [
    (
        "tpl-technology-zone-karachi",
        "TPL Technology Zone Karachi",
        "Karachi",
        "Sindh",
        "24.860700",
        "67.001100",
        "12.00",
        "tpl-corp",
        [("proposed", "2025-02-01"), ("approved", "2025-05-15"),
         ("under_development", "2025-09-01")],
        "2026-12-31",
    ),
    ("lahore-technology-park", "Lahore Technology Park", "Lahore", "Punjab",
     "31.520400", "74.358700", "40.00", "punjab-tech-estates",
     [("proposed", "2025-01-20"), ("approved", "2025-03-10"),
      ("under_development", "2025-06-01"), ("operational", "2026-04-15")], "2026-03-31"),
    ("islamabad-digital-city", "Islamabad Digital City", "Islamabad", "Islamabad Capital Territory",
     "33.684400", "73.047900", "25.00", "capital-digital-developers",
     [("proposed", "2025-01-10"), ("approved", "2025-02-20"),
      ("under_development", "2025-05-01"), ("operational", "2026-02-01")], "2026-01-31"),
    ("rawalpindi-software-enclave", "Rawalpindi Software Enclave", "Rawalpindi", "Punjab",
     "33.565100", "73.016900", "8.50", "capital-digital-developers",
     [("proposed", "2025-03-01"), ("approved", "2025-07-01"),
      ("under_development", "2025-11-10")], "2027-03-31"),
    ("faisalabad-it-park", "Faisalabad IT Park", "Faisalabad", "Punjab",
     "31.450400", "73.135000", "15.00", "punjab-tech-estates",
     [("proposed", "2025-04-01"), ("approved", "2025-10-01")], "2027-06-30"),
    ("multan-technology-zone", "Multan Technology Zone", "Multan", "Punjab",
     "30.157500", "71.524900", "10.00", "punjab-tech-estates",
     [("proposed", "2025-06-15")], "2027-12-31"),
    ("peshawar-knowledge-park", "Peshawar Knowledge Park", "Peshawar", "Khyber Pakhtunkhwa",
     "34.015100", "71.524900", "18.00", "frontier-zones",
     [("proposed", "2025-02-15"), ("approved", "2025-06-01"),
      ("under_development", "2025-10-15")], "2026-12-31"),
    ("hyderabad-tech-hub", "Hyderabad Tech Hub", "Hyderabad", "Sindh",
     "25.396000", "68.377800", "6.00", "tpl-corp",
     [("proposed", "2025-05-01"), ("approved", "2025-09-15")], "2027-06-30"),
    ("quetta-digital-zone", "Quetta Digital Zone", "Quetta", "Balochistan",
     "30.179800", "66.975000", "9.00", "frontier-zones",
     [("proposed", "2025-03-20"), ("approved", "2025-08-01"), ("suspended", "2026-03-01")],
     "2027-12-31"),
    ("gwadar-data-port", "Gwadar Data Port", "Gwadar", "Balochistan",
     "25.126400", "62.322500", "30.00", "coastal-infrastructure",
     [("proposed", "2025-04-10"), ("approved", "2025-09-01"),
      ("under_development", "2026-01-20")], "2027-09-30"),
    ("gilgit-cloud-campus", "Gilgit Cloud Campus", "Gilgit", "Gilgit-Baltistan",
     "35.920800", "74.308300", "4.00", "frontier-zones",
     [("proposed", "2025-07-01"), ("cancelled", "2026-02-15")], None),
    ("muzaffarabad-it-park", "Muzaffarabad IT Park", "Muzaffarabad", "Azad Jammu and Kashmir",
     "34.370000", "73.471100", "5.00", "capital-digital-developers",
     [("proposed", "2025-08-01")], "2028-03-31"),
]  # fmt: skip

DEVELOPERS = [
    ("tpl-corp", "TPL Corp.", "TPL Corp Limited", FROM_ARTICLE, "https://www.tplholdings.com"),
    ("punjab-tech-estates", "Punjab Tech Estates", "Punjab Tech Estates (Pvt.) Ltd", "", ""),
    ("capital-digital-developers", "Capital Digital Developers", "", "", ""),
    ("frontier-zones", "Frontier Zones Company", "", "", ""),
    ("coastal-infrastructure", "Coastal Infrastructure Partners", "", "", ""),
]

GLOBAL_COMPANIES = [
    ("Northwind Cloud Services Inc.", "US", "data-centres-cloud"),
    ("Contoso Data Systems Corp.", "US", "data-centres-cloud"),
    ("Fabrikam Semiconductors Ltd", "GB", "hardware-electronics"),
    ("Tailspin Payments GmbH", "DE", "fintech"),
    ("Adatum Telecom Networks", "AE", "telecommunications"),
    ("Litware AI Labs", "CA", "ai-data"),
    ("Wingtip Games Studio", "SE", "gaming-digital-media"),
    ("Proseware Outsourcing Pte. Ltd.", "SG", "it-enabled-services"),
    ("Lucerne Commerce Group", "CN", "e-commerce"),
    ("Alpine Software AG", "CH", "software-it-services"),
]

DOMESTIC_STEMS = [
    "Indus", "Ravi", "Chenab", "Jhelum", "Karakoram", "Margalla", "Khyber", "Mehran",
    "Bolan", "Thar", "Hunza", "Swat", "Kaghan", "Neelum", "Makran", "Potohar",
    "Saiful", "Shalimar", "Faisal", "Clifton", "Gulberg", "Kohistan", "Pamir", "Sutlej",
    "Zarghun",
]  # fmt: skip
DOMESTIC_KINDS = [
    ("Soft", "software-it-services"),
    ("Tech Solutions", "software-it-services"),
    ("Fintech", "fintech"),
    ("Digital", "e-commerce"),
    ("Data Labs", "ai-data"),
    ("BPO Services", "it-enabled-services"),
    ("Telecom", "telecommunications"),
    ("Games", "gaming-digital-media"),
]

REGISTRATION_STATUSES = ["received", "under_review", "accepted", "accepted", "declined"]
PLEDGE_STATUSES = ["announced", "committed", "committed", "in_progress", "in_progress", "realized"]

# Monthly PKR rates (PKR per US dollar), illustrative but in the range of 2025–26.
PKR_PER_USD = {
    (2025, m): Decimal(v)
    for m, v in enumerate(
        ["279.5", "279.8", "280.1", "280.6", "281.2", "281.9",
         "282.4", "282.8", "283.1", "282.6", "282.2", "281.8"], start=1
    )
} | {
    (2026, m): Decimal(v)
    for m, v in enumerate(
        ["281.5", "281.1", "280.7", "280.4", "280.0", "279.8",
         "279.6", "279.9", "280.3", "280.8", "281.2"], start=1
    )
}  # fmt: skip


def _date(text):
    return datetime.date.fromisoformat(text) if text else None


class Command(BaseCommand):
    help = "Load the demo programme (TPL Corp.'s Karachi zone and the rest). Safe to run twice."

    def handle(self, *args, **options):
        self.created = 0
        with transaction.atomic():
            sectors = self.seed_sectors()
            incentives = self.seed_incentives()
            developers = self.seed_developers()
            zones = self.seed_zones(developers, sectors, incentives)
            self.seed_exchange_rates()
            self.seed_targets()
            self.seed_companies(zones, sectors)
            self.seed_operating_zone(zones)
        if self.created:
            self.stdout.write(self.style.SUCCESS(f"Demo programme loaded: {self.created} rows."))
        else:
            self.stdout.write("Demo programme already present: nothing to do.")

    def _get_or_create(self, model, lookup, defaults):
        obj, created = model.objects.get_or_create(**lookup, defaults=defaults)
        self.created += created
        return obj

    def seed_sectors(self):
        return {
            slug: self._get_or_create(Sector, {"slug": slug}, {"name": name})
            for name, slug in SECTORS
        }

    def seed_incentives(self):
        tax = self._get_or_create(
            Incentive,
            {"slug": "corporate-tax-waiver"},
            {
                "name": "10-year corporate-tax waiver",
                "kind": "tax_waiver",
                "duration_years": 10,
                "description": "No corporate income tax for ten years for companies in a "
                "technology zone. " + FROM_ARTICLE,
                "name_ur": "دس سالہ کارپوریٹ ٹیکس چھوٹ",
                "description_ur": "ٹیکنالوجی زون کی کمپنیوں کے لیے دس سال تک کوئی کارپوریٹ"
                " انکم ٹیکس نہیں۔ " + FROM_ARTICLE_UR,
            },
        )
        customs = self._get_or_create(
            Incentive,
            {"slug": "duty-free-equipment-and-materials"},
            {
                "name": "Duty-free imports of equipment and building material",
                "kind": "customs_exemption",
                "description": "No customs duty on equipment or building material imported "
                "for a zone. " + FROM_ARTICLE,
                "name_ur": "آلات اور تعمیراتی سامان کی ڈیوٹی فری درآمد",
                "description_ur": "زون کے لیے درآمد کیے گئے آلات یا تعمیراتی سامان پر کوئی"
                " کسٹم ڈیوٹی نہیں۔ " + FROM_ARTICLE_UR,
            },
        )
        one_window = self._get_or_create(
            Incentive,
            {"slug": "one-window-facilitation"},
            {
                "name": "One-window facilitation",
                "kind": "other",
                "description": "A single desk for permits and utility connections. " + ILLUSTRATIVE,
                "name_ur": "ون ونڈو سہولت",
                "description_ur": "اجازت ناموں اور یوٹیلیٹی کنکشنز کے لیے ایک ہی ڈیسک۔ "
                + ILLUSTRATIVE_UR,
            },
        )
        return [tax, customs, one_window]

    def seed_developers(self):
        developers = {}
        for slug, name, legal_name, source, website in DEVELOPERS:
            developers[slug] = self._get_or_create(
                ZoneDeveloper,
                {"slug": slug},
                {
                    "name": name,
                    "legal_name": legal_name,
                    "country": "PK",
                    "website": website,
                    "description": (
                        "Builds the technology zone in Karachi. " + source
                        if source
                        else ILLUSTRATIVE
                    ),
                },
            )
        return developers

    def seed_zones(self, developers, sectors, incentives):
        zones = []
        sector_list = list(sectors.values())
        for index, (slug, name, city, province, lat, lon, area, dev, steps, target) in enumerate(
            ZONES
        ):
            zone, created = Zone.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "developer": developers[dev],
                    "city": city,
                    "province": province,
                    "latitude": Decimal(lat),
                    "longitude": Decimal(lon),
                    "area_hectares": Decimal(area),
                    "target_opening_date": _date(target),
                    "status": steps[0][0],
                    "description": (
                        "TPL Corp.'s technology zone in Karachi. "
                        + FROM_ARTICLE
                        + " Location, area and dates are illustrative."
                        if slug == "tpl-technology-zone-karachi"
                        else ILLUSTRATIVE
                    ),
                    # The flagship zone shows the Urdu site's own names; the rest fall back.
                    **(TPL_ZONE_URDU if slug == "tpl-technology-zone-karachi" else {}),
                },
            )
            if created:
                self.created += 1
                zone.incentives.set(incentives[: 2 + index % 2])
                zone.sectors.set([sector_list[(index + k) % len(sector_list)] for k in range(3)])
                for status, on in steps:
                    zone_change_status(
                        zone=zone,
                        status=status,
                        changed_on=_date(on),
                        note="Illustrative step." if index else "",
                    )
                    self.created += 1
            zones.append(zone)
        return zones

    def seed_exchange_rates(self):
        for (year, month), pkr_per_usd in PKR_PER_USD.items():
            self._get_or_create(
                ExchangeRate,
                {"currency": "PKR", "date": datetime.date(year, month, 1)},
                {
                    "rate_to_usd": (Decimal(1) / pkr_per_usd).quantize(Decimal("1e-10")),
                    "source": "Illustrative monthly rate.",
                },
            )

    def seed_targets(self):
        targets = [
            (
                "private-investment-pledged",
                "US$1.5 billion of private investment over two years",
                "pledged_usd",
                "1500000000",
                None,
                None,
                "2025-07-01",
                "2027-06-30",
                "The article expects as much as $1.5 billion of private investment over the "
                "next two years. " + FROM_ARTICLE + " The two-year window's dates are "
                "illustrative.",
            ),
            (
                "zones-operational",
                "A dozen technology zones operational",
                "zones_operational",
                "12",
                None,
                None,
                "2025-07-01",
                "2026-12-31",
                "The authority awaits opening a dozen zones by next year. " + FROM_ARTICLE,
            ),
            (
                "it-exports",
                "IT exports of US$5 billion a year",
                "it_exports_usd",
                "5000000000",
                "1440000000",
                "2123000000",
                "2021-07-01",
                "2023-06-30",
                "IT exports rose from $1.440 billion to $2.123 billion a year; the goal is "
                "$5 billion. " + FROM_ARTICLE,
            ),
            (
                "companies-interested",
                "60 companies registered (10 global, 50 domestic)",
                "companies_interested",
                "60",
                None,
                None,
                "2025-07-01",
                "2027-06-30",
                "About 10 global and 50 domestic firms signified interest. " + FROM_ARTICLE,
            ),
        ]
        for slug, name, metric, value, baseline, reported, start, due, text in targets:
            self._get_or_create(
                Target,
                {"slug": slug},
                {
                    "name": name,
                    "metric": metric,
                    "target_value": Decimal(value),
                    "baseline_value": Decimal(baseline) if baseline else None,
                    "reported_value": Decimal(reported) if reported else None,
                    "start_date": _date(start),
                    "due_date": _date(due),
                    "description": text,
                },
            )

    def _company_specs(self):
        for name, country, sector in GLOBAL_COMPANIES:
            yield name, "global", country, sector
        for index in range(50):
            stem = DOMESTIC_STEMS[index % len(DOMESTIC_STEMS)]
            kind, sector = DOMESTIC_KINDS[(index * 3 + index // len(DOMESTIC_STEMS)) % 8]
            suffix = "(Pvt.) Ltd" if index % 3 else "Limited"
            yield f"{stem} {kind} {suffix}", "domestic", "PK", sector

    def seed_companies(self, zones, sectors):
        # A fixed seed: the same demo on every machine, and nothing new on a second run.
        rng = random.Random(2021)
        # A few zones draw most of the interest, as in real programmes.
        open_zones = [zone for zone in zones if zone.status != "cancelled"]
        weights = [12 if zone.slug == "tpl-technology-zone-karachi" else 1 for zone in open_zones]
        weights[1:3] = [6, 5]
        for number, (name, origin, country, sector_slug) in enumerate(
            self._company_specs(), start=1
        ):
            picks = rng.choices(open_zones, weights=weights, k=2)
            chosen = list(dict.fromkeys(picks))
            is_global = origin == "global"
            usd = Decimal(
                rng.randrange(80, 250) * 1_000_000 if is_global else rng.randrange(3, 22) * 500_000
            )
            pledged_on = datetime.date(2025, 7, 1) + datetime.timedelta(days=rng.randrange(480))
            registration_status = REGISTRATION_STATUSES[number % len(REGISTRATION_STATUSES)]
            pledge_status = PLEDGE_STATUSES[number % len(PLEDGE_STATUSES)]
            in_pkr = not is_global and number % 2 == 0
            slug_name = normalize_company_name(name).replace(" ", "-")

            company = self._get_or_create(
                Company,
                {"normalized_name": normalize_company_name(name)},
                {
                    "name": name,
                    "origin": origin,
                    "country": country,
                    "sector": sectors[sector_slug],
                    "size": "enterprise" if is_global else ["small", "medium", "large"][number % 3],
                    "website": f"https://{slug_name}.example",
                    "description": ILLUSTRATIVE,
                },
            )
            contact = self._get_or_create(
                Contact,
                {"company": company, "email": f"investor-relations@{slug_name}.example"},
                {"name": f"Investor Relations, {name}", "phone": "+92 21 0000000"},
            )
            registration, created = InterestRegistration.objects.get_or_create(
                reference=f"TZR-DEMO-{number:04d}",
                defaults={
                    "company": company,
                    "contact": contact,
                    "channel": ["web", "api", "staff"][number % 3],
                    "status": registration_status,
                    "planned_investment_usd": usd,
                    "planned_jobs": int(usd / 40_000),
                    "target_date": pledged_on + datetime.timedelta(days=365),
                    "message": ILLUSTRATIVE,
                },
            )
            if created:
                self.created += 1
                registration.zones.set(chosen)
            # Accepted registrations, and some under review, come with a pledge.
            if registration_status not in ("accepted", "under_review"):
                continue
            if Pledge.objects.filter(registration=registration).exists():
                continue
            if registration_status == "under_review":
                pledge_status = "announced"
            amount = (
                (usd * PKR_PER_USD[(pledged_on.year, pledged_on.month)]).quantize(Decimal("1"))
                if in_pkr
                else usd
            )
            pledge = pledge_record(
                company=company,
                zone=chosen[0],
                registration=registration,
                amount=amount,
                currency="PKR" if in_pkr else "USD",
                pledged_on=pledged_on,
                status=pledge_status,
                description=ILLUSTRATIVE,
            )
            self.created += 1
            if pledge_status in ("in_progress", "realized"):
                share = Decimal("1") if pledge_status == "realized" else Decimal("0.35")
                disbursed_on = min(
                    pledged_on + datetime.timedelta(days=90), datetime.date(2026, 11, 1)
                )
                disbursement_record(
                    pledge=pledge,
                    amount=(pledge.amount * share).quantize(Decimal("0.01")),
                    disbursed_on=disbursed_on,
                    note="Illustrative tranche.",
                )
                self.created += 1

    # --- The operating zone (all illustrative) ---------------------------------------------

    def _demo_officer(self, username, name):
        """Illustrative licensing staff for the maker-checker trail; they cannot sign in."""
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"first_name": name, "last_name": "(illustrative)"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            self.created += 1
        return user

    def seed_operating_zone(self, zones):
        """Licensed enterprises in the operational zones, their plots and two years of returns."""
        maker = self._demo_officer("demo-licensing-officer", "Licensing officer")
        checker = self._demo_officer("demo-licensing-reviewer", "Licensing reviewer")
        operational = [zone for zone in zones if zone.status == "operational"]
        plots = {zone.pk: self.seed_plots(zone, index) for index, zone in enumerate(operational)}
        accepted = (
            InterestRegistration.objects.filter(
                status="accepted", reference__startswith="TZR-DEMO-"
            )
            .select_related("company__sector")
            .prefetch_related("zones")
            .order_by("reference")
        )
        rng = random.Random(2025)
        for number, registration in enumerate(accepted):
            zone = next((z for z in registration.zones.all() if z.status == "operational"), None)
            if zone is None or Enterprise.objects.filter(registration=registration).exists():
                continue
            enterprise = enterprise_services.enterprise_apply_from_registration(
                registration=registration, zone=zone
            )
            enterprise_services.enterprise_recommend(enterprise=enterprise, user=maker)
            enterprise_services.enterprise_approve(enterprise=enterprise, user=checker)
            self.created += 1
            if number % 6 == 5:
                continue  # approved, licence not yet issued
            issued_on = datetime.date(2025, 3, 1) + datetime.timedelta(days=rng.randrange(200))
            enterprise_services.enterprise_issue_licence(
                enterprise=enterprise,
                user=checker,
                issued_on=issued_on,
                expires_on=years_after(issued_on, 10),
                note=ILLUSTRATIVE,
            )
            self.created += 1
            vacant = [plot for plot in plots[zone.pk] if plot.status == "vacant"]
            if vacant and number % 4 != 3:
                plot = vacant[0]
                lease_start = issued_on + datetime.timedelta(days=30)
                enterprise_services.plot_allocate(
                    plot=plot,
                    enterprise=enterprise,
                    lease_starts_on=lease_start,
                    lease_ends_on=years_after(lease_start, 30),
                )
                if number % 3:
                    enterprise_services.plot_occupy(
                        plot=plot, occupied_on=lease_start + datetime.timedelta(days=120)
                    )
            self.seed_returns(enterprise, number, rng, maker, checker)

    def seed_plots(self, zone, index):
        """Twenty plots per operational zone, land and built space, numbered by block."""
        plots = []
        for n in range(1, 21):
            kind = ["land", "land", "office", "warehouse", "shared"][n % 5]
            area = Decimal({"land": 2400, "office": 600, "warehouse": 1500, "shared": 150}[kind])
            plot, created = Plot.objects.get_or_create(
                zone=zone,
                number=f"{'ABCD'[(n - 1) // 5]}-{n:02d}",
                defaults={
                    "kind": kind,
                    "area_m2": area + 100 * ((n + index) % 4),
                    "note": ILLUSTRATIVE,
                },
            )
            self.created += created
            plots.append(plot)
        return plots

    def seed_returns(self, enterprise, number, rng, maker, checker):
        """2024-25 and 2025-26: most accepted, some filed late, one returned, some overdue."""
        today = timezone.localdate()
        for year in ("2024-25", "2025-26"):
            start, year_end = int(year[:4]), datetime.date(int(year[:4]) + 1, 6, 30)
            if year_end < enterprise.issued_on:
                continue
            annual_return = enterprise_services.return_open(enterprise=enterprise, fiscal_year=year)
            self.created += 1
            if year == "2025-26" and number % 5 == 4:
                continue  # overdue: never filed
            late = number % 4 == 1
            filed = annual_return.due_on + datetime.timedelta(
                days=rng.randrange(5, 40) * (1 if late else -1)
            )
            filed = min(max(filed, year_end + datetime.timedelta(days=1)), today)
            staff = (enterprise.planned_jobs or 50) * (start - 2023) // 3 + rng.randrange(5, 30)
            pkr = PKR_PER_USD[(2025, 6)] if start == 2024 else PKR_PER_USD[(2026, 6)]
            exports = Decimal(staff * rng.randrange(9_000, 30_000))
            enterprise_services.return_submit(
                annual_return=annual_return,
                employees_total=staff,
                employees_women=staff * rng.randrange(15, 40) // 100,
                employees_foreign=staff * rng.randrange(0, 6) // 100,
                exports_usd=exports,
                domestic_sales=(exports * pkr * Decimal("0.4")).quantize(Decimal("1")),
                investment=(
                    (enterprise.planned_investment_usd or Decimal(0)) * pkr * Decimal("0.2")
                ).quantize(Decimal("1")),
                currency="PKR",
                submitted_on=filed,
                user=maker,
                filed_by_staff=number % 3 == 0,
            )
            if year == "2025-26" and number % 7 == 2:
                enterprise_services.return_send_back(
                    annual_return=annual_return,
                    user=checker,
                    note="Illustrative: exports do not match the export certificates; "
                    "attach them and file again.",
                )
            else:
                enterprise_services.return_accept(annual_return=annual_return, user=checker)
