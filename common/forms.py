"""Form pieces every app uses: a euro amount as one number box, a date picker."""

from decimal import Decimal

from django import forms
from djmoney.money import Money

from common.money import eur


def DateInput():  # noqa: N802 - reads like the widget class it builds
    """The browser's date picker, with the ISO value it expects."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EuroField(forms.DecimalField):
    """An amount in euros: one number box (EUR is the only currency), cleaned to a Money."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("max_digits", 12)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("step", "0.01")

    def prepare_value(self, value):
        return value.amount if isinstance(value, Money) else value

    def clean(self, value):
        amount = super().clean(value)
        return None if amount is None else eur(amount)
