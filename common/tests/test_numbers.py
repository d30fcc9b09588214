"""The one rule for numbers typed or imported: finite, in figures, Italian, within size."""

from decimal import Decimal

import pytest
from django import forms

from common.forms import EuroField
from common.money import eur
from common.numbers import NumberError, decimal_check_size, decimal_parse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.200", "1200"),
        ("1.200,50", "1200.50"),
        ("1200,5", "1200.5"),
        ("1.234.567,89", "1234567.89"),
        ("1200.50", "1200.50"),
        ("1200", "1200"),
        (" 1 200,00 € ", "1200.00"),
        ("-3,5", "-3.5"),
        ("'1200", "1200"),  # a neutralised cell from our own export
    ],
)
def test_italian_numbers(text, expected):
    assert decimal_parse(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    [
        "NaN",
        "nan",
        "Infinity",
        "-inf",
        "sNaN",
        "1e400",
        "1E2",
        "12,34,56",
        "1,200",
        "1,200.50",
        "1.2.3",
        "1.2345",
        "abc",
        "",
        "1.200.5",
    ],
)
def test_ambiguous_and_non_finite_are_refused(text):
    with pytest.raises(NumberError):
        decimal_parse(text)


def test_size_names_the_largest_number():
    decimal_check_size(Decimal("9999999999.99"), max_digits=12, decimal_places=2)
    with pytest.raises(NumberError, match="9.999.999.999,99"):
        decimal_check_size(Decimal("10000000000"), max_digits=12, decimal_places=2)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("NaN", "«NaN» non è un numero scritto in cifre."),
        ("Infinity", "«Infinity» non è un numero scritto in cifre."),
        ("1e400", "«1e400» non è un numero scritto in cifre."),
        ("9999999999999", "Il numero è troppo grande: al massimo 9.999.999.999,99."),
    ],
)
def test_euro_field_refuses_with_an_italian_message(value, message):
    with pytest.raises(forms.ValidationError) as refused:
        EuroField().clean(value)
    assert refused.value.messages == [message]


def test_euro_field_reads_the_number_box():
    assert EuroField().clean("1200.5") == eur("1200.50")
    assert EuroField(required=False).clean("") is None
