"""Admin export formats (django-import-export) that never write a live spreadsheet formula.

Company and contact names arrive from the public form and the API, so a name such as
`=HYPERLINK("http://evil.example","x")` would otherwise open in Excel or LibreOffice as a working
formula (CSV injection). Every text cell that starts with a character a spreadsheet reads as a
formula (`=`, `+`, `-`, `@`, tab, carriage return) is written with a leading apostrophe, as
OWASP recommends, so it shows as the text that was typed. Signed numbers stay as they are.

django-import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT (4.4) removes only a leading
`=` and turns every cell, numbers included, into text, so it is not used (docs/adr/0102).
"""

import re
from typing import Any

import tablib
from import_export.formats import base_formats

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# django-import-export writes numbers as text; a signed number ("-6.2", a latitude) is not a
# formula and must survive a round trip through export and import unchanged.
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?([eE][+-]?\d+)?")


def neutralise_formula(value: Any) -> Any:
    """`value`, with a text that a spreadsheet would run as a formula made inert."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_TRIGGERS)
        and not PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def neutralised(dataset: tablib.Dataset) -> tablib.Dataset:
    """A copy of the tablib dataset with every formula-like text cell neutralised."""
    copy = dataset.__class__(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        copy.append([neutralise_formula(cell) for cell in row])
    return copy


class FormulaSafeMixin:
    def export_data(self, dataset: tablib.Dataset, **kwargs: Any) -> Any:
        return super().export_data(neutralised(dataset), **kwargs)  # type: ignore[misc]  # mixin over a format class


class CSV(FormulaSafeMixin, base_formats.CSV):
    pass


class TSV(FormulaSafeMixin, base_formats.TSV):
    pass


class XLSX(FormulaSafeMixin, base_formats.XLSX):
    pass


# The formats the admin offered before, in the same order (CSV first), spreadsheets made safe;
# JSON, YAML and HTML are not evaluated by a spreadsheet.
EXPORT_FORMATS = [CSV, XLSX, TSV, base_formats.JSON, base_formats.YAML, base_formats.HTML]
