"""Pakistan's fiscal year runs July to June and is labelled by both calendar years: 2025-26."""

import datetime
import re

FISCAL_YEAR_REGEX = r"^[0-9]{4}-[0-9]{2}$"
_LABEL = re.compile(r"([0-9]{4})-([0-9]{2})")


def fiscal_year_label(start_year: int) -> str:
    # Four digits always, so that labels sort as the years do.
    return f"{start_year:04d}-{(start_year + 1) % 100:02d}"


def fiscal_year_start_year(label: str) -> int:
    """The calendar year a label's fiscal year starts in; ValueError for a malformed label."""
    match = _LABEL.fullmatch(label or "")
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValueError(f"“{label}” is not a fiscal year: write it as 2025-26.")
    return int(match[1])


def fiscal_year_of(day: datetime.date) -> str:
    return fiscal_year_label(day.year if day.month >= 7 else day.year - 1)


def fiscal_year_bounds(label: str) -> tuple[datetime.date, datetime.date]:
    start = fiscal_year_start_year(label)
    return datetime.date(start, 7, 1), datetime.date(start + 1, 6, 30)
