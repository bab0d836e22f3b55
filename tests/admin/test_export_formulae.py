"""Admin exports never carry a live spreadsheet formula (CSV injection), in every format.

Names like these arrive through the public form and the API; opened in a spreadsheet, they
must show as the text that was typed.
"""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django import forms
from django.contrib import admin
from django.urls import reverse

from companies.models import Company
from core.export_formats import neutralise_formula
from tests.factories import CompanyFactory, PledgeFactory, ZoneFactory
from zones.models import Zone

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example","x")',
    "@SUM(1+1)",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
]


def export(client, model, format_name):
    url_name = f"admin:{model._meta.app_label}_{model._meta.model_name}_export"
    page = client.get(reverse(url_name))
    fields = {
        name: "on"
        for name, field in page.context["form"].fields.items()
        if isinstance(field, forms.BooleanField)
    }
    names = [fmt.__name__ for fmt in admin.site._registry[model].get_export_formats()]
    response = client.post(reverse(url_name), {**fields, "format": str(names.index(format_name))})
    assert response.status_code == 200
    return response.content


@pytest.fixture
def hostile_companies(db):
    return [CompanyFactory(name=name) for name in HOSTILE]


@pytest.mark.parametrize(("format_name", "delimiter"), [("CSV", ","), ("TSV", "\t")])
def test_text_exports_neutralise_formula_names(
    client, staff_user, hostile_companies, format_name, delimiter
):
    client.force_login(staff_user)
    body = export(client, Company, format_name).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body), delimiter=delimiter))
    names = {row["name"] for row in rows}
    assert names == {"'" + name for name in HOSTILE}
    cells = [cell for row in rows for cell in row.values()]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "@")]


def test_xlsx_export_writes_formula_names_as_text_cells(client, staff_user, hostile_companies):
    client.force_login(staff_user)
    book = openpyxl.load_workbook(io.BytesIO(export(client, Company, "XLSX")))
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    column = header.index("name")
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    assert {cell.value for cell in cells} == {"'" + name for name in HOSTILE}
    assert {cell.data_type for cell in cells} == {"s"}  # text, never "f" (formula)
    every_cell = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in every_cell if cell.data_type == "f"]


def test_numbers_and_ordinary_text_are_left_alone(client, staff_user):
    zone = ZoneFactory(
        name="Karachi Technology Zone", slug="karachi", latitude=Decimal("-6.2"), longitude=106
    )
    PledgeFactory(zone=zone)
    client.force_login(staff_user)
    book = openpyxl.load_workbook(io.BytesIO(export(client, Zone, "XLSX")))
    rows = list(book.active.values)
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["name"] == "Karachi Technology Zone"
    assert record["slug"] == "karachi"
    assert Decimal(record["latitude"]) == Decimal("-6.2")  # a signed number, not a formula


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("\t=1+1", "'\t=1+1"),
        ("Acme = good", "Acme = good"),
        ("", ""),
        ("-6.2", "-6.2"),
        ("+92", "+92"),
        ("-1e5", "-1e5"),
        ("+92 21 1234567", "'+92 21 1234567"),
        (-5, -5),
        (None, None),
    ],
)
def test_neutralise_formula(value, expected):
    assert neutralise_formula(value) == expected
