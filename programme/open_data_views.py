"""The open data page and its files: every dataset of programme.open_data as CSV and JSON."""

import csv
import io
import json

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_safe

from core.export_formats import neutralise_formula

from . import open_data

# Files are the same for everyone and change only with the data: a shared cache may keep them
# for a few minutes, and Last-Modified lets a client revalidate for the cost of a few queries.
FILE_MAX_AGE = 300
FORMATS = ("csv", "json")
FILE_LANGUAGE = "en"


def open_data_page(request):
    """Every dataset with its size, last update, files and data dictionary; the licence."""
    datasets = [
        {
            "dataset": dataset,
            "row_count": len(open_data.dataset_rows(dataset)),
            "last_updated": open_data.dataset_last_updated(dataset),
        }
        for dataset in open_data.DATASETS.values()
    ]
    return render(
        request,
        "public/open_data.html",
        {
            "datasets": datasets,
            "licence": open_data.LICENCE,
            "is_empty": not any(
                entry["row_count"] for entry in datasets if not entry["dataset"].is_report
            ),
        },
    )


def _dataset_or_404(dataset: str, extension: str) -> open_data.Dataset:
    found = open_data.dataset_get(dataset)
    if found is None or extension not in FORMATS:
        raise Http404("No such dataset or format: the open data page lists them.")
    return found


def _last_modified(request, dataset, extension):
    return open_data.dataset_last_updated(_dataset_or_404(dataset, extension))


@require_safe
@condition(last_modified_func=_last_modified)
def open_data_file(request, dataset, extension):
    """One dataset as a CSV or JSON download, revalidated against the data's last change."""
    found = _dataset_or_404(dataset, extension)
    rows = open_data.dataset_rows(found)
    filename = f"{found.slug}.{extension}"
    # Partners parse these files: the same English bytes whatever language the page is read in.
    with translation.override(FILE_LANGUAGE):
        if extension == "csv":
            response = HttpResponse(_csv(found, rows), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                _json(found, rows), content_type="application/json; charset=utf-8"
            )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Else LocaleMiddleware would label an Urdu reader's copy of the same English file "ur".
    response["Content-Language"] = FILE_LANGUAGE
    patch_cache_control(response, public=True, max_age=FILE_MAX_AGE)
    return response


def _csv(dataset: open_data.Dataset, rows: list[open_data.Row]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel reads Urdu and accented names correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(dataset.column_names)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row.values()])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    # A company name such as =HYPERLINK(...) must not run in a spreadsheet (docs/adr/0102).
    return neutralise_formula(open_data.json_value(value))


def _json(dataset: open_data.Dataset, rows: list[open_data.Row]) -> bytes:
    last_updated = open_data.dataset_last_updated(dataset)
    body = {
        "dataset": dataset.slug,
        "title": str(dataset.title),
        "licence": open_data.LICENCE,
        "last_updated": last_updated.isoformat() if last_updated else None,
        "columns": [
            {
                "name": column.name,
                "type": column.type,
                "description": str(column.description),
                "unit": str(column.unit),
                **({"sections": list(column.sections)} if column.sections else {}),
            }
            for column in dataset.columns
        ],
        "rows": [{key: open_data.json_value(value) for key, value in row.items()} for row in rows],
    }
    return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")
