from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from common.money import eur, money_format, round_cents, split_by_weights, split_evenly

amounts = st.decimals(min_value=Decimal("-100000"), max_value=Decimal("100000"), places=2)


def test_round_cents_is_half_up():
    assert round_cents(Decimal("0.005")) == Decimal("0.01")
    assert round_cents(Decimal("2.675")) == Decimal("2.68")
    assert round_cents(Decimal("-0.005")) == Decimal("-0.01")


def test_eur_refuses_floats():
    with pytest.raises(TypeError):
        eur(0.1)
    assert eur("12.345").amount == Decimal("12.35")


@given(total=amounts, parts=st.integers(min_value=1, max_value=36))
def test_split_evenly_adds_up_and_is_fair(total, parts):
    shares = split_evenly(eur(total), parts)
    assert sum(s.amount for s in shares) == total
    assert max(s.amount for s in shares) - min(s.amount for s in shares) <= Decimal("0.01")


@given(
    total=amounts,
    weights=st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=12).filter(any),
)
def test_split_by_weights_adds_up_to_the_cent(total, weights):
    shares = split_by_weights(eur(total), weights)
    assert sum(s.amount for s in shares) == total
    assert all(s.amount.as_tuple().exponent >= -2 for s in shares)


def test_split_by_weights_follows_the_weights():
    shares = split_by_weights(eur("100.00"), [1, 1, 1])
    assert [s.amount for s in shares] == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert [s.amount for s in split_by_weights(eur("90"), [2, 1])] == [
        Decimal("60.00"),
        Decimal("30.00"),
    ]


def test_eur_keeps_euro_money_and_refuses_other_currencies():
    from djmoney.money import Money

    assert eur(Money("12.345", "EUR")) == Money("12.35", "EUR")
    with pytest.raises(ValueError, match="USD"):
        eur(Money("100", "USD"))


@pytest.mark.parametrize("zero", [Decimal("-0.00"), Decimal("-0"), "-0.001", -Decimal("0.00")])
def test_eur_never_makes_a_negative_zero(zero):
    value = eur(zero).amount
    assert value == 0 and not value.is_signed() and str(value) == "0.00"


NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "amount", "shown"),
    [
        ("it", "3315", f"3.315,00{NBSP}€"),
        ("it", "-3315.5", f"-3.315,50{NBSP}€"),
        ("it", "0", f"0,00{NBSP}€"),
        ("it", "-0.00", f"0,00{NBSP}€"),
        ("it", "-0.004", f"0,00{NBSP}€"),
        ("it", "1234567.891", f"1.234.567,89{NBSP}€"),
        ("it", "999.995", f"1.000,00{NBSP}€"),
        ("en", "3315", "€3,315.00"),
        ("en", "-3315.5", "-€3,315.50"),
        ("en", "-0.00", "€0.00"),
        ("en", "1234567.891", "€1,234,567.89"),
    ],
)
def test_money_format_writes_euros_the_way_each_language_does(language, amount, shown):
    with translation.override(language):
        assert money_format(Decimal(amount)) == shown
        assert money_format(eur(amount)) == shown


def test_money_format_refuses_floats():
    with pytest.raises(TypeError):
        money_format(26000.0)


def test_eur_filter_formats_money_and_leaves_no_value_blank():
    template = Template("{% load money %}[{{ a|eur }}][{{ b|eur }}][{{ c|eur }}]")
    with translation.override("it"):
        shown = template.render(Context({"a": eur("26000"), "b": Decimal("-12.5"), "c": None}))
    assert shown == f"[26.000,00{NBSP}€][-12,50{NBSP}€][]"


def test_numbers_outside_money_are_not_grouped():
    """Grouping is forced for money only: years and ids must never read “2.026”."""
    with translation.override("it"):
        assert Template("{{ year }}").render(Context({"year": 2026})) == "2026"
