"""The open data page and its CSV and JSON files (/data/)."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import http_date
from rest_framework.test import APIClient

from programme import open_data
from tests.factories import (
    AnnualReturnFactory,
    CompanyFactory,
    ContactFactory,
    DisbursementFactory,
    EnterpriseFactory,
    InterestRegistrationFactory,
    PledgeFactory,
    PlotFactory,
    TargetFactory,
    ZoneFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
SLUGS = list(open_data.DATASETS)
REPORT_API = {
    "rollout-report": "/api/v1/reports/rollout/",
    "investment-report": "/api/v1/reports/investment/",
    "companies-report": "/api/v1/reports/companies/",
    "performance-report": "/api/v1/reports/performance/",
}


def file_url(slug, extension):
    return reverse("public:open-data-file", args=[slug, extension])


def download_csv(client, slug):
    response = client.get(file_url(slug, "csv"))
    assert response.status_code == 200
    body = response.content
    assert body.startswith("\ufeff".encode())  # UTF-8 with a byte-order mark, for Excel
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def download_json(client, slug):
    response = client.get(file_url(slug, "json"))
    assert response.status_code == 200
    return json.loads(response.content)


def accepted_return(enterprise, year="2025-26", **figures):
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
        "submitted_on": D(2026, 9, 1),
        **figures,
    }
    return AnnualReturnFactory(enterprise=enterprise, fiscal_year=year, **values)


@pytest.fixture
def registry():
    """Two zones with pledges, licences (one lapsed, one application), plots and returns."""
    karachi = ZoneFactory(name="Karachi Technology Zone", slug="karachi", status="operational")
    lahore = ZoneFactory(name="Lahore Technology Park", slug="lahore", status="approved")
    companies = [CompanyFactory(name=f"Firm {n} Ltd") for n in range(4)]
    for company in companies:
        ContactFactory(
            company=company,
            email=f"secret{company.pk}@firm.example",
            phone="+92 300 5550101",
        )
        InterestRegistrationFactory(company=company, zones=[karachi])
    pledge = PledgeFactory(company=companies[0], zone=karachi, amount=Decimal("350000000"))
    DisbursementFactory(pledge=pledge, amount=Decimal("1000000"))
    PledgeFactory(company=companies[1], zone=lahore, amount=Decimal("120000000"))
    enterprises = [EnterpriseFactory(company=company, zone=karachi) for company in companies[:3]]
    EnterpriseFactory(
        company=companies[3], zone=karachi, issued_on=D(2015, 1, 1), expires_on=D(2020, 1, 1)
    )
    EnterpriseFactory(
        company=CompanyFactory(name="Applicant Ltd"),
        zone=lahore,
        status="applied",
        licence_number=None,
        issued_on=None,
        expires_on=None,
    )
    PlotFactory(zone=karachi, status="occupied", enterprise=enterprises[0])
    for enterprise in enterprises:
        accepted_return(enterprise)
    # Lahore's one return is disclosive: it must be withheld.
    accepted_return(EnterpriseFactory(zone=lahore, company=CompanyFactory()))
    TargetFactory(name="Private investment pledged in two years")
    return {"karachi": karachi, "lahore": lahore, "companies": companies}


# --- The page ---------------------------------------------------------------------------------


def test_page_lists_every_dataset_with_rows_last_update_files_and_dictionary(client, registry):
    response = client.get(reverse("public:open-data"))

    assert response.status_code == 200
    html = response.content.decode()
    for entry in response.context["datasets"]:
        dataset = entry["dataset"]
        assert f'id="{dataset.slug}"' in html
        assert file_url(dataset.slug, "csv") in html
        assert file_url(dataset.slug, "json") in html
        assert entry["row_count"] == len(open_data.dataset_rows(dataset))
        assert entry["last_updated"] is not None
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in html
    counts = {entry["dataset"].slug: entry["row_count"] for entry in response.context["datasets"]}
    assert counts["zones"] == 2
    assert counts["enterprises"] == 5  # four Karachi licences and Lahore's; no application
    assert "Creative Commons Attribution 4.0" in html
    assert "Contains data from the Technology Zones Registry" in html
    assert "The registry holds no zones" not in html


def test_footer_links_to_the_open_data_page(client, registry):
    html = client.get(reverse("public:home")).content.decode()
    assert f'href="{reverse("public:open-data")}"' in html


def age(dataset, when):
    """Every row the dataset is made of, stamped as last changed at `when`."""
    for source in dataset.sources():
        source.model.objects.filter(pk__in=source.values("pk")).update(updated=when)


def test_last_updated_is_the_newest_change_in_the_data_not_the_clock(registry):
    long_ago = timezone.make_aware(datetime.datetime(2026, 1, 1, 9, 30))
    age(open_data.ZONES, long_ago)
    assert open_data.dataset_last_updated(open_data.ZONES) == long_ago

    zone = registry["lahore"]
    zone.name = "Lahore Technology Park (renamed)"
    zone.save()
    zone.refresh_from_db()

    # Rows that show the zone's name (its pledges) are stamped too, a moment later.
    assert open_data.dataset_last_updated(open_data.ZONES) >= zone.updated > long_ago


def test_a_licence_lapsing_dates_the_register_from_the_day_after_its_expiry(db):
    EnterpriseFactory(issued_on=D(2020, 1, 1), expires_on=D(2026, 3, 31))
    long_ago = timezone.make_aware(datetime.datetime(2026, 1, 1))
    age(open_data.ENTERPRISES, long_ago)

    before = open_data.dataset_last_updated(open_data.ENTERPRISES, today=D(2026, 3, 31))
    after = open_data.dataset_last_updated(open_data.ENTERPRISES, today=D(2026, 4, 2))

    assert before == long_ago
    assert after == timezone.make_aware(datetime.datetime(2026, 4, 1))


def test_an_empty_registry_gives_header_only_files_and_the_page_says_so(client, db):
    html = client.get(reverse("public:open-data")).content.decode()

    assert "The registry holds no zones or licensed enterprises yet" in html
    for slug in ("zones", "enterprises"):
        rows = download_csv(client, slug)
        assert rows == [open_data.DATASETS[slug].column_names]
        body = download_json(client, slug)
        assert body["rows"] == []
        assert body["last_updated"] is None
    # Reports still count: zero everywhere.
    body = download_json(client, "investment-report")
    totals = next(row for row in body["rows"] if row["section"] == "totals")
    assert totals["pledged_usd"] == "0.00"
    # No data, no Last-Modified to revalidate against.
    assert "Last-Modified" not in client.get(file_url("zones", "csv"))


# --- The files --------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_each_file_parses_with_the_dictionarys_columns_in_order(client, registry, slug):
    dataset = open_data.DATASETS[slug]
    rows = download_csv(client, slug)
    body = download_json(client, slug)

    assert rows[0] == dataset.column_names
    assert len(rows) - 1 == len(body["rows"]) == len(open_data.dataset_rows(dataset))
    assert all(len(row) == len(dataset.column_names) for row in rows)
    assert body["dataset"] == slug
    assert body["licence"]["id"] == "CC-BY-4.0"
    assert [column["name"] for column in body["columns"]] == dataset.column_names
    assert all(list(row) == dataset.column_names for row in body["rows"])
    last_updated = open_data.dataset_last_updated(dataset)
    assert body["last_updated"] == last_updated.isoformat()


@pytest.mark.parametrize(("slug", "extension"), [(s, e) for s in SLUGS for e in ("csv", "json")])
def test_files_are_attachments_cached_publicly_with_last_modified(
    client, registry, slug, extension
):
    response = client.get(file_url(slug, extension))

    assert response["Content-Disposition"] == f'attachment; filename="{slug}.{extension}"'
    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]
    last_updated = open_data.dataset_last_updated(open_data.DATASETS[slug])
    assert response["Last-Modified"] == http_date(last_updated.timestamp())
    expected_type = "text/csv" if extension == "csv" else "application/json"
    assert response["Content-Type"].startswith(expected_type)


def test_if_modified_since_the_last_change_answers_304(client, registry):
    age(open_data.ZONES, timezone.make_aware(datetime.datetime(2026, 1, 1, 9, 30)))
    first = client.get(file_url("zones", "csv"))

    again = client.get(file_url("zones", "csv"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304
    assert again.content == b""

    registry["karachi"].save()  # a change after the client's copy
    stale = client.get(file_url("zones", "csv"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert stale.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/data/nothing.csv",
        "/data/zones.xlsx",
        "/data/zones.CSV",
        "/data/zones",
        "/data/enterprises.json.csv",
        "/data/..csv",
    ],
)
def test_an_unknown_dataset_or_format_is_a_404(client, registry, path):
    assert client.get(path).status_code == 404


def test_files_refuse_writes(client, registry):
    assert client.post(file_url("zones", "csv")).status_code == 405


def test_zone_file_has_the_public_fields_and_the_apis_totals(client, registry):
    body = download_json(client, "zones")
    api = {row["slug"]: row for row in APIClient().get("/api/v1/zones/").json()["results"]}

    for row in body["rows"]:
        match = api[row["slug"]]
        assert row["name"] == match["name"]
        assert row["developer"] == match["developer"]["name"]
        assert row["status"] == match["status"]
        assert Decimal(row["pledged_usd"]) == Decimal(match["pledged_usd"])
        assert Decimal(row["realized_usd"]) == Decimal(match["realized_usd"])
    karachi = next(row for row in body["rows"] if row["slug"] == "karachi")
    assert karachi["pledged_usd"] == "350000000.00"


def test_register_file_matches_the_public_register_of_the_api(client, registry):
    body = download_json(client, "enterprises")
    api = APIClient().get("/api/v1/enterprises/").json()["results"]

    assert {row["licence_number"]: row["status"] for row in body["rows"]} == {
        row["licence_number"]: row["status"] for row in api
    }
    assert "Applicant Ltd" not in json.dumps(body)
    assert "expired" in {row["status"] for row in body["rows"]}


@pytest.mark.parametrize("slug", list(REPORT_API))
def test_report_files_carry_the_apis_figures(client, registry, slug):
    body = download_json(client, slug)
    api = APIClient().get(REPORT_API[slug]).json()

    for section in {row["section"] for row in body["rows"]}:
        ours = [row for row in body["rows"] if row["section"] == section]
        theirs = api[section] if isinstance(api[section], list) else [api[section]]
        assert len(ours) == len(theirs), section
        for mine, other in zip(ours, theirs, strict=True):
            for key, value in other.items():
                assert _same(mine[key], value), (section, key, mine[key], value)


def _same(ours, theirs):
    if ours is None or theirs is None or isinstance(theirs, bool):
        return ours == theirs
    try:
        return Decimal(str(ours)) == Decimal(str(theirs))
    except ArithmeticError:
        return str(ours) == str(theirs)


def test_performance_file_withholds_what_disclosure_control_hides(client, registry):
    body = download_json(client, "performance-report")

    lahore = [row for row in body["rows"] if row["zone"] == "lahore"]
    assert lahore
    assert all(row["suppressed"] is True and row["exports_usd"] is None for row in lahore)
    csv_rows = download_csv(client, "performance-report")
    header = csv_rows[0]
    for row in csv_rows[1:]:
        record = dict(zip(header, row, strict=True))
        if record["zone"] == "lahore":
            assert record["exports_usd"] == ""
            assert record["suppressed"] == "true"


def test_no_contact_email_or_phone_in_any_file(client, registry):
    for slug in SLUGS:
        for extension in ("csv", "json"):
            text = client.get(file_url(slug, extension)).content.decode("utf-8-sig")
            assert "@firm.example" not in text, slug
            assert "5550101" not in text, slug
            assert "Contact Person" not in text, slug


def test_a_formula_looking_company_name_is_neutralised_in_csv(client, db):
    name = '=HYPERLINK("http://evil.example","x")'
    EnterpriseFactory(company=CompanyFactory(name=name))

    rows = download_csv(client, "enterprises")
    company_column = rows[0].index("company")
    assert rows[1][company_column] == "'" + name
    assert download_json(client, "enterprises")["rows"][0]["company"] == name  # JSON as typed


def test_a_negative_longitude_stays_a_number_in_csv(client, db):
    ZoneFactory(latitude=Decimal("-6.200000"), longitude=Decimal("-75.500000"))
    rows = download_csv(client, "zones")
    record = dict(zip(rows[0], rows[1], strict=True))
    assert Decimal(record["latitude"]) == Decimal("-6.2")


def test_the_partial_links_both_files(db):
    from django.template.loader import render_to_string

    html = render_to_string("public/_data_link.html", {"dataset": "zones"})
    assert file_url("zones", "csv") in html
    assert file_url("zones", "json") in html


def test_every_report_field_is_described(db):
    for dataset in open_data.DATASETS.values():
        for column in dataset.columns:
            assert column.description and column.type in {
                "text",
                "integer",
                "decimal",
                "date",
                "boolean",
            }


# --- Languages ---------------------------------------------------------------------------------


def urdu_client():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
    return client


def test_the_data_dictionary_is_in_urdu_for_urdu_readers(registry):
    html = urdu_client().get(reverse("public:open-data")).text
    assert "<td>زون کا نام۔</td>" in html and "<td>The zone&#x27;s name.</td>" not in html
    assert "<td>امریکی ڈالر</td>" in html and "<td>US dollars</td>" not in html
    assert "<td>اعشاری عدد</td>" in html and "<td>decimal</td>" not in html
    assert ">کارکردگی کی رپورٹ</h2>" in html
    assert "رپورٹ کا وہ حصہ جس سے یہ قطار تعلق رکھتی ہے: totals, by_status," in html
    # Column names and section names are what the files carry: they stay as they are.
    assert "<code>pledged_usd</code>" in html and "<code>realized_usd</code>" in html


def test_the_data_dictionary_stays_english_for_english_readers(client, registry):
    html = client.get(reverse("public:open-data")).text
    assert "<td>The zone&#x27;s name.</td>" in html and "<td>US dollars</td>" in html
    assert "<td>decimal</td>" in html
    assert "زون کا نام۔" not in html


def test_every_dictionary_text_has_its_urdu(db):
    for dataset in open_data.DATASETS.values():
        texts = [dataset.title, dataset.description, dataset.frequency]
        texts += [text for column in dataset.columns for text in (column.description, column.unit)]
        for text in filter(None, texts):
            english = str(text)
            with translation.override("ur"):
                assert str(text) != english, f"{dataset.slug}: {english!r} has no Urdu"


@pytest.mark.parametrize(("slug", "extension"), [(s, e) for s in SLUGS for e in ("csv", "json")])
def test_a_file_downloaded_in_urdu_is_byte_for_byte_the_english_file(registry, slug, extension):
    english = Client().get(file_url(slug, extension))
    urdu = urdu_client().get(file_url(slug, extension))

    assert urdu.status_code == english.status_code == 200
    assert urdu.content == english.content
    for header in ("Content-Type", "Content-Disposition", "Content-Language", "Last-Modified"):
        assert urdu[header] == english[header], header
    assert urdu["Content-Language"] == "en"
    dataset = open_data.DATASETS[slug]
    if extension == "csv":
        header_row = next(csv.reader(io.StringIO(urdu.content.decode("utf-8-sig"))))
        assert header_row == dataset.column_names
    else:
        body = json.loads(urdu.content)
        with translation.override("en"):
            assert body["title"] == str(dataset.title)
        assert [column["name"] for column in body["columns"]] == dataset.column_names
        zone_name = next(
            c for c in body["columns"] if c["name"] in ("name", "zone_name", "section")
        )
        assert zone_name["description"].isascii()


# --- Query counts -------------------------------------------------------------------------------


def grow(registry, n):
    for _ in range(n):
        zone = ZoneFactory()
        enterprise = EnterpriseFactory(zone=zone)
        PledgeFactory(zone=zone)
        accepted_return(enterprise)


@pytest.mark.parametrize(("slug", "extension"), [(s, e) for s in SLUGS for e in ("csv", "json")])
def test_file_queries_do_not_grow_with_the_rows(
    client, registry, django_assert_max_num_queries, slug, extension
):
    grow(registry, 20)
    with django_assert_max_num_queries(40):
        assert client.get(file_url(slug, extension)).status_code == 200


def test_page_queries_do_not_grow_with_the_rows(client, registry, django_assert_max_num_queries):
    with django_assert_max_num_queries(120) as small:
        client.get(reverse("public:open-data"))
    grow(registry, 20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("public:open-data"))
