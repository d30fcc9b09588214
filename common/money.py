"""Money helpers: one currency, one precision, one rounding rule, splits that add up."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import pgettext
from djmoney.money import Money

CURRENCY = "EUR"
CENT = Decimal("0.01")


def round_cents(amount) -> Decimal:
    """Round half-up to the cent (the rule Italian invoices and banks use)."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def eur(amount) -> Money:
    """A Money in EUR, rounded to the cent, from a Decimal, int, numeric string or EUR Money.

    Refuses floats (they lose cents) and Money in another currency: relabelling 100 USD as
    100 EUR would be a silent conversion at a rate of 1. A zero is always +0.00, never the
    "-0.00" that negating an empty balance gives.
    """
    if isinstance(amount, float):
        raise TypeError("Money from a float would lose cents; pass a Decimal or a string.")
    if isinstance(amount, Money):
        if str(amount.currency) != CURRENCY:
            raise ValueError(
                f"{amount.amount} {amount.currency} is not an amount in {CURRENCY}; "
                "convert it explicitly, at a stated rate, before treating it as euros."
            )
        amount = amount.amount
    value = round_cents(amount)
    if value == 0:
        value = abs(value)  # Decimal("-0.00") → Decimal("0.00")
    return Money(value, CURRENCY)


ZERO = Money(Decimal("0.00"), CURRENCY)


def money_format(value) -> str:
    """An amount in euros as the reader's language writes it: “-3.315,00 €” in Italian,
    “-€3,315.00” in English. The one way the project shows money, in pages and in messages.

    Digits come from Django's number formatting for the active language, grouped always
    (USE_THOUSAND_SEPARATOR stays off so years and ids are never grouped); where the sign and
    the € go is a translation. Rounded half-up to the cent; a zero is never “-0,00 €”.
    """
    if isinstance(value, float):
        raise TypeError("Money from a float would lose cents; pass a Decimal or a string.")
    amount = round_cents(value.amount if isinstance(value, Money) else value)
    if amount == 0:
        amount = abs(amount)  # Decimal keeps the sign of -0.00; nobody owes minus nothing
    digits = number_format(abs(amount), decimal_pos=2, use_l10n=True, force_grouping=True)
    # Translators: how an amount of money is written; keep %(sign)s right before the digits
    # or the €, and use a non-breaking space if a space separates digits and €.
    pattern = pgettext("money", "%(sign)s€%(amount)s")
    return pattern % {"sign": "-" if amount < 0 else "", "amount": digits}


def split_by_weights(total: Money, weights: list) -> list[Money]:
    """Split `total` in proportion to `weights`; the parts add up exactly to the total.

    Every part is rounded down to the cent, then the cents left over go, one each, to the parts
    with the largest remainders (largest remainder method), so no cent is lost or invented.
    """
    if not weights:
        raise ValueError("Nothing to split into.")
    weights = [Decimal(w) for w in weights]
    if any(w < 0 for w in weights) or sum(weights) == 0:
        raise ValueError("Weights must be non-negative and not all zero.")
    total_cents = int(round_cents(total.amount) * 100)
    weight_sum = sum(weights)
    exact = [Decimal(total_cents) * w / weight_sum for w in weights]
    floors = [int(x) for x in exact]  # toward zero, also right for negative totals
    left = total_cents - sum(floors)
    step = 1 if left >= 0 else -1
    order = sorted(range(len(exact)), key=lambda i: abs(exact[i] - floors[i]), reverse=True)
    for i in order[: abs(left)]:
        floors[i] += step
    return [Money(Decimal(c) / 100, total.currency).round(2) for c in floors]


def split_evenly(total: Money, parts: int) -> list[Money]:
    """Split `total` into `parts` near-equal amounts that add up exactly; earlier parts get
    the extra cents (so the last instalment of a plan is never the bigger one)."""
    if parts < 1:
        raise ValueError("Split into at least one part.")
    total_cents = int(round_cents(total.amount) * 100)
    base, extra = divmod(total_cents, parts)
    return [
        Money(Decimal(base + (1 if i < extra else 0)) / 100, total.currency).round(2)
        for i in range(parts)
    ]
