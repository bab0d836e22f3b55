"""Bar-chart arithmetic shared by the public pages and the admin dashboard."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

Number = Decimal | float | int


def percent(part: Number, whole: Number, *, places: int = 1) -> float:
    """`part` as a percentage of `whole` (0 when there is no whole)."""
    return round(float(part) * 100 / float(whole), places) if whole else 0


def bar_rows(pairs: Iterable[tuple[Any, Number]]) -> list[dict[str, Any]]:
    """[(label, value)] → rows with each bar's length as a share of the longest bar."""
    pairs = list(pairs)
    largest = max((value for _, value in pairs), default=0) or 1
    return [
        {"label": label, "value": value, "percent": percent(value, largest)}
        for label, value in pairs
    ]


def progress_percent(share: Decimal | float | None) -> float:
    """How much of a progress bar to fill: the share reached, capped at a full bar."""
    if share is None:
        return 0
    return min(float(share), 100.0)
