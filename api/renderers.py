import csv
import io

from rest_framework import renderers


class ReportCSVRenderer(renderers.BaseRenderer):
    """A report as one CSV table: a `section` column, then the union of every section's columns.

    Each list section (`by_zone`, `by_quarter` …) gives one row per entry, each dict
    section (`totals`) one row; a spreadsheet filter on `section` recovers each table.
    The `filters` echo is left out: the caller knows what it asked for.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"
    skipped_sections = ("filters",)

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if not isinstance(data, dict):
            return b""
        rows = []
        for section, content in data.items():
            if section in self.skipped_sections:
                continue
            entries = content if isinstance(content, list) else [content]
            rows.extend(
                {"section": section, **entry} for entry in entries if isinstance(entry, dict)
            )
        columns = list(dict.fromkeys(column for row in rows for column in row))
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows({key: cell(value) for key, value in row.items()} for row in rows)
        return buffer.getvalue().encode(self.charset)


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """A CSV cell; text a spreadsheet would run as a formula is defused with a leading '."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        try:
            float(value)  # a negative number is data, not a formula
        except ValueError:
            return "'" + value
    return value
