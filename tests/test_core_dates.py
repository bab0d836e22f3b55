import datetime

import pytest

from core.dates import years_after

D = datetime.date


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (D(2025, 9, 1), 10, D(2035, 9, 1)),
        (D(2024, 2, 29), 30, D(2054, 2, 28)),  # generate_data failed on this lease
        (D(2024, 2, 29), 4, D(2028, 2, 29)),
        (D(2028, 2, 29), 1, D(2029, 2, 28)),
    ],
)
def test_years_after(day, years, expected):
    assert years_after(day, years) == expected
