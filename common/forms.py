"""Form pieces every app uses: a euro amount as one number box, a date picker."""

from decimal import Decimal

from django import forms
from djmoney.money import Money

from common.money import eur

# The browser's date picker, with the ISO value it expects (Django copies it per field).
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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
