"""Foreign files mapped onto the registry's own import columns.

A foreign file is never imported by a resource of its own: it is rewritten, column by column,
into the registry's native layouts (zones/resources.py, companies/resources.py), which then
import it with all their checks. Each format yields the steps to run in order, inside one
transaction: e.g. the KEK list becomes sectors, then developers, then zones.

The same mapping runs in the admin's Import page (`ForeignLayoutImportMixin`) and in
`manage.py import_records`. The two worked examples are the files in programme/data (see
docs/admin.md):

* `kek` — Indonesia's special economic zones (indonesia-kek-zones.csv);
* `sp500` — the S&P 500 constituents (sp500-companies.csv), as global companies.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import tablib
from django.db import transaction
from django.utils.text import slugify

from companies.resources import CompanyResource
from zones.resources import SectorResource, ZoneDeveloperResource, ZoneResource

MICRODEGREE = Decimal("0.000001")  # Zone.latitude/longitude keep six decimal places
CENTI = Decimal("0.01")  # Zone.area_hectares keeps two

# KEK portal status → zone status. The file we hold says "Active" for every zone; the others
# are the portal's remaining states. Anything else is left as it is, so the zone importer
# refuses the row with "Unknown status" instead of guessing.
KEK_STATUS = {
    "active": "operational",
    "operating": "operational",
    "operational": "operational",
    "under construction": "under_development",
    "development": "under_development",
    "proposed": "proposed",
    "approved": "approved",
    "suspended": "suspended",
    "revoked": "cancelled",
    "cancelled": "cancelled",
}


@dataclass(frozen=True)
class ImportStep:
    """One native import: a resource and the rows rewritten into its columns."""

    label: str
    resource_class: type
    dataset: tablib.Dataset


@dataclass(frozen=True)
class ForeignFormat:
    name: str
    kind: str  # the native kind the file feeds: "zones" or "companies"
    description: str
    signature: frozenset  # headers that identify the file
    to_steps: object  # callable(tablib.Dataset) -> list[ImportStep]

    def matches(self, headers) -> bool:
        return self.signature <= {header.strip() for header in headers or ()}


def _cell(row, column):
    value = row.get(column)
    return "" if value is None else str(value).strip()


def _rounded(value, step):
    """A decimal cell rounded to what the model keeps; unparseable text is passed on as is."""
    if not value:
        return ""
    try:
        return str(Decimal(value).quantize(step))
    except InvalidOperation:
        return value  # the native importer names the cell and the reason


def _dataset(headers, rows):
    dataset = tablib.Dataset(headers=list(headers))
    for row in rows:
        dataset.append([row.get(header, "") for header in headers])
    return dataset


def _unique(rows, key):
    """Rows with distinct `key`, first occurrence kept, order kept."""
    seen = {}
    for row in rows:
        seen.setdefault(row[key].lower(), row)
    return list(seen.values())


def kek_steps(dataset: tablib.Dataset) -> list[ImportStep]:
    """Indonesia's KEK list → sectors (from `category`), developers, zones."""
    source = [dict(zip(dataset.headers, row, strict=False)) for row in dataset]
    sectors, developers, zones = [], [], []
    for row in source:
        category = _cell(row, "category")
        developer = _cell(row, "developer")
        vintage = _cell(row, "data_vintage")
        if category:
            sectors.append({"name": category, "slug": slugify(category)})
        if developer:
            developers.append(
                {
                    "slug": slugify(developer),
                    "name": developer,
                    "legal_name": developer,
                    "country": "ID",
                    "description": "Developer of an Indonesian special economic zone (KEK); "
                    "imported from the KEK portal list.",
                }
            )
        zones.append(
            {
                "slug": _cell(row, "kek_id"),
                "name": _cell(row, "kek_name"),
                "developer": slugify(developer),
                # The list names no city; the province is the finest place it gives.
                "city": _cell(row, "province"),
                "province": _cell(row, "province"),
                "country": "ID",
                "latitude": _rounded(_cell(row, "latitude"), MICRODEGREE),
                "longitude": _rounded(_cell(row, "longitude"), MICRODEGREE),
                "area_hectares": _rounded(_cell(row, "area_ha"), CENTI),
                "status": KEK_STATUS.get(_cell(row, "status").lower(), _cell(row, "status")),
                "status_changed_on": vintage,
                # Unknown: the list says a zone is active, not since when.
                "actual_opening_date": "",
                "sectors": slugify(category),
                "description": (
                    "Indonesian special economic zone (KEK). "
                    f"Type: {_cell(row, 'kek_type') or '—'}; category: {category or '—'}; "
                    f"legal basis: {_cell(row, 'legal_basis') or '—'}. "
                    f"Status as listed by the KEK portal on {vintage or 'an unstated date'}."
                ),
            }
        )
    return [
        ImportStep("sectors", SectorResource, _dataset(("name", "slug"), _unique(sectors, "name"))),
        ImportStep(
            "developers",
            ZoneDeveloperResource,
            _dataset(
                ("slug", "name", "legal_name", "country", "description"),
                _unique(developers, "slug"),
            ),
        ),
        ImportStep(
            "zones",
            ZoneResource,
            _dataset(
                (
                    "slug",
                    "name",
                    "developer",
                    "city",
                    "province",
                    "country",
                    "latitude",
                    "longitude",
                    "area_hectares",
                    "status",
                    "status_changed_on",
                    "actual_opening_date",
                    "sectors",
                    "description",
                ),
                zones,
            ),
        ),
    ]


def sp500_steps(dataset: tablib.Dataset) -> list[ImportStep]:
    """The S&P 500 list → sectors (GICS sector), global companies headquartered in the US."""
    source = [dict(zip(dataset.headers, row, strict=False)) for row in dataset]
    sectors, companies = [], []
    for row in source:
        sector = _cell(row, "GICS Sector")
        if sector:
            sectors.append({"name": sector, "slug": slugify(sector)})
        facts = [
            f"S&P 500 constituent, ticker {_cell(row, 'Symbol') or '—'}",
            f"GICS sub-industry: {_cell(row, 'GICS Sub-Industry') or '—'}",
            f"headquarters: {_cell(row, 'Headquarters Location') or '—'}",
            f"SEC CIK {_cell(row, 'CIK') or '—'}",
            f"founded {_cell(row, 'Founded') or '—'}",
            f"in the index since {_cell(row, 'Date added') or '—'}",
        ]
        companies.append(
            {
                "name": _cell(row, "Security"),
                "origin": "global",
                "country": "US",
                "sector": sector,
                "description": "; ".join(facts) + ".",
            }
        )
    return [
        ImportStep("sectors", SectorResource, _dataset(("name", "slug"), _unique(sectors, "name"))),
        ImportStep(
            "companies",
            CompanyResource,
            _dataset(("name", "origin", "country", "sector", "description"), companies),
        ),
    ]


FOREIGN_FORMATS = {
    "kek": ForeignFormat(
        name="kek",
        kind="zones",
        description="Indonesia's special economic zones (KEK portal list)",
        signature=frozenset({"kek_id", "kek_name", "province", "developer", "status"}),
        to_steps=kek_steps,
    ),
    "sp500": ForeignFormat(
        name="sp500",
        kind="companies",
        description="S&P 500 constituents",
        signature=frozenset({"Symbol", "Security", "GICS Sector"}),
        to_steps=sp500_steps,
    ),
}


def detect_format(headers):
    """The foreign format whose signature columns the file carries, or None for a native file."""
    for foreign in FOREIGN_FORMATS.values():
        if foreign.matches(headers):
            return foreign
    return None


def describe_failures(step: ImportStep, result) -> list[str]:
    """One line per problem: step, row number (data rows, header not counted) and reason."""
    lines = [f"{step.label}: {error.error}" for error in result.base_errors]
    for number, errors in result.row_errors():
        for error in errors:
            lines.append(f"{step.label}, row {number}: {error.error}")
    for invalid in result.invalid_rows:
        for field, messages in invalid.field_specific_errors.items():
            lines.append(f"{step.label}, row {invalid.number}: {field}: {' '.join(messages)}")
        for message in invalid.non_field_specific_errors:
            lines.append(f"{step.label}, row {invalid.number}: {message}")
    return lines


class ImportFileRefused(ValueError):
    """A file the importer cannot read as a whole; the message says what to change."""


class ForeignLayoutImportMixin:
    """Lets a native resource take a foreign file too, as the admin's Import page does.

    Before the rows are read, a file in a known foreign layout runs its earlier steps (e.g. the
    KEK list's sectors and developers) and is rewritten in place into this resource's columns.
    django-import-export calls before_import() inside the import's transaction, so the
    preview's dry run rolls the earlier steps back with the rest and the confirmed import keeps
    all of them or nothing.
    """

    foreign_kind = None  # "zones" or "companies": which foreign formats this resource accepts

    def before_import(self, dataset, **kwargs):
        foreign = detect_format(dataset.headers)
        if foreign is not None:
            if foreign.kind != self.foreign_kind:
                raise ImportFileRefused(
                    f"This looks like the {foreign.description} file, which imports as "
                    f"{foreign.kind}, not {self.foreign_kind}."
                )
            self._run_foreign_steps(foreign, dataset, **kwargs)
        key_columns = [self.fields[name].column_name for name in self._meta.import_id_fields]
        missing = [column for column in key_columns if column not in (dataset.headers or ())]
        if missing:
            known = "; ".join(f.description for f in FOREIGN_FORMATS.values())
            raise ImportFileRefused(
                f"The file has no “{'”, “'.join(missing)}” column, which identifies each row. "
                f"Its columns are: {', '.join(dataset.headers or ['(none)'])}. Use the "
                f"registry's own columns (export a few rows to see them) or a known foreign "
                f"layout ({known})."
            )
        super().before_import(dataset, **kwargs)

    def _run_foreign_steps(self, foreign, dataset, **kwargs):
        *earlier, last = foreign.to_steps(dataset)
        for step in earlier:
            with transaction.atomic():
                result = step.resource_class().import_data(
                    step.dataset,
                    dry_run=False,
                    raise_errors=False,
                    use_transactions=True,
                    rollback_on_validation_errors=True,
                    user=kwargs.get("user"),
                    file_name=kwargs.get("file_name"),
                )
            if result.has_errors() or result.has_validation_errors():
                raise ImportFileRefused(
                    f"Read as the {foreign.description} file, its {step.label} could not be "
                    f"imported: " + "; ".join(describe_failures(step, result)[:10])
                )
        # The remaining step is this resource's own: its rows replace the foreign ones.
        dataset.wipe()
        dataset.headers = list(last.dataset.headers)
        for row in last.dataset:
            dataset.append(row)


class ZoneImportResource(ForeignLayoutImportMixin, ZoneResource):
    """Zones from the registry's own columns or from the KEK list (the admin's Import page)."""

    foreign_kind = "zones"


class CompanyImportResource(ForeignLayoutImportMixin, CompanyResource):
    """Companies from the registry's own columns or from the S&P 500 list."""

    foreign_kind = "companies"
