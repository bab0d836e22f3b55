"""Synthetic programme data at scale, for benchmarks and load tests.

    python manage.py generate_data --scale M --seed 1
    python manage.py generate_data --zones 50 --companies 2000 --pledges 30000 \
        --registrations 4000 --seed 7

Names are built around the real lists in programme/data (S&P 500 firms for global
companies, Indonesia's KEK zones for partner zones) plus Pakistani-style domestic
names, and the figures are skewed the way real programmes are: a Zipf-like few zones
hold most pledges, about four companies in five are domestic, domestic money is mostly
in PKR, and statuses follow the age of the record (old pledges are realised, new ones
announced). Every amount_usd uses the rate on or before its date, exactly as
investments.services.usd_amount() would, and each pledge's realised totals equal the
sum of its disbursement rows.

Rows are written with COPY on PostgreSQL and bulk_create elsewhere, all in one
transaction: a failed run leaves nothing behind. Generated rows carry SYNTHETIC_MARK
in their description (rates: RATE_SOURCE in their source), which is how the command
recognises them: it refuses to write into a database that already holds some unless
--append (add more beside them) or --flush (delete them first) is given. No
django-simple-history rows are written for generated data.
"""

# ruff: noqa: S608 - the SQL built here takes table names from model _meta, values as parameters

import csv
import datetime
import hashlib
import hmac
import itertools
import math
import random
import time
from base64 import urlsafe_b64encode
from bisect import bisect_right
from contextlib import contextmanager
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils.text import slugify
from tqdm import tqdm

from companies import summaries as registration_tallies
from companies.models import Company, Contact, InterestRegistration
from companies.normalize import normalize_company_name
from core.models import Tally, TallyMember
from core.query import CENT
from enterprises import summaries as plot_tallies
from enterprises.models import AnnualReturn, Enterprise, LicenceEvent, Plot
from investments import summaries
from investments.models import Disbursement, ExchangeRate, Pledge
from programme import DATA_DIR
from programme.choices import ChangeKind, SyncResource
from programme.management.commands._operating_zone_data import OperatingZoneGeneratorMixin
from programme.management.commands.seed_demo import SECTORS
from programme.sync import TRACKED_RESOURCES, log_rows_in_bulk
from zones.models import Incentive, Sector, Zone, ZoneDeveloper, ZoneStatusChange

SYNTHETIC_MARK = "Synthetic: written by generate_data for benchmarks; not real data."
RATE_SOURCE = "generate_data (synthetic)"

SCALES = {
    "S": {"zones": 20, "companies": 1_000, "pledges": 10_000, "registrations": 2_000,
          "enterprises": 200, "plots": 600, "returns": 1_000},
    "M": {"zones": 100, "companies": 10_000, "pledges": 100_000, "registrations": 20_000,
          "enterprises": 2_000, "plots": 6_000, "returns": 10_000},
    "L": {"zones": 1_000, "companies": 100_000, "pledges": 1_000_000, "registrations": 200_000,
          "enterprises": 20_000, "plots": 60_000, "returns": 100_000},
}  # fmt: skip
COUNTED = ("zones", "companies", "pledges", "registrations", "enterprises", "plots", "returns")

# Fixed, not "today", so that one seed always gives the same data.
DATA_START = datetime.date(2021, 1, 1)
DATA_END = datetime.date(2026, 10, 31)


# PKR per USD at a few anchor months; the months between are interpolated with noise.
PKR_PER_USD_ANCHORS = [
    (datetime.date(2021, 1, 1), 160.0),
    (datetime.date(2022, 1, 1), 176.0),
    (datetime.date(2022, 12, 1), 226.0),
    (datetime.date(2023, 9, 1), 300.0),
    (datetime.date(2024, 1, 1), 282.0),
    (datetime.date(2025, 1, 1), 279.5),
    (datetime.date(2026, 10, 1), 281.0),
]

PAKISTANI_CITIES = [
    ("Karachi", "Sindh", 24.8607, 67.0011),
    ("Lahore", "Punjab", 31.5204, 74.3587),
    ("Islamabad", "Islamabad Capital Territory", 33.6844, 73.0479),
    ("Rawalpindi", "Punjab", 33.5651, 73.0169),
    ("Faisalabad", "Punjab", 31.4504, 73.1350),
    ("Multan", "Punjab", 30.1575, 71.5249),
    ("Peshawar", "Khyber Pakhtunkhwa", 34.0151, 71.5249),
    ("Quetta", "Balochistan", 30.1798, 66.9750),
    ("Hyderabad", "Sindh", 25.3960, 68.3578),
    ("Gujranwala", "Punjab", 32.1877, 74.1945),
    ("Sialkot", "Punjab", 32.4945, 74.5229),
    ("Sukkur", "Sindh", 27.7052, 68.8574),
    ("Gwadar", "Balochistan", 25.1216, 62.3254),
    ("Abbottabad", "Khyber Pakhtunkhwa", 34.1688, 73.2215),
    ("Bahawalpur", "Punjab", 29.3956, 71.6836),
    ("Sargodha", "Punjab", 32.0836, 72.6711),
    ("Mardan", "Khyber Pakhtunkhwa", 34.1986, 72.0404),
    ("Gilgit", "Gilgit-Baltistan", 35.9208, 74.3080),
    ("Muzaffarabad", "Azad Jammu and Kashmir", 34.3700, 73.4711),
    ("Larkana", "Sindh", 27.5570, 68.2264),
]
ZONE_KINDS = [
    "Technology Zone",
    "IT Park",
    "Software Technology Park",
    "Digital City",
    "Knowledge Park",
    "Innovation District",
    "Tech Valley",
    "Special Technology Zone",
]
DEVELOPER_WORDS = [
    "Indus", "Mehran", "Ravi", "Chenab", "Margalla", "Karakoram", "Khyber", "Bolan",
    "Makran", "Thar", "Hunza", "Potohar", "Sutlej", "Jhelum", "Kirthar", "Swat",
]  # fmt: skip
DEVELOPER_KINDS = ["Tech Estates", "Zone Developers", "Digital Infrastructure", "Parks", "Realty"]

DOMESTIC_FIRST = [
    "Indus", "Mehran", "Ravi", "Chenab", "Margalla", "Karakoram", "Khyber", "Bolan", "Makran",
    "Thar", "Hunza", "Potohar", "Sutlej", "Jhelum", "Saif", "Habib", "Siddiqui", "Qureshi",
    "Malik", "Chaudhry", "Shah", "Butt", "Awan", "Baloch", "Memon", "Sheikh", "Rehman",
    "Nadeem", "Arif", "Zaidi", "Rizvi", "Abbasi", "Khattak", "Durrani", "Faisal", "Iqbal",
    "Jinnah", "Sapphire", "Crescent", "Falcon", "Green Crescent", "Noor", "Sitara", "Zaitoon",
    "Shaheen", "Pak", "Paktel", "Minar", "Badshahi", "Shalimar",
]  # fmt: skip
DOMESTIC_SECOND = [
    "Soft", "Tech", "Systems", "Digital", "Data", "Cloud", "Labs", "Solutions", "Networks",
    "Infotech", "Fintech", "Analytics", "Software", "Technologies", "Telecom", "Electronics",
    "Web Services", "Consulting", "Robotics", "AI", "Games", "Payments", "Logistics Tech",
    "Health Tech", "Agritech", "Edtech", "Cyber", "Semiconductors", "Media", "BPO",
]  # fmt: skip
DOMESTIC_THIRD = [
    "", "", "", "Karachi", "Lahore", "Islamabad", "International", "Global", "Pakistan",
    "Associates", "Enterprises", "Group", "Ventures", "Partners",
]  # fmt: skip
DOMESTIC_LEGAL = ["(Pvt.) Ltd", "(Private) Limited", "SMC-Private Limited", "Ltd", ""]
GLOBAL_VARIANTS = [
    "", "Pakistan", "Middle East", "Asia Pacific", "Digital Services", "Technology Centre",
    "Global Services", "Gulf", "Ventures", "Labs", "South Asia", "Cloud", "Engineering",
]  # fmt: skip
# Where global firms come from, roughly as foreign investment in Pakistan's IT sector.
GLOBAL_COUNTRIES = [
    ("US", 45), ("AE", 12), ("CN", 10), ("GB", 8), ("SA", 6), ("DE", 4), ("SG", 4),
    ("TR", 3), ("JP", 3), ("KR", 2), ("NL", 2), ("MY", 1),
]  # fmt: skip
FALLBACK_GLOBAL_NAMES = ["Acme Cloud", "Globex", "Initech", "Umbrella Systems", "Stark Digital"]
GICS_TO_SECTOR = {
    "Information Technology": "software-it-services",
    "Communication Services": "telecommunications",
    "Financials": "fintech",
    "Consumer Discretionary": "e-commerce",
    "Industrials": "hardware-electronics",
    "Real Estate": "data-centres-cloud",
}
FIRST_NAMES = [
    "Ayesha", "Fatima", "Zainab", "Maryam", "Sana", "Hina", "Amna", "Sadia", "Ali", "Ahmed",
    "Hassan", "Usman", "Bilal", "Hamza", "Imran", "Kamran", "Faisal", "Omar", "Sara", "Nida",
]  # fmt: skip
LAST_NAMES = [
    "Khan", "Malik", "Qureshi", "Siddiqui", "Shah", "Chaudhry", "Butt", "Awan", "Baloch",
    "Memon", "Sheikh", "Rizvi", "Abbasi", "Iqbal", "Hussain", "Raza", "Javed", "Aslam",
]  # fmt: skip
MESSAGES = [
    "We would like to open a delivery centre.",
    "Interested in office space for 200 engineers.",
    "Looking for a data-centre plot with redundant power.",
    "Please share the incentive schedule and land rates.",
    "We plan a regional hub serving the Gulf.",
    "",
]

ZONE_FINAL_STATUS = [
    ("proposed", 18), ("approved", 20), ("under_development", 30), ("operational", 25),
    ("suspended", 4), ("cancelled", 3),
]  # fmt: skip
ROLLOUT = ["proposed", "approved", "under_development", "operational"]
# How much a zone's status draws investors: operational zones attract most pledges.
ZONE_DRAW = {
    "operational": 3.0,
    "under_development": 2.0,
    "approved": 1.5,
    "suspended": 1.0,
    "proposed": 0.5,
    "cancelled": 0.3,
}
CHANNELS = [("web", 55), ("api", 20), ("staff", 15), ("import", 10)]
SIZES = [("micro", 20), ("small", 35), ("medium", 25), ("large", 12), ("enterprise", 8)]

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # as companies.models.new_reference
# An odd multiplier is invertible modulo 2**40, so distinct ids give distinct references.
REFERENCE_MULTIPLIER = 0x9E3779B97F
REFERENCE_SPACE = 32**8


def positive_int(text):
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise ValueError(f"expected a whole number of 0 or more, got {text!r}")
    return value


def weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def cumulative(weights):
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def pick(rng, values, cum_weights):
    return values[bisect_right(cum_weights, rng.random() * cum_weights[-1])]


def aware(day, hour=10):
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC)


def month_starts(start, end):
    day = start.replace(day=1)
    while day <= end:
        yield day
        day = (day + datetime.timedelta(days=32)).replace(day=1)


def registration_reference(row_id):
    """A TZR-XXXX-XXXX reference derived from the row id: unique, readable, deterministic."""
    number = (row_id * REFERENCE_MULTIPLIER + 0x5BD1E995) % REFERENCE_SPACE
    chars = []
    for _ in range(8):
        number, digit = divmod(number, 32)
        chars.append(REFERENCE_ALPHABET[digit])
    text = "".join(chars)
    return f"TZR-{text[:4]}-{text[4:]}"


def registration_status_token(row_id):
    # Keyed by SECRET_KEY: deterministic for a deployment, yet not guessable from the id.
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"generate_data:{row_id}".encode(), hashlib.sha256
    ).digest()
    return urlsafe_b64encode(digest).rstrip(b"=").decode()


def read_csv(name):
    path = DATA_DIR / name
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@contextmanager
def explicit_timestamps(model):
    """Let bulk_create keep the created/updated values we set instead of 'now'."""
    fields = [
        field
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


class Command(BaseCommand):
    help = (
        "Write synthetic zones, companies, registrations, pledges and disbursements for "
        "benchmarks. Refuses a database that already holds generated data unless --append "
        "or --flush is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=sorted(SCALES),
            help="Preset sizes: "
            + "; ".join(
                f"{name}: " + ", ".join(f"{v:,} {k}" for k, v in sizes.items())
                for name, sizes in SCALES.items()
            )
            + ". Explicit --zones etc. override the preset.",
        )
        for name in COUNTED:
            parser.add_argument(f"--{name}", type=positive_int, help=f"Number of {name}.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--append", action="store_true", help="Add to generated data already present."
        )
        mode.add_argument(
            "--flush", action="store_true", help="Delete generated data already present first."
        )
        parser.add_argument(
            "--batch-size", type=positive_int, default=20_000, help="Rows per COPY/bulk_create."
        )
        parser.add_argument("--no-progress", action="store_true", help="Hide progress bars.")

    def handle(self, *args, **options):
        counts = dict(SCALES[options["scale"]]) if options["scale"] else {}
        for name in COUNTED:
            if options[name] is not None:
                counts[name] = options[name]
            counts.setdefault(name, 0)
        if not any(counts.values()) and not options["flush"]:
            raise CommandError("Nothing to generate: give --scale S|M|L or --zones etc.")
        if (counts["pledges"] or counts["registrations"]) and not (
            counts["zones"] and counts["companies"]
        ):
            raise CommandError("Pledges and registrations need --zones and --companies above 0.")
        if (counts["enterprises"] or counts["plots"] or counts["returns"]) and not (
            counts["zones"] and counts["companies"]
        ):
            raise CommandError(
                "Enterprises, plots and returns need --zones and --companies above 0."
            )
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")

        started = time.monotonic()
        with transaction.atomic():
            present = generated_counts()
            if any(present.values()):
                if options["flush"]:
                    flush_generated()
                    self.stdout.write("Deleted the generated data that was present.")
                elif not options["append"]:
                    raise CommandError(
                        "This database already holds generated data ("
                        + ", ".join(f"{v:,} {k}" for k, v in present.items())
                        + "). Run again with --append to add more beside it, or --flush to "
                        "delete it first."
                    )
            generator = Generator(
                seed=options["seed"],
                batch_size=options["batch_size"],
                progress=not options["no_progress"],
                log=self.stdout.write,
            )
            if any(counts.values()):
                before = {resource: highest_id(resource) for resource in TRACKED_RESOURCES}
                generator.run(**counts)
                log_generated_rows(before)
            # COPY and bulk_create pass the receivers by: recompute the summary rows once.
            rebuild_started = time.monotonic()
            rebuilt = summaries.rebuild()
            rebuilt["registration tallies"] = registration_tallies.rebuild()
            rebuilt["plot tallies"] = plot_tallies.rebuild()
            generator.timings["summary rows"] = time.monotonic() - rebuild_started
            self.stdout.write(
                "Rebuilt the summary rows: "
                + ", ".join(f"{count:,} {name}" for name, count in rebuilt.items())
                + "."
            )
        if connection.vendor == "postgresql":
            # Fresh statistics and visibility maps, so the planner and index-only scans
            # see the new rows before the first benchmark request.
            analyse_started = time.monotonic()
            # VACUUM cannot run inside a transaction (as under a test); ANALYZE alone can.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            with connection.cursor() as cursor:
                for model in (*GENERATED_MODELS, *SUMMARY_TABLES):
                    cursor.execute(f"{command} {qn(model._meta.db_table)}")
            generator.timings["vacuum analyze"] = time.monotonic() - analyse_started
        total = time.monotonic() - started
        steps = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in generator.timings.items())
        self.stdout.write(
            self.style.SUCCESS(
                "Generated "
                + ", ".join(f"{v:,} {k}" for k, v in generator.written.items())
                + f" in {total:.1f}s ({steps})."
            )
        )


def qn(name):
    return connection.ops.quote_name(name)


GENERATED_MODELS = [
    ZoneDeveloper,
    Zone,
    Zone.sectors.through,
    Zone.incentives.through,
    ZoneStatusChange,
    ExchangeRate,
    Company,
    Contact,
    InterestRegistration,
    InterestRegistration.zones.through,
    Pledge,
    Disbursement,
    Enterprise,
    LicenceEvent,
    Plot,
    AnnualReturn,
]
# Rows kept current by receivers, which COPY passes by: flushed with the data, then rebuilt.
SUMMARY_TABLES = [*summaries.SUMMARY_MODELS, TallyMember, Tally]


def generated_counts():
    return {
        "zones": Zone.objects.filter(description=SYNTHETIC_MARK).count(),
        "companies": Company.objects.filter(description=SYNTHETIC_MARK).count(),
    }


def highest_id(resource):
    model = TRACKED_RESOURCES[resource][0]
    return model.objects.aggregate(highest=Max("pk"))["highest"] or 0


def log_generated_rows(before):
    """Tell syncing partners about the rows written around the signals: every new row, and
    every generated zone, company and developer and every incentive (their totals and
    counts moved)."""
    generated = Q(description=SYNTHETIC_MARK)
    for resource, (model, _) in TRACKED_RESOURCES.items():
        new = Q(pk__gt=before[resource])
        if resource == SyncResource.INCENTIVE:
            rows = model.objects.all()
        elif resource in (SyncResource.ZONE, SyncResource.COMPANY, SyncResource.DEVELOPER):
            rows = model.objects.filter(new | generated)
        else:
            rows = model.objects.filter(new)
        log_rows_in_bulk(resource, rows)


def log_flushed_rows():
    """The deletes flush_generated is about to make, logged first (the rows must exist)."""
    zones = Zone.objects.filter(description=SYNTHETIC_MARK)
    companies = Company.objects.filter(description=SYNTHETIC_MARK)
    deleted = {
        SyncResource.PLEDGE: Pledge.objects.filter(Q(zone__in=zones) | Q(company__in=companies)),
        SyncResource.INTEREST: InterestRegistration.objects.filter(company__in=companies),
        SyncResource.COMPANY: companies,
        SyncResource.ZONE: zones,
        SyncResource.DEVELOPER: ZoneDeveloper.objects.filter(description=SYNTHETIC_MARK),
    }
    for resource, rows in deleted.items():
        log_rows_in_bulk(resource, rows, kind=ChangeKind.DELETE)
    # Rows that stay but lose links or totals: registrations naming a generated zone,
    # and every zone, company and incentive the deleted pledges counted in.
    log_rows_in_bulk(
        SyncResource.INTEREST,
        InterestRegistration.objects.filter(zones__in=zones).exclude(company__in=companies),
    )
    log_rows_in_bulk(SyncResource.INCENTIVE, Incentive.objects.all())


def flush_generated():
    """Delete generated rows with set-based DELETEs (the ORM's cascade collector would
    load a million pledges into memory first)."""
    log_flushed_rows()
    table = {model: qn(model._meta.db_table) for model in GENERATED_MODELS}
    zones = f"SELECT id FROM {table[Zone]} WHERE description = %(mark)s"
    companies = f"SELECT id FROM {table[Company]} WHERE description = %(mark)s"
    pledges = (
        f"SELECT id FROM {table[Pledge]} WHERE zone_id IN ({zones}) OR company_id IN ({companies})"
    )
    registrations = (
        f"SELECT id FROM {table[InterestRegistration]} WHERE company_id IN ({companies})"
    )
    enterprises = (
        f"SELECT id FROM {table[Enterprise]} WHERE note = %(mark)s "
        f"OR zone_id IN ({zones}) OR company_id IN ({companies})"
    )
    statements = [
        # The summary rows point at the zones and companies going; generate_data rebuilds them.
        *(f"DELETE FROM {qn(model._meta.db_table)}" for model in SUMMARY_TABLES),
        f"DELETE FROM {table[AnnualReturn]} WHERE enterprise_id IN ({enterprises})",
        f"DELETE FROM {table[Plot]} WHERE zone_id IN ({zones}) OR enterprise_id IN ({enterprises})",
        f"DELETE FROM {table[LicenceEvent]} WHERE enterprise_id IN ({enterprises})",
        f"DELETE FROM {table[Enterprise]} WHERE id IN ({enterprises})",
        f"DELETE FROM {table[Disbursement]} WHERE pledge_id IN ({pledges})",
        f"DELETE FROM {table[Pledge]} WHERE id IN ({pledges})",
        f"DELETE FROM {table[InterestRegistration.zones.through]} "
        f"WHERE interestregistration_id IN ({registrations}) OR zone_id IN ({zones})",
        f"DELETE FROM {table[InterestRegistration]} WHERE id IN ({registrations})",
        f"DELETE FROM {table[Contact]} WHERE company_id IN ({companies})",
        f"DELETE FROM {table[Company]} WHERE id IN ({companies})",
        f"DELETE FROM {table[ZoneStatusChange]} WHERE zone_id IN ({zones})",
        f"DELETE FROM {table[Zone.sectors.through]} WHERE zone_id IN ({zones})",
        f"DELETE FROM {table[Zone.incentives.through]} WHERE zone_id IN ({zones})",
        f"DELETE FROM {table[Zone]} WHERE description = %(mark)s",
        f"DELETE FROM {table[ZoneDeveloper]} WHERE description = %(mark)s",
        f"DELETE FROM {table[ExchangeRate]} WHERE source = %(source)s",
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, {"mark": SYNTHETIC_MARK, "source": RATE_SOURCE})


class Generator(OperatingZoneGeneratorMixin):
    """Builds the rows in memory batch by batch and writes them with COPY or bulk_create."""

    data_start, data_end = DATA_START, DATA_END
    aware = staticmethod(aware)

    def pick(self, values, cum_weights):
        return pick(self.rng, values, cum_weights)

    def __init__(self, *, seed, batch_size, progress, log):
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
        self.batch_size = batch_size
        self.progress = progress
        self.log = log
        self.use_copy = connection.vendor == "postgresql"
        self.timings = {}
        self.written = {}

    # --- writing -------------------------------------------------------------------------

    def reserve_ids(self, model, count):
        """Reserve `count` consecutive primary keys, so rows can point at each other before
        they are written (COPY returns no ids)."""
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.use_copy:
                cursor.execute(f"LOCK TABLE {qn(table)} IN EXCLUSIVE MODE")
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                sequence = cursor.fetchone()[0]
                cursor.execute("SELECT nextval(%s)", [sequence])
                first = cursor.fetchone()[0]
                if count > 1:
                    cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
                return first
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {qn(table)}")
            return cursor.fetchone()[0]

    def write(self, model, columns, rows):
        if not rows:
            return
        if self.use_copy:
            names = ", ".join(qn(column) for column in columns)
            with connection.cursor() as cursor:
                raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
                with raw.copy(f"COPY {qn(model._meta.db_table)} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            return
        attnames = {field.column: field.attname for field in model._meta.concrete_fields}
        keys = [attnames[column] for column in columns]
        objects = [model(**dict(zip(keys, row, strict=True))) for row in rows]
        with explicit_timestamps(model):
            model.objects.bulk_create(objects, batch_size=min(self.batch_size, 2_000))

    def bar(self, total, label):
        return tqdm(total=total, desc=label, unit="rows", disable=not self.progress, leave=False)

    @contextmanager
    def step(self, name):
        started = time.monotonic()
        yield
        self.timings[name] = time.monotonic() - started

    # --- the programme ---------------------------------------------------------------------

    def run(self, *, zones, companies, pledges, registrations, enterprises, plots, returns):
        self.sectors = self.ensure_sectors()
        self.incentives = self.ensure_incentives()
        with self.step("zones"):
            self.make_zones(zones)
        if pledges or returns:
            with self.step("exchange rates"):
                self.make_exchange_rates()
        with self.step("companies"):
            self.make_companies(companies)
        with self.step("registrations"):
            self.make_registrations(registrations)
        with self.step("pledges"):
            self.make_pledges(pledges)
        with self.step("enterprises"):
            self.make_enterprises(enterprises, SYNTHETIC_MARK)
        with self.step("plots"):
            self.make_plots(plots, SYNTHETIC_MARK)
        with self.step("annual returns"):
            self.make_returns(returns)

    def ensure_sectors(self):
        for name, slug in SECTORS:
            Sector.objects.get_or_create(slug=slug, defaults={"name": name})
        return {sector.slug: sector.pk for sector in Sector.objects.all()}

    def ensure_incentives(self):
        defaults = [
            ("corporate-tax-waiver", "10-year corporate-tax waiver", "tax_waiver", 10),
            (
                "duty-free-equipment-and-materials",
                "Duty-free imports of equipment and building material",
                "customs_exemption",
                None,
            ),
            ("one-window-facilitation", "One-window facilitation", "other", None),
        ]
        for slug, name, kind, years in defaults:
            Incentive.objects.get_or_create(
                slug=slug, defaults={"name": name, "kind": kind, "duration_years": years}
            )
        return list(Incentive.objects.values_list("pk", flat=True))

    def make_zones(self, count):
        rng = self.rng
        self.zone_ids, self.zone_cum_weights = [], []
        if not count:
            return
        taken_slugs = set(Zone.objects.values_list("slug", flat=True))
        taken_slugs |= set(ZoneDeveloper.objects.values_list("slug", flat=True))
        kek_zones = [row for row in read_csv("indonesia-kek-zones.csv") if row.get("kek_name")]

        def unique_slug(text):
            base = slugify(text)[:180] or "zone"
            slug, n = base, 1
            while slug in taken_slugs:
                n += 1
                slug = f"{base}-{n}"
            taken_slugs.add(slug)
            return slug

        developers = []
        for _ in range(max(1, count // 8)):
            name = f"{rng.choice(DEVELOPER_WORDS)} {rng.choice(DEVELOPER_KINDS)}"
            issued = DATA_START - datetime.timedelta(days=rng.randrange(0, 1500))
            developers.append(
                ZoneDeveloper(
                    name=name,
                    slug=unique_slug(name),
                    legal_name=f"{name} (Private) Limited",
                    country="PK",
                    licence_number=f"TZA-{rng.randrange(10_000, 99_999)}",
                    licence_issued_on=issued,
                    licence_expires_on=issued + datetime.timedelta(days=365 * 15),
                    description=SYNTHETIC_MARK,
                )
            )
        kek_developers = {}
        for index in range(6, count, 7):
            row = kek_zones[(index // 7) % len(kek_zones)] if kek_zones else {}
            if row.get("developer") and row["developer"] not in kek_developers:
                kek_developers[row["developer"]] = ZoneDeveloper(
                    name=row["developer"],
                    slug=unique_slug(row["developer"]),
                    legal_name=row["developer"],
                    country="ID",
                    description=SYNTHETIC_MARK,
                )
        ZoneDeveloper.objects.bulk_create([*developers, *kek_developers.values()])

        zones, histories, names_seen = [], [], {}
        for index in range(count):
            # One zone in seven comes from the partner programme in Indonesia (real KEK
            # names, provinces and places); the rest are Pakistani cities.
            if kek_zones and index % 7 == 6:
                row = kek_zones[(index // 7) % len(kek_zones)]
                base = f"{row['kek_name']} Technology Zone"
                city, province, country = row["kek_name"][:100], row["province"], "ID"
                lat, lon = float(row["latitude"] or 0), float(row["longitude"] or 0)
                developer = kek_developers.get(row.get("developer")) or rng.choice(developers)
            else:
                city, province, lat, lon = rng.choice(PAKISTANI_CITIES)
                base, country = f"{city} {rng.choice(ZONE_KINDS)}", "PK"
                lat += rng.uniform(-0.15, 0.15)
                lon += rng.uniform(-0.15, 0.15)
                developer = rng.choice(developers)
            names_seen[base] = names_seen.get(base, 0) + 1
            name = base if names_seen[base] == 1 else f"{base} Phase {names_seen[base]}"
            status = weighted(rng, ZONE_FINAL_STATUS)
            steps = self.zone_history(status)
            zone = Zone(
                name=name,
                slug=unique_slug(name),
                developer=developer,
                city=city,
                province=province,
                country=country,
                latitude=Decimal(f"{lat:.6f}"),
                longitude=Decimal(f"{lon:.6f}"),
                area_hectares=Decimal(f"{rng.lognormvariate(math.log(40), 0.8):.2f}") + CENT,
                status=status,
                target_opening_date=steps[0][1] + datetime.timedelta(days=rng.randrange(600, 1500)),
                actual_opening_date=next((d for s, d in steps if s == "operational"), None),
                description=SYNTHETIC_MARK,
            )
            zones.append(zone)
            histories.append(steps)
        Zone.objects.bulk_create(zones)

        status_changes, sector_rows, incentive_rows = [], [], []
        sector_ids = sorted(self.sectors.values())
        for zone, steps in zip(zones, histories, strict=True):
            for status, day in steps:
                status_changes.append(ZoneStatusChange(zone=zone, status=status, changed_on=day))
            for sector_id in rng.sample(sector_ids, k=min(len(sector_ids), rng.randint(2, 4))):
                sector_rows.append(Zone.sectors.through(zone_id=zone.pk, sector_id=sector_id))
            for incentive_id in self.incentives:
                if rng.random() < 0.85:
                    incentive_rows.append(
                        Zone.incentives.through(zone_id=zone.pk, incentive_id=incentive_id)
                    )
        ZoneStatusChange.objects.bulk_create(status_changes, batch_size=2_000)
        Zone.sectors.through.objects.bulk_create(sector_rows, batch_size=2_000)
        Zone.incentives.through.objects.bulk_create(incentive_rows, batch_size=2_000)

        # Zipf over a ranking that favours zones further along their rollout.
        ranked = sorted(zones, key=lambda z: -rng.random() * ZONE_DRAW[z.status])
        self.zone_ids = [zone.pk for zone in ranked]
        self.zone_cum_weights = cumulative(1 / (rank**1.1) for rank in range(1, count + 1))
        self.written.update(
            zones=count,
            developers=len(developers) + len(kek_developers),
            **{"zone status changes": len(status_changes)},
        )

    def zone_history(self, final_status):
        rng = self.rng
        day = (
            DATA_START
            - datetime.timedelta(days=180)
            + datetime.timedelta(days=rng.randrange(0, 1400))
        )
        if final_status in ROLLOUT:
            path = ROLLOUT[: ROLLOUT.index(final_status) + 1]
        elif final_status == "suspended":
            path = [*ROLLOUT[: rng.randint(2, 4)], "suspended"]
        else:
            path = [*ROLLOUT[: rng.randint(1, 2)], "cancelled"]
        steps = []
        for status in path:
            steps.append((status, min(day, DATA_END)))
            day += datetime.timedelta(days=rng.randrange(60, 330))
        return steps

    def make_exchange_rates(self):
        """Monthly PKR rates over the whole period, then every day's effective rate read
        back from the database (other rows, e.g. seed_demo's, may already be there)."""
        rng = self.rng
        rows = []
        for month in month_starts(DATA_START, DATA_END):
            pkr_per_usd = self.interpolated_pkr(month) * rng.uniform(0.99, 1.01)
            rate = (Decimal(1) / Decimal(f"{pkr_per_usd:.4f}")).quantize(Decimal("1e-10"))
            rows.append(
                ExchangeRate(currency="PKR", date=month, rate_to_usd=rate, source=RATE_SOURCE)
            )
        ExchangeRate.objects.bulk_create(rows, ignore_conflicts=True)
        known = list(
            ExchangeRate.objects.filter(currency="PKR", date__lte=DATA_END)
            .order_by("date")
            .values_list("date", "rate_to_usd")
        )
        dates = [day for day, _ in known]
        self.pkr_rate_by_day = []
        for offset in range((DATA_END - DATA_START).days + 1):
            day = DATA_START + datetime.timedelta(days=offset)
            self.pkr_rate_by_day.append(known[bisect_right(dates, day) - 1][1])
        self.written["exchange rates"] = len(rows)

    @staticmethod
    def interpolated_pkr(month):
        for (d0, v0), (d1, v1) in itertools.pairwise(PKR_PER_USD_ANCHORS):
            if d0 <= month <= d1:
                return v0 + (v1 - v0) * (month - d0).days / (d1 - d0).days
        return PKR_PER_USD_ANCHORS[-1][1]

    def usd(self, amount, currency, day):
        if currency == "USD":
            return amount
        rate = self.pkr_rate_by_day[(day - DATA_START).days]
        return (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)

    def random_day(self, skew=0.6):
        # u**skew with skew < 1 puts more records in recent years: programmes grow.
        span = (DATA_END - DATA_START).days
        return DATA_START + datetime.timedelta(days=int(span * self.rng.random() ** skew))

    def make_companies(self, count):
        rng = self.rng
        self.company_ids, self.company_origin, self.company_cum_weights = [], [], []
        if not count:
            return
        taken = set(Company.objects.values_list("normalized_name", flat=True))
        sp500 = [row for row in read_csv("sp500-companies.csv") if row.get("Security")]
        if not sp500:
            sp500 = [{"Security": name, "GICS Sector": ""} for name in FALLBACK_GLOBAL_NAMES]
        first_id = self.reserve_ids(Company, count)
        countries = GLOBAL_COUNTRIES
        sizes = SIZES
        sector_slugs = sorted(self.sectors)
        columns = [
            "id", "created", "updated", "name", "normalized_name", "origin", "country",
            "sector_id", "website", "size", "description",
        ]  # fmt: skip
        weights = []
        with self.bar(count, "companies") as bar:
            for start in range(0, count, self.batch_size):
                rows = []
                for row_id in range(
                    first_id + start, first_id + min(count, start + self.batch_size)
                ):
                    is_global = rng.random() < 0.2
                    if is_global:
                        firm = rng.choice(sp500)
                        country = weighted(rng, countries)
                        variant = rng.choice(GLOBAL_VARIANTS)
                        base = f"{firm['Security']} {variant}".strip()
                        sector = GICS_TO_SECTOR.get(
                            firm.get("GICS Sector"), rng.choice(sector_slugs)
                        )
                    else:
                        country = "PK"
                        core = " ".join(
                            part
                            for part in (
                                rng.choice(DOMESTIC_FIRST),
                                rng.choice(DOMESTIC_SECOND),
                                rng.choice(DOMESTIC_THIRD),
                            )
                            if part
                        )
                        base = f"{core} {rng.choice(DOMESTIC_LEGAL)}".strip()
                        sector = rng.choice(sector_slugs)
                    name, normalized, n = base, normalize_company_name(base), 1
                    while normalized in taken:
                        # "Indus Soft 2 (Pvt.) Ltd", not "Indus Soft (Pvt.) Ltd 2".
                        n += 1
                        name = f"{base} {n}" if is_global else f"{core} {n} {base[len(core) :]}"
                        name = " ".join(name.split())
                        normalized = normalize_company_name(name)
                    taken.add(normalized)
                    created = aware(self.random_day(0.8), hour=rng.randrange(3, 14))
                    website = f"https://www.{slugify(normalized)[:50] or 'firm'}.example"
                    rows.append((
                        row_id, created, created, name[:200], normalized[:200],
                        "global" if is_global else "domestic", country,
                        self.sectors.get(sector), website if rng.random() < 0.7 else "",
                        weighted(rng, sizes), SYNTHETIC_MARK,
                    ))  # fmt: skip
                    self.company_ids.append(row_id)
                    self.company_origin.append(is_global)
                    # A few companies pledge again and again (Pareto); global ones more.
                    weights.append(rng.paretovariate(1.6) * (2.5 if is_global else 1.0))
                self.write(Company, columns, rows)
                bar.update(len(rows))
        self.company_cum_weights = cumulative(weights)
        self.written["companies"] = count

    def make_registrations(self, count):
        rng = self.rng
        self.first_registration = {}
        if not count:
            return
        # Who registers is decided first, so that each registering company gets a contact.
        company_choices = [
            pick(rng, range(len(self.company_ids)), self.company_cum_weights) for _ in range(count)
        ]
        registering = sorted(set(company_choices))
        first_contact = self.reserve_ids(Contact, len(registering))
        contact_of = {}
        contact_rows = []
        for offset, company_index in enumerate(registering):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            contact_id = first_contact + offset
            contact_of[company_index] = contact_id
            created = aware(DATA_START)
            contact_rows.append((
                contact_id, created, created, self.company_ids[company_index], f"{first} {last}",
                f"{first}.{last}.{contact_id}@contact.example".lower(),
                f"+92 3{rng.randrange(0, 100):02d} {rng.randrange(1_000_000, 9_999_999)}",
                rng.choice(["CEO", "CFO", "Country manager", "Head of expansion", ""]),
            ))  # fmt: skip
        contact_columns = [
            "id", "created", "updated", "company_id", "name", "email", "phone", "role",
        ]  # fmt: skip
        with self.bar(len(contact_rows), "contacts") as bar:
            for start in range(0, len(contact_rows), self.batch_size):
                batch = contact_rows[start : start + self.batch_size]
                self.write(Contact, contact_columns, batch)
                bar.update(len(batch))
        self.written["contacts"] = len(contact_rows)

        first_id = self.reserve_ids(InterestRegistration, count)
        columns = [
            "id", "created", "updated", "reference", "status_token", "company_id", "contact_id",
            "channel", "status", "planned_investment_usd", "planned_jobs", "target_date",
            "message", "submitted_by_id", "reviewer_id", "reviewed_at", "review_note",
        ]  # fmt: skip
        through = InterestRegistration.zones.through
        through_columns = ["interestregistration_id", "zone_id"]
        zone_links = 0
        with self.bar(count, "registrations") as bar:
            for start in range(0, count, self.batch_size):
                rows, links = [], []
                for index in range(start, min(count, start + self.batch_size)):
                    row_id = first_id + index
                    company_index = company_choices[index]
                    company_id = self.company_ids[company_index]
                    day = self.random_day(0.5)
                    created = aware(day, hour=rng.randrange(3, 16))
                    age = (DATA_END - day).days
                    status = self.registration_status(age)
                    reviewed_at = None
                    if status in ("accepted", "declined"):
                        reviewed_at = created + datetime.timedelta(
                            days=rng.randrange(3, min(90, age + 4))
                        )
                    planned = None
                    if rng.random() < 0.8:
                        scale = 5e6 if self.company_origin[company_index] else 8e5
                        planned = Decimal(int(rng.lognormvariate(math.log(scale), 1.1))).quantize(
                            CENT
                        )
                    rows.append((
                        row_id, created, reviewed_at or created, registration_reference(row_id),
                        registration_status_token(row_id), company_id, contact_of[company_index],
                        weighted(rng, CHANNELS), status, planned,
                        int(rng.lognormvariate(math.log(40), 1.0)) if rng.random() < 0.7 else None,
                        day + datetime.timedelta(days=rng.randrange(90, 900)),
                        rng.choice(MESSAGES), None, None, reviewed_at, "",
                    ))  # fmt: skip
                    self.first_registration.setdefault(company_id, row_id)
                    wanted = 1 if rng.random() < 0.7 else rng.choice((2, 2, 3))
                    zones = {pick(rng, self.zone_ids, self.zone_cum_weights) for _ in range(wanted)}
                    links.extend((row_id, zone_id) for zone_id in sorted(zones))
                self.write(InterestRegistration, columns, rows)
                self.write(through, through_columns, links)
                zone_links += len(links)
                bar.update(len(rows))
        self.written["registrations"] = count
        self.written["registration zones"] = zone_links

    def registration_status(self, age_days):
        r = self.rng.random()
        if age_days < 30:
            return "received" if r < 0.7 else "under_review"
        if age_days < 120:
            return weighted(self.rng, [("received", 20), ("under_review", 50), ("accepted", 20),
                                       ("declined", 5), ("withdrawn", 5)])  # fmt: skip
        return weighted(self.rng, [("received", 2), ("under_review", 8), ("accepted", 60),
                                   ("declined", 22), ("withdrawn", 8)])  # fmt: skip

    def pledge_status(self, age_days):
        r = self.rng.random()
        if r < 0.06:
            return "cancelled"
        maturity = min(1.0, age_days / 1200)
        r = self.rng.random()
        if r < 0.45 * maturity:
            return "realized"
        if r < 0.75 * maturity + 0.05:
            return "in_progress"
        if r < 0.75 * maturity + 0.35:
            return "committed"
        return "announced"

    def pledge_amount(self, is_global):
        rng = self.rng
        if is_global:
            return "USD", Decimal(max(10, int(rng.lognormvariate(math.log(2_500), 1.1))) * 1000)
        if rng.random() < 0.7:
            return "PKR", Decimal(max(10, int(rng.lognormvariate(math.log(15_000), 1.2))) * 10_000)
        return "USD", Decimal(max(10, int(rng.lognormvariate(math.log(400), 1.0))) * 1000)

    def tranches(self, pledged_on, amount, currency, share):
        """Split `share` of `amount` into dated tranches after the pledge date."""
        rng = self.rng
        total = (amount * share).quantize(CENT, rounding=ROUND_DOWN) if share < 1 else amount
        count = rng.randint(1, 4)
        weights = [rng.uniform(0.5, 1.5) for _ in range(count)]
        parts = [
            (total * Decimal(w / sum(weights))).quantize(CENT, rounding=ROUND_DOWN)
            for w in weights[:-1]
        ]
        parts.append(total - sum(parts, Decimal(0)))
        room = (DATA_END - pledged_on).days
        earliest = min(30, room)
        days = sorted(
            pledged_on
            + datetime.timedelta(days=rng.randint(earliest, max(earliest, min(room, 900))))
            for _ in parts
        )
        return [
            (day, part, self.usd(part, currency, day))
            for day, part in zip(days, parts, strict=True)
            if part > 0
        ]

    def make_pledges(self, count):
        rng = self.rng
        if not count:
            return
        first_id = self.reserve_ids(Pledge, count)
        columns = [
            "id", "created", "updated", "company_id", "zone_id", "registration_id", "amount",
            "currency", "amount_usd", "pledged_on", "status", "realized_amount", "realized_usd",
            "description",
        ]  # fmt: skip
        disbursement_columns = [
            "created", "updated", "pledge_id", "disbursed_on", "amount", "amount_usd", "note",
        ]  # fmt: skip
        company_positions = range(len(self.company_ids))
        disbursements = 0
        with self.bar(count, "pledges") as bar:
            for start in range(0, count, self.batch_size):
                rows, tranche_rows = [], []
                for row_id in range(
                    first_id + start, first_id + min(count, start + self.batch_size)
                ):
                    company_index = pick(rng, company_positions, self.company_cum_weights)
                    company_id = self.company_ids[company_index]
                    zone_id = pick(rng, self.zone_ids, self.zone_cum_weights)
                    day = self.random_day()
                    age = (DATA_END - day).days
                    status = self.pledge_status(age)
                    currency, amount = self.pledge_amount(self.company_origin[company_index])
                    realized_amount = realized_usd = Decimal("0.00")
                    if status in ("in_progress", "realized"):
                        share = (
                            Decimal(1)
                            if status == "realized"
                            else Decimal(f"{rng.uniform(0.1, 0.9):.3f}")
                        )
                        for paid_on, part, part_usd in self.tranches(day, amount, currency, share):
                            realized_amount += part
                            realized_usd += part_usd
                            stamp = aware(paid_on)
                            tranche_rows.append((stamp, stamp, row_id, paid_on, part, part_usd, ""))
                    registration_id = None
                    if rng.random() < 0.3:
                        registration_id = self.first_registration.get(company_id)
                    created = aware(day, hour=rng.randrange(3, 16))
                    rows.append((
                        row_id, created, created, company_id, zone_id, registration_id, amount,
                        currency, self.usd(amount, currency, day), day, status, realized_amount,
                        realized_usd, "",
                    ))  # fmt: skip
                self.write(Pledge, columns, rows)
                self.write(Disbursement, disbursement_columns, tranche_rows)
                disbursements += len(tranche_rows)
                bar.update(len(rows))
        self.written["pledges"] = count
        self.written["disbursements"] = disbursements
