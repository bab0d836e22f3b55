"""How amounts read on staff pages: currency first, thousands separated, no stray cents."""

from decimal import Decimal

Amount = Decimal | int | float | str | None


def money(amount: Amount, currency: str = "USD", *, places: int = 0) -> str:
    """`2500000` → "US$2,500,000"; other currencies lead with their ISO code ("PKR 12,000").

    Whole units are enough for planning figures; pass `places=2` where cents matter. A missing
    amount is a dash, so a blank cell is never mistaken for zero.
    """
    if amount is None or amount == "":
        return "—"
    value = Decimal(amount).quantize(Decimal(1).scaleb(-places))
    figure = f"{value:,.{places}f}"
    if figure.startswith("-"):
        sign, figure = "−", figure[1:]
    else:
        sign = ""
    prefix = "US$" if currency == "USD" else f"{currency} "
    return f"{sign}{prefix}{figure}"


def usd(amount: Amount, *, places: int = 0) -> str:
    return money(amount, "USD", places=places)
