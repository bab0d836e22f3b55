"""Hostile CSV files through `manage.py import_records`: all of the file or none of it.

Every kind the command imports (and so every resource the admin's Import button uses) gets
generated files whose cells mix plausible values with formula injections, control and
bidirectional characters, oversize text, out-of-range numbers and impossible dates. The
command must either import every row or refuse the file with a CommandError, keeping
nothing; any other exception is a bug.
"""

import csv
import datetime
import re
import uuid
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companies.models import Company, Contact, InterestRegistration
from investments.models import Disbursement, Pledge
from tests.factories import CompanyFactory, ExchangeRateFactory, ZoneDeveloperFactory, ZoneFactory
from zones.models import Incentive, Sector, Zone, ZoneDeveloper, ZoneStatusChange

pytestmark = pytest.mark.django_db

HOSTILE = st.one_of(
    st.text(max_size=80),  # any Unicode but surrogates, which a UTF-8 file cannot hold
    st.sampled_from(
        [
            '=HYPERLINK("http://evil.example")',
            "=cmd|' /C calc'!A0",
            "+1+1",
            "@SUM(A1)",
            "-1",
            "0",
            "1e309",
            "-1e309",
            "NaN",
            "inf",
            "9" * 40,
            "0.0000000001",
            "1,5",
            "2026-02-30",
            "0000-00-00",
            "31/12/2026",
            "9999-12-31",
            "1900-01-01",
            "\n",
            "\r\n",
            '"',
            "''",
            "  ",
            "\t",
            "\x00",
            "\u202eevil",
            "𝕏𝕐ℤ",
            "Ⅻ",
            "٣",
            "x" * 5000,
            "<script>alert(1)</script>",
            "'; DROP TABLE zones_zone; --",
        ]
    ),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.just(""),
)


def cell(*plausible):
    return st.one_of(st.sampled_from(plausible), HOSTILE)


DATES = ("2026-03-01", "2025-12-31", "")
COLUMNS = {
    "sectors": {"name": cell("Software", "Fintech"), "slug": cell("software", "fintech")},
    "developers": {
        "slug": cell("tpl-corp", "new-developer"),
        "name": cell("TPL Corp", "New Developer"),
        "legal_name": cell("TPL Corp Ltd"),
        "registration_number": cell("0012345"),
        "country": cell("PK", "ID", "ZZ"),
        "website": cell("https://tpl.example"),
        "licence_number": cell("L-1"),
        "licence_issued_on": cell(*DATES),
        "licence_expires_on": cell(*DATES),
        "description": cell("Builds zones."),
    },
    "zones": {
        "slug": cell("karachi", "new-zone"),
        "name": cell("Karachi Zone", "New Zone"),
        "developer": cell("tpl-corp"),
        "city": cell("Karachi"),
        "province": cell("Sindh"),
        "country": cell("PK"),
        "latitude": cell("24.86", "91", "-90"),
        "longitude": cell("67.0", "181"),
        "area_hectares": cell("100.5", "-3"),
        "status": cell("proposed", "approved", "operational", "cancelled"),
        "status_changed_on": cell(*DATES),
        "target_opening_date": cell(*DATES),
        "actual_opening_date": cell(*DATES),
        "sectors": cell("software", "software,fintech", "unknown"),
        "incentives": cell("tax-waiver", ""),
        "description": cell("A zone."),
    },
    "companies": {
        "name": cell("Systems Ltd", "SYSTEMS LIMITED", "New Company (Pvt) Ltd"),
        "origin": cell("domestic", "global"),
        "country": cell("PK", "US"),
        "sector": cell("Software"),
        "website": cell("https://systems.example"),
        "size": cell("small", "enterprise"),
        "description": cell("Builds software."),
    },
    "pledges": {
        "id": cell("", "1", "-1"),
        "company": cell("Systems Ltd", "systems limited"),
        "zone": cell("karachi"),
        "amount": cell("1000000", "0.01", "-5"),
        "currency": cell("USD", "PKR", "EUR"),
        "pledged_on": cell("2026-03-01", "2025-01-01"),
        "status": cell("announced", "committed"),
        "description": cell("Phase one."),
    },
}
MODELS = (Sector, Incentive, ZoneDeveloper, Zone, ZoneStatusChange, Company, Contact,
          InterestRegistration, Pledge, Disbursement)  # fmt: skip


def snapshot():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def existing_rows():
    """What plausible cells refer to: a developer, a zone, a company, a sector, a rate."""
    sector = Sector.objects.create(name="Software", slug="software")
    Incentive.objects.create(name="Tax waiver", slug="tax-waiver")
    developer = ZoneDeveloperFactory(slug="tpl-corp")
    ZoneFactory(slug="karachi", developer=developer)
    CompanyFactory(name="Systems Ltd", sector=sector)
    ExchangeRateFactory(currency="PKR", date=datetime.date(2025, 1, 1))


def csv_text(columns, rows):
    out = StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def files(kind):
    columns = COLUMNS[kind]
    return st.lists(st.fixed_dictionaries(columns), min_size=1, max_size=4).map(
        lambda rows: (list(columns), rows)
    )


def import_whole_or_nothing(tmp_path, kind, columns, rows):
    path = tmp_path / f"{kind}-{uuid.uuid4().hex}.csv"
    path.write_text(csv_text(columns, rows), encoding="utf-8")
    before = snapshot()
    out = StringIO()
    try:
        call_command("import_records", kind, str(path), "-v", "0",
                     stdout=out, stderr=StringIO())  # fmt: skip
    except CommandError:
        assert snapshot() == before, "a refused file must leave nothing behind"
        return False
    assert_every_row_is_accounted_for(kind, rows, before, out.getvalue())
    return True


TOTALS = re.compile(r"Imported [^:]+: (\d+) new, (\d+) updated, (\d+) unchanged\.")


def assert_every_row_is_accounted_for(kind, rows, before, output):
    """Every row of an accepted file was created, updated or found unchanged; none dropped."""
    new, updated, unchanged = (int(n) for n in TOTALS.search(output).groups())
    assert new + updated + unchanged == len(rows), output
    model = {"sectors": Sector, "developers": ZoneDeveloper, "zones": Zone,
             "companies": Company, "pledges": Pledge}[kind]  # fmt: skip
    assert model.objects.count() == before[model.__name__] + new


FUZZ = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(COLUMNS))
def test_hostile_files_import_whole_or_not_at_all(kind, existing_rows, tmp_path):
    @FUZZ
    @given(data=files(kind))
    def run(data):
        columns, rows = data
        import_whole_or_nothing(tmp_path, kind, columns, rows)

    run()


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(COLUMNS))
def test_one_hostile_row_among_good_ones_keeps_nothing(kind, existing_rows, tmp_path):
    """A good row first, so a failure half-way would show as a partial import."""
    good_row = GOOD_ROWS[kind]
    bad_row = {**good_row, **BAD_CELLS[kind]}
    before = snapshot()
    assert not import_whole_or_nothing(tmp_path, kind, list(COLUMNS[kind]), [good_row, bad_row])
    assert snapshot() == before
    assert import_whole_or_nothing(tmp_path, kind, list(COLUMNS[kind]), [good_row])


GOOD_ROWS = {
    "sectors": {"name": "Fintech", "slug": "fintech"},
    "developers": {
        "slug": "new-developer",
        "name": "New Developer",
        "legal_name": "",
        "registration_number": "",
        "country": "PK",
        "website": "",
        "licence_number": "",
        "licence_issued_on": "",
        "licence_expires_on": "",
        "description": "",
    },
    "zones": {
        "slug": "new-zone",
        "name": "New Zone",
        "developer": "tpl-corp",
        "city": "Karachi",
        "province": "Sindh",
        "country": "PK",
        "latitude": "",
        "longitude": "",
        "area_hectares": "",
        "status": "proposed",
        "status_changed_on": "",
        "target_opening_date": "",
        "actual_opening_date": "",
        "sectors": "software",
        "incentives": "tax-waiver",
        "description": "",
    },
    "companies": {
        "name": "New Company (Pvt) Ltd",
        "origin": "domestic",
        "country": "PK",
        "sector": "Software",
        "website": "",
        "size": "small",
        "description": "",
    },
    "pledges": {
        "id": "",
        "company": "Systems Ltd",
        "zone": "karachi",
        "amount": "1000000",
        "currency": "USD",
        "pledged_on": "2026-03-01",
        "status": "announced",
        "description": "",
    },
}
BAD_CELLS = {
    "sectors": {"name": "", "slug": "x" * 5000},
    "developers": {"slug": "other-developer", "licence_issued_on": "2026-02-30"},
    "zones": {"slug": "other-zone", "latitude": "1e309"},
    "companies": {"name": "Other Company", "origin": "=cmd|' /C calc'!A0"},
    "pledges": {"amount": "-1e309"},
}


def test_a_file_that_is_not_utf8_is_refused_cleanly(tmp_path, existing_rows):
    path = tmp_path / "latin1.csv"
    path.write_bytes("name,slug\nCaf\xe9,cafe\n".encode("latin-1"))
    before = snapshot()
    with pytest.raises(CommandError):
        call_command("import_records", "sectors", str(path), "-v", "0",
                     stdout=StringIO(), stderr=StringIO())  # fmt: skip
    assert snapshot() == before
