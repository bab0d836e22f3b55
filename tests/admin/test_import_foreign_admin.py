"""The admin's Import page reads the foreign layouts that `import_records` reads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from companies.models import Company
from tests.admin.test_import import KEK_FILE
from zones.models import Sector, Zone, ZoneDeveloper

pytestmark = pytest.mark.django_db


def upload(client, url_name, name, content):
    return client.post(
        reverse(url_name),
        {
            "import_file": SimpleUploadedFile(name, content, "text/csv"),
            "resource": "0",
            "format": "0",
        },
    )


def test_kek_file_previews_in_the_admin_and_keeps_nothing_until_confirmed(client, data_entry_user):
    client.force_login(data_entry_user)
    response = upload(client, "admin:zones_zone_import", KEK_FILE.name, KEK_FILE.read_bytes())
    assert response.status_code == 200
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 25
    assert response.context["confirm_form"] is not None
    # The preview is a dry run: the developers and sectors it needed were rolled back too.
    assert not Zone.objects.exists()
    assert not ZoneDeveloper.objects.exists()
    assert not Sector.objects.exists()


def test_kek_file_confirmed_in_the_admin_imports_developers_sectors_and_zones(
    client, data_entry_user
):
    client.force_login(data_entry_user)
    preview = upload(client, "admin:zones_zone_import", KEK_FILE.name, KEK_FILE.read_bytes())
    confirm = preview.context["confirm_form"]
    response = client.post(reverse("admin:zones_zone_process_import"), confirm.initial)
    assert response.status_code == 302
    assert Zone.objects.filter(country="ID").count() == 25
    assert ZoneDeveloper.objects.count() == 25
    assert Zone.objects.get(slug="bumi-serpong-damai").developer.name == "PT Surya Inter Wisesa"
    assert Zone.history.first().history_user == data_entry_user


def test_file_without_the_key_column_is_a_clear_error_not_a_traceback(client, data_entry_user):
    client.force_login(data_entry_user)
    response = upload(
        client, "admin:zones_zone_import", "zones.csv", b"name,city\nSomewhere,Karachi\n"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "The file has no “slug” column" in body
    assert "Traceback" not in body and "site-packages" not in body
    assert response.context.get("confirm_form") is None
    assert not Zone.objects.exists()


def test_foreign_file_of_another_kind_is_refused_by_name(client, data_entry_user):
    client.force_login(data_entry_user)
    response = upload(
        client,
        "admin:companies_company_import",
        KEK_FILE.name,
        KEK_FILE.read_bytes(),
    )
    body = response.content.decode()
    assert "imports as zones, not companies" in body
    assert "Traceback" not in body
    assert not Company.objects.exists() and not Zone.objects.exists()


@pytest.mark.parametrize(
    ("url_name", "export_only"),
    [
        ("admin:zones_zone_import", ("pledged_usd", "realized_usd")),
        (
            "admin:companies_company_import",
            ("pledged_usd", "realized_usd", "pledge_count", "registration_count"),
        ),
    ],
)
def test_import_page_does_not_offer_export_only_columns(
    client, data_entry_user, url_name, export_only
):
    client.force_login(data_entry_user)
    response = client.get(reverse(url_name))
    (_, columns), *_ = response.context["fields_list"]
    assert "name" in columns
    assert not set(export_only) & set(columns)
