"""Statistical disclosure control for figures drawn from annual returns.

A figure aggregated over one or two enterprises is in effect that enterprise's return, which is
never public and never goes to partners. Public and partner output therefore blanks the figures
of any group of fewer than MIN_ENTERPRISES enterprises (primary suppression) and, where only one
group of a total is blanked, the next smallest too, so that it cannot be recovered by
subtracting the others from the total (secondary suppression). Staff see every figure.
"""

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from typing import Any

MIN_ENTERPRISES = 3

Row = dict[str, Any]


def is_disclosive(enterprise_count: int) -> bool:
    return 0 < enterprise_count < MIN_ENTERPRISES


def blank(row: Row, figures: Iterable[str]) -> Row:
    return {**row, **dict.fromkeys(figures, None), "suppressed": True}


def suppress(
    rows: list[Row],
    *,
    figures: tuple[str, ...],
    count_key: str = "enterprise_count",
    total_group: Callable[[Row], Hashable] | None = None,
) -> list[Row]:
    """`rows` with disclosive figures blanked; each row gains `suppressed`.

    `total_group` names the total that rows add up to (e.g. the fiscal year for rows by zone
    and year); within each, a lone blanked row takes the next smallest row with it.
    """
    out = [
        blank(row, figures) if is_disclosive(row[count_key]) else {**row, "suppressed": False}
        for row in rows
    ]
    if total_group is None:
        return out
    groups: dict[Hashable, list[int]] = defaultdict(list)
    for index, row in enumerate(out):
        groups[total_group(row)].append(index)
    for indexes in groups.values():
        hidden = [i for i in indexes if out[i]["suppressed"]]
        shown = [i for i in indexes if not out[i]["suppressed"] and out[i][count_key]]
        if len(hidden) == 1 and shown:
            smallest = min(shown, key=lambda i: out[i][count_key])
            out[smallest] = blank(out[smallest], figures)
    return out
