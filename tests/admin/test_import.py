"""Imports: the admin's dry-run preview, the all-or-nothing rule, each failure mode, the shared
real-world files through `manage.py import_records`."""

import datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django import forms
from django.contrib import admin
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from import_export.tmp_storages import TempFolderStorage

from companies.models import Company
from investments.models import Pledge
from tests.factories import (
    CompanyFactory,
    ContactFactory,
    ExchangeRateFactory,
    PledgeFactory,
    ZoneDeveloperFactory,
    ZoneFactory,
)
from zones.models import Sector, Zone, ZoneDeveloper, ZoneStatusChange
from zones.services import zone_change_status

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "programme" / "data"
KEK_FILE = DATA / "indonesia-kek-zones.csv"
SP500_FILE = DATA / "sp500-companies.csv"

ZONE_HEADER = "slug,name,developer,city,province,country,latitude,longitude,status\n"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def import_file(kind, path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_records", kind, str(path), "-v", "0", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def failing_import(kind, path):
    """Run an import that must fail; return the problems it listed."""
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_records", kind, str(path), "-v", "0", stdout=StringIO(), stderr=err)
    return err.getvalue()


@pytest.fixture
def developer():
    return ZoneDeveloperFactory(slug="tpl-corp")


# --- failure modes: each lists the row and the reason, and nothing of the file is kept ----------


def test_bad_row_is_listed_with_its_number_and_nothing_is_imported(tmp_path, developer):
    path = write(
        tmp_path,
        "zones.csv",
        ZONE_HEADER
        + "good-zone,Good Zone,tpl-corp,Karachi,Sindh,PK,24.86,67.00,approved\n"
        + "bad-zone,Bad Zone,tpl-corp,Karachi,Sindh,PK,north,67.00,approved\n",
    )
    problems = failing_import("zones", path)
    assert "zones, row 2: latitude:" in problems
    assert not Zone.objects.exists()
    assert not ZoneStatusChange.objects.exists()


def test_blank_required_cell_is_refused(tmp_path, developer):
    path = write(
        tmp_path,
        "zones.csv",
        ZONE_HEADER + "no-city,No City,tpl-corp,,Sindh,PK,,,approved\n",
    )
    problems = failing_import("zones", path)
    assert "zones, row 1: city: This field cannot be blank." in problems
    assert not Zone.objects.exists()


def test_unknown_developer_is_refused(tmp_path):
    path = write(tmp_path, "zones.csv", ZONE_HEADER + "z,Z,nobody,Karachi,Sindh,PK,,,approved\n")
    assert "Unknown developer “nobody”" in failing_import("zones", path)


def test_unknown_status_is_refused(tmp_path, developer):
    path = write(tmp_path, "zones.csv", ZONE_HEADER + "z,Z,tpl-corp,Karachi,Sindh,PK,,,open\n")
    assert "status: Unknown status “open”" in failing_import("zones", path)


def test_duplicate_slug_within_a_file_is_refused(tmp_path, developer):
    path = write(
        tmp_path,
        "zones.csv",
        ZONE_HEADER
        + "twin,Twin One,tpl-corp,Karachi,Sindh,PK,,,approved\n"
        + "twin,Twin Two,tpl-corp,Lahore,Punjab,PK,,,approved\n",
    )
    problems = failing_import("zones", path)
    assert "zones, row 2: slug: Duplicate: row 1 of this file already has “twin”." in problems
    assert not Zone.objects.exists()


def test_duplicate_company_spellings_within_a_file_are_refused(tmp_path):
    path = write(
        tmp_path,
        "companies.csv",
        "name,origin,country\nAcme Ltd,domestic,PK\nACME (Pvt.) Limited,domestic,PK\n",
    )
    problems = failing_import("companies", path)
    assert "companies, row 2: name: Duplicate: row 1" in problems
    assert not Company.objects.exists()


def test_company_already_registered_under_another_spelling_is_updated_not_duplicated(tmp_path):
    CompanyFactory(name="Acme Ltd", origin="domestic")
    path = write(tmp_path, "companies.csv", "name,origin,country\nACME Limited,global,US\n")
    import_file("companies", path)
    company = Company.objects.get()
    assert (company.origin, str(company.country)) == ("global", "US")


PLEDGE_HEADER = "company,zone,amount,currency,pledged_on,status\n"


@pytest.fixture
def pledge_targets():
    CompanyFactory(name="Systems Ltd")
    ZoneFactory(slug="karachi")
    ExchangeRateFactory(currency="PKR", date=datetime.date(2026, 1, 1))


def test_unknown_zone_is_refused(tmp_path, pledge_targets):
    path = write(
        tmp_path,
        "pledges.csv",
        PLEDGE_HEADER
        + "Systems Ltd,karachi,1000,USD,2026-03-01,announced\n"
        + "Systems Ltd,atlantis,1000,USD,2026-03-01,announced\n",
    )
    problems = failing_import("pledges", path)
    assert "pledges, row 2: zone: Unknown zone “atlantis”." in problems
    assert not Pledge.objects.exists()


def test_pledge_id_that_matches_no_pledge_is_refused(tmp_path, pledge_targets):
    path = write(
        tmp_path,
        "pledges.csv",
        "id," + PLEDGE_HEADER + "987654,Systems Ltd,karachi,1000,USD,2026-03-01,announced\n",
    )
    assert "id: No pledge has id 987654" in failing_import("pledges", path)
    assert not Pledge.objects.exists()


def test_unknown_company_is_refused(tmp_path, pledge_targets):
    path = write(
        tmp_path,
        "pledges.csv",
        PLEDGE_HEADER + "Nobody Inc,karachi,1000,USD,2026-03-01,announced\n",
    )
    assert "company: Unknown company “Nobody Inc”." in failing_import("pledges", path)


@pytest.mark.parametrize(
    ("currency", "reason"),
    [
        ("EUR", "No EUR exchange rate on or before 2026-03-01"),
        ("PKR", "No PKR exchange rate on or before 2025-03-01"),  # the only rate is later
        ("US$", "Currency “US$” is not a three-letter ISO 4217 code."),
        ("dollars", "is not a three-letter ISO 4217 code"),
    ],
)
def test_wrong_currency_is_refused(tmp_path, pledge_targets, currency, reason):
    pledged_on = "2025-03-01" if currency == "PKR" else "2026-03-01"
    path = write(
        tmp_path,
        "pledges.csv",
        PLEDGE_HEADER + f"Systems Ltd,karachi,1000,{currency},{pledged_on},announced\n",
    )
    problems = failing_import("pledges", path)
    assert "pledges, row 1: currency:" in problems
    assert reason in problems
    assert not Pledge.objects.exists()


def test_blank_pledge_amount_is_refused(tmp_path, pledge_targets):
    path = write(
        tmp_path, "pledges.csv", PLEDGE_HEADER + "Systems Ltd,karachi,,USD,2026-03-01,announced\n"
    )
    assert "pledges, row 1: amount:" in failing_import("pledges", path)


def test_zone_status_in_a_file_obeys_the_rollout_rules(tmp_path, developer):
    zone = ZoneFactory(slug="approved-zone", developer=developer, status="proposed")
    zone_change_status(zone=zone, status="approved", changed_on=datetime.date(2026, 1, 1))
    path = write(
        tmp_path,
        "zones.csv",
        ZONE_HEADER + "approved-zone,Approved Zone,tpl-corp,Karachi,Sindh,PK,,,operational\n",
    )
    assert "cannot become operational" in failing_import("zones", path)
    zone.refresh_from_db()
    assert (zone.status, zone.status_changes.count()) == ("approved", 1)


# --- what succeeds ---------------------------------------------------------------------------


def test_pledges_import_through_the_services(tmp_path, pledge_targets):
    path = write(
        tmp_path,
        "pledges.csv",
        PLEDGE_HEADER + "systems limited,karachi,2800000,pkr,2026-03-01,committed\n",
    )
    import_file("pledges", path)
    pledge = Pledge.objects.get()
    assert (pledge.company.name, pledge.currency, pledge.status) == (
        "Systems Ltd",
        "PKR",
        "committed",
    )
    assert pledge.amount_usd == Decimal("10000.00")


def test_pledge_row_with_an_id_updates_that_pledge(tmp_path, pledge_targets):
    pledge = PledgeFactory(company=Company.objects.get(), zone=Zone.objects.get())
    path = write(
        tmp_path,
        "pledges.csv",
        "id," + PLEDGE_HEADER + f"{pledge.pk},Systems Ltd,karachi,1500,USD,2026-03-01,committed\n",
    )
    import_file("pledges", path)
    pledge.refresh_from_db()
    assert (pledge.amount, pledge.amount_usd, pledge.status) == (
        Decimal("1500"),
        Decimal("1500"),
        "committed",
    )
    assert Pledge.objects.count() == 1


def test_dry_run_checks_everything_and_keeps_nothing(tmp_path, developer):
    path = write(tmp_path, "zones.csv", ZONE_HEADER + "z,Z,tpl-corp,Karachi,Sindh,PK,,,approved\n")
    out, _ = import_file("zones", path, "--dry-run")
    assert "Checked (dry run, nothing kept) zones: 1 new" in out
    assert not Zone.objects.exists()


def test_missing_file_and_wrong_kind_are_clear_errors(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_records", "zones", str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match="imports as zones, not companies"):
        call_command("import_records", "companies", str(KEK_FILE), stdout=StringIO())


# --- the shared real files ---------------------------------------------------------------------


def test_indonesian_zone_list_imports_whole(tmp_path):
    out, _ = import_file("zones", KEK_FILE)
    assert "Imported zones: 25 new" in out
    assert Zone.objects.count() == 25
    assert ZoneDeveloper.objects.count() == 25
    assert all(zone.developer_id for zone in Zone.objects.all())
    assert Zone.objects.filter(area_hectares__isnull=True).count() == 2
    assert set(Zone.objects.values_list("country", flat=True)) == {"ID"}
    assert set(Zone.objects.values_list("status", flat=True)) == {"operational"}
    # Status and history agree, and no opening date is invented.
    assert ZoneStatusChange.objects.filter(status="operational").count() == 25
    assert not Zone.objects.filter(actual_opening_date__isnull=False).exists()
    batang = Zone.objects.get(slug="bumi-serpong-damai")
    assert batang.name == "Banten International Education, Technology, and Health"
    assert batang.developer.name == "PT Surya Inter Wisesa"
    assert batang.latitude == Decimal("-6.308799")
    assert list(batang.sectors.values_list("name", flat=True)) == ["Service"]

    # A second run changes nothing and adds no history.
    history_rows = Zone.history.count()
    out, _ = import_file("zones", KEK_FILE)
    assert "Imported zones: 0 new, 0 updated, 25 unchanged." in out
    assert Zone.history.count() == history_rows


def test_sp500_list_imports_as_503_global_companies(tmp_path):
    out, _ = import_file("companies", SP500_FILE)
    assert "Imported companies: 503 new" in out
    assert Company.objects.filter(origin="global", country="US").count() == 503
    share_classes = set(
        Company.objects.filter(name__contains="(Class").values_list("name", flat=True)
    )
    assert share_classes == {
        "Alphabet Inc. (Class A)",
        "Alphabet Inc. (Class C)",
        "Fox Corporation (Class A)",
        "Fox Corporation (Class B)",
        "News Corp (Class A)",
        "News Corp (Class B)",
    }
    assert Sector.objects.count() == 11
    three_m = Company.objects.get(name="3M")
    assert three_m.sector.name == "Industrials"
    assert "ticker MMM" in three_m.description


# --- the admin: dry-run preview, confirm, all or nothing ----------------------------------------


def csv_format_index(model):
    formats = admin.site._registry[model].get_import_formats()
    return str([fmt.__name__ for fmt in formats].index("CSV"))


def upload(client, model, url_name, text):
    return client.post(
        reverse(url_name),
        {
            "import_file": SimpleUploadedFile("file.csv", text.encode(), "text/csv"),
            "format": csv_format_index(model),
        },
    )


def test_admin_preview_lists_every_bad_row_and_offers_no_confirm(
    client, data_entry_user, developer
):
    client.force_login(data_entry_user)
    response = upload(
        client,
        Zone,
        "admin:zones_zone_import",
        ZONE_HEADER
        + "ok,OK,tpl-corp,Karachi,Sindh,PK,,,approved\n"
        + "no-city,No City,tpl-corp,,Sindh,PK,,,approved\n"
        + "ok,OK again,tpl-corp,Karachi,Sindh,PK,,,approved\n",
    )
    assert response.status_code == 200
    result = response.context["result"]
    assert [row.number for row in result.invalid_rows] == [2, 3]
    content = response.content.decode()
    assert "This field cannot be blank." in content
    assert "Duplicate: row 1 of this file already has “ok”." in content
    assert response.context.get("confirm_form") is None
    assert not Zone.objects.exists()


def test_admin_import_of_a_good_file_previews_then_applies(client, data_entry_user, developer):
    client.force_login(data_entry_user)
    preview = upload(
        client,
        Zone,
        "admin:zones_zone_import",
        ZONE_HEADER + "new-zone,New Zone,tpl-corp,Karachi,Sindh,PK,,,approved\n",
    )
    assert not Zone.objects.exists()  # the preview is a dry run
    confirm = preview.context["confirm_form"]
    response = client.post(reverse("admin:zones_zone_process_import"), confirm.initial)
    assert response.status_code == 302
    zone = Zone.objects.get()
    assert zone.status == "approved"
    assert zone.status_changes.get().changed_by == data_entry_user
    assert zone.history.first().history_user == data_entry_user


def test_admin_confirm_step_keeps_nothing_when_the_file_fails_then(client, data_entry_user):
    """A file that passed its preview but fails when applied (data changed meanwhile)."""
    ZoneDeveloperFactory(slug="tpl-corp")
    storage = TempFolderStorage(encoding="utf-8", read_mode="r")
    storage.save(
        (
            ZONE_HEADER
            + "first,First,tpl-corp,Karachi,Sindh,PK,,,approved\n"
            + "second,Second,gone-developer,Karachi,Sindh,PK,,,approved\n"
        ).encode()
    )
    client.force_login(data_entry_user)
    response = client.post(
        reverse("admin:zones_zone_process_import"),
        {
            "import_file_name": storage.name,
            "original_file_name": "zones.csv",
            "format": csv_format_index(Zone),
            "resource": "0",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/import/")
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert any(message.startswith("Nothing was imported") for message in messages)
    assert not Zone.objects.exists()


def test_company_export_carries_no_contact_personal_data(client, analyst_user):
    contact = ContactFactory(email="private.person@company.example", phone="+92 300 0000000")
    client.force_login(analyst_user)
    page = client.get(reverse("admin:companies_company_export"))
    every_field = {
        name: "on"
        for name, field in page.context["form"].fields.items()
        if isinstance(field, forms.BooleanField)
    }
    response = client.post(
        reverse("admin:companies_company_export"), {**every_field, "format": "0"}
    )
    body = response.content.decode()
    assert contact.company.name in body
    assert "private.person" not in body and "0000000" not in body


def test_command_records_the_named_user_in_the_history(tmp_path, developer, data_entry_user):
    path = write(tmp_path, "zones.csv", ZONE_HEADER + "z,Z,tpl-corp,Karachi,Sindh,PK,,,approved\n")
    import_file("zones", path, "--user", "clerk")
    zone = Zone.objects.get()
    assert {record.history_user for record in zone.history.all()} == {data_entry_user}
    assert zone.status_changes.get().changed_by == data_entry_user


def test_command_refuses_an_unknown_user(tmp_path, developer):
    path = write(tmp_path, "zones.csv", ZONE_HEADER + "z,Z,tpl-corp,Karachi,Sindh,PK,,,approved\n")
    with pytest.raises(CommandError, match="No user named"):
        import_file("zones", path, "--user", "ghost")
    assert not Zone.objects.exists()
