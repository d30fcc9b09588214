"""Field helpers shared by the eviction models."""

from djmoney.models.fields import MoneyField
from djmoney.models.validators import MinMoneyValidator


def money(label, **kwargs):
    """A euro amount that is never negative."""
    return MoneyField(
        label,
        max_digits=12,
        decimal_places=2,
        default_currency="EUR",
        validators=[MinMoneyValidator(0)],
        **kwargs,
    )
