"""The one rule for plausible dates (common.dates) and its form field."""

from datetime import date

import pytest
from django import forms
from django.utils import translation

from common import dates
from common.dates import DateError, date_check, date_refuse_implausible
from common.exceptions import DomainError
from common.forms import PlausibleDateField

TODAY = date(2026, 6, 15)


@pytest.mark.parametrize("kind", list(dates.KINDS.values()), ids=list(dates.KINDS))
def test_every_kind_refuses_year_1_and_9999_and_takes_today(kind):
    date_check(TODAY, kind=kind, label="giorno", today=TODAY)
    for absurd in (date(1, 1, 1), date(9999, 12, 31)):
        with pytest.raises(DateError):
            date_check(absurd, kind=kind, label="giorno", today=TODAY)


def test_bounds_are_inclusive_and_move_with_today():
    earliest, latest = dates.PAYMENT.bounds(today=TODAY)
    date_check(earliest, kind=dates.PAYMENT, label="x", today=TODAY)
    date_check(latest, kind=dates.PAYMENT, label="x", today=TODAY)
    with pytest.raises(DateError):
        date_check(
            date.fromordinal(latest.toordinal() + 1), kind=dates.PAYMENT, label="x", today=TODAY
        )
    # What was plausible stays plausible as time goes by: the lower bounds never move.
    assert dates.PAYMENT.bounds(today=date(2030, 1, 1))[0] == earliest


def test_a_birth_is_not_in_the_future():
    with pytest.raises(DateError):
        date_check(date(2026, 6, 16), kind=dates.BIRTH, label="nascita", today=TODAY)


def test_message_names_the_field_and_the_range_in_italian():
    with translation.override("it"), pytest.raises(DateError) as refused:
        date_check(date(9999, 1, 1), kind=dates.BIRTH, label="data di nascita", today=TODAY)
    assert refused.value.message == (
        "Data di nascita: la data deve essere tra il 01/01/1900 e il 15/06/2026."
    )


def test_none_is_left_to_required():
    date_check(None, kind=dates.BIRTH, label="nascita")


def test_the_service_check_names_the_form_field():
    with pytest.raises(DomainError) as refused:
        date_refuse_implausible(
            date(1, 1, 1), kind=dates.PAYMENT, field="paid_on", label="pagato il"
        )
    assert refused.value.field == "paid_on"


class _Form(forms.Form):
    on = PlausibleDateField(label="Pagato il", kind=dates.PAYMENT)


@pytest.mark.parametrize("typed", ["0001-01-01", "9999-12-31", "1899-12-31"])
def test_the_form_field_refuses_with_the_message(typed):
    form = _Form(data={"on": typed})
    assert not form.is_valid()
    assert "Pagato il" in form.errors["on"][0]


def test_the_form_field_takes_a_plausible_date_and_offers_its_range():
    form = _Form(data={"on": "2024-03-01"})
    assert form.is_valid(), form.errors
    html = str(_Form()["on"])
    earliest, latest = dates.PAYMENT.bounds()
    assert f'min="{earliest.isoformat()}"' in html
    assert f'max="{latest.isoformat()}"' in html
    assert 'type="date"' in html
