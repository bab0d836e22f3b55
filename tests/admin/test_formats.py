from decimal import Decimal

import pytest

from core.formats import money, usd


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("2500000.00"), "US$2,500,000"),
        (Decimal("192000000.00"), "US$192,000,000"),
        (0, "US$0"),
        (Decimal("999.50"), "US$1,000"),
        (Decimal("-1500"), "−US$1,500"),
        (None, "—"),
    ],
)
def test_usd_reads_with_currency_and_thousands_separators(amount, expected):
    assert usd(amount) == expected


def test_other_currencies_lead_with_their_code_and_may_keep_cents():
    assert money(Decimal("1821950000.00"), "PKR") == "PKR 1,821,950,000"
    assert money(Decimal("12.5"), "EUR", places=2) == "EUR 12.50"
