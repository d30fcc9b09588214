"""Form pieces every app uses: a euro amount as one number box, a date picker, and the one
rule for numbers typed in a form (`DecimalNumberField`) and for dates (`PlausibleDateField`)."""

from decimal import Decimal
from functools import partial

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from djmoney.money import Money

from common.dates import DateError, DateKind, date_check
from common.exceptions import DomainError
from common.money import eur
from common.numbers import NumberError, decimal_check_size, decimal_parse

# Django's own words for an empty required field, kept in our catalogue: Django REST
# framework's app catalogue says "Campo obbligatorio." and, as an installed app, would put its
# wording on every form of the site; the project's catalogue comes before both.
FIELD_REQUIRED = gettext_noop("This field is required.")

# The browser's date picker, with the ISO value it expects (Django copies it per field).
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlausibleDateInput(forms.DateInput):
    """The date picker, offering only its kind's range (computed when the page is drawn)."""

    input_type = "date"

    def __init__(self, attrs=None, kind: DateKind | None = None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
        self.kind = kind

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.kind is not None:
            earliest, latest = self.kind.bounds()
            context["widget"]["attrs"].setdefault("min", earliest.isoformat())
            context["widget"]["attrs"].setdefault("max", latest.isoformat())
        return context


class PlausibleDateField(forms.DateField):
    """A date within its kind's range (common.dates): year 1 or 9999 is refused with a
    message that names the field and the range, as the services refuse it."""

    widget = PlausibleDateInput

    def __init__(self, *, kind: DateKind, **kwargs):
        widget = kwargs.get("widget")
        if widget is None or widget is DATE or isinstance(widget, type):
            kwargs["widget"] = PlausibleDateInput(kind=kind)
        super().__init__(**kwargs)
        self.kind = kind

    def validate(self, value):
        super().validate(value)
        try:
            date_check(value, kind=self.kind, label=str(self.label or ""))
        except DateError as error:
            raise forms.ValidationError(error.message, code=error.code) from error


def dated(kind: DateKind):
    """A ModelForm's `field_classes` entry: the model's date field, kept to `kind`."""
    return partial(PlausibleDateField, kind=kind)


class DecimalNumberField(forms.DecimalField):
    """A DecimalField that reads numbers one way (common.numbers): figures only, never NaN,
    Infinity or exponents, and never more digits than the field holds, each refused with a
    message that says what is wrong. A localized field (a text box) reads Italian numbers,
    "1.200,50"; otherwise (a number box) the browser's "1200.50"."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return None
        try:
            number = decimal_parse(value, italian=self.localize)
            decimal_check_size(
                number, max_digits=self.max_digits, decimal_places=self.decimal_places
            )
        except NumberError as error:
            raise forms.ValidationError(error.message, code=error.code) from error
        return number


class EuroField(DecimalNumberField):
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


def form_error(form, error) -> None:
    """Show a refusal (DomainError, or a model ValidationError) on the form, by its field when
    it names one the form has; every view that runs a service shows refusals this way."""
    if isinstance(error, DomainError):
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return
    form.add_error(None, error)


class TOTPCodeForm(forms.Form):
    """The six-digit code an authenticator app shows (spaces typed between groups ignored)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("The six digits your authenticator app shows now."),
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Type the six digits of the code."), code="format")
        return code
